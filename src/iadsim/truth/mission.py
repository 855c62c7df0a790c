"""A strike aircraft's mission: ingress along its route, weapon release at the weapon's
stand-off range from the target, a level turn at its g limit, egress to its first waypoint.

The release point is the first point of the ingress path (the route, then straight on to
the target) whose ground distance to the target equals the weapon's stand-off range (the
root of |p0 + s u - aim|^2 = R^2 on the first leg that reaches it). The 180-degree turn is
a level coordinated turn at the catalog's g limit n (radius v^2 / (g sqrt(n^2 - 1));
Anderson, *Aircraft Performance and Design*, sec. 6.10; truth/attitude.py) as 1-degree
chords; the whole path is flown at constant speed by :func:`waypoint_positions`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iadsim.truth.attitude import turn_radius_m
from iadsim.truth.trajectories import waypoint_positions


@dataclass(frozen=True)
class MissionPlan:
    path: np.ndarray  # (m, 3) the polyline flown
    release_xyz: np.ndarray  # (3,) where the weapon leaves the aircraft
    release_elapsed_s: float  # time from take-off to release


def release_point(route_xyz, aim_xy, standoff_m: float) -> tuple[np.ndarray, int, float]:
    """First point of the ingress path within ``standoff_m`` (ground distance) of the aim.

    Returns the point (3,), the index of the leg it lies on (legs of the route extended to
    the aim at the last altitude) and the ingress arc length to it."""
    route_xyz = np.asarray(route_xyz, float)
    aim = np.array([aim_xy[0], aim_xy[1], route_xyz[-1, 2]])
    pts = np.vstack([route_xyz, aim[None]])
    walked = 0.0
    if np.hypot(*(pts[0, :2] - aim[:2])) <= standoff_m:
        return pts[0].copy(), 0, 0.0
    for j in range(len(pts) - 1):
        p0, leg = pts[j], pts[j + 1] - pts[j]
        length = float(np.hypot(*leg[:2]))
        if length <= 0.0:
            continue
        u = leg[:2] / length
        d = p0[:2] - aim[:2]
        b, c = float(u @ d), float(d @ d) - standoff_m**2
        disc = b * b - c
        if disc >= 0.0:
            s = -b - np.sqrt(disc)  # the nearer crossing: entering the circle
            if 0.0 <= s <= length:
                return p0 + leg * (s / length), j, walked + s
        walked += length
    raise ValueError("the route never comes within the weapon's stand-off range")


def mission_plan(route_xyz, aim_xy, standoff_m, speed_mps, load_factor) -> MissionPlan:
    """Ingress to the release point, a 180-degree left turn at ``load_factor``, then
    straight back to the route's first waypoint."""
    route_xyz = np.asarray(route_xyz, float)
    rel, leg, walked = release_point(route_xyz, aim_xy, standoff_m)
    ingress = np.vstack([route_xyz[: leg + 1], rel[None]])
    heading = rel[:2] - ingress[-2, :2] if len(ingress) > 1 else np.asarray(aim_xy) - rel[:2]
    heading = heading / np.linalg.norm(heading)
    radius = turn_radius_m(speed_mps, load_factor)
    left = np.array([-heading[1], heading[0]])
    centre = rel[:2] + radius * left
    ang0 = np.arctan2(rel[1] - centre[1], rel[0] - centre[0])
    ang = ang0 + np.radians(np.arange(1, 181))
    turn = np.stack([centre[0] + radius * np.cos(ang), centre[1] + radius * np.sin(ang),
                     np.full(180, rel[2])], -1)  # fmt: skip
    path = np.vstack([ingress, turn, route_xyz[:1]])
    keep = np.concatenate([[True], np.linalg.norm(np.diff(path, axis=0), axis=1) > 1e-6])
    return MissionPlan(path[keep], rel, walked / speed_mps)


def mission_positions(plan: MissionPlan, speed_mps: float, elapsed_s):
    """Positions (..., 3), velocities and flight time of the mission aircraft."""
    return waypoint_positions(plan.path, speed_mps, elapsed_s)
