"""Fire-unit engagement decisions on the track picture: earliest time-to-impact first.

Threat evaluation ranks confirmed tracks by the time they need to reach the nearest
defended asset at their current closing speed (the "time-to-go" ranking of classic
threat evaluation, Roux & van Vuuren, "Threat evaluation and weapon assignment decision
support: a review", ORiON 23(2), 2007, sec. 3). Each fire unit, in that order, engages a
track when it has a free target channel, free missile channels, a ready round of a type
whose envelope holds the predicted intercept point, and its launch interval has passed.
Among feasible missile types it fires the cheapest (conserving long-range rounds).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iadsim.engage.intercept import in_envelope, intercept_time


@dataclass
class UnitState:
    """What the fire unit knows about its own shots (mutable, one instance per unit)."""

    next_launch_s: float = 0.0
    missiles_in_flight: int = 0


def time_to_go_s(track_xyz: np.ndarray, track_vel: np.ndarray, assets_xy: np.ndarray) -> np.ndarray:
    """Time for each track to reach its nearest defended asset at its closing speed.

    Tracks not closing on any asset get +inf. Shapes (n, 3), (n, 3), (a, 2) -> (n,).
    """
    rel = assets_xy[None, :, :] - track_xyz[:, None, :2]
    dist = np.linalg.norm(rel, axis=-1)
    closing = np.sum(rel * track_vel[:, None, :2], axis=-1) / np.maximum(dist, 1e-9)
    ttg = np.where(closing > 1.0, dist / np.maximum(closing, 1e-9), np.inf)
    return ttg.min(axis=1) if ttg.shape[1] else np.full(len(track_xyz), np.inf)


def feasible_types(
    launcher_xyz: np.ndarray,
    track_xyz: np.ndarray,
    track_vel: np.ndarray,
    types,
    delay_s: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Which missile types can intercept which tracks, and when.

    Returns (ok (n, k) bool, t_intercept (n, k) seconds after launch).
    """
    rel = track_xyz - launcher_xyz + track_vel * delay_s
    t_int = intercept_time(
        rel[:, None, :], track_vel[:, None, :], types.burnout_speed[None], types.boost_s[None]
    )
    point = track_xyz[:, None, :] + track_vel[:, None, :] * (
        delay_s + np.nan_to_num(t_int)[..., None]
    )
    ok = np.isfinite(t_int) & in_envelope(
        launcher_xyz, point, types.min_range_m, types.max_range_m, types.min_alt_m, types.max_alt_m
    )
    speed = np.linalg.norm(track_vel, axis=-1)
    ok &= speed[:, None] <= types.max_target_speed[None, :]
    return ok, t_int


def choose_launches(
    time_s: float,
    launcher_xyz: np.ndarray,
    magazine: np.ndarray,
    target_channels: int,
    missile_channels: int,
    launch_interval_s: float,
    state: UnitState,
    engaged_tracks: int,
    track_xyz: np.ndarray,
    track_vel: np.ndarray,
    track_free: np.ndarray,
    assets_xy: np.ndarray,
    types,
    salvo_size: int,
) -> list[tuple[int, int]]:
    """Launches this unit makes now: a list of (track row, missile type) pairs."""
    if time_s + 1e-9 < state.next_launch_s or not track_free.any():
        return []
    ok, _ = feasible_types(launcher_xyz, track_xyz, track_vel, types)
    ok &= (magazine > 0)[None, :] & track_free[:, None]
    if not ok.any():
        return []
    order = np.argsort(time_to_go_s(track_xyz, track_vel, assets_xy), kind="stable")
    launches: list[tuple[int, int]] = []
    in_flight = state.missiles_in_flight
    for row in order:
        if engaged_tracks >= target_channels or in_flight + salvo_size > missile_channels:
            break
        choices = np.flatnonzero(ok[row] & (magazine >= salvo_size))
        if len(choices) == 0:
            continue
        kind = int(choices[np.argmin(types.unit_cost_usd[choices])])
        launches += [(int(row), kind)] * salvo_size
        magazine[kind] -= salvo_size
        in_flight += salvo_size
        engaged_tracks += 1
        break  # one engagement per launch interval
    if launches:
        state.next_launch_s = time_s + launch_interval_s * len(launches)
        state.missiles_in_flight = in_flight
    return launches
