"""Study throughput: replications per second with 1 and 2 workers, and where a replication's
time goes.

Prints one JSON object for ``examples/city_defense_patriot.yaml`` (or ``--scenario``): the
wall time, replications/s and CPU seconds per replication of ``run_study`` with 1 worker
(in process) and with 2 worker processes, ``--n`` replications each (default 2000: the
issue's target is 2000 in under 60 s on 2 cores; ``--n1`` sets the 1-worker run apart),
both with the same batch size (``--batch-size``, default the study's default)
so they compare like with like; the scaling efficiency (rate_2 / (2 rate_1)); the gap to
the target; the peak RSS of the driver and of the largest worker; and one engine batch of
``--profile-reps`` replications broken down by stage. The stages are timed by wrapping,
for the duration of the profile only, what the engine calls (radar looks and draws, the
Tracker methods, the engagement decisions and uplinks, the flyout and kill assessment,
the event log) plus summarize; times are exclusive (a wrapped call inside another counts
once) and "engine loop (other)" is the rest.

Run: ``python bench/study.py [--n 2000] [--n1 N] [--profile-reps R] [--scenario FILE]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
TARGET_REPLICATIONS = 2000
TARGET_SECONDS = 60.0
TARGET_CORES = 2


class StageTimer:
    """Exclusive wall time per stage (a stack subtracts nested wrapped calls)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self._stack: list[list[float]] = []  # [start, child time]

    def wrap(self, stage: str, fn):
        def timed(*args, **kwargs):
            self._stack.append([time.perf_counter(), 0.0])
            try:
                return fn(*args, **kwargs)
            finally:
                start, child = self._stack.pop()
                elapsed = time.perf_counter() - start
                self.seconds[stage] = self.seconds.get(stage, 0.0) + elapsed - child
                self.calls[stage] = self.calls.get(stage, 0) + 1
                if self._stack:
                    self._stack[-1][1] += elapsed

        return timed


@contextmanager
def patched(timer: StageTimer):
    """Wrap what the engine calls; restore everything afterwards (the engine is untouched)."""
    from iadsim.radar import sensor
    from iadsim.sim import events, fire, flight, scan
    from iadsim.tracking.tracker import Tracker

    targets = [
        (sensor, "scan_looks", "radar (coverage, SINR, Pd)"),
        (scan, "_target_draws", "radar draws (detections, noise, false alarms)"),
        (scan, "_false_alarm_draws", "radar draws (detections, noise, false alarms)"),
        (sensor, "measure", "radar draws (detections, noise, false alarms)"),
        (flight, "fly", "flyout + kill assessment"),
        (fire, "engage", "threat evaluation + assignment + launch"),
        (fire, "uplink", "threat evaluation + assignment + launch"),
        (events.EventLog, "add", "event log"),
        (events.EventLog, "add_batch", "event log"),
        *[(Tracker, name, "tracking")
          for name in ("process_scan", "drop_stale", "drop_truth", "predicted_view")],
    ]  # fmt: skip
    saved = [(obj, attr, vars(obj)[attr]) for obj, attr, _ in targets]
    try:
        for obj, attr, stage in targets:
            setattr(obj, attr, timer.wrap(stage, getattr(obj, attr)))
        yield
    finally:
        for obj, attr, original in saved:
            setattr(obj, attr, original)


def profile(scenario_path: Path, reps: int) -> dict:
    """Per-replication seconds by stage over one engine batch of ``reps`` replications."""
    from iadsim.catalog import load_catalog
    from iadsim.report.summary import summarize
    from iadsim.scenario import load_scenario
    from iadsim.sim import engine
    from iadsim.sim.world import build_world
    from iadsim.study.plan import replication_seed

    catalog = load_catalog()
    scenario = load_scenario(scenario_path, catalog)
    t0 = time.perf_counter()
    world = build_world(scenario, catalog, scenario_dir=scenario_path.parent)
    build_s = time.perf_counter() - t0
    seeds = [replication_seed(scenario.seed, i) for i in range(reps)]
    engine.run_batch(world, seeds[:1], record_detections=False, record_paths=False)  # JIT warm-up
    timer = StageTimer()
    with patched(timer):
        start = time.perf_counter()
        results = engine.run_batch(world, seeds, record_detections=False, record_paths=False)
        for result in results:
            timer.wrap("summarize", summarize)(result, str(scenario_path))
        total = time.perf_counter() - start
    stages = {k: v / reps for k, v in timer.seconds.items()}
    stages["engine loop (other)"] = total / reps - sum(stages.values())
    stages = dict(sorted(stages.items(), key=lambda kv: -kv[1]))
    per_rep = total / reps
    return {
        "replications_in_batch": reps,
        "ticks": len(world.times) - 1,
        "threats": len(world.threats),
        "per_replication_s": per_rep,
        "build_world_s": build_s,
        "stages_s": {k: round(v, 5) for k, v in stages.items()},
        "stages_fraction": {k: round(v / per_rep, 3) for k, v in stages.items()},
        "calls_per_batch": dict(timer.calls),
    }


def throughput(scenario_path: Path, n: int, workers: int, batch_size: int | None) -> dict:
    from iadsim.study import run_study

    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        cpu0 = _cpu_s()
        start = time.perf_counter()
        result = run_study(scenario_path, n, Path(tmp) / "study", workers=workers,
                           batch_size=batch_size)  # fmt: skip
        wall = time.perf_counter() - start
        cpu = _cpu_s() - cpu0
    batch_size = result.summary["batch_size"]
    reps = result.replications_run
    return {
        "workers": workers, "replications": reps, "batch_size": batch_size,
        "wall_s": round(wall, 2), "replications_per_s": reps / wall,
        # CPU seconds (this process + its finished worker processes): robust to other load.
        "cpu_s_per_replication": cpu / reps,
        "load_average_1min_before": load,
    }  # fmt: skip


def _cpu_s() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scenario", type=Path, default=ROOT / "examples/city_defense_patriot.yaml"
    )
    parser.add_argument("--n", type=int, default=TARGET_REPLICATIONS,
                        help="replications of the 2-worker run")  # fmt: skip
    parser.add_argument("--n1", type=int, default=None,
                        help="replications of the 1-worker run (default: --n)")  # fmt: skip
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--profile-reps", type=int, default=None,
                        help="replications profiled (default: the batch size)")  # fmt: skip
    args = parser.parse_args()
    one = throughput(args.scenario, args.n1 or args.n, 1, args.batch_size)
    batch = one["batch_size"]  # the study default for the scenario unless given
    two = throughput(args.scenario, args.n, 2, batch)
    stages = profile(args.scenario, args.profile_reps or batch)
    target_rate = TARGET_REPLICATIONS / TARGET_SECONDS
    report = {
        "scenario": str(args.scenario.relative_to(ROOT) if args.scenario.is_relative_to(ROOT)
                        else args.scenario),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "workers_1": one,
        "workers_2": two,
        "scaling_efficiency_2_workers": two["replications_per_s"] / (2 * one["replications_per_s"]),
        "target": {"replications": TARGET_REPLICATIONS, "seconds": TARGET_SECONDS,
                   "cores": TARGET_CORES, "replications_per_s": target_rate,
                   "per_replication_cpu_s": TARGET_CORES / target_rate},
        "projected_s_for_target_with_2_workers": TARGET_REPLICATIONS / two["replications_per_s"],
        "meets_target": TARGET_REPLICATIONS / two["replications_per_s"] <= TARGET_SECONDS,
        "peak_rss_mb": {
            "driver": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "largest_worker": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        },
        "profile": stages,
    }  # fmt: skip
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
