"""Aircraft position and attitude along a flight plan with coordinated turns.

The route's corners are flown as fly-by turns: a circular arc tangent to both legs, of the
radius a coordinated level turn at load factor n gives (Anderson, *Aircraft Performance and
Design*, 1999, sec. 6.12; Stevens & Lewis, *Aircraft Control and Simulation*, 2nd ed.,
sec. 3.6, coordinated turn):

    bank phi = arccos(1 / n),   turn rate omega = g tan(phi) / v,   radius R = v^2 / (g tan phi)

so along an arc bank = atan(v omega / g), and zero on the straight legs. The aircraft flies
at constant ground speed; altitude varies linearly with the distance flown between the
waypoints, and the pitch is the flight-path angle (zero angle of attack and sideslip: the
body x axis lies along the velocity). Heading psi is clockwise from north.

The body frame follows the aerospace convention (x nose, y right wing, z down). A vector
in the map frame (x east, y north, z up) is taken to north-east-down and rotated by the
direction cosine matrix C = R1(phi) R2(theta) R3(psi) (Stevens & Lewis eq. 1.3-20).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iadsim.truth.trajectories import G0

MAX_TURN_RAD = np.deg2rad(175.0)


@dataclass
class FlightPath:
    """Samples of a flown route at the requested times (axis 0 = time)."""

    pos: np.ndarray  # (T, 3) map frame, m
    vel: np.ndarray  # (T, 3) m/s
    heading_rad: np.ndarray  # (T,) clockwise from north
    pitch_rad: np.ndarray  # (T,)
    bank_rad: np.ndarray  # (T,) positive right wing down
    flight_time_s: float


def turn_radius_m(speed_mps: float, load_factor: float) -> float:
    """Radius of a level coordinated turn at load factor n: v^2 / (g sqrt(n^2 - 1))."""
    if load_factor <= 1.0:
        raise ValueError(f"load factor {load_factor} must exceed 1 for a level turn")
    return speed_mps**2 / (G0 * np.sqrt(load_factor**2 - 1.0))


@dataclass
class _Plan:
    """Segments of the horizontal path: lines (radius 0) and arcs."""

    start_s: np.ndarray  # (S,) distance flown at the segment's start
    length: np.ndarray
    start_xy: np.ndarray  # (S, 2)
    heading0: np.ndarray  # heading at the segment's start
    radius: np.ndarray  # 0 for a straight segment
    sign: np.ndarray  # +1 right turn, -1 left turn, 0 straight
    knots_s: np.ndarray  # distance flown at each waypoint (altitude knots)
    knots_alt: np.ndarray


def plan_route(route_xyz: np.ndarray, speed_mps: float, load_factor: float) -> _Plan:
    """Fly-by turns of radius :func:`turn_radius_m` at the interior waypoints.

    Raises ValueError naming the waypoint when a turn does not fit between its legs or is
    sharper than 175 deg.
    """
    route = np.asarray(route_xyz, float)
    legs = np.diff(route[:, :2], axis=0)
    leg_len = np.hypot(legs[:, 0], legs[:, 1])
    if np.any(leg_len <= 0.0):
        j = int(np.flatnonzero(leg_len <= 0.0)[0]) + 1
        raise ValueError(f"waypoint {j} has the same position as the one before")
    headings = np.arctan2(legs[:, 0], legs[:, 1])
    turns = np.angle(np.exp(1j * np.diff(headings)))  # signed, + clockwise (right)
    radius = turn_radius_m(speed_mps, load_factor)
    tangent = radius * np.tan(np.abs(turns) / 2.0)
    for j, turn in enumerate(turns, start=1):
        if abs(turn) > MAX_TURN_RAD:
            raise ValueError(f"waypoint {j}: a {np.rad2deg(abs(turn)):.0f} deg turn is too "
                             "sharp (at most 175 deg)")  # fmt: skip
    cut_in = np.concatenate([[0.0], tangent])  # trimmed from each leg's start
    cut_out = np.concatenate([tangent, [0.0]])  # trimmed from each leg's end
    short = cut_in + cut_out > leg_len + 1e-6
    if np.any(short):
        j = int(np.flatnonzero(short)[0])
        raise ValueError(f"leg {j} -> {j + 1} ({leg_len[j]:.0f} m) is too short for the "
                         f"{radius:.0f} m turns at its ends")  # fmt: skip
    starts, lengths, xy, h0, rad, sign = [], [], [], [], [], []
    s = 0.0
    knots = [0.0]
    for i in range(len(legs)):
        unit = legs[i] / leg_len[i]
        line = leg_len[i] - cut_in[i] - cut_out[i]
        starts.append(s), lengths.append(line), h0.append(headings[i]), rad.append(0.0)
        xy.append(route[i, :2] + unit * cut_in[i]), sign.append(0.0)
        s += line
        if i < len(turns):
            arc = radius * abs(turns[i])
            starts.append(s), lengths.append(arc), h0.append(headings[i]), rad.append(radius)
            xy.append(route[i + 1, :2] - unit * cut_out[i]), sign.append(np.sign(turns[i]))
            knots.append(s + arc / 2.0)
            s += arc
    knots.append(s)
    return _Plan(
        np.array(starts), np.array(lengths), np.array(xy), np.array(h0), np.array(rad),
        np.array(sign), np.array(knots), route[:, 2].copy(),
    )  # fmt: skip


def fly_route(route_xyz, speed_mps: float, load_factor: float, elapsed_s) -> FlightPath:
    """Position, velocity and attitude at ``elapsed_s`` (T,) after take-off of the start
    (clipped to [0, flight time]); see module docstring."""
    plan = plan_route(route_xyz, speed_mps, load_factor)
    total = float(plan.knots_s[-1])
    s = np.clip(np.asarray(elapsed_s, float), 0.0, total / speed_mps) * speed_mps
    seg = np.clip(np.searchsorted(plan.start_s, s, side="right") - 1, 0, len(plan.start_s) - 1)
    along = s - plan.start_s[seg]
    radius, sign, psi0 = plan.radius[seg], plan.sign[seg], plan.heading0[seg]
    arc = radius > 0.0
    safe_r = np.where(arc, radius, 1.0)
    heading = psi0 + np.where(arc, sign * along / safe_r, 0.0)
    start = plan.start_xy[seg]

    def right(psi):  # unit vector out of the right wing, level
        return np.stack([np.cos(psi), -np.sin(psi)], axis=-1)

    fwd0 = np.stack([np.sin(psi0), np.cos(psi0)], axis=-1)
    centre = start + (sign * safe_r)[:, None] * right(psi0)
    on_arc = centre - (sign * safe_r)[:, None] * right(heading)
    xy = np.where(arc[:, None], on_arc, start + along[:, None] * fwd0)
    alt = np.interp(s, plan.knots_s, plan.knots_alt)
    climb = np.diff(plan.knots_alt) / np.maximum(np.diff(plan.knots_s), 1e-9)
    k = np.clip(np.searchsorted(plan.knots_s, s, side="right") - 1, 0, len(climb) - 1)
    gamma = np.arctan(climb[k])
    omega = np.where(arc, sign * speed_mps / safe_r, 0.0)  # heading rate, + clockwise
    bank = np.arctan(speed_mps * omega / G0)
    t = np.asarray(elapsed_s, float)
    moving = (t >= 0.0) & (t < total / speed_mps)
    vel = speed_mps * np.stack([np.sin(heading), np.cos(heading), np.tan(gamma)], axis=-1)
    return FlightPath(
        pos=np.concatenate([xy, alt[:, None]], axis=-1),
        vel=np.where(moving[:, None], vel, 0.0),
        heading_rad=np.mod(heading, 2.0 * np.pi),
        pitch_rad=gamma,
        bank_rad=bank,
        flight_time_s=total / speed_mps,
    )


def ned_to_body(heading_rad, pitch_rad, bank_rad) -> np.ndarray:
    """Direction cosine matrix C (..., 3, 3): body = C @ ned (Stevens & Lewis eq. 1.3-20)."""
    cps, sps = np.cos(heading_rad), np.sin(heading_rad)
    cth, sth = np.cos(pitch_rad), np.sin(pitch_rad)
    cph, sph = np.cos(bank_rad), np.sin(bank_rad)
    rows = [
        [cth * cps, cth * sps, -sth],
        [sph * sth * cps - cph * sps, sph * sth * sps + cph * cps, sph * cth],
        [cph * sth * cps + sph * sps, cph * sth * sps - sph * cps, cph * cth],
    ]
    return np.stack([np.stack(np.broadcast_arrays(*r), axis=-1) for r in rows], axis=-2)


def body_aspect_rad(to_radar_map, heading_rad, pitch_rad, bank_rad):
    """Body-frame azimuth and elevation of the direction ``to_radar_map`` (..., 3) (map
    frame x east, y north, z up; the local vertical of the aircraft): az = atan2(b_y, b_x)
    in [0, 2 pi), el = asin(-b_z)."""
    v = np.asarray(to_radar_map, float)
    ned = np.stack([v[..., 1], v[..., 0], -v[..., 2]], axis=-1)
    body = np.einsum("...ij,...j->...i", ned_to_body(heading_rad, pitch_rad, bank_rad), ned)
    norm = np.linalg.norm(body, axis=-1)
    norm = np.where(norm > 0.0, norm, 1.0)
    az = np.mod(np.arctan2(body[..., 1], body[..., 0]), 2.0 * np.pi)
    el = np.arcsin(np.clip(-body[..., 2] / norm, -1.0, 1.0))
    return az, el
