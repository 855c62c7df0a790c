"""An aircraft's reaction to a missile launched at it: turn away from or beam the
engagement radar at its g limit, hold that heading, then fly home.

Level coordinated turns at load factor n: turn rate w = g sqrt(n^2 - 1) / V and radius
R = V / w = V^2 / (g sqrt(n^2 - 1)) (Anderson, *Aircraft Performance and Design*,
sec. 6.10). The manoeuvres (Shaw, *Fighter Combat: Tactics and Maneuvering*, 1985,
ch. 1 and the SAM defence of ch. 8 as summarised in the catalog sources):

* ``turn_away``: turn to fly directly away from the engagement radar, so the missile has
  to run down a receding target (its kinematic reach shrinks);
* ``beam``: turn until the radar's line of sight is abeam (90 degrees off the nose, the
  side nearer the present heading), so the closing speed seen by a Doppler radar falls
  into its clutter notch (radar/doppler.py) and the missile must turn hard to follow.

The heading is held ``hold_s`` after the turn; the aircraft then turns towards home and
flies the tangent line to it (the turn-then-straight path: Dubins, Am. J. Math. 79(3),
1957). The path is one polyline (turns as 1-degree chords, error below 4e-5 R) flown at
constant speed by :func:`waypoint_positions`.
"""

from __future__ import annotations

import numpy as np

from iadsim.truth.attitude import turn_radius_m
from iadsim.truth.trajectories import waypoint_positions

MANOEUVRES = ("none", "turn_away", "beam")
NONE, TURN_AWAY, BEAM = range(3)


def _arc(centre, radius, theta0, sweep, alt) -> np.ndarray:
    """Chord points (every <= 1 degree, the start excluded) of an arc of signed ``sweep``."""
    n = max(int(np.ceil(np.degrees(abs(sweep)))), 1)
    th = theta0 + np.linspace(0.0, sweep, n + 1)[1:]
    return np.stack([centre[0] + radius * np.cos(th), centre[1] + radius * np.sin(th),
                     np.full(n, alt)], -1)  # fmt: skip


def turn_to_heading(p, course, want, radius):
    """Turn at ``radius`` from ``p`` (course ``course``, math angle) the short way to the
    course ``want``: (chord points, end point, sign of the turn)."""
    sweep = (want - course + np.pi) % (2.0 * np.pi) - np.pi
    s = 1.0 if sweep >= 0.0 else -1.0  # +1: left (counter-clockwise)
    centre = p[:2] + s * radius * np.array([-np.sin(course), np.cos(course)])
    theta0 = course - s * np.pi / 2.0
    pts = _arc(centre, radius, theta0, sweep, p[2]) if abs(sweep) > 1e-9 else p[None, :]
    return pts, pts[-1]


def turn_towards_point(p, course, goal_xy, radius) -> np.ndarray:
    """Turn from ``p`` towards ``goal_xy`` until the goal lies dead ahead (the tangent
    from the turn circle to the goal); returns the chord points of the turn."""
    to_goal = np.asarray(goal_xy, float) - p[:2]
    h = np.array([np.cos(course), np.sin(course)])
    s = 1.0 if h[0] * to_goal[1] - h[1] * to_goal[0] >= 0.0 else -1.0
    centre = p[:2] + s * radius * np.array([-h[1], h[0]])
    d_vec = np.asarray(goal_xy, float) - centre
    d = float(np.hypot(*d_vec))
    if d <= radius:  # the goal is inside the turn circle: fly at it straight away
        return p[None, :]
    phi = np.arctan2(d_vec[1], d_vec[0])
    alpha = np.arccos(radius / d)
    theta0 = np.arctan2(p[1] - centre[1], p[0] - centre[0])
    theta_t = phi - s * alpha  # tangent point: the line from it to the goal is tangent
    sweep = s * ((s * (theta_t - theta0)) % (2.0 * np.pi))
    return _arc(centre, radius, theta0, sweep, p[2])


def evasion_path(start_xyz, course, radar_xy, manoeuvre, speed_mps, load_factor, hold_s,
                 home_xyz) -> np.ndarray:  # fmt: skip
    """Polyline (m, 3) of the reaction flown from ``start_xyz`` on ``course`` (rad, math
    angle from +x), against the radar at ``radar_xy``."""
    p = np.asarray(start_xyz, float)
    radius = turn_radius_m(speed_mps, load_factor)
    los = np.arctan2(p[1] - radar_xy[1], p[0] - radar_xy[0])  # radar -> aircraft
    if manoeuvre == TURN_AWAY:
        want = los
    elif manoeuvre == BEAM:
        a, b = los + np.pi / 2.0, los - np.pi / 2.0
        off = lambda w: abs((w - course + np.pi) % (2.0 * np.pi) - np.pi)  # noqa: E731
        want = a if off(a) <= off(b) else b
    else:
        raise ValueError(f"unknown manoeuvre {manoeuvre!r}")
    turn, end = turn_to_heading(p, course, want, radius)
    held = end + np.array([np.cos(want), np.sin(want), 0.0]) * speed_mps * hold_s
    home_turn = turn_towards_point(held, want, home_xyz[:2], radius)
    path = np.vstack([p[None], turn, held[None], home_turn, np.asarray(home_xyz, float)[None]])
    keep = np.concatenate([[True], np.linalg.norm(np.diff(path, axis=0), axis=1) > 1e-6])
    return path[keep]


def evasion_track(start_xyz, course, radar_xy, manoeuvre, speed_mps, load_factor, hold_s,
                  home_xyz, elapsed_s):  # fmt: skip
    """Positions (..., 3), velocities and duration of the reaction at ``elapsed_s`` after
    it starts."""
    path = evasion_path(start_xyz, course, radar_xy, manoeuvre, speed_mps, load_factor,
                        hold_s, home_xyz)  # fmt: skip
    return waypoint_positions(path, speed_mps, elapsed_s)
