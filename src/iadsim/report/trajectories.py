"""trajectories.parquet: sampled positions of every threat, interceptor and firm track.

One row per (entity, time): ``kind`` is threat (truth), interceptor or track. Threat truth
is taken from the world's time grid every ``THREAT_SAMPLE_S`` from launch to its end (kill
or arrival, that instant included); interceptors every tick from their launch event to the
event that ended their flight; tracks as sampled by :mod:`iadsim.sim.sampling`, with the
position covariance (map frame: x east, y north, z up; m^2) and the threat the track held.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from iadsim.sim.engine import RunResult
from iadsim.sim.sampling import COV_INDEX

THREAT_SAMPLE_S = 2.0
COV_COLUMNS = tuple(f"cov_{'xyz'[i]}{'xyz'[j]}_m2" for i, j in COV_INDEX)
KINDS = ("threat", "interceptor", "track")

SCHEMA = pa.schema(
    [
        ("time_s", pa.float64()),
        ("kind", pa.dictionary(pa.int8(), pa.string())),
        ("entity_id", pa.dictionary(pa.int32(), pa.string())),
        ("entity_type", pa.dictionary(pa.int32(), pa.string())),
        ("truth_id", pa.dictionary(pa.int32(), pa.string())),  # tracks: the threat held
        ("lat_deg", pa.float64()),
        ("lon_deg", pa.float64()),
        ("alt_m", pa.float32()),
        *[(name, pa.float32()) for name in COV_COLUMNS],
    ]
)


def trajectory_table(result: RunResult, events: pa.Table) -> pa.Table:
    """The samples of ``result`` as one Arrow table (rows by kind, entity, time)."""
    parts = [_threats(result), _interceptors(result, events), _tracks(result)]
    time = np.concatenate([p["time_s"] for p in parts])
    kind = np.concatenate([np.full(len(p["time_s"]), k) for k, p in enumerate(parts)])
    name = sum((p["entity_id"] for p in parts), [])
    etype = sum((p["entity_type"] for p in parts), [])
    truth = sum((p["truth_id"] for p in parts), [])
    xyz = np.concatenate([p["xyz"] for p in parts])
    cov = np.concatenate([p["cov6"] for p in parts])
    lat, lon = result.world.frame.to_geodetic(xyz[:, 0], xyz[:, 1])
    columns = {
        "time_s": time,
        "kind": pa.DictionaryArray.from_arrays(pa.array(kind, pa.int8()), list(KINDS)),
        "entity_id": _dictionary(name),
        "entity_type": _dictionary(etype),
        "truth_id": _dictionary(truth),
        "lat_deg": np.atleast_1d(lat),
        "lon_deg": np.atleast_1d(lon),
        "alt_m": xyz[:, 2].astype(np.float32),
    }
    for c, col in enumerate(COV_COLUMNS):
        columns[col] = pa.array(cov[:, c].astype(np.float32), mask=np.isnan(cov[:, c]))
    return pa.table(columns, schema=SCHEMA)


def _dictionary(values: list[str]) -> pa.DictionaryArray:
    return (
        pa.array(values, pa.string())
        .dictionary_encode()
        .cast(pa.dictionary(pa.int32(), pa.string()))
    )


def _no_cov(n: int) -> np.ndarray:
    return np.full((n, 6), np.nan)


def _threats(result: RunResult) -> dict:
    world = result.world
    th, times = world.threats, world.times
    step = max(1, int(round(THREAT_SAMPLE_S / (times[1] - times[0])))) if len(times) > 1 else 1
    grid = np.arange(0, len(times), step)
    t_out, name, etype, xyz = [], [], [], []
    for i in range(len(th)):
        end = result.kill_time_s[i] if result.killed[i] else min(th.arrival_s[i], times[-1])
        k = grid[(times[grid] >= th.launch_s[i]) & (times[grid] < end)]
        t_i = np.append(times[k], end)
        p_i = np.column_stack([np.interp(t_i, times, th.pos[i, :, d]) for d in range(3)])
        t_out.append(t_i)
        xyz.append(p_i)
        name += [th.ids[i]] * len(t_i)
        etype += [th.type_name[i]] * len(t_i)
    n = sum(len(t) for t in t_out)
    return {
        "time_s": np.concatenate(t_out) if t_out else np.zeros(0),
        "entity_id": name,
        "entity_type": etype,
        "truth_id": [""] * n,
        "xyz": np.concatenate(xyz) if xyz else np.zeros((0, 3)),
        "cov6": _no_cov(n),
    }


def _interceptors(result: RunResult, events: pa.Table) -> dict:
    """Launch point, every tick in flight, and the end of flight (from the event log)."""
    s = result.trajectories
    frame = result.world.frame
    flight = pc.is_in(events["kind"], pa.array(["launch", "intercept", "miss"]))
    ends = events.filter(pc.and_(flight, pc.equal(events["entity_type"], "interceptor")))
    ev = ends.to_pydict()
    seen: set[tuple[str, float]] = set()  # "target survived" logs intercept and miss at once
    keep = []
    for j, key in enumerate(zip(ev["entity_id"], ev["time_s"], strict=True)):
        if key not in seen:
            seen.add(key)
            keep.append(j)
    ex, ey = frame.to_map(np.array([ev["lat_deg"][j] for j in keep]),
                          np.array([ev["lon_deg"][j] for j in keep]))  # fmt: skip
    ev_xyz = np.column_stack([np.atleast_1d(ex), np.atleast_1d(ey),
                              np.array([ev["alt_m"][j] for j in keep])]).reshape(-1, 3)  # fmt: skip
    time = np.concatenate([s.missile_time_s, [ev["time_s"][j] for j in keep]])
    name = list(s.missile_name) + [ev["entity_id"][j] for j in keep]
    xyz = np.concatenate([s.missile_xyz, ev_xyz])
    order = np.lexsort((time, np.array(name)))
    mtype = dict(zip(result.interceptor_names,
                     (result.world.missiles.name[k] for k in result.interceptors.missile_type),
                     strict=True))  # fmt: skip
    name = [name[j] for j in order]
    return {
        "time_s": time[order],
        "entity_id": name,
        "entity_type": [mtype[n] for n in name],
        "truth_id": [""] * len(name),
        "xyz": xyz[order],
        "cov6": _no_cov(len(name)),
    }


def _tracks(result: RunResult) -> dict:
    s = result.trajectories
    ids = result.world.threats.ids
    order = np.lexsort((s.track_time_s, np.array(s.track_name)))
    name = [s.track_name[j] for j in order]
    return {
        "time_s": s.track_time_s[order],
        "entity_id": name,
        "entity_type": ["track"] * len(name),
        "truth_id": [ids[t] if t >= 0 else "" for t in s.track_truth[order]],
        "xyz": s.track_xyz[order],
        "cov6": s.track_cov6[order],
    }
