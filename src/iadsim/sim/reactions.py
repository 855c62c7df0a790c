"""Threats whose truth differs between replications: aircraft that react to a launch at
them, and weapons their carriers released or never released.

Truth paths are shared by the replications of a batch (``World.threats``). An aircraft
with a radar-warning receiver that a fire unit launches at leaves its shared path: it flies
the reaction of truth/evasion.py from ``reaction_delay_s`` after the launch. That path is a
pure function of (threat, start tick, fire unit), so it is solved once per batch for every
replication in which the same launch happens, and kept as a row of the batch's library
(struct-of-arrays: ``pos``/``vel`` (B, K+1, 3), the shared path before the start). Each
threat instance (replication r, threat i at r N + i) names its row in ``branch`` (-1: the
shared path) and has its own ``arrival_s``. A weapon is released only if its carrier is
alive at the release time and has not turned away before it (a mission aborted).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from iadsim.truth.evasion import MANOEUVRES, NONE, evasion_track


@dataclass
class Reactions:
    branch: np.ndarray  # (R N,) row of the library, -1: the shared path
    arrival_s: np.ndarray  # (R N,) end of each instance's path
    withheld: np.ndarray  # (R N,) a weapon its carrier never released
    start_s: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (B,) reaction start
    arrival_end: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (B,) path end
    pos: np.ndarray | None = None  # (B, K + 1, 3)
    vel: np.ndarray | None = None
    rows: dict = field(default_factory=dict)  # (threat, start tick, unit) -> library row

    @classmethod
    def initial(cls, world, reps: int) -> Reactions:
        th = world.threats
        return cls(branch=np.full(reps * len(th), -1), arrival_s=np.tile(th.arrival_s, reps),
                   withheld=np.zeros(reps * len(th), bool))  # fmt: skip

    @property
    def any(self) -> bool:
        return len(self.start_s) > 0


def instance_truth(b, k: int):
    """Positions and velocities (R N, 3) of every threat instance at tick k, or None while
    every instance flies the shared path."""
    re = b.reactions
    if not re.any:
        return None
    th = b.world.threats
    pos, vel = np.tile(th.pos[:, k], (b.n_reps, 1)), np.tile(th.vel[:, k], (b.n_reps, 1))
    g = np.flatnonzero(re.branch >= 0)
    pos[g], vel[g] = re.pos[re.branch[g], k], re.vel[re.branch[g], k]
    return pos, vel


def position(b, g: int, k: int) -> np.ndarray:
    """Threat instance g's position at tick k."""
    row = b.reactions.branch[g]
    if row >= 0:
        return b.reactions.pos[row, k]
    return b.world.threats.pos[g % b.n_threats, k]


def react_to_launches(b, k: int, t: float, rows: np.ndarray) -> None:
    """The missiles ``rows`` were launched at tick k: each aircraft that is warned of one
    (a reaction other than none) and has not reacted yet starts its reaction."""
    world, re, missiles = b.world, b.reactions, b.missiles
    th, n, times = world.threats, b.n_threats, world.times
    for row in rows:
        g = int(missiles.target[row])
        if g < 0 or re.branch[g] >= 0 or not b.alive[g] or b.leaked[g]:
            continue
        i = g % n
        if th.reaction[i] == NONE:
            continue
        step = times[1] - times[0]
        ks = k + int(np.ceil(th.reaction_delay_s[i] / step - 1e-9))
        if ks >= len(times) or not (th.launch_s[i] <= times[ks] < re.arrival_s[g]):
            continue
        unit = int(b.units.kind[missiles.unit[row]])
        key = (i, ks, unit)
        if key not in re.rows:
            re.rows[key] = _solve(b, i, ks, unit)
        lib = re.rows[key]
        if lib < 0:
            continue
        re.branch[g] = lib
        re.arrival_s[g] = re.arrival_end[lib]
        b.logs[b.missile_rep(row)].add(
            re.start_s[lib], "evade", th.ids[i], "threat", b.names[row], re.pos[lib, ks],
            MANOEUVRES[int(th.reaction[i])],
        )  # fmt: skip


def _solve(b, i: int, ks: int, unit: int) -> int:
    """Add the reaction of threat i starting at tick ks against ``unit``'s engagement radar
    to the library; its row (-1 if the aircraft is not moving then)."""
    world, re = b.world, b.reactions
    th, times = world.threats, world.times
    v = th.vel[i, ks]
    if np.hypot(v[0], v[1]) <= 0.0:
        return -1
    radar_xy = world.radars.xyz[world.units.fc_radar[unit], :2]
    elapsed = times[ks:] - times[ks]
    p, w, duration = evasion_track(
        th.pos[i, ks], float(np.arctan2(v[1], v[0])), radar_xy, int(th.reaction[i]),
        th.speed_mps[i], th.max_accel_g[i], th.evade_hold_s[i], th.home_xyz[i], elapsed,
    )  # fmt: skip
    pos, vel = th.pos[i].copy(), th.vel[i].copy()
    pos[ks:], vel[ks:] = p, w
    re.pos = pos[None] if re.pos is None else np.concatenate([re.pos, pos[None]])
    re.vel = vel[None] if re.vel is None else np.concatenate([re.vel, vel[None]])
    re.start_s = np.append(re.start_s, times[ks])
    re.arrival_end = np.append(re.arrival_end, times[ks] + duration)
    return len(re.start_s) - 1


def release_weapons(b, k: int) -> None:
    """Weapons due for release in the tick (t_prev, t]: withheld where the carrier was
    destroyed before its release time or had turned away before it; released otherwise."""
    world, re = b.world, b.reactions
    th, n, times = world.threats, b.n_threats, world.times
    due = np.flatnonzero((th.parent >= 0) & (th.launch_s > times[k - 1] + 1e-9)
                         & (th.launch_s <= times[k] + 1e-9))  # fmt: skip
    for j in due:
        for r in range(b.n_reps):
            g, q = r * n + j, r * n + th.parent[j]
            turned = re.branch[q] >= 0 and re.start_s[re.branch[q]] <= th.launch_s[j]
            lost = not b.alive[q] and b.kill_time[q] <= th.launch_s[j]
            if turned or lost:
                b.alive[g] = False
                re.withheld[g] = True
                continue
            b.logs[r].add(th.launch_s[j], "release", th.ids[th.parent[j]], "threat", th.ids[j],
                          position(b, q, k), th.type_name[j])  # fmt: skip
