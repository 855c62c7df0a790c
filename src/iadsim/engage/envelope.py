"""Kinematic engagement envelopes, computed by flying the flyout model.

The envelope of a missile type is found by flying it, with exactly the engagement's
guided dynamics (:func:`iadsim.engage.flyout.step`: motor, Mach-dependent drag with drag
due to lift, ICAO atmosphere, gravity, lofted midcourse, lagged proportional navigation,
lateral limit from the lift the airframe can trim), against a grid of points in
(downrange, altitude), all at once. A point is reachable when the missile arrives there
(closest approach within ARRIVAL_MISS_M), can still pull MIN_LATERAL_G at the dynamic
pressure there, and has at least the speed the intercept needs: MIN_USEFUL_SPEED_MPS
head-on, CROSSING_SPEED_RATIO times the target's speed against a crossing target (the usual
speed advantage a lead-pursuit intercept of a crossing target needs). This is the
"kinematic boundary" of Zarchan, *Tactical and Strategic Missile Guidance*, 6th ed.,
ch. 21, computed by simulation rather than closed form. Nothing in it refers to the
published figures: the grid reaches out to the vacuum range of the motor's ideal delta-v
(v^2 / g) and up to ALT_TOP_M, beyond any missile here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iadsim.engage import flyout
from iadsim.engage import flyout_kernel as kern
from iadsim.engage.airframe import Airframes, ideal_delta_v
from iadsim.engage.flyout_kernel import MIN_USEFUL_SPEED_MPS
from iadsim.truth.trajectories import G0

SPEED_LEVELS_MPS = np.arange(MIN_USEFUL_SPEED_MPS, 4001.0, 50.0)
CROSSING_SPEED_RATIO = 1.5
ARRIVAL_MISS_M = 50.0
MIN_LATERAL_G = 10.0  # lateral acceleration the missile must still have on arrival: about
# three times the 3-4 g a target can still pull at altitude (the usual 3:1 advantage rule,
# Zarchan ch. 2 and 8: PN needs N'/(N' - 2) = 2 times the target g, plus margin for lag)
STEP_S = 0.5
N_RANGES, ALT_STEP_M, ALT_TOP_M = 64, 1000.0, 60_000.0
LAUNCHER_XYZ = np.array([0.0, 0.0, 5.0])


@dataclass
class Envelope:
    """Largest reachable ground range per altitude and needed arrival speed.

    range_m[a, s]: max ground range at altitude altitudes_m[a] reached with speed >=
    SPEED_LEVELS_MPS[s] (0 if none); time_s[a, s]: the flight time to that point.
    ground_m, flight_s[a, g], speed_mps[a, g]: the flown grid (flight time and arrival
    speed to each point; inf / 0 where the missile did not arrive).
    """

    altitudes_m: np.ndarray
    range_m: np.ndarray
    time_s: np.ndarray
    max_altitude_m: float
    ground_m: np.ndarray
    flight_s: np.ndarray
    speed_mps: np.ndarray

    @property
    def max_range_m(self) -> float:
        """Head-on maximum ground range, at the best altitude."""
        return float(self.range_m[:, 0].max())

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
        """True where (ground range, altitude) is reachable with the needed arrival speed:
        the missile arrived, agile and fast enough, at all four flown grid points around
        it (holes in the envelope, where it could not turn onto the point, stay out)."""
        g = np.asarray(ground_m, float)
        a = np.asarray(altitude_m, float)
        ai, gi = self._cell(g, a)
        need = np.asarray(needed_speed_mps, float)
        v = self.speed_mps
        ok = np.ones(np.broadcast(ai, gi).shape, bool)
        for da in (0, 1):
            for dg in (0, 1):
                ok &= v[ai + da, gi + dg] >= need
        inside = (g <= self.ground_m[-1]) & (a >= self.altitudes_m[0]) & (a <= self.altitudes_m[-1])
        return ok & inside

    def _cell(self, g, a):
        gi = np.clip(np.searchsorted(self.ground_m, g) - 1, 0, len(self.ground_m) - 2)
        ai = np.clip(np.searchsorted(self.altitudes_m, a) - 1, 0, len(self.altitudes_m) - 2)
        return ai, gi

    def time_of_flight_s(self, ground_m, altitude_m) -> np.ndarray:
        """Flown time to (ground range, altitude), bilinear in the grid (inf outside it)."""
        g = np.asarray(ground_m, float)
        a = np.asarray(altitude_m, float)
        ai, gi = self._cell(g, a)
        fg = np.clip((g - self.ground_m[gi]) / (self.ground_m[gi + 1] - self.ground_m[gi]), 0, 1)
        fa = np.clip((a - self.altitudes_m[ai]) / (self.altitudes_m[ai + 1] - self.altitudes_m[ai]),
                     0, 1)  # fmt: skip
        # Below the first grid range: the time scales down with the distance.
        near = g < self.ground_m[0]
        scale = np.where(near, np.maximum(g, 1.0) / self.ground_m[0], 1.0)
        f = self.flight_s
        with np.errstate(invalid="ignore"):
            t = ((1 - fa) * ((1 - fg) * f[ai, gi] + fg * f[ai, gi + 1])
                 + fa * ((1 - fg) * f[ai + 1, gi] + fg * f[ai + 1, gi + 1]))  # fmt: skip
        return np.where(np.isfinite(t), t * scale, np.inf)


def fly_grid(airframe: Airframes, ground_m, altitudes_m, step_s: float = STEP_S) -> dict:
    """Fly one missile type (a one-row ``airframe``) at every (altitude, ground) grid point:
    arrival speed, time, miss distance and mass."""
    gg, aa = np.meshgrid(ground_m, altitudes_m)
    targets = np.stack([np.zeros(gg.size), gg.ravel(), aa.ravel()], axis=-1)
    n = len(targets)
    params = airframe.params[0]
    missiles = flyout.Interceptors()
    aim = flyout.loft_aim(targets - LAUNCHER_XYZ, targets[:, 2], params[kern.LOFT_CEIL])
    heading = aim / np.linalg.norm(aim, axis=-1, keepdims=True)
    missiles.launch(
        pos=np.tile(LAUNCHER_XYZ, (n, 1)),
        vel=heading * flyout.LAUNCH_SPEED_MPS,
        launch_s=np.zeros(n),
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
        out = flyout.step(missiles, idx, t, step_s, targets[idx], still[idx], airframe,
                          seeker=False)  # fmt: skip
        done = out["closest"] | out["spent"]
        hit = out["closest"] & ~out["spent"]
        speed_at[idx[hit]] = np.linalg.norm(missiles.vel[idx[hit]], axis=-1)
        time_at[idx[hit]] = t + out["t_cpa"][hit]
        miss_at[idx[hit]] = out["miss_m"][hit]
        missiles.flying[idx[done]] = False
        t += step_s
    shape = gg.shape
    mass = np.array([kern.mass_kg(params, x) if np.isfinite(x) else 0.0 for x in time_at])
    return {
        "speed": speed_at.reshape(shape),
        "time": time_at.reshape(shape),
        "miss": miss_at.reshape(shape),
        "mass": mass.reshape(shape),
    }


def grid_extent_m(airframe: Airframes) -> float:
    """Outer ground range of the grid: the vacuum range v^2 / g of the ideal delta-v."""
    return float(ideal_delta_v(airframe.params)[0] ** 2 / G0)


def _arrived(airframe: Airframes, flown: dict, alts) -> np.ndarray:
    """Arrived, and still able to pull MIN_LATERAL_G there to home on a real target."""
    agile = (
        flyout.available_accel(
            airframe.params[0], flown["speed"], alts[:, None], np.maximum(flown["mass"], 1.0)
        )
        >= MIN_LATERAL_G * G0
    )
    return (flown["miss"] <= ARRIVAL_MISS_M) & agile & (flown["speed"] >= MIN_USEFUL_SPEED_MPS)


def outer_edge_index(ok: np.ndarray) -> np.ndarray:
    """Per row, the outermost grid index reached with its inner neighbour reached too (so
    one lucky point does not make an edge); -1 where none (only the first point counts
    alone)."""
    pair = np.zeros_like(ok)
    pair[:, 0] = ok[:, 0]
    pair[:, 1:] = ok[:, 1:] & ok[:, :-1]
    g = ok.shape[1]
    last = g - 1 - np.argmax(pair[:, ::-1], axis=1)
    return np.where(pair.any(axis=1), last, -1)


def _reach_index(airframe: Airframes, ground, alts) -> int:
    """Index of the outermost ground range reached at any altitude."""
    ok = _arrived(airframe, fly_grid(airframe, ground, alts), alts).any(axis=0)
    return int(np.flatnonzero(ok)[-1]) if ok.any() else 0


def compute_envelope(airframe: Airframes, altitudes_m=None, n_ranges: int = N_RANGES) -> Envelope:
    """Envelope of one missile type (a one-row ``airframe``); by default on altitudes 50 m
    to ALT_TOP_M every ALT_STEP_M."""
    alts = np.arange(0.0, ALT_TOP_M + 1.0, ALT_STEP_M) + 50.0
    alts = alts if altitudes_m is None else np.asarray(altitudes_m, float)
    # A coarse pass out to the vacuum range finds where the reach ends; the envelope is
    # then flown on a fine grid out to two coarse steps beyond the outermost one reached.
    coarse = np.linspace(2000.0, grid_extent_m(airframe), 40)
    first = _reach_index(airframe, coarse, alts[:: max(1, len(alts) // 12)])
    ground = np.linspace(2000.0, coarse[min(first + 2, len(coarse) - 1)], n_ranges)
    flown = fly_grid(airframe, ground, alts)
    arrived = _arrived(airframe, flown, alts)
    reach = np.zeros((len(alts), len(SPEED_LEVELS_MPS)))
    when = np.full((len(alts), len(SPEED_LEVELS_MPS)), np.inf)
    for s, level in enumerate(SPEED_LEVELS_MPS):
        ok = arrived & (flown["speed"] >= level)
        last = outer_edge_index(ok)
        reach[:, s] = np.where(last >= 0, ground[np.maximum(last, 0)], 0.0)
        when[:, s] = np.where(last >= 0, flown["time"][np.arange(len(alts)), last], np.inf)
    reachable = np.flatnonzero(reach[:, 0] > 0)
    top = float(alts[reachable[-1]]) if len(reachable) else 0.0
    flight = np.where(arrived, flown["time"], np.inf)
    return Envelope(alts, reach, when, top, ground, flight, np.where(arrived, flown["speed"], 0))
