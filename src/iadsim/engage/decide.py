"""Fire-unit engagement decisions on the track picture: weapon-target assignment.

Threat evaluation (:mod:`iadsim.engage.threat_eval`) gives each track a value and a
time-to-go; :func:`plan_engagements` assigns ready fire units to tracks by maximising the
expected value destroyed (:mod:`iadsim.engage.assign`), subject to target and missile
channels, ready rounds, launch intervals and each missile's engagement envelope. Among
feasible missile types a unit fires its cheapest (conserving long-range rounds).

It works on many track pictures at once (``group``: every replication of a batch and every
picture in it): feasibility is computed for all (ready unit, track of its picture) pairs
in one pass, a picture with one ready unit takes its best track directly (the assignment
problem of one weapon), and only pictures with several ready units call the solver.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np

from iadsim._arrays import equal_key_pairs
from iadsim.components import builtin_rule
from iadsim.engage.envelope import CROSSING_SPEED_RATIO
from iadsim.engage.flyout_kernel import MIN_USEFUL_SPEED_MPS
from iadsim.engage.intercept import flown_intercept_time, in_envelope

# Launch only where the flown missile arrives with this multiple of the least useful speed:
# the engagement is flown on the moving, tracked target rather than on the grid's fixed
# point, and the margin keeps a round launched in range from running out of energy.
LAUNCH_SPEED_MARGIN = 2.0


def feasible_types(
    launcher_xyz: np.ndarray,
    track_xyz: np.ndarray,
    track_vel: np.ndarray,
    types,
    delay_s: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Which missile types can intercept which tracks, and when.

    The predicted intercept point is where the track, kept on its course, meets the missile
    flown by the flyout model (:func:`iadsim.engage.intercept.flown_intercept_time`, on the
    same flown envelope grid); it must lie inside the missile's flown kinematic envelope
    (:mod:`iadsim.engage.envelope`; head-on when the track closes on the launcher,
    crossing otherwise), beyond its minimum range and altitude, and the target no faster
    than its published limit. No published maximum range caps it: the envelope is what
    the model flies. ``launcher_xyz`` is (3,) or one launcher per track (n, 3). Returns
    (ok (n, k) bool, t_intercept (n, k) s).
    """
    launcher_xyz = np.broadcast_to(np.asarray(launcher_xyz, float), np.shape(track_xyz))
    rel = track_xyz - launcher_xyz + track_vel * delay_s
    n, k_types = len(rel), len(types.name)
    t_int = np.full((n, k_types), np.nan)
    for k, envelope in enumerate(types.envelopes):
        t_int[:, k] = flown_intercept_time(rel, track_vel, envelope)
    point = track_xyz[:, None, :] + track_vel[:, None, :] * (
        delay_s + np.nan_to_num(t_int)[..., None]
    )
    ok = np.isfinite(t_int) & in_envelope(
        launcher_xyz[:, None, :], point, types.min_range_m, np.inf, types.min_alt_m, np.inf,
    )  # fmt: skip
    speed = np.linalg.norm(track_vel, axis=-1)
    ok &= speed[:, None] <= types.max_target_speed[None, :]
    closing = np.sum((launcher_xyz - track_xyz) * track_vel, axis=-1) > 0.0
    need = np.maximum(LAUNCH_SPEED_MARGIN * MIN_USEFUL_SPEED_MPS,
                      np.where(closing, 0.0, CROSSING_SPEED_RATIO * speed))  # fmt: skip
    ground = np.linalg.norm(point[..., :2] - launcher_xyz[:, None, :2], axis=-1)
    for k, envelope in enumerate(types.envelopes):
        ok[:, k] &= envelope.contains(ground[:, k], point[:, k, 2], need)
    return ok, t_int


@dataclass
class Units:
    """Fire units of every picture in the batch (axis 0 = unit; mutable state updated in
    place by :func:`plan_engagements`)."""

    group: np.ndarray  # picture the unit fights from
    kind: np.ndarray  # index into the per-scenario-unit tables below
    xyz: np.ndarray  # (u, 3)
    magazine: np.ndarray  # (u, n_types) ready rounds
    next_launch_s: np.ndarray
    in_flight: np.ndarray  # missiles in the air
    target_channels: np.ndarray  # per kind
    missile_channels: np.ndarray  # per kind
    launch_interval_s: np.ndarray  # per kind
    reaction_s: np.ndarray  # per kind
    hold_fire_below: np.ndarray  # per kind
    salvo: np.ndarray  # (kinds, n_classes) missiles per engagement
    classes: tuple[str, ...]  # threat class names indexing ``salvo``


@dataclass
class Launches:
    """Engagements decided this tick (axis 0 = engagement): ``salvo`` missiles of
    ``missile_type`` from ``unit`` at track ``track_row``, intercepting it after
    ``intercept_s`` (the predicted collision course, NaN if none)."""

    unit: np.ndarray
    track_row: np.ndarray
    missile_type: np.ndarray
    salvo: np.ndarray
    intercept_s: np.ndarray

    def __len__(self) -> int:
        return len(self.unit)


