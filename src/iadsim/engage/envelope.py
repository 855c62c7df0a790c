"""Kinematic engagement envelopes, computed by flying the flyout model.

The envelope of a missile type is found by flying it, with exactly the engagement's
guided dynamics (:func:`iadsim.engage.flyout.step`: uniform boost, drag with the catalog
ballistic coefficient in the ICAO atmosphere, gravity, lofted midcourse and proportional
navigation, lateral limit shrinking with dynamic pressure), against a grid of points in
(downrange, altitude), all at once. A point is reachable when the missile arrives there
(closest approach within ARRIVAL_MISS_M), can still pull MIN_LATERAL_G at the dynamic
pressure there, and has at least the speed the intercept needs:
MIN_USEFUL_SPEED_MPS head-on, CROSSING_SPEED_RATIO times the target's speed against a
crossing target (the usual speed advantage a lead-pursuit intercept of a crossing target
needs). This is the "kinematic boundary" of Zarchan, *Tactical and Strategic Missile
Guidance*, 6th ed., ch. 21, computed by simulation rather than closed form.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iadsim._arrays import first_failure_index, reach_before_failure
from iadsim.engage import flyout
from iadsim.engage.flyout_kernel import MIN_USEFUL_SPEED_MPS
from iadsim.truth.trajectories import G0

SPEED_LEVELS_MPS = np.arange(MIN_USEFUL_SPEED_MPS, 4001.0, 50.0)
CROSSING_SPEED_RATIO = 1.5
ARRIVAL_MISS_M = 50.0
MIN_LATERAL_G = 3.0  # lateral acceleration the missile must still have on arrival
STEP_S = 0.5
N_RANGES, ALT_STEP_M, ALT_TOP_M = 40, 1000.0, 45_000.0


@dataclass
class Envelope:
    """Largest reachable ground range per altitude and needed arrival speed.

    range_m[a, s]: max ground range at altitude altitudes_m[a] reached with speed >=
    SPEED_LEVELS_MPS[s] (0 if none); time_s[a, s]: the flight time to that point.
    """

    altitudes_m: np.ndarray
    range_m: np.ndarray
    time_s: np.ndarray
    max_altitude_m: float

    def reach_m(self, altitude_m, needed_speed_mps) -> np.ndarray:
        """Max ground range at the given altitudes for the given needed arrival speeds."""
        alt = np.asarray(altitude_m, float)
        s = np.clip(
            np.searchsorted(SPEED_LEVELS_MPS, np.asarray(needed_speed_mps) - 1e-9),
            0,
            len(SPEED_LEVELS_MPS) - 1,
        )
        # Conservative between grid rows: the smaller reach of the two neighbouring rows.
        upper = np.clip(np.searchsorted(self.altitudes_m, alt), 0, len(self.altitudes_m) - 1)
        lower = np.clip(upper - 1, 0, None)
        reach = np.minimum(self.range_m[lower, s], self.range_m[upper, s])
        return np.where(alt <= self.altitudes_m[-1], reach, 0.0)

    def contains(self, ground_m, altitude_m, needed_speed_mps) -> np.ndarray:
        """True where (ground range, altitude) is reachable with the needed arrival speed."""
        return np.asarray(ground_m) <= self.reach_m(altitude_m, needed_speed_mps)


def fly_grid(burnout_speed, boost_s, max_accel, beta, ground_m, altitudes_m) -> dict:
    """Fly one missile at every (altitude, ground) grid point: arrival speed, time, miss."""
    gg, aa = np.meshgrid(ground_m, altitudes_m)
    targets = np.stack([np.zeros(gg.size), gg.ravel(), aa.ravel()], axis=-1)
    n = len(targets)
    missiles = flyout.Interceptors()
    launcher = np.array([0.0, 0.0, 5.0])
    aim = flyout.loft_aim(targets - launcher, targets[:, 2])
    heading = aim / np.linalg.norm(aim, axis=-1, keepdims=True)
    missiles.launch(
        pos=np.tile(launcher, (n, 1)),
        vel=heading * 0.02 * burnout_speed,
        launch_s=np.zeros(n),
        burnout_speed=np.full(n, burnout_speed),
        boost_s=np.full(n, boost_s),
        max_accel=np.full(n, max_accel),
        beta=np.full(n, beta),
        max_flight_s=np.full(n, flyout.MAX_FLIGHT_S),
        target=np.zeros(n, int),
        missile_type=np.zeros(n, int),
        unit=np.zeros(n, int),
        track_key=np.zeros(n, int),
    )
    speed_at = np.zeros(n)
    time_at = np.full(n, np.inf)
    miss_at = np.full(n, np.inf)
    still = np.zeros((n, 3))
    t = 0.0
    while t < flyout.MAX_FLIGHT_S and missiles.flying.any():
        idx = np.flatnonzero(missiles.flying)
        out = flyout.step(missiles, idx, t, STEP_S, targets[idx], still[idx])
        done = out["closest"] | out["spent"]
        hit = out["closest"] & ~out["spent"]
        speed_at[idx[hit]] = np.linalg.norm(missiles.vel[idx[hit]], axis=-1)
        time_at[idx[hit]] = t + out["t_cpa"][hit]
        miss_at[idx[hit]] = out["miss_m"][hit]
        missiles.flying[idx[done]] = False
        t += STEP_S
    shape = gg.shape
    return {
        "speed": speed_at.reshape(shape),
        "time": time_at.reshape(shape),
        "miss": miss_at.reshape(shape),
    }


def compute_envelope(burnout_speed, boost_s, max_accel, beta, max_range_m) -> Envelope:
    """Envelope of one missile type over ground ranges up to 1.5 x its published range."""
    ground = np.linspace(1000.0, 1.5 * max_range_m, N_RANGES)
    alts = np.arange(0.0, ALT_TOP_M + 1.0, ALT_STEP_M) + 50.0
    flown = fly_grid(burnout_speed, boost_s, max_accel, beta, ground, alts)
    # Arrived, and still able to pull MIN_LATERAL_G there to home on a real target.
    agile = flyout.available_accel(max_accel, flown["speed"], alts[:, None]) >= MIN_LATERAL_G * G0
    arrived = (flown["miss"] <= ARRIVAL_MISS_M) & agile
    reach = np.zeros((len(alts), len(SPEED_LEVELS_MPS)))
    when = np.full((len(alts), len(SPEED_LEVELS_MPS)), np.inf)
    for s, level in enumerate(SPEED_LEVELS_MPS):
        ok = arrived & (flown["speed"] >= level)
        # Reachable out to the first grid range that fails (a contiguous envelope).
        first_fail = first_failure_index(ok)
        reach[:, s] = reach_before_failure(ground, first_fail)
        last = np.maximum(first_fail - 1, 0)
        when[:, s] = np.where(first_fail > 0, flown["time"][np.arange(len(alts)), last], np.inf)
    reachable = np.flatnonzero(reach[:, 0] > 0)
    top = float(alts[reachable[-1]]) if len(reachable) else 0.0
    return Envelope(alts, reach, when, top)
