"""Compiled (Numba) integration of the flyout model of :mod:`iadsim.engage.flyout`.

One guidance step of one missile (:func:`step_one`) is the model itself; :func:`step_many`
applies it to many missiles (what :func:`iadsim.engage.flyout.step` calls) and
:func:`fly_tick` flies each missile of an engine tick on its own clock until the tick ends
or its flight ends (closest approach, out of energy, flight time exceeded). Per missile the
loop costs a few hundred nanoseconds, where the NumPy version paid tens of microseconds of
array overhead per sub-step for all missiles together.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from iadsim.engage import atmosphere
from iadsim.truth.trajectories import G0

NAV_CONSTANT = 4.0
Q_FULL_MANEUVER_PA = 100_000.0  # dynamic pressure giving the full g limit (estimate)
LOFT_GAIN = 0.5  # midcourse aim point raised by this fraction of the ground range to go
TERMINAL_RANGE_M = 15_000.0  # no loft inside this ground range: pure PN homing
LOFT_CEILING_M = 40_000.0  # the loft never aims above this (the fins need air)
DIVE_MPS = 300.0  # targets diving faster than this get no loft
MIN_USEFUL_SPEED_MPS = 250.0  # below this a coasting missile can no longer intercept
END_GAME_RANGE_M = 2000.0  # inside this, even a boosting missile may reach its closest point

# Flight end reasons returned by fly_tick.
FLYING, CLOSEST, SPENT, TIMEOUT = 0, 1, 2, 3

_GRID_M = atmosphere._GRID_M
_LOG_RHO = atmosphere._LOG_RHO
_TOP_M = atmosphere._TOP_M
_SCALE_TOP_M = atmosphere._SCALE_TOP_M


@njit(cache=True)
def density(h):
    """ISA density (kg/m^3), as :func:`iadsim.engage.atmosphere.density_kg_m3`."""
    if h > _TOP_M:
        return math.exp(_LOG_RHO[-1] - (h - _TOP_M) / _SCALE_TOP_M)
    return math.exp(np.interp(min(max(h, 0.0), _TOP_M), _GRID_M, _LOG_RHO))


@njit(cache=True)
def loft_height(ground_to_go_m, target_alt_m, target_vz):
    """How far the midcourse aim point is raised above the target: LOFT_GAIN times the
    ground range to go beyond TERMINAL_RANGE_M, never above LOFT_CEILING_M, and none against
    targets diving faster than DIVE_MPS (climbing above them would leave no air)."""
    bias = LOFT_GAIN * max(ground_to_go_m - TERMINAL_RANGE_M, 0.0)
    if target_vz < -DIVE_MPS:
        bias = 0.0
    return min(bias, max(LOFT_CEILING_M - target_alt_m, 0.0))


@njit(cache=True)
def loft_heights(ground_to_go_m, target_alt_m, target_vz):
    """:func:`loft_height` for arrays of equal length."""
    out = np.empty(len(ground_to_go_m))
    for j in range(len(out)):
        out[j] = loft_height(ground_to_go_m[j], target_alt_m[j], target_vz[j])
    return out


@njit(cache=True)
def step_one(pos, vel, flight_s, dt, tpos, tvel, burnout_speed, boost_s, max_accel, beta,
             nav_constant, gravity, homing):  # fmt: skip
    """Advance one missile by dt (pos, vel updated in place); the model of
    :func:`iadsim.engage.flyout.step`. Returns (closest, t_cpa, miss, spent)."""
    rx, ry, rz = tpos[0] - pos[0], tpos[1] - pos[1], tpos[2] - pos[2]
    wx, wy, wz = tvel[0] - vel[0], tvel[1] - vel[1], tvel[2] - vel[2]
    # Closest approach within the step for straight relative motion.
    vv = max(wx * wx + wy * wy + wz * wz, 1e-12)
    t_cpa = min(max(-(rx * wx + ry * wy + rz * wz) / vv, 0.0), dt)
    miss = math.sqrt((rx + wx * t_cpa) ** 2 + (ry + wy * t_cpa) ** 2 + (rz + wz * t_cpa) ** 2)
    # Midcourse loft of the aim point (not against fast divers, never above the ceiling).
    az = rz
    if gravity:
        az = rz + loft_height(math.sqrt(rx * rx + ry * ry), tpos[2], tvel[2])
    end_game = flight_s >= boost_s or math.sqrt(rx * rx + ry * ry + rz * rz) < END_GAME_RANGE_M
    closest = t_cpa < dt and end_game and homing
    speed = math.sqrt(vel[0] ** 2 + vel[1] ** 2 + vel[2] ** 2)
    inv = 1.0 / max(speed, 1e-9)
    hx, hy, hz = vel[0] * inv, vel[1] * inv, vel[2] * inv
    boosting = flight_s < boost_s
    gax = gay = gaz = g_along = drag = 0.0
    limit = max_accel
    if gravity:
        g_along = -G0 * hz
        gax, gay, gaz = -g_along * hx, -g_along * hy, -G0 - g_along * hz  # normal part of g
        q = 0.5 * density(pos[2]) * speed * speed
        limit = max_accel * min(1.0, q / Q_FULL_MANEUVER_PA)
        drag = q / beta
    # True PN on the (lofted) line of sight, normal to the missile velocity.
    dist = math.sqrt(rx * rx + ry * ry + az * az)
    d = max(dist, 1e-9)
    ux, uy, uz = rx / d, ry / d, az / d
    along = wx * ux + wy * uy + wz * uz
    gain = nav_constant * (-along) / d
    cx, cy, cz = gain * (wx - along * ux), gain * (wy - along * uy), gain * (wz - along * uz)
    c_t = cx * hx + cy * hy + cz * hz
    cx, cy, cz = cx - c_t * hx - gax, cy - c_t * hy - gay, cz - c_t * hz - gaz
    mag = math.sqrt(cx * cx + cy * cy + cz * cz)
    scale = min(1.0, limit / max(mag, 1e-12))
    cx, cy, cz = cx * scale, cy * scale, cz * scale
    if boosting:
        thrust = burnout_speed / max(boost_s, 1e-9)
        new_speed = min(speed + thrust * dt, burnout_speed)
    else:
        new_speed = max(speed + (g_along - drag) * dt, 1.0)
    nx = vel[0] + (cx + gax) * dt
    ny = vel[1] + (cy + gay) * dt
    nz = vel[2] + (cz + gaz) * dt
    norm = new_speed / max(math.sqrt(nx * nx + ny * ny + nz * nz), 1e-9)
    nx, ny, nz = nx * norm, ny * norm, nz * norm
    pos[0] += 0.5 * (vel[0] + nx) * dt
    pos[1] += 0.5 * (vel[1] + ny) * dt
    pos[2] += 0.5 * (vel[2] + nz) * dt
    vel[0], vel[1], vel[2] = nx, ny, nz
    spent = (not boosting) and new_speed < MIN_USEFUL_SPEED_MPS
    return closest, t_cpa, miss, spent


@njit(cache=True)
def step_many(pos, vel, flight_s, dt, tpos, tvel, burnout_speed, boost_s, max_accel, beta,
              nav_constant, gravity, homing):  # fmt: skip
    """:func:`step_one` for every row (pos, vel (m, 3) updated in place)."""
    m = pos.shape[0]
    closest = np.zeros(m, np.bool_)
    spent = np.zeros(m, np.bool_)
    t_cpa = np.zeros(m)
    miss = np.zeros(m)
    for j in range(m):
        closest[j], t_cpa[j], miss[j], spent[j] = step_one(
            pos[j], vel[j], flight_s[j], dt[j], tpos[j], tvel[j], burnout_speed[j], boost_s[j],
            max_accel[j], beta[j], nav_constant, gravity, homing[j],
        )  # fmt: skip
    return closest, t_cpa, miss, spent


@njit(cache=True)
def fly_tick(pos, vel, launch_s, burnout_speed, boost_s, max_accel, beta, max_flight_s,
             uplink_pos, uplink_vel, uplink_s, target, target_pos0, target_vel, t_prev, tick,
             seeker_range_m, min_step_s):  # fmt: skip
    """Fly each missile over the tick (t_prev, t_prev + tick] on its own clock.

    Midcourse the missile guides on its uplinked track, extrapolated; inside
    ``seeker_range_m`` of its real target (``target`` >= 0: row of ``target_pos0``, the
    targets' positions at t_prev, moving at ``target_vel``) it homes on it. Its guidance
    step is a twentieth of its time to go, at least ``min_step_s``, never past the tick.
    Returns per missile (reason FLYING/CLOSEST/SPENT/TIMEOUT, time of the end, miss
    distance, closest-approach point); pos and vel are updated in place.
    """
    m = pos.shape[0]
    reason = np.zeros(m, np.int64)
    when = np.zeros(m)
    miss = np.zeros(m)
    where = np.zeros((m, 3))
    tpos = np.zeros(3)
    tvel = np.zeros(3)
    for j in range(m):
        elapsed = 0.0
        while elapsed < tick - 1e-9:
            ts = t_prev + elapsed
            if ts - launch_s[j] > max_flight_s[j]:
                reason[j], when[j] = TIMEOUT, ts
                break
            real = target[j] >= 0
            homing = False
            if real:
                i = target[j]
                for a in range(3):
                    tpos[a] = target_pos0[i, a] + target_vel[i, a] * elapsed
                    tvel[a] = target_vel[i, a]
                gap = math.sqrt((tpos[0] - pos[j, 0]) ** 2 + (tpos[1] - pos[j, 1]) ** 2
                                + (tpos[2] - pos[j, 2]) ** 2)  # fmt: skip
                homing = gap <= seeker_range_m
            if not homing:
                for a in range(3):
                    tpos[a] = uplink_pos[j, a] + uplink_vel[j, a] * (ts - uplink_s[j])
                    tvel[a] = uplink_vel[j, a]
            rel2 = closing = 0.0
            for a in range(3):
                r = tpos[a] - pos[j, a]
                rel2 += r * r
                closing -= r * (tvel[a] - vel[j, a])
            time_to_go = rel2 / max(closing, 1e-9)
            h = min(max(time_to_go / 20.0, min_step_s), tick - elapsed)
            closest, t_cpa, d, spent = step_one(
                pos[j], vel[j], ts - launch_s[j], h, tpos, tvel, burnout_speed[j], boost_s[j],
                max_accel[j], beta[j], NAV_CONSTANT, True, homing or not real,
            )  # fmt: skip
            elapsed += h
            if closest:
                reason[j], when[j], miss[j] = CLOSEST, ts + t_cpa, d
                for a in range(3):
                    where[j, a] = tpos[a] + tvel[a] * t_cpa
                break
            if spent:
                reason[j], when[j] = SPENT, ts + h
                break
    return reason, when, miss, where
