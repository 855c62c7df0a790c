"""Smooth-earth radar horizon with an effective earth radius.

Standard atmospheric refraction bends rays towards the ground; it is modelled by
replacing the earth radius ``Re`` with ``k Re`` (``k = 4/3`` for the standard
atmosphere) and drawing rays as straight lines (Skolnik, *Introduction to Radar
Systems*, 3rd ed., McGraw-Hill, 2001, Ch. 8, propagation over the 4/3 earth;
Toomay & Hannen, *Radar Principles for the Non-Specialist*, 3rd ed., SciTech,
2004, Sec. 8.1 "Radar line of sight").
"""

from __future__ import annotations

import numpy as np

from iadsim import checks

__all__ = ["EARTH_RADIUS_M", "STANDARD_K_FACTOR", "horizon_range_m"]

EARTH_RADIUS_M = 6_371_000.0
"""Mean earth radius [m] used for the effective-earth model."""

STANDARD_K_FACTOR = 4.0 / 3.0
"""Effective earth radius factor of the standard atmosphere."""


def horizon_range_m(radar_height_m, target_height_m, k_factor=STANDARD_K_FACTOR):
    """Longest line-of-sight range [m] between a radar and a target over a smooth earth.

    Each end sees the horizon along a tangent to the effective earth of radius
    ``a = k Re``; a point at height ``h`` is ``sqrt(2 a h + h^2)`` from its tangent
    point, so the radar horizon range is

        R = sqrt(2 a h_r + h_r^2) + sqrt(2 a h_t + h_t^2)

    (Skolnik, Introduction to Radar Systems, 3rd ed., Ch. 8; Toomay & Hannen,
    Sec. 8.1; here with the exact tangent length instead of the ``h << a``
    approximation ``sqrt(2 a h)``).

    Parameters
    ----------
    radar_height_m : antenna height above the surface [m], >= 0.
    target_height_m : target height above the surface [m], >= 0.
    k_factor : effective earth radius factor, > 0 (4/3 for standard refraction).

    Returns
    -------
    Range [m] (NumPy array, or NumPy scalar for scalar inputs).
    """
    radar_height_m = checks.non_negative("radar_height_m", radar_height_m, "m")
    target_height_m = checks.non_negative("target_height_m", target_height_m, "m")
    k_factor = checks.positive("k_factor", k_factor)

    effective_radius_m = k_factor * EARTH_RADIUS_M
    range_m = _tangent_length(effective_radius_m, radar_height_m) + _tangent_length(
        effective_radius_m, target_height_m
    )
    return range_m[()] if range_m.ndim == 0 else range_m


def _tangent_length(radius_m, height_m):
    """Distance from a point at ``height_m`` to its tangent point on a sphere."""
    return np.sqrt(2.0 * radius_m * height_m + height_m**2)
