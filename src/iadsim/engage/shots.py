"""Shots flown whole against constant-velocity targets, as the engine flies them.

Each shot is launched the way the engine launches (:func:`iadsim.sim.fire.launch`: towards
the predicted intercept point, lofted by :func:`iadsim.engage.flyout.loft_aim`) and flown
tick by tick with the engine's kernel (:func:`iadsim.engage.flyout_kernel.fly_tick`):
midcourse on an uplink of the target's true state, homing with the seeker inside the seeker
range, until its closest approach, until it runs out of energy or out of flight time. This
is the independent check of a launch decision: the flown trajectory itself, not the
envelope table the decision was read from.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iadsim.engage import flyout
from iadsim.engage import flyout_kernel as kern
from iadsim.engage.airframe import Airframes

TICK_S = 1.0  # the uplink refresh (the engine's time step in the examples)


@dataclass
class FlownShots:
    """Per shot (axis 0): how its flight ended (``kern.CLOSEST``, ``SPENT`` or ``TIMEOUT``),
    when (s after launch), and the miss distance at closest approach (inf otherwise)."""

    reason: np.ndarray
    end_s: np.ndarray
    miss_m: np.ndarray

    @property
    def out_of_energy(self) -> np.ndarray:
        """Shots that ran out of energy or of flight time before their closest approach."""
        return self.reason != kern.CLOSEST


def fly_shots(
    airframes: Airframes,
    kinds,
    launcher_xyz,
    target_pos,
    target_vel,
    intercept_s,
    key: int = 1,
    tick_s: float = TICK_S,
) -> FlownShots:
    """Fly one missile of type ``kinds`` (n,) per shot from ``launcher_xyz`` ((3,) or (n, 3))
    at targets starting at ``target_pos`` (n, 3) with constant ``target_vel`` (n, 3), aimed
    at the intercept predicted after ``intercept_s`` (n,) s (NaN: at the target itself).
    The seeker noise comes from the counter-based streams with key ``key`` and launch
    numbers 1..n."""
    p0 = np.ascontiguousarray(target_pos, float)
    v0 = np.ascontiguousarray(target_vel, float)
    n = len(p0)
    kinds = np.broadcast_to(np.asarray(kinds, np.int64), (n,)).copy()
    launcher = np.broadcast_to(np.asarray(launcher_xyz, float), (n, 3))
    t_int = np.broadcast_to(np.asarray(intercept_s, float), (n,))
    aim = p0 + v0 * np.nan_to_num(t_int)[:, None]
    ceiling = airframes.params[kinds, kern.LOFT_CEIL]
    lofted = flyout.loft_aim(aim - launcher, aim[:, 2], ceiling, v0[:, 2], launcher[:, 2])
    direction = lofted / np.maximum(np.linalg.norm(lofted, axis=-1), 1.0)[:, None]
    pos = launcher + np.array([0.0, 0.0, 5.0])
    vel = direction * flyout.LAUNCH_SPEED_MPS
    acc, noise = np.zeros((n, 3)), np.full((n, 3), np.nan)
    steps = np.zeros(n, np.int64)
    serial = np.arange(1, n + 1, dtype=np.int64)
    keys = np.full(n, np.uint64(key))
    reason = np.full(n, kern.TIMEOUT, np.int64)
    end_s = np.full(n, flyout.MAX_FLIGHT_S)
    miss = np.full(n, np.inf)
    flying = np.ones(n, bool)
    t = 0.0
    while flying.any() and t <= flyout.MAX_FLIGHT_S:
        i = np.flatnonzero(flying)
        m = len(i)
        tp = p0[i] + v0[i] * t
        p, v, a, z, s = pos[i], vel[i], acc[i], noise[i], steps[i]
        r, w, d, _ = kern.fly_tick(
            p, v, a, z, np.zeros(m), kinds[i], airframes.params, airframes.mach, airframes.cd0,
            np.full(m, flyout.MAX_FLIGHT_S), tp, v0[i], np.full(m, t), t_int[i], np.arange(m),
            tp, v0[i], np.zeros((m, 3)),
            np.zeros((m, 3)), np.ones(m), np.zeros(m), np.zeros(m), keys[i], serial[i], s, t,
            tick_s, flyout.SEEKER_RANGE_M, 0.05,
        )  # fmt: skip
        pos[i], vel[i], acc[i], noise[i], steps[i] = p, v, a, z, s
        ended = r != kern.FLYING
        reason[i[ended]], end_s[i[ended]] = r[ended], w[ended]
        closest = r == kern.CLOSEST
        miss[i[closest]] = d[closest]
        flying[i[ended]] = False
        t += tick_s
    return FlownShots(reason, end_s, miss)
