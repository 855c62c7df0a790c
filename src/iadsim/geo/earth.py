"""Radar geometry over a smooth effective earth (straight rays over a k * Re sphere).

Refraction in a standard atmosphere is modelled by the effective earth radius
a_e = k * Re with k = 4/3 (Skolnik, *Introduction to Radar Systems*, 3rd ed., sec. 8.4;
Doerry, SAND2013-6543, 2013). Rays are straight over that sphere, so range, elevation and
line of sight follow from the triangle earth-centre / radar / target.

Positions are map coordinates (x east, y north, m) plus altitude (m); the ground distance
between two points is taken as their map distance (exact from the map origin, a small
error elsewhere for areas a few hundred km across).
"""

from __future__ import annotations

import numpy as np

EARTH_RADIUS_M = 6_371_000.0


def effective_radius_m(k_factor: float) -> float:
    """Effective earth radius a_e = k Re (Skolnik 3rd ed. eq. 8.12)."""
    return k_factor * EARTH_RADIUS_M


def radar_geometry(radar_xyz, target_xyz, k_factor: float = 4.0 / 3.0) -> dict[str, np.ndarray]:
    """Slant range, azimuth, elevation and line of sight from radar(s) to target(s).

    radar_xyz, target_xyz: (..., 3) arrays [x_east_m, y_north_m, alt_m], broadcast together.
    Returns arrays of the broadcast shape: ``range_m``, ``azimuth_rad`` (clockwise from
    north), ``elevation_rad`` (above the radar's local horizontal), ``ground_m`` and
    ``visible`` (True where the straight ray clears the effective earth).
    """
    radar_xyz = np.asarray(radar_xyz, float)
    target_xyz = np.asarray(target_xyz, float)
    a_e = effective_radius_m(k_factor)
    dx = target_xyz[..., 0] - radar_xyz[..., 0]
    dy = target_xyz[..., 1] - radar_xyz[..., 1]
    ground = np.hypot(dx, dy)
    theta = ground / a_e
    r1 = a_e + radar_xyz[..., 2]
    r2 = a_e + target_xyz[..., 2]
    slant = np.sqrt(np.maximum(r1**2 + r2**2 - 2.0 * r1 * r2 * np.cos(theta), 0.0))
    safe = np.where(slant > 0.0, slant, 1.0)
    # Law of cosines at the radar vertex gives the angle above the local horizontal.
    sin_el = (r2**2 - r1**2 - slant**2) / (2.0 * r1 * safe)
    elevation = np.where(slant > 0.0, np.arcsin(np.clip(sin_el, -1.0, 1.0)), 0.0)
    # The ray clears the earth unless its closest approach to the centre lies between the
    # end points and inside the sphere.
    closest = r1 * r2 * np.sin(theta) / safe
    t_star = (r1**2 - r1 * r2 * np.cos(theta)) / safe**2
    inside_segment = (t_star > 0.0) & (t_star < 1.0)
    visible = ~inside_segment | (closest >= a_e)
    return {
        "range_m": slant,
        "azimuth_rad": np.mod(np.arctan2(dx, dy), 2.0 * np.pi),
        "elevation_rad": elevation,
        "ground_m": ground,
        "visible": visible,
    }


def polar_to_map(radar_xyz, range_m, azimuth_rad, elevation_rad, k_factor: float = 4.0 / 3.0):
    """Inverse of :func:`radar_geometry`: (range, azimuth, elevation) -> map (x, y, alt).

    radar_xyz: (..., 3); the polar arrays broadcast against radar_xyz[..., 0].
    Returns an array (..., 3).
    """
    radar_xyz = np.asarray(radar_xyz, float)
    a_e = effective_radius_m(k_factor)
    r1 = a_e + radar_xyz[..., 2]
    rng = np.asarray(range_m, float)
    el = np.asarray(elevation_rad, float)
    r2 = np.sqrt(r1**2 + rng**2 + 2.0 * r1 * rng * np.sin(el))
    theta = np.arctan2(rng * np.cos(el), r1 + rng * np.sin(el))
    ground = a_e * theta
    az = np.asarray(azimuth_rad, float)
    x = radar_xyz[..., 0] + ground * np.sin(az)
    y = radar_xyz[..., 1] + ground * np.cos(az)
    return np.stack(np.broadcast_arrays(x, y, r2 - a_e), axis=-1)


