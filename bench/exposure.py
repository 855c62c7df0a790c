"""Signature-exposure throughput: wall and CPU time of ``iadsim exposure`` on the example.

Prints one JSON object: the wall and CPU seconds (process + children) of the whole command
run as a fresh process (``python -m iadsim exposure EXAMPLE --out TMP``, imports included,
as a user runs it), against the issue's target of 30 s on 2 cores; the looks computed; and,
in process, the time of each phase (scenario and radars, signature tables, looks and
estimation, outputs).

Run: ``python bench/exposure.py [--scenario FILE]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "s400_f35_exposure.yaml"
TARGET_SECONDS = 30.0
TARGET_CORES = 2


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def command_time(scenario: Path) -> dict:
    """Wall and CPU time of the CLI in a fresh process."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        cpu0, t0 = _children_cpu_s(), time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "iadsim", "exposure", str(scenario), "--out", str(out)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        wall = time.perf_counter() - t0
        cpu = _children_cpu_s() - cpu0
        if proc.returncode != 0:
            raise SystemExit(f"iadsim exposure failed: {proc.stderr.strip()}")
        data = json.loads((out / "exposure.json").read_text())
    looks = sum(p["looks_per_sortie"] * p["sorties"] for p in data["pairs"])
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "looks": looks}


def phase_times(scenario: Path) -> dict:
    """Seconds per phase, in process (imports excluded)."""
    from iadsim.catalog import load_catalog
    from iadsim.exposure import analyse, flight_models
    from iadsim.exposure.world import sensor_world
    from iadsim.radar.signature import airframe_table
    from iadsim.report.exposure_outputs import write_exposure
    from iadsim.scenario import load_scenario

    airframe_table.cache_clear()
    times = {}
    t = time.perf_counter()
    catalog = load_catalog()
    scen = load_scenario(scenario, catalog)
    world = sensor_world(scen, catalog, scenario.parent)
    times["scenario_and_radars_s"] = time.perf_counter() - t
    t = time.perf_counter()
    flights = flight_models(world, catalog, scenario.parent)
    times["signature_tables_s"] = time.perf_counter() - t
    t = time.perf_counter()
    result = analyse(world, flights, scen.seed, 1.0)
    times["looks_and_estimation_s"] = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        write_exposure(result, str(scenario), Path(tmp))
        times["outputs_s"] = time.perf_counter() - t
    return {k: round(v, 2) for k, v in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", type=Path, default=EXAMPLE)
    args = parser.parse_args()
    cli = command_time(args.scenario)
    report = {
        "bench": "exposure",
        "scenario": str(
            args.scenario.relative_to(ROOT) if args.scenario.is_relative_to(ROOT) else args.scenario
        ),  # fmt: skip
        "cpu_count": os.cpu_count(),
        "command": cli,
        "target_s": TARGET_SECONDS,
        "target_cores": TARGET_CORES,
        "meets_target": cli["wall_s"] < TARGET_SECONDS,
        "phases": phase_times(args.scenario),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
