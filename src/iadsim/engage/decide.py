"""Fire-unit engagement decisions on the track picture: weapon-target assignment.

Threat evaluation (:mod:`iadsim.engage.threat_eval`) gives each track a value and a
time-to-go; :func:`plan_engagements` assigns ready fire units to tracks by maximising the
expected value destroyed (:mod:`iadsim.engage.assign`), subject to target and missile
channels, ready rounds, launch intervals and each missile's engagement envelope. Among
feasible missile types a unit fires its cheapest (conserving long-range rounds).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iadsim.engage.assign import assign
from iadsim.engage.envelope import CROSSING_SPEED_RATIO
from iadsim.engage.flyout import MIN_USEFUL_SPEED_MPS
from iadsim.engage.intercept import in_envelope, intercept_time


@dataclass
class UnitState:
    """What the fire unit knows about its own shots (mutable, one instance per unit)."""

    next_launch_s: float = 0.0
    missiles_in_flight: int = 0


def feasible_types(
    launcher_xyz: np.ndarray,
    track_xyz: np.ndarray,
    track_vel: np.ndarray,
    types,
    delay_s: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Which missile types can intercept which tracks, and when.

    The predicted intercept point must lie inside the missile's kinematic envelope flown
    with the flyout model (:mod:`iadsim.engage.envelope`; head-on when the track closes on
    the launcher, crossing otherwise), beyond its minimum range and altitude, within its
    published maximum range (the maker's guidance/fire-control limit) and the target no
    faster than its published limit. Returns (ok (n, k) bool, t_intercept (n, k) s).
    """
    rel = track_xyz - launcher_xyz + track_vel * delay_s
    t_int = intercept_time(
        rel[:, None, :], track_vel[:, None, :], types.burnout_speed[None], types.boost_s[None]
    )
    point = track_xyz[:, None, :] + track_vel[:, None, :] * (
        delay_s + np.nan_to_num(t_int)[..., None]
    )
    ok = np.isfinite(t_int) & in_envelope(
        launcher_xyz, point, types.min_range_m, types.max_range_m, types.min_alt_m, np.inf
    )
    speed = np.linalg.norm(track_vel, axis=-1)
    ok &= speed[:, None] <= types.max_target_speed[None, :]
    closing = np.sum((launcher_xyz - track_xyz) * track_vel, axis=-1) > 0.0
    need = np.where(closing, MIN_USEFUL_SPEED_MPS, CROSSING_SPEED_RATIO * speed)
    ground = np.linalg.norm(point[..., :2] - launcher_xyz[:2], axis=-1)
    for k, envelope in enumerate(types.envelopes):
        ok[:, k] &= envelope.contains(ground[:, k], point[:, k, 2], need)
    return ok, t_int


@dataclass
class Launch:
    """One engagement decided this tick: ``salvo`` missiles of ``missile_type``."""

    unit: int
    track_row: int
    missile_type: int
    salvo: int


def plan_engagements(
    time_s: float,
    units: list[int],
    launcher_xyz: np.ndarray,
    magazine: np.ndarray,
    state: list[UnitState],
    engaged_tracks: np.ndarray,
    target_channels: np.ndarray,
    missile_channels: np.ndarray,
    doctrines: list,
    launch_interval_s: np.ndarray,
    reaction_s: np.ndarray,
    confirmed_s: np.ndarray,
    track_xyz: np.ndarray,
    track_vel: np.ndarray,
    track_free: np.ndarray,
    threat,
    types,
    method: str,
) -> list[Launch]:
    """Weapon-target assignment for the fire units fighting from one track picture.

    Weapons are the units ready to fire now (launch interval elapsed, a free target
    channel, enough free missile channels and rounds for the salvo); targets are the
    tracks free to engage. A unit's kill probability against a track is that of its
    cheapest missile type whose envelope holds the predicted intercept point, raised to
    the salvo, 1 - (1 - Pk)^salvo. :func:`iadsim.engage.assign.assign` then maximises the
    expected threat value destroyed, one engagement per unit and per track; a small
    urgency bonus (10% for a track about to arrive) breaks near-ties in favour of the
    earliest time-to-go. ``magazine`` and ``state`` are updated for the launches made.
    """
    ready = [
        u
        for u in units
        if time_s + 1e-9 >= state[u].next_launch_s
        and engaged_tracks[u] < target_channels[u]
        and magazine[u].any()
    ]
    rows = np.flatnonzero(track_free & (threat.value > 0.0))
    if not ready or len(rows) == 0:
        return []
    n_units, n_tracks = len(ready), len(rows)
    pk = np.zeros((n_units, n_tracks))
    kind = np.full((n_units, n_tracks), -1)
    salvo = np.ones((n_units, n_tracks), int)
    for a, u in enumerate(ready):
        doctrine = doctrines[u]
        ok, _ = feasible_types(launcher_xyz[u], track_xyz[rows], track_vel[rows], types)
        size = np.array([doctrine.salvo(c) for c in threat.threat_class[rows]])
        ok &= magazine[u][None, :] >= size[:, None]
        ok &= (state[u].missiles_in_flight + size <= missile_channels[u])[:, None]
        ok &= (threat.value[rows] >= doctrine.hold_fire_below_value)[:, None]
        ok &= (time_s - confirmed_s[rows] >= reaction_s[u])[:, None]
        cost = np.where(ok, types.unit_cost_usd[None, :], np.inf)
        best = np.argmin(cost, axis=1)
        has = ok.any(axis=1)
        kind[a] = np.where(has, best, -1)
        salvo[a] = size
        pk[a] = np.where(has, 1.0 - (1.0 - types.pk[best]) ** size, 0.0)
    if not pk.any():
        return []
    urgency = 1.0 + 0.1 / (1.0 + np.nan_to_num(threat.time_to_go_s[rows], posinf=1e9) / 100.0)
    solution = assign(pk, threat.value[rows] * urgency, np.ones(n_units, int), method=method)
    launches = []
    for a, j in solution.pairs:
        u, k, size = ready[a], int(kind[a, j]), int(salvo[a, j])
        if k < 0:
            continue
        launches.append(Launch(u, int(rows[j]), k, size))
        magazine[u][k] -= size
        state[u].missiles_in_flight += size
        state[u].next_launch_s = time_s + launch_interval_s[u] * size
    return launches
