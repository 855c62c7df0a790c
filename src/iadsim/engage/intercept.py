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

FIXED_POINT_ITERATIONS = 12
CONVERGED_S = 0.5


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


def flown_intercept_time(rel_pos, target_vel, envelope, first_guess_s=None) -> np.ndarray:
    """Time (s) at which a constant-velocity target meets the missile flown by the flyout
    model; NaN where it does not (outside the flown grid, or no convergence).

    The intercept time solves t = T_fly(p(t)), p(t) = d + v t, with T_fly the flown time of
    flight to the point (:meth:`iadsim.engage.envelope.Envelope.time_of_flight_s`), by
    fixed-point iteration from the collision-triangle guess; a contraction whenever the
    target is slower than the missile's mean speed along the way. ``rel_pos``,
    ``target_vel``: (n, 3), the target relative to the launcher (altitude in rel_pos[:, 2]
    taken as the target's altitude).
    """
    d = np.asarray(rel_pos, float)
    v = np.asarray(target_vel, float)
    t = np.zeros(len(d)) if first_guess_s is None else np.nan_to_num(first_guess_s)
    prev = np.full(len(d), np.inf)
    lost = np.zeros(len(d), bool)
    for _ in range(FIXED_POINT_ITERATIONS):
        p = d + v * np.where(lost, 0.0, t)[:, None]
        prev, t = t, envelope.time_of_flight_s(np.hypot(p[:, 0], p[:, 1]), p[:, 2])
        lost |= ~np.isfinite(t)
    with np.errstate(invalid="ignore"):
        ok = ~lost & (np.abs(t - prev) <= CONVERGED_S)
    return np.where(ok, t, np.nan)