def debiased_polar_to_map(
    radar_xyz, range_m, azimuth_rad, elevation_rad, sigma_az_rad, sigma_el_rad,
    k_factor: float = 4.0 / 3.0,
):  # fmt: skip
    """:func:`polar_to_map` of noisy angles without the conversion bias.

    With Gaussian angle errors e ~ N(0, s^2), E[cos(a + e)] = lambda cos(a) and
    E[sin(a + e)] = lambda sin(a), lambda = exp(-s^2 / 2), so the plain conversion pulls a
    measurement towards the radar (by about R s^2 / 2 along the line of sight). Dividing the
    measured local components R cos(el) sin(az), R cos(el) cos(az) by lambda_el lambda_az
    and R sin(el) by lambda_el makes them unbiased (the multiplicative "unbiased converted
    measurement" of Mo Longbin, Song, Zhou, Sun & Bar-Shalom, IEEE Trans. AES 34(3), 1998,
    with Duan, Han & Li's 3-D form, IEEE Trans. AES 40(4), 2004); the horizontal and vertical
    distances are then carried over the effective earth as in :func:`polar_to_map`, which is
    linear over the noise's extent.
    """
    radar_xyz = np.asarray(radar_xyz, float)
    a_e = effective_radius_m(k_factor)
    r1 = a_e + radar_xyz[..., 2]
    rng = np.asarray(range_m, float)
    el = np.asarray(elevation_rad, float)
    az = np.asarray(azimuth_rad, float)
    lam_az = np.exp(-0.5 * np.asarray(sigma_az_rad, float) ** 2)
    lam_el = np.exp(-0.5 * np.asarray(sigma_el_rad, float) ** 2)
    horizontal = rng * np.cos(el) / lam_el
    vertical = rng * np.sin(el) / lam_el
    ground = a_e * np.arctan2(horizontal, r1 + vertical)
    x = radar_xyz[..., 0] + ground * np.sin(az) / lam_az
    y = radar_xyz[..., 1] + ground * np.cos(az) / lam_az
    alt = np.sqrt((r1 + vertical) ** 2 + horizontal**2) - a_e
    return np.stack(np.broadcast_arrays(x, y, alt), axis=-1)


def polar_to_map_jacobian(radar_alt_m, range_m, azimuth_rad, elevation_rad, k_factor=4.0 / 3.0):
    """Jacobian d(x, y, alt) / d(range, azimuth, elevation) of :func:`polar_to_map`.

    Exact for the effective-earth geometry: with r2^2 = r1^2 + R^2 + 2 r1 R sin(el) and
    ground = a_e atan2(R cos(el), r1 + R sin(el)), the earth-curvature terms (R^2 / r1 in
    d ground / d el) matter at long range, where a flat spherical-to-Cartesian Jacobian
    would understate the range-direction spread. Shapes (m,) -> (m, 3, 3).
    """
    a_e = effective_radius_m(k_factor)
    r1 = a_e + np.asarray(radar_alt_m, float)
    rng = np.asarray(range_m, float)
    se, ce = np.sin(elevation_rad), np.cos(elevation_rad)
    sa, ca = np.sin(azimuth_rad), np.cos(azimuth_rad)
    r2_sq = r1**2 + rng**2 + 2.0 * r1 * rng * se
    r2 = np.sqrt(r2_sq)
    ground = a_e * np.arctan2(rng * ce, r1 + rng * se)
    dtheta_dr = r1 * ce / r2_sq
    dtheta_del = -rng * (r1 * se + rng) / r2_sq
    jac = np.empty((*np.shape(rng), 3, 3))
    jac[..., 0, 0] = a_e * dtheta_dr * sa
    jac[..., 0, 1] = ground * ca
    jac[..., 0, 2] = a_e * dtheta_del * sa
    jac[..., 1, 0] = a_e * dtheta_dr * ca
    jac[..., 1, 1] = -ground * sa
    jac[..., 1, 2] = a_e * dtheta_del * ca
    jac[..., 2, 0] = (rng + r1 * se) / r2
    jac[..., 2, 1] = 0.0
    jac[..., 2, 2] = r1 * rng * ce / r2
    return jac
