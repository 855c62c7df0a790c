"""Interceptor flyout: 3-DOF point masses with a motor, Mach-dependent drag and a lagged
guidance loop under proportional navigation, vectorised (compiled in
:mod:`iadsim.engage.flyout_kernel`).

Along the velocity: m dv/dt = T(t) - D - m g sin(gamma). The motor gives boost and
sustain thrust T = I / t_b over each burn while the mass falls by T / (Isp g0) (Sutton &
Biblarz, *Rocket Propulsion Elements*, 9th ed., ch. 2-3). Drag D = q S (C_D0(M) + C_Di):
zero-lift drag from the catalog's Mach table, drag due to lift C_Di = C_L^2 / C_N_alpha for
the lift the missile pulls, C_L = m a_lat / (q S) (Fleeman, *Tactical Missile Design*, 2nd
ed., ch. 2; Zarchan, *Tactical and Strategic Missile Guidance*, 6th ed., ch. 21); ICAO
atmosphere (:mod:`iadsim.engage.atmosphere`). Integrated with Heun's method per step, the
thrust as the impulse delivered over the step, the mass at mid-step.

Normal to the velocity: true proportional navigation a_c = N' Vc dlambda/dt (Zarchan ch. 2,
eq. 2.1), in vector form N' Vc (V_r - (V_r . u) u) / |R|, or augmented PN (+ N'/2 of the
target acceleration normal to the line of sight, Zarchan ch. 8) for hit-to-kill rounds;
plus gravity compensation. The achieved acceleration follows the command through a
first-order flight-control lag with the catalog time constant (Zarchan ch. 3, the single
time-constant guidance system), only its part normal to the velocity acts, and it is
limited to min(a_max, q S C_N_alpha alpha_max / m): the lift the airframe can trim, which
vanishes in thin air (Zarchan ch. 21), so the ceiling is a result of the flight.

While homing the seeker measures the line of sight with white glint noise (m), angle
noise (rad) and receiver noise whose density grows as R^4 (signal-to-noise ratio falling
as R^-4) and with a self-screening jammer's jam-to-noise ratio (Zarchan ch. 6 and 9),
seen through the seeker's tracking filter as a first-order Gauss-Markov error. So the miss
distance comes from the loop dynamics: a Monte Carlo miss distance in Zarchan's sense
(ch. 6).

Midcourse the aim point is lofted (raised by half the ground range to go beyond 15 km, up
to the missile's loft ceiling, none against fast divers). The closest approach is found
inside each integration step by assuming straight-line relative motion over the step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np

from iadsim.engage import flyout_kernel as kern
from iadsim.engage.airframe import Airframes
from iadsim.engage.atmosphere import density_kg_m3
from iadsim.engage.flyout_kernel import loft_aims, step_many

MAX_FLIGHT_S = 400.0  # guidance battery / self-destruct time (estimate)
SEEKER_RANGE_M = 20_000.0  # terminal homing on the real target inside this range (estimate)
LAUNCH_SPEED_MPS = 30.0  # speed leaving the launcher (cold ejection / canister exit; estimate)


class FlightEnd(IntEnum):
    """How a missile's flight ended (``Interceptors.end``), for the reports."""

    FLYING = 0  # still in the air (or the run ended first)
    CLOSEST_APPROACH = 1  # assessed in the end game: killed, missed or the target survived
    OUT_OF_ENERGY = 2  # too slow to guide before reaching its target
    OUT_OF_TIME = 3  # its guidance battery / self-destruct time ran out
    TARGET_GONE = 4  # its target was destroyed or reached its aim point first
    FALSE_TRACK = 5  # flew to a false track's point and found nothing