def plan_engagements(
    time_s: float,
    units: Units,
    engaged_tracks: np.ndarray,
    track_group: np.ndarray,
    track_xyz: np.ndarray,
    track_vel: np.ndarray,
    confirmed_s: np.ndarray,
    threat,
    types,
    rule,
    can_guide=None,
) -> Launches:
    """Weapon-target assignment in every picture: units fight the tracks of their group.

    Weapons are the units ready to fire now (launch interval elapsed, a free target
    channel, enough free missile channels and rounds for the salvo); targets are the
    tracks given (the caller passes those free to engage) with a positive threat value.
    A unit's kill probability against a track is that of its
    cheapest missile type whose envelope holds the predicted intercept point, raised to
    the salvo, 1 - (1 - Pk)^salvo. The assignment ``rule`` (``rule(pk, value, capacity)
    -> shots``, :mod:`iadsim.components`; a built-in name such as "optimal" also works:
    :func:`iadsim.engage.assign.assign`) then maximises the
    expected threat value destroyed, one engagement per unit and per track; a small
    urgency bonus (10% for a track about to arrive) breaks near-ties in favour of the
    earliest time-to-go. ``units`` (rounds, missiles in flight, next launch time) is
    updated for the launches made. ``threat`` is the assessment of every track.
    ``confirmed_s`` is when each track became engageable (the reaction time counts from
    it); ``can_guide(units, tracks) -> bool`` (default: always) says whether a unit's
    fire-control radar can guide on a track now.
    """
    kind = units.kind
    ready = np.flatnonzero(
        (time_s + 1e-9 >= units.next_launch_s)
        & (engaged_tracks < units.target_channels[kind])
        & units.magazine.any(axis=1)
    )
    rows = np.flatnonzero(threat.value > 0.0)
    if len(ready) == 0 or len(rows) == 0:
        return _no_launches()
    i, j = equal_key_pairs(track_group[rows], units.group[ready])  # same-picture pairs
    pu, pt = ready[j], rows[i]
    if can_guide is not None and len(pu):
        guided = can_guide(pu, pt)
        pu, pt = pu[guided], pt[guided]
    if len(pu) == 0:
        return _no_launches()
    k = kind[pu]
    ok, t_int = feasible_types(units.xyz[pu], track_xyz[pt], track_vel[pt], types)
    names, which = np.unique(threat.threat_class[pt], return_inverse=True)
    column = np.array([units.classes.index(c) for c in names], int)[which]
    size = units.salvo[k, column]
    ok &= units.magazine[pu] >= size[:, None]
    ok &= (units.in_flight[pu] + size <= units.missile_channels[k])[:, None]
    ok &= (threat.value[pt] >= units.hold_fire_below[k])[:, None]
    ok &= (time_s - confirmed_s[pt] >= units.reaction_s[k])[:, None]
    has = ok.any(axis=1)
    if not has.any():
        return _no_launches()
    pu, pt, size, ok, t_int = pu[has], pt[has], size[has], ok[has], t_int[has]
    best = np.argmin(np.where(ok, types.unit_cost_usd[None, :], np.inf), axis=1)
    pk = 1.0 - (1.0 - types.pk[best]) ** size
    worth = threat.value[pt] * urgency(threat.time_to_go_s[pt])
    if isinstance(rule, str):
        rule = partial(builtin_rule, method=rule)
    chosen = _solve_per_group(units.group[pu], pu, pt, pk, worth, rule)
    pu, pt, best, size = pu[chosen], pt[chosen], best[chosen], size[chosen]
    t_int = t_int[chosen, best]
    np.subtract.at(units.magazine, (pu, best), size)
    units.in_flight[pu] += size
    units.next_launch_s[pu] = time_s + units.launch_interval_s[kind[pu]] * size
    return Launches(pu, pt, best, size, t_int)


def urgency(time_to_go_s: np.ndarray) -> np.ndarray:
    """Urgency factor of tracks: up to 10% more worth for a track about to arrive, so near
    ties go to the earliest time-to-go."""
    return 1.0 + 0.1 / (1.0 + np.nan_to_num(time_to_go_s, posinf=1e9) / 100.0)


def _solve_per_group(group, pu, pt, pk, worth, rule) -> np.ndarray:
    """Indices of the chosen pairs: one track per unit and one unit per track, per group.

    A group with one ready unit takes its best pair; larger groups are solved with
    the assignment ``rule`` on their (unit x track) matrix.
    """
    score = pk * worth
    order = np.lexsort((-score, group))  # by group, best pair first
    g = group[order]
    first = np.ones(len(order), bool)
    first[1:] = g[1:] != g[:-1]
    starts = np.flatnonzero(first)
    counts = np.diff(np.append(starts, len(order)))
    rank = np.cumsum(first) - 1  # group rank of each sorted pair
    width = int(pu.max()) + 1
    units_in = np.bincount(np.unique(rank * width + pu[order]) // width, minlength=len(starts))
    chosen = [order[starts[units_in == 1]]]
    for s, c in zip(starts[units_in > 1], counts[units_in > 1], strict=True):
        part = order[s : s + c]
        ua, ui = np.unique(pu[part], return_inverse=True)
        ta, ti = np.unique(pt[part], return_inverse=True)
        pk_m = np.zeros((len(ua), len(ta)))
        pair = np.full((len(ua), len(ta)), -1)
        pk_m[ui, ti] = pk[part]
        pair[ui, ti] = part
        value = np.zeros(len(ta))
        value[ti] = worth[part]
        shots = np.asarray(rule(pk_m, value, np.ones(len(ua), int)))
        a_of, j_of = np.nonzero(shots > 0)  # one engagement per unit and track
        chosen.append(np.array([pair[a, j] for a, j in zip(a_of, j_of, strict=True)
                                if pair[a, j] >= 0], int))  # fmt: skip
    return np.concatenate(chosen)


def _no_launches() -> Launches:
    e = np.zeros(0, int)
    return Launches(e, e, e, e, np.zeros(0))
