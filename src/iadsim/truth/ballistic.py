"""Ballistic missile flight over a round earth: boost, drag, inverse-square gravity.

Point-mass equations of motion in the plane of the launch-aim great circle, in an
earth-centred frame (Zarchan, *Tactical and Strategic Missile Guidance*, 6th ed., ch. 13-14,
"strategic missiles": gravity -mu r / |r|^3; Regan & Anandakrishnan, *Dynamics of
Atmospheric Re-Entry*, AIAA 1993, ch. 2-3):

    dr/dt = v,  dv/dt = -mu r / |r|^3 + (F u_thrust - D v / |v|) / m

* Motor: constant thrust F = g0 Isp mdot over the burn, mass m(t) = m0 - mdot t falling as the
  propellant burns (Sutton & Biblarz, *Rocket Propulsion Elements*, 9th ed., eqs. 2-5, 3-29).
  The thrust direction follows a pitch programme: vertical for ``vertical_s``, then a
  linear pitch-over to ``theta_bo`` (from the local horizontal) at burn-out.
* Drag D = 1/2 rho v^2 Cd(M) S with rho from the ICAO standard atmosphere (ambiance) and the
  Mach number from its speed of sound; Cd(M) is the catalog's tabulated zero-lift curve.
* Aim: two controls per shot, the burn-out pitch and the fraction of the propellant burned
  (thrust termination / energy management), are solved by Newton iteration so that the
  missile lands at the aim's great-circle range with the requested apogee. A low apogee for
  the range gives the depressed trajectory.

Earth rotation is left out: at these ranges (<= ~1,000 km, <= ~10 min of flight) the
Coriolis acceleration 2 Omega v is ~0.3 m/s^2 and moves the impact by a few km, an error the
aim solution in the earth frame would absorb (the shot is re-aimed); the shape of the path
seen by the radars changes by far less than the radar measurement error at such range.

The integrator is a fixed-step 4th-order Runge-Kutta (Numba), vectorised over the shots.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
from ambiance import Atmosphere
from numba import njit

MU_EARTH = 3.986004418e14  # m^3/s^2, WGS84 (NIMA TR8350.2, table 3.1)
EARTH_RADIUS_M = 6_371_000.0  # mean radius of the sphere
G0 = 9.80665
DT_S = 0.1

# Standard-atmosphere tables (ICAO 1993 via ambiance), log density and speed of sound.
_ATM_TOP_M = 81_000.0
_ATM_H = np.arange(0.0, _ATM_TOP_M + 1.0, 250.0)
_ATM = Atmosphere(_ATM_H)
_ATM_LOG_RHO = np.log(_ATM.density)
_ATM_SOUND = np.asarray(_ATM.speed_of_sound, float)
_ATM_SCALE_TOP = 250.0 / (_ATM_LOG_RHO[-2] - _ATM_LOG_RHO[-1])


@dataclass(frozen=True)
class MissileBody:
    """Mass, motor and aerodynamics of a ballistic missile (SI units)."""

    launch_mass_kg: float
    propellant_mass_kg: float
    burn_time_s: float
    isp_s: float
    reference_area_m2: float
    cd_mach: tuple[float, ...]
    cd_values: tuple[float, ...]
    vertical_s: float = 4.0
    pitch_over_s: float = 10.0

    @property
    def thrust_n(self) -> float:
        return G0 * self.isp_s * self.propellant_mass_kg / self.burn_time_s


def missile_body(spec) -> MissileBody:
    """A :class:`MissileBody` from a catalog ``ballistic`` block (catalog/schema.py)."""
    return MissileBody(
        launch_mass_kg=spec.launch_mass_kg.value,
        propellant_mass_kg=spec.propellant_mass_kg.value,
        burn_time_s=spec.burn_time_s.value,
        isp_s=spec.isp_s.value,
        reference_area_m2=np.pi * spec.diameter_m.value**2 / 4.0,
        cd_mach=tuple(spec.drag.mach),
        cd_values=tuple(spec.drag.cd),
        pitch_over_s=0.5 * spec.burn_time_s.value,
    )


@njit(cache=True)
def _density(h, grid, log_rho, scale_top, top):
    if h > top:
        return np.exp(log_rho[-1] - (h - top) / scale_top)
    return np.exp(np.interp(max(h, 0.0), grid, log_rho))


@njit(cache=True)
def _deriv(t, x, z, vx, vz, theta_bo, burning, p, grid, log_rho, sound, scale_top, top, mach, cd):
    """Accelerations at one state.

    p = [m0, mdot, thrust, area, vertical_s, mu, radius, pitch-over end, burn-out mass].
    """
    m0, mdot, thrust, area, t_vert, mu, radius = p[0], p[1], p[2], p[3], p[4], p[5], p[6]
    r = np.sqrt(x * x + z * z)
    h = r - radius
    ux, uz = x / r, z / r  # local up
    hx, hz = uz, -ux  # local downrange horizontal
    g = -mu / (r * r)
    ax, az = g * ux, g * uz
    m = m0 - mdot * t if burning else p[8]
    if burning:
        if t < t_vert:
            th = 0.5 * np.pi
        else:
            frac = min((t - t_vert) / max(p[7] - t_vert, 1e-9), 1.0)
            th = 0.5 * np.pi + (theta_bo - 0.5 * np.pi) * frac
        c, s = np.cos(th), np.sin(th)
        ax += thrust / m * (c * hx + s * ux)
        az += thrust / m * (c * hz + s * uz)
    v = np.sqrt(vx * vx + vz * vz)
    if v > 0.0 and h < 200_000.0:
        rho = _density(h, grid, log_rho, scale_top, top)
        a_snd = np.interp(min(max(h, 0.0), top), grid, sound)
        drag = 0.5 * rho * v * v * np.interp(v / a_snd, mach, cd) * area
        ax -= drag / m * vx / v
        az -= drag / m * vz / v
    return ax, az


@njit(cache=True)
def _fly_kernel(theta_bo, burn_frac, v0, gamma0, p, burn_full, grid, log_rho, sound, scale_top,
                top, mach, cd, dt_nom, n_max, record):  # fmt: skip
    """Integrate each shot until it hits the ground. Returns range angle, apogee, time of
    flight and (if record) samples (t, psi, h, ground speed, climb rate) per step."""
    m = theta_bo.shape[0]
    radius = p[6]
    psi_end = np.zeros(m)
    apogee = np.zeros(m)
    t_end = np.zeros(m)
    n_rec = n_max if record else 1
    rec = np.full((m, n_rec, 5), np.nan)
    for i in range(m):
        burn_end = burn_full * burn_frac[i]
        p[8] = p[0] - p[1] * burn_end  # burn-out mass
        x, z = 0.0, radius
        vx = v0[i] * np.cos(gamma0[i])
        vz = v0[i] * np.sin(gamma0[i])
        t = 0.0
        hmax = 0.0
        for k in range(n_max):
            r = np.sqrt(x * x + z * z)
            h = r - radius
            psi = np.arctan2(x, z)
            if record:
                vr = (x * vx + z * vz) / r
                vt = (z * vx - x * vz) / r
                rec[i, k, 0] = t
                rec[i, k, 1] = psi
                rec[i, k, 2] = h
                rec[i, k, 3] = vt * radius / r
                rec[i, k, 4] = vr
            hmax = max(hmax, h)
            # One RK4 step; a step ends exactly at burn-out so the cut-off is resolved.
            dt = dt_nom
            if t < burn_end < t + dt:
                dt = burn_end - t
            # Thrust is on for the whole step or off for it (steps end at burn-out).
            on = t < burn_end - 1e-9
            a1x, a1z = _deriv(t, x, z, vx, vz, theta_bo[i], on, p, grid, log_rho, sound,
                              scale_top, top, mach, cd)  # fmt: skip
            x2, z2 = x + 0.5 * dt * vx, z + 0.5 * dt * vz
            vx2, vz2 = vx + 0.5 * dt * a1x, vz + 0.5 * dt * a1z
            a2x, a2z = _deriv(t + 0.5 * dt, x2, z2, vx2, vz2, theta_bo[i], on, p, grid,
                              log_rho, sound, scale_top, top, mach, cd)  # fmt: skip
            x3, z3 = x + 0.5 * dt * vx2, z + 0.5 * dt * vz2
            vx3, vz3 = vx + 0.5 * dt * a2x, vz + 0.5 * dt * a2z
            a3x, a3z = _deriv(t + 0.5 * dt, x3, z3, vx3, vz3, theta_bo[i], on, p, grid,
                              log_rho, sound, scale_top, top, mach, cd)  # fmt: skip
            x4, z4 = x + dt * vx3, z + dt * vz3
            vx4, vz4 = vx + dt * a3x, vz + dt * a3z
            a4x, a4z = _deriv(t + dt, x4, z4, vx4, vz4, theta_bo[i], on, p, grid,
                              log_rho, sound, scale_top, top, mach, cd)  # fmt: skip
            nx = x + dt / 6.0 * (vx + 2.0 * vx2 + 2.0 * vx3 + vx4)
            nz = z + dt / 6.0 * (vz + 2.0 * vz2 + 2.0 * vz3 + vz4)
            nvx = vx + dt / 6.0 * (a1x + 2.0 * a2x + 2.0 * a3x + a4x)
            nvz = vz + dt / 6.0 * (a1z + 2.0 * a2z + 2.0 * a3z + a4z)
            nh = np.sqrt(nx * nx + nz * nz) - radius
            if nh <= 0.0 and t > 1.0:
                w = h / (h - nh)  # linear interpolation to the ground
                psi_end[i] = psi + w * (np.arctan2(nx, nz) - psi)
                t_end[i] = t + w * dt
                if record and k + 1 < n_rec:
                    rec[i, k + 1, 0] = t_end[i]
                    rec[i, k + 1, 1] = psi_end[i]
                    rec[i, k + 1, 2] = 0.0
                    rec[i, k + 1, 3] = rec[i, k, 3]
                    rec[i, k + 1, 4] = rec[i, k, 4]
                break
            x, z, vx, vz = nx, nz, nvx, nvz
            t += dt
        else:
            psi_end[i] = np.nan
            t_end[i] = np.nan
        apogee[i] = hmax
    return psi_end, apogee, t_end, rec


def fly(body: MissileBody | None, theta_bo, burn_frac, *, v0=None, gamma0=None, drag=True,
        mu=MU_EARTH, radius=EARTH_RADIUS_M, dt=DT_S, max_time_s=3_000.0, record=False):  # fmt: skip
    """Fly shots to impact. ``body`` None flies a coasting body (no motor, no drag) from
    the initial speed ``v0`` and flight-path angle ``gamma0`` (rad).

    Returns (range angle psi (rad), apogee (m), time of flight (s), samples or None).
    """
    theta_bo = np.atleast_1d(np.asarray(theta_bo, float))
    m = theta_bo.shape[0]
    burn_frac = np.broadcast_to(np.asarray(burn_frac, float), (m,)).copy()
    v0 = np.zeros(m) if v0 is None else np.broadcast_to(np.asarray(v0, float), (m,)).copy()
    gamma0 = (
        np.full(m, 0.5 * np.pi)
        if gamma0 is None
        else np.broadcast_to(np.asarray(gamma0, float), (m,)).copy()
    )
    if body is None:
        p = np.array([1.0, 0.0, 0.0, 0.0, 0.0, mu, radius, 1.0, 1.0])
        burn_full, mach, cd = 0.0, np.array([0.0, 1.0]), np.zeros(2)
    else:
        mdot = body.propellant_mass_kg / body.burn_time_s
        area = body.reference_area_m2 if drag else 0.0
        p = np.array([body.launch_mass_kg, mdot, body.thrust_n, area, body.vertical_s, mu, radius,
                      body.vertical_s + body.pitch_over_s, 0.0])  # fmt: skip
        burn_full = body.burn_time_s
        mach, cd = np.asarray(body.cd_mach, float), np.asarray(body.cd_values, float)
    n_max = int(max_time_s / dt) + 2
    psi, apo, tof, rec = _fly_kernel(
        theta_bo, burn_frac, v0, gamma0, p, burn_full, _ATM_H, _ATM_LOG_RHO, _ATM_SOUND,
        _ATM_SCALE_TOP, _ATM_TOP_M, mach, cd, dt, n_max, record,
    )  # fmt: skip
    return psi, apo, tof, (rec if record else None)


def solve_shot(body: MissileBody, range_m: float, apogee_m: float, tol: float = 1e-4):
    """Burn-out pitch (rad) and burned propellant fraction that land ``range_m`` away
    (great-circle, on the sphere) with the given apogee. Raises ValueError if the motor
    cannot reach that range and apogee."""
    return _solve_shot_cached(body, float(range_m), float(apogee_m), tol)


@cache
def _solve_shot_cached(body, range_m, apogee_m, tol):
    target = np.array([range_m / EARTH_RADIUS_M, apogee_m])
    u = np.array([np.radians(15.0), 0.9])
    lo, hi = np.array([np.radians(2.0), 0.05]), np.array([np.radians(88.0), 1.0])
    step = np.array([2e-3, 1e-2])
    for _ in range(40):
        trial = np.array([u, u + [step[0], 0.0], u + [0.0, step[1]]])
        psi, apo, _, _ = fly(body, trial[:, 0], trial[:, 1])
        out = np.stack([psi, apo], axis=1) / target  # normalised residual space
        res = out[0] - 1.0
        if np.all(np.isfinite(out)) and np.max(np.abs(res)) < tol:
            return float(u[0]), float(u[1])
        jac = np.stack([(out[1] - out[0]) / step[0], (out[2] - out[0]) / step[1]], axis=1)
        try:
            du = np.linalg.solve(jac, -res)
        except np.linalg.LinAlgError:
            break
        scale = min(1.0, 0.3 / max(abs(du[0]), 1e-12), 0.3 / max(abs(du[1]), 1e-12))
        new = np.clip(u + scale * du, lo, hi)
        if np.allclose(new, u, atol=1e-9):
            break
        u = new
    raise ValueError(
        f"the motor cannot fly {range_m / 1e3:.0f} km with a {apogee_m / 1e3:.0f} km apogee "
        f"(closest: pitch {np.degrees(u[0]):.1f} deg, {u[1]:.0%} of the propellant)"
    )


@cache
def shot_profile(body: MissileBody, range_m: float, apogee_m: float):
    """The solved shot sampled every step: t, psi, h, ground speed, climb rate (columns)."""
    theta, frac = solve_shot(body, range_m, apogee_m)
    _, _, tof, rec = fly(body, theta, frac, record=True)
    rows = rec[0]
    return rows[np.isfinite(rows[:, 0])], float(tof[0])


def ballistic_track(body, launch_ll, aim_ll, apogee_m, frame, elapsed_s):
    """Map positions (..., 3) and velocities of a ballistic shot from ``launch_ll`` to
    ``aim_ll`` ((lat, lon) degrees) at times ``elapsed_s`` since launch; and the time of flight.

    The ground track is the WGS84 geodesic from launch to aim (pyproj.Geod); the range angle
    flown over the sphere is mapped onto it in proportion.
    """
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    az, _, dist = geod.inv(launch_ll[1], launch_ll[0], aim_ll[1], aim_ll[0])
    if dist <= 0.0:
        raise ValueError("ballistic launch and aim points coincide")
    rows, tof = shot_profile(body, float(dist), float(apogee_m))
    # Sample the ground track once on a coarse grid of the profile, then interpolate.
    s = rows[:, 1] / rows[-1, 1] * dist
    lon, lat, _ = geod.fwd(np.full(len(s), launch_ll[1]), np.full(len(s), launch_ll[0]),
                           np.full(len(s), az), s)  # fmt: skip
    x, y = frame.to_map(lat, lon)
    # Map heading of the track at each sample, from a point 100 m further along.
    lon2, lat2, _ = geod.fwd(lon, lat, np.asarray(geod.inv(lon, lat, np.full(len(s), aim_ll[1]),
                             np.full(len(s), aim_ll[0]))[0]), np.full(len(s), 100.0))  # fmt: skip
    x2, y2 = frame.to_map(lat2, lon2)
    heading = np.stack([x2 - x, y2 - y], -1)
    heading /= np.linalg.norm(heading, axis=1, keepdims=True)
    t = np.clip(elapsed_s, 0.0, tof)
    tr = rows[:, 0]
    pos = np.stack([np.interp(t, tr, x), np.interp(t, tr, y), np.interp(t, tr, rows[:, 2])], -1)
    ground = np.interp(t, tr, rows[:, 3])
    vel = np.stack(
        [ground * np.interp(t, tr, heading[:, 0]), ground * np.interp(t, tr, heading[:, 1]),
         np.interp(t, tr, rows[:, 4])], -1,
    )  # fmt: skip
    moving = (elapsed_s >= 0.0) & (elapsed_s < tof)
    return pos, np.where(moving[..., None], vel, 0.0), tof
