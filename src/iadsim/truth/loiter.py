"""A drone that flies its route, loiters over the last waypoint, then strikes or leaves.

The orbit is a coordinated level turn at the catalog's g limit n (truth/attitude.py:
bank arccos(1/n), radius R = v^2 / (g tan(bank)); Anderson, *Aircraft Performance and
Design*, sec. 6.10) entered tangentially at the loiter point, flown left-handed for the
loiter time, and left on a straight leg to the strike point (``aim``) or back to the route's
first waypoint. The whole path is one polyline (the orbit as 1-degree chords, a position
error below 4e-5 R) flown at constant speed by :func:`waypoint_positions`.
"""

from __future__ import annotations

import numpy as np

from iadsim.truth.attitude import turn_radius_m
from iadsim.truth.trajectories import waypoint_positions


def loiter_path(route_xyz, speed_mps, load_factor, loiter_s, exit_xyz) -> np.ndarray:
    """Polyline (m, 3): the route, the orbit (``loiter_s`` seconds) and the exit leg."""
    route_xyz = np.asarray(route_xyz, float)
    p = route_xyz[-1]
    heading = route_xyz[-1, :2] - route_xyz[-2, :2]
    heading /= np.linalg.norm(heading)
    radius = turn_radius_m(speed_mps, load_factor)
    left = np.array([-heading[1], heading[0]])
    centre = p[:2] + radius * left
    sweep = speed_mps * loiter_s / radius  # orbit angle flown
    n = max(int(np.ceil(np.degrees(sweep))), 1)
    ang0 = np.arctan2(p[1] - centre[1], p[0] - centre[0])
    ang = ang0 + np.linspace(0.0, sweep, n + 1)[1:]
    orbit = np.stack(
        [centre[0] + radius * np.cos(ang), centre[1] + radius * np.sin(ang),
         np.full(n, p[2])], -1,
    )  # fmt: skip
    pts = [route_xyz, orbit] if loiter_s > 0.0 else [route_xyz]
    path = np.concatenate([*pts, np.asarray(exit_xyz, float)[None, :]])
    keep = np.concatenate([[True], np.linalg.norm(np.diff(path, axis=0), axis=1) > 1e-6])
    return path[keep]


def loiter_positions(route_xyz, speed_mps, load_factor, loiter_s, exit_xyz, elapsed_s):
    """Positions (..., 3), velocities and flight time of the loitering drone."""
    path = loiter_path(route_xyz, speed_mps, load_factor, loiter_s, exit_xyz)
    return waypoint_positions(path, speed_mps, elapsed_s)