@dataclass
class Interceptors:
    """Missiles launched so far (axis 0 = missile); rows are appended, never removed."""

    pos: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))
    vel: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))
    launch_s: np.ndarray = field(default_factory=lambda: np.zeros(0))
    # Achieved lateral acceleration (flight-control lag state) and last seeker noise (NaN:
    # not homing yet); guidance steps flown (the noise counter); stream key; launch number.
    acc: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))
    noise: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))
    steps: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    key: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))
    serial: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    max_flight_s: np.ndarray = field(default_factory=lambda: np.zeros(0))
    target: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    # Midcourse uplink: the fire unit's latest track state of the target, and its time.
    uplink_pos: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))
    uplink_vel: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))
    uplink_s: np.ndarray = field(default_factory=lambda: np.zeros(0))
    # Planned intercept time (absolute, s; NaN: none): the loft is shaped on the uplinked
    # track's predicted intercept point at that time.
    intercept_s: np.ndarray = field(default_factory=lambda: np.zeros(0))
    missile_type: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    unit: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    track_key: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    # A second track of the same object (a fused network track's other local track), so
    # the engagement follows the object when one of the two tracks is dropped.
    alt_track_key: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    flying: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    end: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))  # FlightEnd

    def __len__(self) -> int:
        return len(self.launch_s)

    def launch(self, **rows: np.ndarray) -> np.ndarray:
        """Append missiles; returns their indices. The guidance state (acc, noise, steps)
        starts empty; ``key`` and ``serial`` default to 0 and the row number."""
        start = len(self)
        m = len(rows["launch_s"])
        rows.setdefault("acc", np.zeros((m, 3)))
        rows.setdefault("noise", np.full((m, 3), np.nan))
        rows.setdefault("steps", np.zeros(m, np.int64))
        rows.setdefault("key", np.zeros(m, np.uint64))
        rows.setdefault("serial", np.arange(start, start + m, dtype=np.int64))
        rows.setdefault("intercept_s", np.full(m, np.nan))
        for name, value in rows.items():
            old = getattr(self, name)
            setattr(self, name, np.concatenate([old, np.asarray(value, old.dtype)]))
        self.flying = np.concatenate([self.flying, np.ones(len(rows["launch_s"]), bool)])
        self.end = np.concatenate([self.end, np.full(m, FlightEnd.FLYING, np.int8)])
        return np.arange(start, len(self))


def pn_acceleration(rel_pos, rel_vel, missile_vel, nav_constant, max_accel) -> np.ndarray:
    """Commanded lateral acceleration (m, 3) of true PN, normal to the missile velocity."""
    dist = np.linalg.norm(rel_pos, axis=-1, keepdims=True)
    u = rel_pos / np.maximum(dist, 1e-9)
    closing = -np.sum(rel_vel * u, axis=-1, keepdims=True)
    los_rate_vec = (rel_vel - np.sum(rel_vel * u, axis=-1, keepdims=True) * u) / np.maximum(
        dist, 1e-9
    )
    acc = nav_constant * closing * los_rate_vec
    speed = np.linalg.norm(missile_vel, axis=-1, keepdims=True)
    t_hat = missile_vel / np.maximum(speed, 1e-9)
    acc = acc - np.sum(acc * t_hat, axis=-1, keepdims=True) * t_hat
    mag = np.linalg.norm(acc, axis=-1, keepdims=True)
    limit = np.asarray(max_accel, float).reshape(-1, 1)
    return acc * np.minimum(1.0, limit / np.maximum(mag, 1e-12))


def closest_approach(rel_pos, rel_vel, dt) -> tuple[np.ndarray, np.ndarray]:
    """Time in [0, dt] and distance of closest approach for straight relative motion."""
    vv = np.sum(rel_vel * rel_vel, axis=-1)
    t_star = np.clip(-np.sum(rel_pos * rel_vel, axis=-1) / np.maximum(vv, 1e-12), 0.0, dt)
    miss = np.linalg.norm(rel_pos + rel_vel * t_star[..., None], axis=-1)
    return t_star, miss


