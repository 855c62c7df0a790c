"""Terrain-following flight of a cruise missile over the scenario's DEM.

The missile flies its waypoints at constant ground speed V and holds a set clearance above
the ground within its climb and dive limits:

1. The clearance profile z_d(s) = terrain(s) + h_set along the ground track (arc length s).
2. Its smallest slope-limited upper envelope, z_e(s) = max_j [z_d(s_j) - tan(g_max) |s - s_j|]
   (a forward and a backward pass), so a hill steeper than the climb limit is climbed
   before it is reached and a cliff is left by a dive at the dive limit (the "safe
   reference" of terrain-following command generation: Funk, "Optimal-path precision
   terrain-following system", J. Aircraft 14(2), 1977; Menon, Kim & Cheng, "Optimal
   trajectory synthesis for terrain-following flight", J. Guid. Control Dyn. 14(4), 1991).
3. A vertical channel that tracks z_e with a lookahead and a bounded normal acceleration:
   the flight-path slope changes by at most (a_max / V^2) ds per step (vertical
   acceleration a_z = V^2 d^2z/ds^2 at constant V), and |dz/ds| <= tan(g_max).

Without a DEM the terrain is sea level (0 m above the ellipsoid).
"""

from __future__ import annotations

import numpy as np

G0 = 9.80665


def slope_limited_envelope(z_d: np.ndarray, ds: float, max_slope: float) -> np.ndarray:
    """Smallest function >= z_d whose slope magnitude never exceeds ``max_slope``."""
    z = np.array(z_d, float)
    drop = max_slope * ds
    for i in range(1, len(z)):
        z[i] = max(z[i], z[i - 1] - drop)
    for i in range(len(z) - 2, -1, -1):
        z[i] = max(z[i], z[i + 1] - drop)
    return z


def follow_profile(terrain_m, ds, speed_mps, height_m, max_climb_rad, max_accel_g,
                   lookahead_s=3.0):  # fmt: skip
    """Altitude (m) along a track sampled every ``ds`` m over ``terrain_m``.

    Returns (altitude, slope dz/ds) arrays of the profile's length.
    """
    terrain_m = np.asarray(terrain_m, float)
    max_slope = np.tan(max_climb_rad)
    env = slope_limited_envelope(terrain_m + height_m, ds, max_slope)
    dslope_max = max_accel_g * G0 / speed_mps**2 * ds
    n_look = max(1, int(round(lookahead_s * speed_mps / ds)))
    n = len(env)
    z = np.empty(n)
    slope = np.empty(n)
    z[0], slope[0] = env[0], 0.0
    for i in range(1, n):
        j = min(i + n_look, n - 1)
        ahead = max(j - i + 1, 1) * ds
        # Aim at the envelope ahead, climbing at once if it lies above the missile now.
        want = (max(env[j], env[i]) - z[i - 1]) / ahead
        want = max(want, (env[i] - z[i - 1]) / ds) if env[i] > z[i - 1] else want
        want = float(np.clip(want, -max_slope, max_slope))
        s = slope[i - 1] + float(np.clip(want - slope[i - 1], -dslope_max, dslope_max))
        slope[i] = s
        z[i] = z[i - 1] + s * ds
    return z, slope


def terrain_following_track(route_xy, speed_mps, height_m, max_climb_rad, max_accel_g,
                            terrain, elapsed_s, ds=None):  # fmt: skip
    """Map positions (..., 3) and velocities along ``route_xy`` ((m, 2) map waypoints),
    flown at ``speed_mps`` and ``height_m`` above the ``terrain`` (a geo.terrain.Terrain or
    None for sea level), at times ``elapsed_s`` since launch; and the flight time."""
    route_xy = np.asarray(route_xy, float)[:, :2]
    legs = np.diff(route_xy, axis=0)
    leg_len = np.linalg.norm(legs, axis=1)
    if np.any(leg_len <= 0.0):
        raise ValueError("route has two identical consecutive waypoints")
    arc = np.concatenate([[0.0], np.cumsum(leg_len)])
    if ds is None:  # finer than the DEM's pixels, so no ridge falls between two samples
        res = terrain.resolution_m if terrain is not None else np.inf
        ds = float(np.clip(min(speed_mps * 0.5, 0.5 * res), 10.0, 200.0))
    s = np.linspace(0.0, arc[-1], max(int(np.ceil(arc[-1] / ds)) + 1, 2))
    ds = s[1] - s[0]
    x, y = np.interp(s, arc, route_xy[:, 0]), np.interp(s, arc, route_xy[:, 1])
    ground = terrain.elevation_m_at(x, y) if terrain is not None else np.zeros_like(s)
    ground = np.maximum(ground, 0.0)  # over the sea the surface is sea level
    z, slope = follow_profile(ground, ds, speed_mps, height_m, max_climb_rad, max_accel_g)
    flight_time = arc[-1] / speed_mps
    t = np.clip(elapsed_s, 0.0, flight_time)
    dist = t * speed_mps
    pos = np.stack([np.interp(dist, s, x), np.interp(dist, s, y), np.interp(dist, s, z)], -1)
    leg = np.clip(np.searchsorted(arc, dist, side="right") - 1, 0, len(legs) - 1)
    horiz = legs[leg] / leg_len[leg, None] * speed_mps
    vel = np.concatenate([horiz, (np.interp(dist, s, slope) * speed_mps)[..., None]], -1)
    moving = (elapsed_s >= 0.0) & (elapsed_s < flight_time)
    return pos, np.where(moving[..., None], vel, 0.0), flight_time
