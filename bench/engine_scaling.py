"""Engine cost against threat count, this tree against a git worktree of an anchor commit.

The Patriot example (``examples/city_defense_patriot.yaml``, 34 threats) is scaled by
replicating its raid: every threat group's ``count`` is multiplied by s and its
``spacing_s`` divided by s, so the raid keeps its launch windows and arrival times and
grows s-fold denser (s = 1, 2, 4, 8, 16: 34 .. 544 threats). Each tree runs in its own
Python (its own venv) in a child process that reports, as JSON:

- ``import_cpu_s``: importing the package, the catalog, the scenario and the World build;
- ``first_run_cpu_s``: the first engine run, which loads the compiled (Numba) kernels;
- ``engine_cpu_s`` / ``engine_wall_s``: the median over ``--repeats`` further engine runs
  (:func:`iadsim.sim.engine.run` on a fresh World each time, so no cache carries over),
  kernel loading and imports excluded.

The kernel-loading cost is first_run_cpu_s less engine_cpu_s. Prints one JSON object with
both trees, the per-count ratio anchor / current and the growth exponent of the engine
cost between the two largest counts (1.0 is linear).

    python bench/engine_scaling.py --anchor /work/wt-base [--repeats 3] [--scales 1 2 4 8 16]
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "city_defense_patriot.yaml"

# Run inside the tree under test (argv: scenario paths as JSON, repeats).
CHILD = r"""
import json, statistics, sys, time
paths, repeats = json.loads(sys.argv[1]), int(sys.argv[2])
c0 = time.process_time()
from pathlib import Path
from iadsim.catalog import load_catalog
from iadsim.scenario import load_scenario
from iadsim.sim.engine import run
from iadsim.sim.world import build_world
catalog = load_catalog()
out = {"import_cpu_s": time.process_time() - c0, "counts": []}

def world_of(path):
    scen = load_scenario(path, catalog)
    return scen, build_world(scen, catalog, scenario_dir=Path(path).parent)

first = True
for path in paths:
    scen, world = world_of(path)
    row = {"threats": len(world.threats), "runs_cpu_s": [], "runs_wall_s": []}
    if first:  # the first engine run loads the compiled kernels
        c, w = time.process_time(), time.perf_counter()
        run(world, scen.seed)
        row["first_run_cpu_s"] = time.process_time() - c
        first = False
    for _ in range(repeats):
        scen, world = world_of(path)
        c, w = time.process_time(), time.perf_counter()
        result = run(world, scen.seed)
        row["runs_cpu_s"].append(time.process_time() - c)
        row["runs_wall_s"].append(time.perf_counter() - w)
    row["killed"] = int(result.killed.sum())
    row["engine_cpu_s"] = statistics.median(row["runs_cpu_s"])
    row["engine_wall_s"] = statistics.median(row["runs_wall_s"])
    out["counts"].append(row)
print(json.dumps(out))
"""


def scaled_scenario(scale: int, folder: Path) -> Path:
    """The example with its raid replicated ``scale`` times (counts x s, spacing / s)."""
    data = yaml.safe_load(EXAMPLE.read_text())
    for group in data["threats"]:
        group["count"] = group.get("count", 1) * scale
        if "spacing_s" in group:
            group["spacing_s"] = group["spacing_s"] / scale
    path = folder / f"patriot_x{scale}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def python_of(tree: Path) -> str:
    venv = tree / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def measure(tree: Path, paths: list[Path], repeats: int) -> dict:
    env = {"PYTHONPATH": str(tree / "src"), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run(
        [python_of(tree), "-c", CHILD, json.dumps([str(p) for p in paths]), str(repeats)],
        capture_output=True, text=True, env=env, cwd=tree, check=False,
    )  # fmt: skip
    if proc.returncode != 0:
        raise SystemExit(f"{tree}: child failed:\n{proc.stderr[-3000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    first = out["counts"][0]
    out["kernel_load_cpu_s"] = first["first_run_cpu_s"] - first["engine_cpu_s"]
    return out


def growth(rows: list[dict]) -> float:
    """d log(cost) / d log(threats) between the two largest counts."""
    a, b = rows[-2], rows[-1]
    return math.log(b["engine_cpu_s"] / a["engine_cpu_s"]) / math.log(b["threats"] / a["threats"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--anchor", type=Path, help="git worktree of the anchor commit")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 2, 4, 8, 16])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = [scaled_scenario(s, Path(tmp)) for s in args.scales]
        result = {"scenario": EXAMPLE.name, "repeats": args.repeats, "scales": args.scales}
        result["current"] = measure(ROOT, paths, args.repeats)
        if args.anchor is not None:
            result["anchor_tree"] = str(args.anchor)
            result["anchor"] = measure(args.anchor, paths, args.repeats)
    for name in ("current", "anchor"):
        if name in result and len(result[name]["counts"]) >= 2:
            result[name]["growth_exponent"] = round(growth(result[name]["counts"]), 3)
    if "anchor" in result:
        result["ratio_anchor_over_current"] = [
            {"threats": c["threats"], "engine_cpu": a["engine_cpu_s"] / c["engine_cpu_s"],
             "engine_wall": a["engine_wall_s"] / c["engine_wall_s"]}
            for a, c in zip(result["anchor"]["counts"], result["current"]["counts"], strict=True)
        ]  # fmt: skip
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
