"""Predicted intercept point and the first-order engagement envelope.

The missile is modelled as boosting uniformly to its burnout speed v_m in t_b seconds and
then flying at v_m, so the distance it covers in time t >= t_b is v_m (t - t_b / 2).
Against a constant-velocity target (position d relative to the launcher, velocity v) the
intercept time solves |d + v t| = v_m t - c with c = v_m t_b / 2, i.e.

    (v.v - v_m^2) t^2 + 2 (d.v + v_m c) t + (d.d - c^2) = 0,

the classic collision-course construction (Zarchan, *Tactical and Strategic Missile
Guidance*, 6th ed., ch. 2, "collision triangle"), taking the smallest root t >= t_b.
"""

from __future__ import annotations

import numpy as np

SEARCH_HORIZON_S = 400.0  # the longest flight (flyout.MAX_FLIGHT_S)
SEARCH_STEP_S = 1.0


def intercept_time(rel_pos, target_vel, missile_speed, boost_time) -> np.ndarray:
    """Time to intercept (s) for each pair; NaN where no intercept exists.

    rel_pos, target_vel: (..., 3) target minus launcher; missile_speed, boost_time: (...).
    """
    d = np.asarray(rel_pos, float)
    v = np.asarray(target_vel, float)
    vm = np.asarray(missile_speed, float)
    c = vm * np.asarray(boost_time, float) / 2.0
    a = np.sum(v * v, axis=-1) - vm**2
    b = 2.0 * (np.sum(d * v, axis=-1) + vm * c)
    cc = np.sum(d * d, axis=-1) - c**2
    with np.errstate(invalid="ignore", divide="ignore"):
        disc = b**2 - 4.0 * a * cc
        sq = np.sqrt(np.where(disc >= 0.0, disc, np.nan))
        roots = np.stack([(-b - sq) / (2.0 * a), (-b + sq) / (2.0 * a)], axis=-1)
        linear = -cc / b  # a == 0: target as fast as the missile
        roots = np.where(np.abs(a)[..., None] < 1e-9, linear[..., None], roots)
    tb = np.asarray(boost_time, float)[..., None]
    valid = np.isfinite(roots) & (roots >= tb)
    best = np.where(valid, roots, np.inf).min(axis=-1)
    return np.where(np.isfinite(best), best, np.nan)


def in_envelope(
    launcher_xyz, intercept_xyz, min_range_m, max_range_m, min_alt_m, max_alt_m
) -> np.ndarray:
    """True where the intercept point lies inside the missile's range/altitude limits."""
    p = np.asarray(intercept_xyz, float)
    rng = np.linalg.norm(p - np.asarray(launcher_xyz, float), axis=-1)
    alt = p[..., 2]
    return (rng >= min_range_m) & (rng <= max_range_m) & (alt >= min_alt_m) & (alt <= max_alt_m)


def flown_intercept_time(rel_pos, target_vel, envelope, horizon_s: float = SEARCH_HORIZON_S,
                         step_s: float = SEARCH_STEP_S) -> np.ndarray:  # fmt: skip
    """Earliest time (s) at which a constant-velocity target meets the missile flown by the
    flyout model; NaN where it does not within ``horizon_s``.

    The intercept time is the first root of g(t) = T_fly(p(t)) - t, p(t) = d + v t, with
    T_fly the flown time of flight to the point
    (:meth:`iadsim.engage.envelope.Envelope.time_of_flight_s`; infinite where the missile
    does not arrive): g is scanned every ``step_s`` for its first sign change from a finite
    positive value and the crossing interpolated linearly. The collision
    course of Zarchan ch. 2 with the flown missile in place of a constant-speed one; it
    works for targets faster than the missile (diving ballistic missiles), where a fixed-
    point iteration would diverge. ``rel_pos``, ``target_vel``: (n, 3), the target relative
    to the launcher (rel_pos[:, 2] taken as the target's altitude).
    """
    d = np.asarray(rel_pos, float)
    v = np.asarray(target_vel, float)
    times = np.arange(0.0, horizon_s + step_s / 2, step_s)
    p = d[:, None, :] + v[:, None, :] * times[None, :, None]
    g = envelope.time_of_flight_s(np.hypot(p[..., 0], p[..., 1]), p[..., 2]) - times[None, :]
    # A root is a sign change from a finite g > 0: the missile just catches the point. A
    # jump from "not reachable" (a hole, g = inf) to g < 0 is no root: the missile would
    # arrive early and have to wait.
    crossing = np.zeros(g.shape, bool)
    crossing[:, 1:] = (g[:, 1:] <= 0.0) & np.isfinite(g[:, :-1]) & (g[:, :-1] > 0.0)
    found = crossing.any(axis=1)
    i = np.maximum(np.argmax(crossing, axis=1), 1)
    rows = np.arange(len(d))
    g0, g1 = g[rows, i - 1], g[rows, i]
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.clip(np.where(found, g0 / (g0 - g1), 0.0), 0.0, 1.0)
    return np.where(found, times[i - 1] + frac * step_s, np.nan)
