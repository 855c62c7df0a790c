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