def loft_aim(rel_pos: np.ndarray, target_alt_m, ceiling_m, target_vz=None,
             missile_alt_m=0.0) -> np.ndarray:  # fmt: skip
    """Midcourse aim vectors (m, 3) relative to missiles at ``missile_alt_m`` for target
    offsets ``rel_pos``: the lofted aim of :func:`iadsim.engage.flyout_kernel.loft_aim_one`
    (towards the loft ceiling ``ceiling_m`` half way to the target, then a dive on it)."""
    rel = np.ascontiguousarray(rel_pos, float)
    n = len(rel)
    vz = np.zeros(n) if target_vz is None else target_vz
    args = (np.ascontiguousarray(np.broadcast_to(np.asarray(a, float), (n,)))
            for a in (missile_alt_m, target_alt_m, vz, ceiling_m))  # fmt: skip
    return loft_aims(rel, *args)


def available_accel(params: np.ndarray, speed, altitude_m, mass_kg) -> np.ndarray:
    """Lateral acceleration available, min(a_max, q S C_N_alpha alpha_max / m + a_divert)
    (module docstring); ``params`` is one kernel row or one per point."""
    p = np.asarray(params, float)
    q = 0.5 * density_kg_m3(altitude_m) * np.asarray(speed, float) ** 2
    aero = q * p[..., kern.AREA] * p[..., kern.CN_ALPHA] * p[..., kern.ALPHA_MAX] / mass_kg
    return np.minimum(p[..., kern.ACCEL_MAX], aero + p[..., kern.DIVERT])


def step(
    missiles: Interceptors,
    idx: np.ndarray,
    time_s,
    dt,
    target_pos: np.ndarray,
    target_vel: np.ndarray,
    airframes: Airframes,
    gravity: bool = True,
    homing: np.ndarray | None = None,
    target_acc: np.ndarray | None = None,
    seeker: bool = True,
) -> dict[str, np.ndarray]:
    """Advance missiles ``idx`` by dt against targets at (target_pos, target_vel) (m, 3).

    Returns ``closest`` (bool: closest approach reached within this step), ``t_cpa`` (time
    offset in the step), ``miss_m`` and ``spent`` (bool: a coasting missile below
    MIN_USEFUL_SPEED_MPS). The missiles' state is updated in place. ``airframes`` holds the
    types indexed by ``missiles.missile_type``. ``gravity=False`` flies in free space (no
    gravity, no air). ``homing`` (bool per missile, default all) marks missiles whose target
    states are the seeker's view of the real target (with its noise when ``seeker``); the
    others guide on an uplinked track and cannot end their flight here. ``target_acc``
    (m, 3) is the target acceleration augmented PN feeds forward. ``time_s`` and ``dt``
    are scalars or one value per missile (each missile keeps its own clock and step).
    """
    m = len(idx)
    pos, vel = missiles.pos[idx], missiles.vel[idx]
    acc, noise, steps = missiles.acc[idx], missiles.noise[idx], missiles.steps[idx]
    tacc = np.zeros((m, 3)) if target_acc is None else np.ascontiguousarray(target_acc, float)
    closest, t_cpa, miss, spent = step_many(
        pos, vel, acc, noise,
        np.broadcast_to(np.asarray(time_s, float), (m,)) - missiles.launch_s[idx],
        np.ascontiguousarray(np.broadcast_to(np.asarray(dt, float), (m,))),
        np.ascontiguousarray(target_pos, float), np.ascontiguousarray(target_vel, float), tacc,
        missiles.missile_type[idx], airframes.params, airframes.mach, airframes.cd0,
        bool(gravity), np.ones(m, bool) if homing is None else np.asarray(homing, bool),
        bool(seeker), missiles.key[idx], missiles.serial[idx], steps, np.zeros(m),
    )  # fmt: skip
    missiles.pos[idx], missiles.vel[idx] = pos, vel
    missiles.acc[idx], missiles.noise[idx], missiles.steps[idx] = acc, noise, steps
    return {"closest": closest, "t_cpa": t_cpa, "miss_m": miss, "spent": spent}
