"""Interceptor flyout: 3-DOF point masses under proportional navigation, vectorised.

Guidance is true proportional navigation, a = N' Vc dlambda/dt applied normal to the
line of sight (Zarchan, *Tactical and Strategic Missile Guidance*, 6th ed., ch. 2,
eq. 2.1), in vector form a = N' Vc (V_r - (V_r . u) u) / |R| with u = R / |R|, plus
gravity compensation (the autopilot cancels the part of gravity normal to the velocity;
Zarchan ch. 2). Only the component normal to the missile velocity steers it (a point mass
cannot push along its velocity with its fins); it is limited to the missile's lateral
acceleration limit, which shrinks with dynamic pressure q = rho v^2 / 2 as
a_max(q) = a_max * min(1, q / Q_FULL_MANEUVER_PA): fins need air (Zarchan ch. 21 models
the available g as proportional to q).

Along the velocity: during the boost the motor accelerates the missile uniformly to its
burnout speed (thrust taken to balance drag and gravity, a first-order boost model);
after burnout it coasts, decelerated by drag D / m = q / beta (beta = m / (C_D A), the
ballistic coefficient from the catalog; air density from the ICAO standard atmosphere,
:mod:`iadsim.engage.atmosphere`) and by the component of gravity along the velocity
(Zarchan ch. 12 for drag with the ballistic coefficient).

The closest approach is found inside each integration step by assuming straight-line
relative motion over the step, so the miss distance does not depend on the step size
the way a sampled distance would (Zarchan ch. 2 computes miss distance the same way).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from iadsim.engage.atmosphere import density_kg_m3
from iadsim.engage.flyout_kernel import (  # the model's constants live with the kernel
    NAV_CONSTANT,
    Q_FULL_MANEUVER_PA,
    loft_heights,
    step_many,
)

MAX_FLIGHT_S = 300.0  # guidance battery / self-destruct time (estimate)
SEEKER_RANGE_M = 20_000.0  # terminal homing on the real target inside this range (estimate)


@dataclass
class Interceptors:
    """Missiles launched so far (axis 0 = missile); rows are appended, never removed."""

    pos: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))
    vel: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))
    launch_s: np.ndarray = field(default_factory=lambda: np.zeros(0))
    burnout_speed: np.ndarray = field(default_factory=lambda: np.zeros(0))
    boost_s: np.ndarray = field(default_factory=lambda: np.zeros(0))
    max_accel: np.ndarray = field(default_factory=lambda: np.zeros(0))
    beta: np.ndarray = field(default_factory=lambda: np.zeros(0))  # ballistic coeff., kg/m^2
    max_flight_s: np.ndarray = field(default_factory=lambda: np.zeros(0))
    target: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    # Midcourse uplink: the fire unit's latest track state of the target, and its time.
    uplink_pos: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))
    uplink_vel: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))
    uplink_s: np.ndarray = field(default_factory=lambda: np.zeros(0))
    missile_type: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    unit: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    track_key: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    # A second track of the same object (a fused network track's other local track), so
    # the engagement follows the object when one of the two tracks is dropped.
    alt_track_key: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    flying: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))

    def __len__(self) -> int:
        return len(self.launch_s)

    def launch(self, **rows: np.ndarray) -> np.ndarray:
        """Append missiles; returns their indices."""
        start = len(self)
        for name, value in rows.items():
            setattr(self, name, np.concatenate([getattr(self, name), np.asarray(value)]))
        self.flying = np.concatenate([self.flying, np.ones(len(rows["launch_s"]), bool)])
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


def loft_aim(rel_pos: np.ndarray, target_alt_m: np.ndarray, target_vz=None) -> np.ndarray:
    """Midcourse aim point relative to the missile: the target raised by the loft bias.

    Diving targets (ballistic re-entry, vertical speed below -DIVE_MPS) are met head-on
    without a loft: climbing above them would leave no air to manoeuvre in.
    """
    n = len(rel_pos)
    ground_to_go = np.sqrt(rel_pos[:, 0] * rel_pos[:, 0] + rel_pos[:, 1] * rel_pos[:, 1])
    vz = np.zeros(n) if target_vz is None else target_vz
    aim = np.array(rel_pos, float)
    aim[:, 2] += loft_heights(ground_to_go, *(np.broadcast_to(np.asarray(a, float), (n,))
                                              for a in (target_alt_m, vz)))  # fmt: skip
    return aim


def available_accel(max_accel, speed, altitude_m) -> np.ndarray:
    """Lateral acceleration limit at the current dynamic pressure (module docstring)."""
    q = 0.5 * density_kg_m3(altitude_m) * speed**2
    return np.asarray(max_accel, float) * np.minimum(1.0, q / Q_FULL_MANEUVER_PA)


def step(
    missiles: Interceptors,
    idx: np.ndarray,
    time_s,
    dt,
    target_pos: np.ndarray,
    target_vel: np.ndarray,
    nav_constant: float = NAV_CONSTANT,
    gravity: bool = True,
    homing: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Advance missiles ``idx`` by dt against targets at (target_pos, target_vel) (m, 3).

    Returns ``closest`` (bool: closest approach reached within this step), ``t_cpa`` (time
    offset in the step), ``miss_m`` and ``spent`` (bool: a coasting missile below
    MIN_USEFUL_SPEED_MPS). Positions and velocities are updated in place. ``gravity=False``
    flies in free space without drag (for checks against closed forms). ``homing`` (bool per
    missile, default all) marks missiles whose target states are the seeker's view of the
    real target; the others guide on an uplinked track and cannot end their flight here.
    ``time_s`` and ``dt`` are scalars or one value per missile (each missile keeps its own
    clock and step). The step itself is compiled (:func:`iadsim.engage.flyout_kernel.step_one`).
    """
    m = len(idx)
    pos, vel = missiles.pos[idx], missiles.vel[idx]
    closest, t_cpa, miss, spent = step_many(
        pos, vel,
        np.broadcast_to(np.asarray(time_s, float), (m,)) - missiles.launch_s[idx],
        np.broadcast_to(np.asarray(dt, float), (m,)),
        np.ascontiguousarray(target_pos, float), np.ascontiguousarray(target_vel, float),
        missiles.burnout_speed[idx], missiles.boost_s[idx], missiles.max_accel[idx],
        missiles.beta[idx], float(nav_constant), bool(gravity),
        np.ones(m, bool) if homing is None else np.asarray(homing, bool),
    )  # fmt: skip
    missiles.pos[idx] = pos
    missiles.vel[idx] = vel
    return {"closest": closest, "t_cpa": t_cpa, "miss_m": miss, "spent": spent}
