"""Study throughput: replications per second with 1 and 2 workers, and where a replication's
time goes.

Prints one JSON object: for ``examples/city_defense_patriot.yaml`` (or ``--scenario``), the
wall time and replications/s of ``run_study`` with 1 worker (in process) and 2 worker
processes, the scaling efficiency (rate_2 / (2 rate_1)), the issue's target (2000
replications in 60 s on 2 cores) and the gap to it, and one replication's time broken down
by engine stage. The stages are timed by wrapping, for the duration of the profile only,
the functions ``iadsim.sim.engine`` calls (radar.observe, the Tracker methods,
engage.decide.choose_launches, engine._launch, engine._fly (interceptor flyout and kill
assessment), EventLog.add/add_batch) plus build_world and summarize; times are exclusive
(a wrapped call inside another counts only once), and "engine loop (other)" is the rest.
Functions this version of the engine does not call are skipped.

Run: ``python bench/study.py [--n 6] [--profile-reps 2] [--scenario FILE]``.
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
    """Wrap what the engine calls; restore everything afterwards (engine.py is untouched)."""
    from iadsim.engage import flyout
    from iadsim.sim import engine, events

    candidates = [
        (engine, "observe", "radar.observe"),
        (engine, "assess", "engage.decide (threat evaluation, assignment)"),
        (engine, "plan_engagements", "engage.decide (threat evaluation, assignment)"),
        (engine, "choose_launches", "engage.decide (threat evaluation, assignment)"),
        (engine, "_launch", "engage.launch (intercept_time)"),
        (engine, "_fly", "flyout + lethality"),
        (flyout, "step", "flyout + lethality"),
        (events.EventLog, "add", "event log"),
        (events.EventLog, "add_batch", "event log"),
        *[(engine.Tracker, name, "tracking")
          for name in ("process_scan", "drop_stale", "drop_truth", "predicted")],
    ]  # fmt: skip
    # Only what this version of the engine has (the stages change as the engine grows).
    targets = [(obj, attr, stage) for obj, attr, stage in candidates if attr in vars(obj)]
    saved = [(obj, attr, vars(obj)[attr]) for obj, attr, _ in targets]
    try:
        for obj, attr, stage in targets:
            setattr(obj, attr, timer.wrap(stage, getattr(obj, attr)))
        yield
    finally:
        for obj, attr, original in saved:
            setattr(obj, attr, original)


def profile(scenario_path: Path, reps: int) -> dict:
    """Mean per-replication seconds by stage over ``reps`` replications (in process)."""
    from iadsim.catalog import load_catalog
    from iadsim.report.summary import summarize
    from iadsim.scenario import load_scenario
    from iadsim.sim import engine
    from iadsim.sim.world import build_world
    from iadsim.study.plan import replication_seed

    catalog = load_catalog()
    scenario = load_scenario(scenario_path, catalog)
    timer = StageTimer()
    t0 = time.perf_counter()
    world = timer.wrap("build_world (once per worker)", build_world)(
        scenario, catalog, scenario_dir=scenario_path.parent
    )
    build_s = time.perf_counter() - t0
    total = 0.0
    with patched(timer):
        for i in range(reps):
            start = time.perf_counter()
            result = engine.run(world, replication_seed(scenario.seed, i))
            timer.wrap("summarize", summarize)(result, str(scenario_path))
            total += time.perf_counter() - start
    stages = {k: v / reps for k, v in timer.seconds.items() if not k.startswith("build")}
    stages["engine loop (other)"] = total / reps - sum(stages.values())
    stages = dict(sorted(stages.items(), key=lambda kv: -kv[1]))
    per_rep = total / reps
    return {
        "replications_profiled": reps,
        "ticks": len(world.times) - 1,
        "threats": len(world.threats),
        "per_replication_s": per_rep,
        "build_world_s": build_s,
        "stages_s": {k: round(v, 4) for k, v in stages.items()},
        "stages_fraction": {k: round(v / per_rep, 3) for k, v in stages.items()},
        "calls_per_replication": {k: v // reps for k, v in timer.calls.items()
                                  if not k.startswith("build")},
    }  # fmt: skip


def throughput(scenario_path: Path, n: int, workers: int) -> dict:
    from iadsim.study import run_study

    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        cpu0 = _cpu_s()
        start = time.perf_counter()
        result = run_study(scenario_path, n, Path(tmp) / "study", workers=workers)
        wall = time.perf_counter() - start
        cpu = _cpu_s() - cpu0
    reps = result.replications_run
    return {
        "workers": workers, "replications": reps, "wall_s": round(wall, 2),
        "replications_per_s": reps / wall,
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
    parser.add_argument("--n", type=int, default=6, help="replications per throughput run")
    parser.add_argument("--profile-reps", type=int, default=2)
    args = parser.parse_args()
    one = throughput(args.scenario, args.n, 1)
    two = throughput(args.scenario, args.n, 2)
    stages = profile(args.scenario, args.profile_reps)
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
        "gap_factor_vs_target": target_rate / two["replications_per_s"],
        "projected_s_for_target_with_2_workers": TARGET_REPLICATIONS / two["replications_per_s"],
        "gap_factor_cpu_per_replication": one["cpu_s_per_replication"]
        / (TARGET_CORES / target_rate),
        "profile": stages,
    }  # fmt: skip
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
