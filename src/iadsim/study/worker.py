"""Run one batch of replications: the code every backend executes on its workers.

A worker builds each variant's World once and keeps it (per process, a few variants at a
time), so the per-batch start-up is only the replications themselves. The engine does not
change what a World describes (it copies the magazines and builds fresh trackers); it only
fills the World's cache of deterministic radar looks, which later batches reuse. The tests
check this by comparing rows from a reused World with rows from a fresh one.
"""

from __future__ import annotations

import math
import signal
from collections import OrderedDict

import pyarrow as pa

from iadsim.catalog.schema import THREAT_CLASSES
from iadsim.report.leak_causes import CAUSES
from iadsim.study.plan import Batch, StudySpec, replication_seed

# Hook: when ``report.summary.summarize`` returns a ``tracking`` dict of numbers (OSPA,
# track purity...), name its keys here; each becomes a float column ``tracking_<key>``
# (NaN while summarize does not provide it) and a mean with a t interval in study.json.
TRACKING_METRICS: tuple[str, ...] = (
    "threats_tracked",
    "mean_time_to_first_track_s",
    "track_breaks",
    "id_swaps",
    "mean_position_error_m",
)

_WORLDS: OrderedDict[tuple[str, int], object] = OrderedDict()
_MAX_WORLDS = 8
_CATALOG = None
_SPEC: StudySpec | None = None


def schema(spec: StudySpec) -> pa.Schema:
    """Columns of the replication rows (fixed per study, so every part file agrees)."""
    fields = [
        ("alternative", pa.string()),
        ("sweep_value", pa.float64()),
        ("replication", pa.int64()),
        ("seed_entropy", pa.uint64()),
        ("seed_spawn_key", pa.int64()),
        ("threats", pa.int64()),
        ("killed", pa.int64()),
        ("leaked", pa.int64()),
        ("any_leak", pa.bool_()),
        ("interceptors_fired", pa.int64()),
        *[(f"fired_{m}", pa.int64()) for m in spec.missile_types],
        ("interceptor_cost_usd", pa.float64()),
        ("threat_value_killed_usd", pa.float64()),
        ("time_of_first_leak_s", pa.float64()),
        *[(f"{what}_{t}", pa.int64()) for t in spec.threat_types
          for what in ("threats", "killed", "leaked")],
        *[(f"tracking_{k}", pa.float64()) for k in TRACKING_METRICS],
        *[(f"leaks_{c}", pa.int64()) for c in CAUSES],
        ("asset_value_lost", pa.float64()),
        *[(f"{what}_class_{c}", pa.int64()) for c in THREAT_CLASSES
          for what in ("threats", "leaked")],
    ]  # fmt: skip
    return pa.schema(fields)


def init_process(spec: StudySpec) -> None:
    """Process-pool initializer: keep the spec; leave Ctrl-C to the driver."""
    global _SPEC
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _SPEC = spec


def run_batch_in_process(batch: Batch) -> dict[str, list]:
    """Process-pool task: the spec came once with ``init_process``."""
    assert _SPEC is not None, "init_process was not called"
    return run_batch(_SPEC, batch)


def run_batch(spec: StudySpec, batch: Batch) -> dict[str, list]:
    """Replications batch.start .. batch.stop - 1 of one variant, as columns; the engine
    runs them in one lock-step pass (a row does not depend on the batch it ran in)."""
    from iadsim.api import simulate
    from iadsim.report.summary import summarize

    variant = spec.variants[batch.variant]
    world = _world(spec, batch.variant)
    cols: dict[str, list] = {name: [] for name in schema(spec).names}
    replications = range(batch.start, batch.stop)
    seeds = [replication_seed(spec.seed, i) for i in replications]
    results = simulate(world, seeds, record=False)  # the engine call of iadsim.run
    for i, result in zip(replications, results, strict=True):
        summary = summarize(result, spec.scenario_file)
        row = replication_row(result, summary, spec)
        row.update(alternative=variant.alternative, sweep_value=variant.sweep_value,
                   replication=i, seed_entropy=spec.seed, seed_spawn_key=i)  # fmt: skip
        for name, values in cols.items():
            values.append(row[name])
    return cols


def replication_row(result, summary: dict, spec: StudySpec) -> dict:
    """The figures of one replication (without its alternative/replication labels)."""
    th = result.world.threats
    fired = summary["interceptors_fired"]
    leak_times = th.arrival_s[result.leaked]
    row = {
        "threats": int(summary["threats"]),
        "killed": int(summary["killed"]),
        "leaked": int(summary["leaked"]),
        "any_leak": bool(summary["leaked"] > 0),
        "interceptors_fired": int(sum(fired.values())),
        "interceptor_cost_usd": float(summary["interceptor_cost_usd"]),
        "threat_value_killed_usd": float(summary["threat_value_killed_usd"]),
        "time_of_first_leak_s": float(leak_times.min()) if len(leak_times) else math.nan,
    }
    for m in spec.missile_types:
        row[f"fired_{m}"] = int(fired.get(m, 0))
    by_type = summary["by_threat_type"]
    for t in spec.threat_types:
        got = by_type.get(t, {"threats": 0, "killed": 0, "leaked": 0})
        for what in ("threats", "killed", "leaked"):
            row[f"{what}_{t}"] = int(got[what])
    row["asset_value_lost"] = float(summary["asset_value_lost"])
    for c in THREAT_CLASSES:
        got = summary["by_threat_class"].get(c, {"threats": 0, "leaked": 0})
        row[f"threats_class_{c}"], row[f"leaked_class_{c}"] = got["threats"], got["leaked"]
    tracking = summary.get("tracking") or {}
    for k in TRACKING_METRICS:
        value = tracking.get(k)
        row[f"tracking_{k}"] = float(value) if value is not None else math.nan
    for c in CAUSES:
        row[f"leaks_{c}"] = int(summary["leak_causes"][c])
    return row


def _world(spec: StudySpec, v: int):
    """The variant's World, built once per process and kept (least recently used out)."""
    global _CATALOG
    from pathlib import Path

    from iadsim.api import build
    from iadsim.catalog import load_catalog
    from iadsim.scenario import Scenario

    key = (spec.key, v)
    if key in _WORLDS:
        _WORLDS.move_to_end(key)
        return _WORLDS[key]
    if _CATALOG is None:
        _CATALOG = load_catalog()
    scenario = Scenario.model_validate(spec.variants[v].scenario)
    where = Path(spec.scenario_dir) if spec.scenario_dir else None
    world = build(scenario, _CATALOG, where)  # as iadsim.run builds it
    _WORLDS[key] = world
    while len(_WORLDS) > _MAX_WORLDS:
        _WORLDS.popitem(last=False)
    return world


def clear_cache() -> None:
    """Forget cached Worlds (tests; a driver that runs several studies)."""
    _WORLDS.clear()
