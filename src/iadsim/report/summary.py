"""The run summary: what leaked, what was killed, what the defence spent."""

from __future__ import annotations

from collections import Counter

import numpy as np

from iadsim import __version__
from iadsim.catalog.schema import THREAT_CLASSES
from iadsim.report.leak_causes import CAUSES, leak_causes
from iadsim.sim.engine import RunResult
from iadsim.tracking.quality import summarize_tracks


def summarize(result: RunResult, scenario_path: str) -> dict:
    """summary.json content (plain JSON types only)."""
    world = result.world
    th, missiles, types = world.threats, result.interceptors, world.missiles
    fired = Counter(types.name[k] for k in missiles.missile_type)
    cost = float(sum(types.unit_cost_usd[k] for k in missiles.missile_type))
    by_type: dict[str, dict[str, int]] = {}
    for i, name in enumerate(th.type_name):
        row = by_type.setdefault(name, {"threats": 0, "killed": 0, "leaked": 0})
        row["threats"] += 1
        row["killed"] += int(result.killed[i])
        row["leaked"] += int(result.leaked[i])
    spend: dict[str, float] = {}
    for kind, target in zip(missiles.missile_type, missiles.target, strict=True):
        label = th.type_name[target] if target >= 0 else "false_track"
        spend[label] = spend.get(label, 0.0) + float(types.unit_cost_usd[kind])
    value_killed = float(np.sum(th.unit_cost_usd[result.killed]))
    parts = track_quality(result)
    first_track = first_track_s(parts, len(th))
    tracking = tracking_summary(result, parts, first_track)
    causes = leak_causes(result, tracked=np.isfinite(first_track))
    return {
        "scenario": world.scenario.name,
        "scenario_file": scenario_path,
        "seed": world.scenario.seed,
        "threats": len(th),
        "killed": int(result.killed.sum()),
        "leaked": int(result.leaked.sum()),
        "survived_not_arrived": int((~result.killed & ~result.leaked).sum()),
        "interceptors_fired": {name: int(fired.get(name, 0)) for name in types.name},
        "interceptor_cost_usd": cost,
        "threat_value_killed_usd": value_killed,
        # Interceptor spend per dollar of threat destroyed (null when nothing was killed).
        "cost_exchange": cost / value_killed if value_killed > 0 else None,
        "spend_by_threat_type_usd": spend,
        "by_threat_type": by_type,
        **asset_losses(result),
        **class_leaks(result),
        "duration_s": float(world.times[-1]),
        # The first link of the sensor-to-shooter chain that failed, per leaked threat.
        "leak_causes": {c: causes.count(c) for c in CAUSES},
        "leak_cause_by_threat": {th.ids[i]: c for i, c in enumerate(causes) if c},
        "tracking": tracking,
        "events": len(result.events),
        "iadsim_version": __version__,
    }


def track_quality(result: RunResult) -> list[dict]:
    """:func:`iadsim.tracking.quality.summarize_tracks` of each track picture."""
    world = result.world
    th = world.threats
    return [
        summarize_tracks(
            log, len(th), truth_positions=th.pos, truth_times=world.times, truth_start_s=th.launch_s
        )
        for log in result.track_logs
    ]


def first_track_s(parts: list[dict], n_threats: int) -> np.ndarray:
    """(n,) time from launch to each threat's first confirmed track on any picture; NaN
    where no picture ever confirmed one (all NaN without pictures)."""
    if not parts:
        return np.full(n_threats, np.nan)
    return np.fmin.reduce([p["time_to_confirm_s"] for p in parts])


def tracking_summary(result: RunResult, parts: list[dict], first: np.ndarray) -> dict:
    """Track quality over all pictures (docs/models.md) from ``track_quality`` and
    ``first_track_s``: per threat, the time to its first confirmed track; over the run,
    track breaks, ID swaps and the mean position error of confirmed tracks."""
    th = result.world.threats
    if not parts:
        return {}
    errors = [p["mean_position_error_m_all"] for p in parts]
    errors = [e for e in errors if np.isfinite(e)]
    tracked = np.isfinite(first)
    return {
        "threats_tracked": int(tracked.sum()),
        "mean_time_to_first_track_s": float(np.mean(first[tracked])) if tracked.any() else None,
        "time_to_first_track_s": {
            th.ids[i]: (float(first[i]) if tracked[i] else None) for i in range(len(th))
        },
        "track_breaks": int(sum(p["total_track_breaks"] for p in parts)),
        "id_swaps": int(sum(p["total_id_swaps"] for p in parts)),
        "mean_position_error_m": float(np.mean(errors)) if errors else None,
    }


def aim_points_xy(result: RunResult) -> np.ndarray:
    """(n, 2) map position of each threat at its arrival time (its aim point)."""
    world = result.world
    th = world.threats
    k = np.clip(np.searchsorted(world.times, th.arrival_s - 1e-9), 0, th.pos.shape[1] - 1)
    return th.pos[np.arange(len(th)), k, :2]


def asset_losses(result: RunResult) -> dict:
    """Defended assets lost: an asset is lost when a weapon (not an aircraft, which leaks to
    a release point) reaches an aim point inside the asset's radius. Its ``value`` is the
    scenario's; the value lost is what a study averages into the expected value lost."""
    world = result.world
    th = world.threats
    hits = result.leaked & th.is_weapon
    aims = aim_points_xy(result)[hits]
    d = np.hypot(*(aims[:, None, :] - world.assets_xy[None, :, :]).transpose(2, 0, 1))
    lost = (
        (d <= world.asset_radius_m[None, :]).any(axis=0)
        if len(aims)
        else np.zeros(len(world.asset_names), bool)
    )
    return {
        "assets_lost": [name for name, x in zip(world.asset_names, lost, strict=True) if x],
        "asset_value_lost": float(world.asset_value[lost].sum()),
        "asset_value_total": float(world.asset_value.sum()),
    }


def class_leaks(result: RunResult) -> dict:
    """Threats, kills and leakers by threat class (aircraft, drone, cruise and ballistic
    missile), and whether none of a class leaked: the class view separates alternatives
    that total leak counts (P(any leak) = 1 in every city example) do not."""
    th = result.world.threats
    cls = np.asarray(th.threat_class)
    by_class = {}
    for c in THREAT_CLASSES:
        mine = cls == c
        if mine.any():
            by_class[c] = {
                "threats": int(mine.sum()),
                "killed": int((result.killed & mine).sum()),
                "leaked": int((result.leaked & mine).sum()),
            }
    return {
        "by_threat_class": by_class,
        "no_leak_by_class": {c: row["leaked"] == 0 for c, row in by_class.items()},
    }
