"""Atheris harness: bytes -> scenario file -> ``load_scenario`` (the `validate` path).

Every input must either load or raise ``IadsimError`` with a one-line message; anything
else (another exception, a multi-line message, a slow or huge case) is a crash. Runs for a
set time and prints one JSON line: executions, crashes, seconds, and the crash inputs saved.

    pip install -e '.[dev,fuzz]'
    python fuzz/fuzz_scenario.py --seconds 300 --out runs/fuzz      # atheris (libFuzzer)

The corpus starts from examples/*.yaml. Without atheris (it has no wheel for some Python
versions) the same target runs under a plain random byte mutator (``--no-atheris``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SLOW_S = 2.0  # a case slower than this is a denial of service, so a crash


def _target_factory(work: Path, crashes: Path, stats: dict):
    from iadsim.catalog import load_catalog
    from iadsim.errors import IadsimError
    from iadsim.scenario import load_scenario

    catalog = load_catalog()
    path = work / "case.yaml"

    def target(data: bytes) -> None:
        stats["executions"] += 1
        path.write_bytes(data)
        t0 = time.perf_counter()
        problem = None
        try:
            load_scenario(path, catalog, warn=lambda _line: None)
            stats["valid"] += 1
        except IadsimError as exc:
            text = str(exc)
            if "\n" in text or "\r" in text or len(text) > 2000:
                problem = f"message not one short line: {text[:200]!r}"
        except Exception:  # noqa: BLE001 (any other exception is the bug we look for)
            problem = traceback.format_exc(limit=3).splitlines()[-1]
        if time.perf_counter() - t0 > SLOW_S:
            problem = problem or f"slow: {time.perf_counter() - t0:.1f} s"
        if problem:
            stats["crashes"] += 1
            n = stats["crashes"]
            (crashes / f"crash-{n:04d}.yaml").write_bytes(data)
            stats["crash_kinds"].setdefault(problem, 0)
            stats["crash_kinds"][problem] += 1

    return target


def _warm_up(work: Path) -> None:
    """Load every seed once, outside the timing and the instrumentation: the first
    trajectory check imports the trajectory kinds (and SciPy, through the atmosphere
    tables), about 1 s once per process, so the first case to reach it would count as
    "slow" whatever its input; and atheris must not instrument those Numba kernels."""
    from iadsim.catalog import load_catalog
    from iadsim.errors import IadsimError
    from iadsim.scenario import load_scenario

    catalog, path = load_catalog(), work / "warm.yaml"
    for seed in _seeds():
        path.write_bytes(seed)
        try:
            load_scenario(path, catalog, warn=lambda _line: None)
        except IadsimError:  # a seed naming a DEM beside it: its checks ran all the same
            pass


def _seeds() -> list[bytes]:
    return [p.read_bytes() for p in sorted((ROOT / "examples").glob("*.yaml"))]


def _run_plain(target, seconds: float, rng: random.Random) -> None:
    """A simple mutator (byte flips, splices, YAML tokens) for when atheris is missing."""
    tokens = [b"&a ", b"*a", b"<<: *a\n", b"{", b"]", b": ", b"- ", b"\t", b"!!float ",
              b".nan", b"true", b"\x00", b"'", b'"', b"\n  ", b"---\n"]  # fmt: skip
    seeds = _seeds()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        data = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 6)):
            at = rng.randrange(len(data) + 1)
            kind = rng.random()
            if kind < 0.4:
                data[at:at] = rng.choice(tokens)
            elif kind < 0.7 and data:
                data[at : at + rng.randint(1, 16)] = b""
            else:
                data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 4)))
        target(bytes(data))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--out", type=Path, default=Path("runs/fuzz"))
    parser.add_argument("--no-atheris", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    crashes = args.out / "crashes"
    crashes.mkdir(exist_ok=True)
    stats = {"executions": 0, "valid": 0, "crashes": 0, "crash_kinds": {}}
    started = time.monotonic()
    engine = "plain"
    atheris = None
    if not args.no_atheris:
        try:
            import atheris
        except ImportError:
            print("atheris is not installed; using the plain mutator", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        _warm_up(Path(tmp))
        if atheris is None:
            target = _target_factory(Path(tmp), crashes, stats)
            _run_plain(target, args.seconds, random.Random(args.seed))
            _report(stats, started, engine, args.out)
            return 0
        engine = "atheris"
        # coverage feedback from the loader's own code and PyYAML (pydantic-core is compiled)
        with atheris.instrument_imports(
            include=["iadsim.scenario", "iadsim.validation", "iadsim.errors", "yaml"]
        ):
            target = _target_factory(Path(tmp), crashes, stats)
        corpus = args.out / "corpus"
        corpus.mkdir(exist_ok=True)
        for i, seed in enumerate(_seeds()):
            (corpus / f"seed-{i}.yaml").write_bytes(seed)
        end = started + args.seconds

        def timed(data: bytes) -> None:
            target(data)
            if time.monotonic() > end:  # the set time is up: report and stop libFuzzer
                _report(stats, started, engine, args.out)
                os._exit(0)

        atheris.Setup([sys.argv[0], "-max_len=20000", f"-seed={args.seed}", "-close_fd_mask=0",
                       f"-artifact_prefix={crashes}/", str(corpus)], timed)  # fmt: skip
        atheris.Fuzz()
    return 0


def _report(stats: dict, started: float, engine: str, out: Path) -> None:
    report = {"engine": engine, "seconds": round(time.monotonic() - started, 1), **stats,
              "crash_dir": str(out / "crashes"), "python": sys.version.split()[0],
              "pid": os.getpid()}  # fmt: skip
    (out / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report), file=sys.__stdout__, flush=True)


if __name__ == "__main__":
    sys.exit(main())
