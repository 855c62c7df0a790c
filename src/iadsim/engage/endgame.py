"""Monte Carlo end game of one missile type against one target: miss distances and Pk.

Each shot flies the whole engagement with the engine's kernel
(:func:`iadsim.engage.flyout_kernel.fly_tick`): launch on the predicted intercept, lofted
midcourse on a perfect uplink of the target's mean track, seeker homing with glint, angle
and receiver noise through the lagged PN (or augmented PN) loop, against a target that
flies straight or weaves at constant g, ``a_T(t) = n_T sin(omega t + phi)`` normal to its
velocity (the weave of Zarchan, *Tactical and Strategic Missile Guidance*, 6th ed.,
ch. 4 and 6, whose miss the Monte Carlo method of ch. 6 estimates). Shot i draws its noise
from the counter-based streams (:mod:`iadsim.sim.streams`) with launch number i + 1, and
its weave phase from the same key, so two geometries flown with the same key see the same
noise sequence (common random numbers). The per-shot kill probability is the lethality
function at each miss (:mod:`iadsim.engage.lethality`), averaged over the shots.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iadsim import checks
from iadsim.engage import flyout
from iadsim.engage import flyout_kernel as kern
from iadsim.engage.airframe import Airframes
from iadsim.engage.intercept import flown_intercept_time
from iadsim.engage.lethality import kill_probability
from iadsim.sim import streams
from iadsim.truth.trajectories import G0

TICK_S = 1.0
WEAVE_PHASE_STREAM = 8  # stream of the weave phase draw (one per shot)


@dataclass
class EndGame:
    miss_m: np.ndarray  # (shots,) miss distance; inf where the missile did not get there
    pk: np.ndarray  # (shots,) kill probability at that miss

    @property
    def mean_pk(self) -> float:
        return float(np.mean(self.pk))


def target_start(geometry: str, ground_m: float, altitude_m: float, speed_mps: float):
    """Target position and velocity (3,) at launch for a ``head-on`` target flying at the
    launcher from ``ground_m`` away, or a ``crossing`` one passing abeam at ``ground_m``
    (it crosses the launcher's line of sight ground_m / 2 before abeam)."""
    if geometry == "head-on":
        return np.array([0.0, ground_m, altitude_m]), np.array([0.0, -speed_mps, 0.0])
    if geometry == "crossing":
        lead = ground_m / 2.0
        return np.array([-lead, ground_m, altitude_m]), np.array([speed_mps, 0.0, 0.0])
    checks.one_of("geometry", geometry, ("head-on", "crossing"))


def weave_axis(velocity: np.ndarray, roll_deg: float) -> np.ndarray:
    """Unit vector normal to the target velocity, rolled ``roll_deg`` from the horizontal."""
    v = velocity / np.linalg.norm(velocity)
    side = np.cross([0.0, 0.0, 1.0], v)
    side /= np.linalg.norm(side)
    up = np.cross(v, side)
    roll = np.deg2rad(roll_deg)
    return np.cos(roll) * side + np.sin(roll) * up


def fly_end_game(
    airframes: Airframes,
    kind: int,
    envelope,
    lethal_radius_m: float,
    pk0: float,
    hit_to_kill: bool,
    *,
    geometry: str = "head-on",
    ground_m: float = 20_000.0,
    altitude_m: float = 8_000.0,
    target_speed_mps: float = 300.0,
    weave_g: float = 0.0,
    weave_period_s: float = 4.0,
    weave_roll_deg: float = 45.0,
    shots: int = 200,
    key: int = 1,
    jnr_ref: float = 0.0,
) -> EndGame:
    """Fly ``shots`` missiles of type ``kind`` at one target (module docstring)."""
    p0, v0 = target_start(geometry, ground_m, altitude_m, target_speed_mps)
    key_u = np.uint64(key)
    serial = np.arange(1, shots + 1, dtype=np.int64)
    phase = 2.0 * np.pi * streams.uniform(key_u, WEAVE_PHASE_STREAM, serial)
    omega = 2.0 * np.pi / weave_period_s
    amp = weave_g * G0 * weave_axis(v0, weave_roll_deg)
    # Target rows, one per shot: the same mean path, each with its own weave phase; the
    # start velocity v0 - (A / omega) cos(phi) makes the weave average to v0.
    tv0 = v0[None, :] - (amp[None, :] / omega) * np.cos(phase)[:, None]
    t_int = flown_intercept_time(p0[None], v0[None], envelope)[0]
    aim = p0 + v0 * (0.0 if np.isnan(t_int) else t_int)
    launcher = np.array([0.0, 0.0, 5.0])
    ceiling = airframes.params[kind, kern.LOFT_CEIL]
    lofted = flyout.loft_aim((aim - launcher)[None], [aim[2]], ceiling, [v0[2]], [5.0])[0]
    heading = lofted / np.linalg.norm(lofted)
    missiles = flyout.Interceptors()
    missiles.launch(
        pos=np.tile(launcher, (shots, 1)),
        vel=np.tile(heading * flyout.LAUNCH_SPEED_MPS, (shots, 1)),
        launch_s=np.zeros(shots), key=np.full(shots, key_u), serial=serial,
        max_flight_s=np.full(shots, flyout.MAX_FLIGHT_S), target=np.arange(shots),
        missile_type=np.full(shots, kind), unit=np.zeros(shots, int),
        track_key=np.zeros(shots, int), intercept_s=np.full(shots, t_int),
    )  # fmt: skip
    miss = np.full(shots, np.inf)
    tpos, tvel, tacc, still = np.zeros(3), np.zeros(3), np.zeros(3), np.zeros(3)
    t = 0.0
    while missiles.flying.any() and t < flyout.MAX_FLIGHT_S:
        idx = np.flatnonzero(missiles.flying)
        pos_now = np.zeros((shots, 3))
        vel_now = np.zeros((shots, 3))
        for i in range(shots):
            kern.target_state(p0, tv0[i], still, amp, omega, phase[i], 0.0, t, tpos, tvel, tacc)
            pos_now[i], vel_now[i] = tpos, tvel
        m = missiles
        pos, vel, acc, noise, steps = m.pos[idx], m.vel[idx], m.acc[idx], m.noise[idx], m.steps[idx]
        reason, _, d, _ = kern.fly_tick(
            pos, vel, acc, noise, m.launch_s[idx], m.missile_type[idx], airframes.params,
            airframes.mach, airframes.cd0, m.max_flight_s[idx],
            p0 + v0 * t + np.zeros((len(idx), 3)), np.tile(v0, (len(idx), 1)),
            np.full(len(idx), t), m.intercept_s[idx], m.target[idx], pos_now, vel_now,
            np.zeros((shots, 3)), np.tile(amp, (shots, 1)), np.full(shots, omega), phase,
            np.full(len(idx), jnr_ref),
            m.key[idx], m.serial[idx], steps, t, TICK_S, flyout.SEEKER_RANGE_M, 0.05,
        )  # fmt: skip
        m.pos[idx], m.vel[idx], m.acc[idx], m.noise[idx], m.steps[idx] = pos, vel, acc, noise, steps
        ended = reason != kern.FLYING
        closest = reason == kern.CLOSEST
        miss[idx[closest]] = d[closest]
        m.flying[idx[ended]] = False
        t += TICK_S
    pk = np.where(
        np.isfinite(miss),
        kill_probability(np.where(np.isfinite(miss), miss, 0.0), lethal_radius_m, pk0, hit_to_kill),
        0.0,
    )
    return EndGame(miss, pk)


WEAVE = {"weave_g": 9.0, "weave_period_s": 2.0}  # a fighter's hard jink
CASES = (
    ("straight, head-on", {}),
    ("9 g weave, head-on", WEAVE),
    ("straight, crossing", {"geometry": "crossing"}),
    ("9 g weave, crossing", {"geometry": "crossing", **WEAVE}),
)
DOC_MISSILES = ("48N6E3", "PAC-3-MSE")
DOC_SHOTS, DOC_KEY = 60, 20261203


def catalog_end_game(name: str, shots: int = DOC_SHOTS, key: int = DOC_KEY, **kw) -> EndGame:
    """:func:`fly_end_game` for catalog missile ``name`` (its flown envelope and warhead)."""
    from iadsim.catalog import load_catalog
    from iadsim.engage.airframe import from_catalog
    from iadsim.sim.world import missile_envelope

    missile = load_catalog().missiles[name]
    return fly_end_game(
        from_catalog({name: missile}), 0, missile_envelope(missile),
        missile.lethal_radius_m.value, missile.pk.value, missile.warhead == "hit_to_kill",
        shots=shots, key=key, **kw,
    )  # fmt: skip


def end_game_table() -> str:
    """The docs/models.md table of per-shot Pk and miss distances (DOC_SHOTS shots each)."""
    lines = ["| missile | target | mean per-shot Pk | median miss m | 90th percentile miss m |",
             "|---|---|---|---|---|"]  # fmt: skip
    for name in DOC_MISSILES:
        for label, kw in CASES:
            r = catalog_end_game(name, **kw)
            lines.append(f"| {name} | {label} | {r.mean_pk:.3f} | {np.median(r.miss_m):.1f} | "
                         f"{np.percentile(r.miss_m, 90):.1f} |")  # fmt: skip
    return "\n".join(lines)


if __name__ == "__main__":
    print(end_game_table())
