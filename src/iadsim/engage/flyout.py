"""Interceptor flyout: 3-DOF point masses under proportional navigation, vectorised.

Guidance is true proportional navigation, a = N' Vc dlambda/dt applied normal to the
line of sight (Zarchan, *Tactical and Strategic Missile Guidance*, 6th ed., ch. 2,
eq. 2.1), in vector form a = N' Vc (V_r - (V_r . u) u) / |R| with u = R / |R|. Only the
component normal to the missile velocity steers it (a point mass cannot push along its
velocity with its fins); it is limited to the missile's lateral acceleration limit.
The motor accelerates the missile uniformly to burnout speed over the boost time; after
burnout the speed is held (drag and gravity are not modelled in this first-order flyout).

The closest approach is found inside each integration step by assuming straight-line
relative motion over the step, so the miss distance does not depend on the step size
the way a sampled distance would (Zarchan ch. 2 computes miss distance the same way).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

G0 = 9.80665
NAV_CONSTANT = 4.0


@dataclass
class Interceptors:
    """Missiles launched so far (axis 0 = missile); rows are appended, never removed."""

    pos: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))
    vel: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))
    launch_s: np.ndarray = field(default_factory=lambda: np.zeros(0))
    burnout_speed: np.ndarray = field(default_factory=lambda: np.zeros(0))
    boost_s: np.ndarray = field(default_factory=lambda: np.zeros(0))
    max_accel: np.ndarray = field(default_factory=lambda: np.zeros(0))
    max_flight_s: np.ndarray = field(default_factory=lambda: np.zeros(0))
    target: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    aim: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))
    missile_type: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    unit: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    track_key: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
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


def step(
    missiles: Interceptors,
    idx: np.ndarray,
    time_s: float,
    dt: float,
    target_pos: np.ndarray,
    target_vel: np.ndarray,
    nav_constant: float = NAV_CONSTANT,
) -> dict[str, np.ndarray]:
    """Advance missiles ``idx`` by dt against targets at (target_pos, target_vel) (m, 3).

    Returns ``closest`` (bool: closest approach reached within this step), ``t_cpa`` (time
    offset in the step) and ``miss_m``. Positions and velocities are updated in place.
    """
    pos, vel = missiles.pos[idx], missiles.vel[idx]
    rel_pos = target_pos - pos
    rel_vel = target_vel - vel
    t_cpa, miss = closest_approach(rel_pos, rel_vel, dt)
    flight = time_s - missiles.launch_s[idx]
    # An opening geometry during boost (slow missile, receding target) is not an end game.
    end_game = (flight >= missiles.boost_s[idx]) | (np.linalg.norm(rel_pos, axis=-1) < 2000.0)
    closest = (t_cpa < dt) & end_game
    acc = pn_acceleration(rel_pos, rel_vel, vel, nav_constant, missiles.max_accel[idx])
    speed = np.linalg.norm(vel, axis=-1)
    boosting = flight < missiles.boost_s[idx]
    thrust = missiles.burnout_speed[idx] / np.maximum(missiles.boost_s[idx], 1e-9)
    new_speed = np.where(
        boosting, np.minimum(speed + thrust * dt, missiles.burnout_speed[idx]), speed
    )
    new_vel = vel + acc * dt
    new_vel *= (new_speed / np.maximum(np.linalg.norm(new_vel, axis=-1), 1e-9))[:, None]
    missiles.pos[idx] = pos + 0.5 * (vel + new_vel) * dt
    missiles.vel[idx] = new_vel
    return {"closest": closest, "t_cpa": t_cpa, "miss_m": miss}
