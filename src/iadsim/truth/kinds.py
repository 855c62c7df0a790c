"""The trajectory kinds threats fly, built from the scenario group and the catalog entry.

One registry: a kind is a function (group, entry, frame, terrain, elapsed (n, K+1)) ->
(pos (n, K+1, 3), vel (n, K+1, 3), flight time). Every member of a group flies the same
path shifted by its launch time, so a kind solves its path once and samples it for all
members at once. Add a new kind by writing such a function and registering it here.
"""

from __future__ import annotations

import numpy as np

from iadsim.truth.ballistic import ballistic_track, missile_body
from iadsim.truth.loiter import loiter_positions
from iadsim.truth.mission import mission_plan, mission_positions
from iadsim.truth.terrain_following import terrain_following_track
from iadsim.truth.trajectories import ballistic_positions, waypoint_positions


def _route_xyz(group, frame) -> np.ndarray:
    x, y = frame.to_map([w.lat_deg for w in group.route], [w.lon_deg for w in group.route])
    return np.stack([x, y, [w.alt_m for w in group.route]], axis=-1)


def waypoints(group, entry, frame, terrain, elapsed):
    """Straight legs at the catalog speed, altitudes as given (truth/trajectories.py)."""
    return waypoint_positions(_route_xyz(group, frame), entry.speed_mps.value, elapsed)


def ballistic(group, entry, frame, terrain, elapsed):
    """Boosted round-earth arc with drag where the catalog gives the motor and airframe
    (truth/ballistic.py); the flat-earth drag-free arc otherwise."""
    if entry.ballistic is not None:
        return ballistic_track(
            missile_body(entry.ballistic),
            (group.launch.lat_deg, group.launch.lon_deg),
            (group.aim.lat_deg, group.aim.lon_deg),
            group.apogee_m,
            frame,
            elapsed,
        )
    lx, ly = frame.to_map(group.launch.lat_deg, group.launch.lon_deg)
    tx, ty = frame.to_map(group.aim.lat_deg, group.aim.lon_deg)
    return ballistic_positions(
        [float(lx), float(ly)], [float(tx), float(ty)], group.apogee_m, elapsed
    )


def terrain_following(group, entry, frame, terrain, elapsed):
    """The route's ground track at a set height above the DEM (truth/terrain_following.py)."""
    tf = entry.terrain_following
    height = group.height_agl_m if group.height_agl_m is not None else tf.clearance_m.value
    return terrain_following_track(
        _route_xyz(group, frame)[:, :2],
        entry.speed_mps.value,
        height,
        np.radians(tf.max_climb_deg.value),
        tf.max_vertical_g.value,
        terrain,
        elapsed,
    )


def loiter(group, entry, frame, terrain, elapsed):
    """The route, an orbit over its last waypoint at the catalog's g limit for
    ``loiter_s``, then a dive on ``aim`` (strike) or the way back (leave); truth/loiter.py."""
    route = _route_xyz(group, frame)
    if group.after_loiter == "strike":
        ax, ay = frame.to_map(group.aim.lat_deg, group.aim.lon_deg)
        exit_xyz = np.array([float(ax), float(ay), 0.0])
    else:
        exit_xyz = route[0]
    return loiter_positions(
        route, entry.speed_mps.value, entry.max_accel_g.value, group.loiter_s, exit_xyz, elapsed
    )


def plan_of(group, entry, frame, standoff_m):
    """The mission plan of a ``mission`` group (truth/mission.py)."""
    ax, ay = frame.to_map(group.aim.lat_deg, group.aim.lon_deg)
    return mission_plan(_route_xyz(group, frame), (float(ax), float(ay)), standoff_m,
                        entry.speed_mps.value, entry.max_accel_g.value)  # fmt: skip


def mission(group, entry, frame, terrain, elapsed, standoff_m=None):
    """Ingress along the route, release at the weapon's stand-off range from ``aim``, a
    level turn at the g limit and egress home (truth/mission.py)."""
    plan = plan_of(group, entry, frame, standoff_m)
    return mission_positions(plan, entry.speed_mps.value, elapsed)


KINDS = {
    "waypoints": waypoints,
    "ballistic": ballistic,
    "terrain_following": terrain_following,
    "loiter": loiter,
    "mission": mission,
}


def kind_of(group) -> str:
    """The group's trajectory kind: as named, else waypoints for a route, else ballistic."""
    if group.trajectory is not None:
        return group.trajectory
    return "waypoints" if group.route is not None else "ballistic"
