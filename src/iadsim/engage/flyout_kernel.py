"""Compiled (Numba) integration of the flyout model of :mod:`iadsim.engage.flyout`.

One guidance step of one missile (:func:`step_one`) is the model itself; :func:`step_many`
applies it to many missiles (what :func:`iadsim.engage.flyout.step` calls) and
:func:`fly_tick` flies each missile of an engine tick on its own clock until the tick ends
or its flight ends (closest approach, out of energy, flight time exceeded). Per missile the
loop costs well under a microsecond per step.

A missile type is one row of a parameter matrix (columns named below, filled by
:mod:`iadsim.engage.airframe` from the catalog) and one zero-lift drag curve over Mach.
The seeker noise is drawn inside the kernel from the same counter-based generator as
:mod:`iadsim.sim.streams` (SplitMix64 of (replication key, stream, missile serial, guidance
step, axis)), so a missile's noise does not depend on the other missiles in the batch.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from iadsim.engage import atmosphere
from iadsim.truth.trajectories import G0

NAV_CONSTANT = 4.0  # default effective navigation ratio N' (Zarchan ch. 2: 3-5)
TERMINAL_RANGE_M = 30_000.0  # no loft inside this ground range: pure PN homing
LOFT_GAIN = 0.5  # the loft aims at most this fraction of the ground range above the target
DIVE_RATIO = 2.0  # the lofted missile dives on targets within 1 : 2 below it (~27 deg)
LOFT_AHEAD = 0.25  # the loft aim point lies this fraction of the ground range ahead
DIVE_MPS = 300.0  # targets diving faster than this get no loft
MIN_USEFUL_SPEED_MPS = 250.0  # below this a coasting missile can no longer intercept
END_GAME_RANGE_M = 2000.0  # inside this, even a boosting missile may reach its closest point
END_GAME_STEP_S = 0.005  # shortest guidance step while homing (resolves the control lag)
SEEKER_STREAM = 7  # iadsim.sim.streams.SEEKER
NOISE_FILTER_MIN_S = 0.05  # shortest seeker tracking-filter time constant
BOOST_STEP_S = 0.1  # longest guidance step during the boost (speed and heading change fast)

# Columns of the airframe parameter matrix (one row per missile type; SI units).
MASS0 = 0  # launch mass, kg
BOOST_F, BOOST_S, BOOST_MDOT = 1, 2, 3  # boost thrust N, burn time s, mass flow kg/s
SUST_F, SUST_S, SUST_MDOT = 4, 5, 6  # sustain (second pulse) thrust, burn time, mass flow
AREA = 7  # aerodynamic reference area, m^2
CN_ALPHA = 8  # normal-force slope per rad (on AREA)
ALPHA_MAX = 9  # largest trim angle of attack, rad
ACCEL_MAX = 10  # structural / autopilot lateral acceleration limit, m/s^2
LOFT_CEIL = 11  # the midcourse loft never aims above this altitude, m
TAU = 12  # flight-control (guidance system) time constant, s
NAV = 13  # effective navigation ratio N'
APN = 14  # 1: augmented PN (adds N'/2 of the target acceleration normal to the LOS)
GLINT = 15  # glint noise spectral density, m^2/Hz
ANGLE = 16  # range-independent angle noise spectral density, rad^2/Hz
RECEIVER = 17  # receiver (thermal) angle noise spectral density at RECEIVER_REF, rad^2/Hz
RECEIVER_REF = 18  # range of that receiver noise density, m
DIVERT = 19  # lateral acceleration from thrusters (attitude-control / gas-dynamic), m/s^2
N_PARAMS = 20

# Flight end reasons returned by fly_tick.
FLYING, CLOSEST, SPENT, TIMEOUT = 0, 1, 2, 3

_GRID_M = atmosphere._GRID_M
_LOG_RHO = atmosphere._LOG_RHO
_SOUND = atmosphere._SOUND_MPS
_TOP_M = atmosphere._TOP_M
_GRID_STEP_M = float(atmosphere._GRID_M[1] - atmosphere._GRID_M[0])
_SCALE_TOP_M = atmosphere._SCALE_TOP_M
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


@njit(cache=True)
def _on_grid(h, table):
    """Linear interpolation in a table on the uniform _GRID_M (O(1): the grid is regular)."""
    x = min(max(h, 0.0), _TOP_M) / _GRID_STEP_M
    i = min(int(x), len(table) - 2)
    f = x - i
    return table[i] + f * (table[i + 1] - table[i])


@njit(cache=True)
def density(h):
    """ISA density (kg/m^3), as :func:`iadsim.engage.atmosphere.density_kg_m3`."""
    if h > _TOP_M:
        return math.exp(_LOG_RHO[-1] - (h - _TOP_M) / _SCALE_TOP_M)
    return math.exp(_on_grid(h, _LOG_RHO))


@njit(cache=True)
def sound_speed(h):
    """ISA speed of sound (m/s), as :func:`iadsim.engage.atmosphere.speed_of_sound_mps`."""
    return _on_grid(h, _SOUND)


@njit(cache=True)
def table_value(x, xs, ys):
    """Piecewise-linear ys(x) held constant outside xs (as np.interp), by a short scan."""
    if x <= xs[0]:
        return ys[0]
    for i in range(1, len(xs)):
        if x <= xs[i]:
            return ys[i - 1] + (x - xs[i - 1]) / (xs[i] - xs[i - 1]) * (ys[i] - ys[i - 1])
    return ys[-1]


@njit(cache=True)
def _mix(z):
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


@njit(cache=True)
def uniform3(key, stream, c1, c2, c3):
    """:func:`iadsim.sim.streams.uniform` (key, stream, c1, c2, c3) for one draw."""
    z = key ^ _mix(np.uint64(stream) * _GOLDEN)
    z = _mix(z + (np.uint64(c1) + np.uint64(1)) * _GOLDEN)
    z = _mix(z + (np.uint64(c2) + np.uint64(1)) * _GOLDEN)
    z = _mix(z + (np.uint64(c3) + np.uint64(1)) * _GOLDEN)
    return float(z >> np.uint64(11)) * 2.0**-53


@njit(cache=True)
def normal3(key, serial, step_no, axis):
    """A standard normal (Box & Muller 1958) from two counter-based uniforms."""
    u1 = uniform3(key, SEEKER_STREAM, serial, step_no, 2 * axis)
    u2 = uniform3(key, SEEKER_STREAM, serial, step_no, 2 * axis + 1)
    return math.sqrt(-2.0 * math.log(1.0 - u1)) * math.cos(2.0 * math.pi * u2)


@njit(cache=True)
def loft_aim_one(rx, ry, rz, missile_alt_m, target_alt_m, target_vz, ceiling_m):
    """Midcourse aim vector (relative to the missile) for target offset (rx, ry, rz).

    Lofted midcourse: beyond TERMINAL_RANGE_M the missile aims at its loft ceiling (at most
    LOFT_GAIN of the ground range above the target), LOFT_AHEAD of the remaining ground
    range ahead, so it climbs steeply out of the dense air and cruises high where drag is
    small; once the target lies within a DIVE_RATIO slope below it (or
    inside TERMINAL_RANGE_M) it aims at the target itself. No loft against targets diving
    faster than DIVE_MPS (climbing above them would leave no air to manoeuvre in) or flying
    above the ceiling.
    """
    ground = math.sqrt(rx * rx + ry * ry)
    if target_vz < -DIVE_MPS or target_alt_m >= ceiling_m or ground < TERMINAL_RANGE_M:
        return rx, ry, rz
    if ground < DIVE_RATIO * (missile_alt_m - target_alt_m):
        return rx, ry, rz
    top = min(ceiling_m, target_alt_m + LOFT_GAIN * ground)
    return LOFT_AHEAD * rx, LOFT_AHEAD * ry, top - missile_alt_m


@njit(cache=True)
def loft_aims(rel, missile_alt_m, target_alt_m, target_vz, ceiling_m):
    """:func:`loft_aim_one` for (m, 3) offsets and arrays of equal length."""
    out = np.empty_like(rel)
    for j in range(rel.shape[0]):
        out[j, 0], out[j, 1], out[j, 2] = loft_aim_one(
            rel[j, 0], rel[j, 1], rel[j, 2], missile_alt_m[j], target_alt_m[j], target_vz[j],
            ceiling_m[j],
        )  # fmt: skip
    return out


@njit(cache=True)
def _impulse(p, t):
    """Total impulse (N s) delivered by the motor up to flight time t."""
    tb = min(max(t, 0.0), p[BOOST_S])
    ts = min(max(t - p[BOOST_S], 0.0), p[SUST_S])
    return p[BOOST_F] * tb + p[SUST_F] * ts


@njit(cache=True)
def mass_kg(p, t):
    """Missile mass at flight time t: launch mass less the propellant burnt."""
    tb = min(max(t, 0.0), p[BOOST_S])
    ts = min(max(t - p[BOOST_S], 0.0), p[SUST_S])
    return p[MASS0] - p[BOOST_MDOT] * tb - p[SUST_MDOT] * ts


@njit(cache=True)
def drag_accel(p, mach_tab, cd_tab, speed, alt, lateral, mass):
    """Drag deceleration D / m: D = q S (C_D0(M) + C_L^2 / C_N_alpha), C_L = m a_aero / (q S).

    Zero-lift drag from the Mach table; drag due to lift as the normal force tilted by the
    angle of attack, C_Di = C_N alpha = C_N^2 / C_N_alpha (Fleeman, *Tactical Missile
    Design*, 2nd ed., sec. 2.9; Zarchan ch. 21 uses the same split). Only the lift the
    airframe trims makes induced drag: a_aero is the lateral acceleration up to the trim
    limit q S C_N_alpha alpha_max / m (so C_L <= C_N_alpha alpha_max); what the thrusters
    add beyond it (``DIVERT``) comes from their own thrust, not from an angle of attack.
    """
    qs = 0.5 * density(alt) * speed * speed * p[AREA]
    cd0 = table_value(speed / sound_speed(alt), mach_tab, cd_tab)
    aero = min(lateral, qs * p[CN_ALPHA] * p[ALPHA_MAX] / mass)
    cl = mass * aero / max(qs, 1e-9)
    return qs * (cd0 + cl * cl / p[CN_ALPHA]) / mass


@njit(cache=True)
def available_accel(p, speed, alt, mass):
    """Lateral acceleration available: min(a_max, q S C_N_alpha alpha_max / m + a_divert),
    the lift the airframe can trim plus any thruster divert, which needs no air."""
    q = 0.5 * density(alt) * speed * speed
    return min(p[ACCEL_MAX], q * p[AREA] * p[CN_ALPHA] * p[ALPHA_MAX] / mass + p[DIVERT])


@njit(cache=True)
def step_one(pos, vel, acc, noise, flight_s, dt, tpos, tvel, tacc, p, mach_tab, cd_tab,
             gravity, homing, seeker, key, serial, step_no, jnr_ref, pip_go_s):  # fmt: skip
    """Advance one missile by dt (pos, vel, achieved lateral acceleration ``acc`` and the
    last seeker noise ``noise`` updated in place); the model of
    :func:`iadsim.engage.flyout.step`; ``seeker``: the seeker tracks a real target and its
    noise enters the guidance; ``pip_go_s``: time to the planned intercept (the loft is
    shaped on the target extrapolated that far; 0 for a fixed point). Returns (closest,
    t_cpa, miss, spent)."""
    rx, ry, rz = tpos[0] - pos[0], tpos[1] - pos[1], tpos[2] - pos[2]
    wx, wy, wz = tvel[0] - vel[0], tvel[1] - vel[1], tvel[2] - vel[2]
    # Closest approach within the step for straight relative motion.
    vv = max(wx * wx + wy * wy + wz * wz, 1e-12)
    t_cpa = min(max(-(rx * wx + ry * wy + rz * wz) / vv, 0.0), dt)
    miss = math.sqrt((rx + wx * t_cpa) ** 2 + (ry + wy * t_cpa) ** 2 + (rz + wz * t_cpa) ** 2)
    true_range = math.sqrt(rx * rx + ry * ry + rz * rz)
    # Midcourse loft (not against fast divers, never above the ceiling), decided and shaped
    # on the predicted intercept point pip_go_s ahead on the target's course, not on the
    # target's present position: a lofted missile flies towards that fixed point (its
    # relative velocity is -vel), as the envelope's missile flies to its grid point, so a
    # shot at a moving target flies the loft the launch check read from the envelope.
    qx, qy, qz = rx, ry, rz
    if gravity:
        go = max(pip_go_s, 0.0)
        px, py, pz = rx + tvel[0] * go, ry + tvel[1] * go, rz + tvel[2] * go
        ax0, ay0, az0 = loft_aim_one(px, py, pz, pos[2], tpos[2] + tvel[2] * go, tvel[2],
                                     p[LOFT_CEIL])  # fmt: skip
        if ax0 != px or ay0 != py or az0 != pz:
            qx, qy, qz = ax0, ay0, az0
            wx, wy, wz = -vel[0], -vel[1], -vel[2]
    thrusting = flight_s < p[BOOST_S] + p[SUST_S]
    end_game = flight_s >= p[BOOST_S] or true_range < END_GAME_RANGE_M
    closest = t_cpa < dt and end_game and homing
    speed = math.sqrt(vel[0] ** 2 + vel[1] ** 2 + vel[2] ** 2)
    inv = 1.0 / max(speed, 1e-9)
    hx, hy, hz = vel[0] * inv, vel[1] * inv, vel[2] * inv
    mass = mass_kg(p, flight_s + 0.5 * dt)
    thrust = (_impulse(p, flight_s + dt) - _impulse(p, flight_s)) / dt
    gax = gay = gaz = g_along = 0.0
    limit = p[ACCEL_MAX]
    if gravity:
        g_along = -G0 * hz
        gax, gay, gaz = -g_along * hx, -g_along * hy, -G0 - g_along * hz  # normal part of g
        limit = available_accel(p, speed, pos[2], mass)
    # PN on the (lofted) line of sight: a_c = N' Vc dlambda/dt (Zarchan ch. 2, eq. 2.1).
    d = max(math.sqrt(qx * qx + qy * qy + qz * qz), 1e-9)
    ux, uy, uz = qx / d, qy / d, qz / d
    along = wx * ux + wy * uy + wz * uz
    lx, ly, lz = (wx - along * ux) / d, (wy - along * uy) / d, (wz - along * uz) / d
    if seeker and (p[GLINT] > 0.0 or p[ANGLE] > 0.0 or p[RECEIVER] > 0.0):
        # Seeker noise: glint (m), angle noise and range-dependent receiver noise (rad, its
        # density growing as R^4 and with the jam-to-noise ratio as R^2; Zarchan ch. 6
        # and 9), as a position error normal to the LOS. White noise of density Phi seen
        # through the seeker's tracking filter (time constant tau_n = the guidance time
        # constant) is a first-order Gauss-Markov error of variance Phi / (2 tau_n),
        # advanced exactly over the step; its change enters the measured LOS rate.
        ref = p[RECEIVER_REF] / max(true_range, 1.0)
        receiver = p[RECEIVER] / (ref**4) * (1.0 + jnr_ref * ref * ref)
        tau_n = max(p[TAU], NOISE_FILTER_MIN_S)
        sigma = math.sqrt((p[GLINT] + true_range**2 * (p[ANGLE] + receiver)) / (2.0 * tau_n))
        fresh = math.isnan(noise[0])
        decay = 0.0 if fresh else math.exp(-dt / tau_n)
        spread = sigma * math.sqrt(1.0 - decay * decay)
        ox, oy, oz = (0.0, 0.0, 0.0) if fresh else (noise[0], noise[1], noise[2])
        ex = decay * ox + spread * normal3(key, serial, step_no, 0)
        ey = decay * oy + spread * normal3(key, serial, step_no, 1)
        ez = decay * oz + spread * normal3(key, serial, step_no, 2)
        e_u = ex * ux + ey * uy + ez * uz
        ex, ey, ez = ex - e_u * ux, ey - e_u * uy, ez - e_u * uz  # normal to the LOS
        if not fresh:
            lx += (ex - ox) / (dt * d)
            ly += (ey - oy) / (dt * d)
            lz += (ez - oz) / (dt * d)
        noise[0], noise[1], noise[2] = ex, ey, ez
    gain = p[NAV] * (-along)
    cx, cy, cz = gain * lx, gain * ly, gain * lz
    if p[APN] > 0.0:  # augmented PN: + N'/2 a_T normal to the LOS (Zarchan ch. 8)
        t_u = tacc[0] * ux + tacc[1] * uy + tacc[2] * uz
        half = 0.5 * p[NAV]
        cx += half * (tacc[0] - t_u * ux)
        cy += half * (tacc[1] - t_u * uy)
        cz += half * (tacc[2] - t_u * uz)
    cx, cy, cz = cx - gax, cy - gay, cz - gaz  # gravity compensation
    # Flight control: first-order lag with time constant tau (exact over the step).
    blend = 1.0 - math.exp(-dt / p[TAU]) if p[TAU] > 0.0 else 1.0
    ax_ = acc[0] + (cx - acc[0]) * blend
    ay_ = acc[1] + (cy - acc[1]) * blend
    az_ = acc[2] + (cz - acc[2]) * blend
    a_t = ax_ * hx + ay_ * hy + az_ * hz  # fins act normal to the velocity only
    ax_, ay_, az_ = ax_ - a_t * hx, ay_ - a_t * hy, az_ - a_t * hz
    mag = math.sqrt(ax_ * ax_ + ay_ * ay_ + az_ * az_)
    scale = min(1.0, limit / max(mag, 1e-12))
    acc[0], acc[1], acc[2] = ax_ * scale, ay_ * scale, az_ * scale
    lateral = mag * scale
    # Along the velocity: thrust, drag, gravity; Heun's method over the step.
    along1 = thrust / mass + g_along
    along2 = along1
    if gravity:
        along1 -= drag_accel(p, mach_tab, cd_tab, speed, pos[2], lateral, mass)
        v_pred = max(speed + along1 * dt, 1.0)
        along2 -= drag_accel(p, mach_tab, cd_tab, v_pred, pos[2] + vel[2] * dt, lateral, mass)
    new_speed = max(speed + 0.5 * (along1 + along2) * dt, 1.0)
    nx = vel[0] + (acc[0] + gax) * dt
    ny = vel[1] + (acc[1] + gay) * dt
    nz = vel[2] + (acc[2] + gaz) * dt
    norm = new_speed / max(math.sqrt(nx * nx + ny * ny + nz * nz), 1e-9)
    nx, ny, nz = nx * norm, ny * norm, nz * norm
    pos[0] += 0.5 * (vel[0] + nx) * dt
    pos[1] += 0.5 * (vel[1] + ny) * dt
    pos[2] += 0.5 * (vel[2] + nz) * dt
    vel[0], vel[1], vel[2] = nx, ny, nz
    spent = (not thrusting) and new_speed < MIN_USEFUL_SPEED_MPS
    return closest, t_cpa, miss, spent


@njit(cache=True)
def step_many(pos, vel, acc, noise, flight_s, dt, tpos, tvel, tacc, kind, params, mach_tab,
              cd_tab, gravity, homing, seeker, key, serial, step_no, pip_go):  # fmt: skip
    """:func:`step_one` for every row (pos, vel, acc, noise (m, 3) updated in place;
    ``step_no`` counts each missile's guidance steps and is advanced; ``pip_go`` (m,) the
    time to each one's planned intercept)."""
    m = pos.shape[0]
    closest = np.zeros(m, np.bool_)
    spent = np.zeros(m, np.bool_)
    t_cpa = np.zeros(m)
    miss = np.zeros(m)
    for j in range(m):
        k = kind[j]
        closest[j], t_cpa[j], miss[j], spent[j] = step_one(
            pos[j], vel[j], acc[j], noise[j], flight_s[j], dt[j], tpos[j], tvel[j], tacc[j],
            params[k], mach_tab[k], cd_tab[k], gravity, homing[j], seeker and homing[j], key[j],
            serial[j], step_no[j], 0.0, pip_go[j],
        )  # fmt: skip
        step_no[j] += 1
    return closest, t_cpa, miss, spent


@njit(cache=True)
def target_state(p0, v0, a0, amp, omega, phase, t0, s, tpos, tvel, tacc):
    """Target at time t0 + s: constant acceleration a0 from (p0, v0) at t0 (the truth path's
    own curvature over the tick) plus a weave a(t) = amp sin(omega t + phase) (absolute
    time t), integrated in closed form from t0."""
    c0, s0 = math.cos(omega * t0 + phase), math.sin(omega * t0 + phase)
    c1, s1 = math.cos(omega * (t0 + s) + phase), math.sin(omega * (t0 + s) + phase)
    for a in range(3):
        tpos[a] = p0[a] + v0[a] * s + 0.5 * a0[a] * s * s
        tvel[a] = v0[a] + a0[a] * s
        tacc[a] = a0[a]
        if amp[a] == 0.0:
            continue
        k = amp[a] / omega
        tvel[a] -= k * (c1 - c0)
        tpos[a] -= k * ((s1 - s0) / omega - c0 * s)
        tacc[a] += amp[a] * s1


@njit(cache=True)
def fly_tick(pos, vel, acc, noise, launch_s, kind, params, mach_tab, cd_tab, max_flight_s,
             uplink_pos, uplink_vel, uplink_s, pip_s, target, target_pos0, target_vel, target_acc,
             weave_amp,
             weave_omega, weave_phase, jnr_ref, key, serial, step_no, t_prev, tick,
             seeker_range_m, min_step_s):  # fmt: skip
    """Fly each missile over the tick (t_prev, t_prev + tick] on its own clock.

    Midcourse the missile guides on its uplinked track, extrapolated, its loft shaped on
    the track's predicted intercept point at the planned intercept time ``pip_s`` (absolute;
    NaN: none, the loft shaped on the target itself); inside
    ``seeker_range_m`` of its real target (``target`` >= 0: row of ``target_pos0``, the
    targets' positions at t_prev, moving at ``target_vel`` with constant acceleration
    ``target_acc`` plus the weave ``weave_amp``
    sin(``weave_omega`` t + ``weave_phase``)) it homes on it with its seeker's noise.
    Its guidance step is a twentieth of its time to go, at least ``min_step_s``
    (END_GAME_STEP_S while homing), never past the tick. Returns per missile (reason
    FLYING/CLOSEST/SPENT/TIMEOUT, time of the end, miss distance, closest-approach point);
    pos, vel, acc, noise and step_no are updated in place.
    """
    m = pos.shape[0]
    reason = np.zeros(m, np.int64)
    when = np.zeros(m)
    miss = np.zeros(m)
    where = np.zeros((m, 3))
    tpos = np.zeros(3)
    tvel = np.zeros(3)
    tacc = np.zeros(3)
    for j in range(m):
        elapsed = 0.0
        k = kind[j]
        while elapsed < tick - 1e-9:
            ts = t_prev + elapsed
            if ts - launch_s[j] > max_flight_s[j]:
                reason[j], when[j] = TIMEOUT, ts
                break
            real = target[j] >= 0
            homing = False
            if real:
                i = target[j]
                target_state(target_pos0[i], target_vel[i], target_acc[i], weave_amp[i],
                             weave_omega[i], weave_phase[i], t_prev, elapsed, tpos, tvel,
                             tacc)  # fmt: skip
                gap = math.sqrt((tpos[0] - pos[j, 0]) ** 2 + (tpos[1] - pos[j, 1]) ** 2
                                + (tpos[2] - pos[j, 2]) ** 2)  # fmt: skip
                homing = gap <= seeker_range_m
            if not homing:
                for a in range(3):
                    tpos[a] = uplink_pos[j, a] + uplink_vel[j, a] * (ts - uplink_s[j])
                    tvel[a] = uplink_vel[j, a]
                    tacc[a] = 0.0
            rel2 = closing = 0.0
            for a in range(3):
                r = tpos[a] - pos[j, a]
                rel2 += r * r
                closing -= r * (tvel[a] - vel[j, a])
            time_to_go = rel2 / max(closing, 1e-9)
            floor = END_GAME_STEP_S if homing else min_step_s
            h = min(max(time_to_go / 20.0, floor), tick - elapsed)
            if ts - launch_s[j] < params[k, BOOST_S]:
                h = min(h, BOOST_STEP_S)  # resolve the climb-out at low speed
            go = pip_s[j] - ts if not math.isnan(pip_s[j]) else 0.0
            closest, t_cpa, d, spent = step_one(
                pos[j], vel[j], acc[j], noise[j], ts - launch_s[j], h, tpos, tvel, tacc,
                params[k], mach_tab[k], cd_tab[k], True, homing or not real, homing, key[j],
                serial[j], step_no[j], jnr_ref[j], go,
            )  # fmt: skip
            step_no[j] += 1
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
