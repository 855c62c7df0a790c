"""Threat truth motion, sampled on the engine's time grid.

Two first-order models, vectorised over the members of a threat group (axis 0):

* waypoint flight at constant catalog speed along straight legs between waypoints
  (map frame, altitude linear along each leg);
* a flat-earth ballistic arc through a given apogee (Zarchan, *Tactical and Strategic
  Missile Guidance*, 6th ed., ch. 12, eqs. for the drag-free, flat-earth trajectory):
  v_z0 = sqrt(2 g H), time of flight T = 2 v_z0 / g, horizontal speed D / T.
"""

from __future__ import annotations

import numpy as np

G0 = 9.80665


def waypoint_positions(route_xyz: np.ndarray, speed_mps: float, elapsed_s: np.ndarray):
    """Position and velocity along a polyline flown at constant speed.

    route_xyz: (m, 3) waypoints; elapsed_s: (...) time since launch (clipped to [0, end]).
    Returns pos (..., 3), vel (..., 3) and the flight time to the last waypoint.
    """
    legs = np.diff(route_xyz, axis=0)
    leg_len = np.linalg.norm(legs, axis=1)
    if np.any(leg_len <= 0.0):
        raise ValueError("route has two identical consecutive waypoints")
    arc = np.concatenate([[0.0], np.cumsum(leg_len)])
    flight_time = arc[-1] / speed_mps
    s = np.clip(elapsed_s, 0.0, flight_time) * speed_mps
    pos = np.stack([np.interp(s, arc, route_xyz[:, i]) for i in range(3)], axis=-1)
    leg = np.clip(np.searchsorted(arc, s, side="right") - 1, 0, len(legs) - 1)
    vel = legs[leg] / leg_len[leg, None] * speed_mps
    moving = (elapsed_s >= 0.0) & (elapsed_s < flight_time)
    return pos, np.where(moving[..., None], vel, 0.0), flight_time


def ballistic_positions(launch_xy, aim_xy, apogee_m: float, elapsed_s: np.ndarray):
    """Flat-earth, drag-free ballistic arc from launch to aim reaching ``apogee_m``.

    Returns pos (..., 3), vel (..., 3) and the time of flight.
    """
    launch_xy = np.asarray(launch_xy, float)
    delta = np.asarray(aim_xy, float) - launch_xy
    distance = float(np.hypot(*delta))
    if distance <= 0.0:
        raise ValueError("ballistic launch and aim points coincide")
    vz0 = np.sqrt(2.0 * G0 * apogee_m)
    flight_time = 2.0 * vz0 / G0
    vh = distance / flight_time
    unit = delta / distance
    t = np.clip(elapsed_s, 0.0, flight_time)
    ground = vh * t
    alt = vz0 * t - 0.5 * G0 * t**2
    pos = np.stack([launch_xy[0] + unit[0] * ground, launch_xy[1] + unit[1] * ground, alt], -1)
    vel = np.stack(np.broadcast_arrays(unit[0] * vh, unit[1] * vh, vz0 - G0 * t), axis=-1).astype(
        float
    )
    moving = (elapsed_s >= 0.0) & (elapsed_s < flight_time)
    return pos, np.where(moving[..., None], vel, 0.0), flight_time
