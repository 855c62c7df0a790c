"""One tick of interceptor flight and kill assessment for every missile of a batch.

Each missile keeps its own clock inside the tick and its own guidance step (fine near its
end game, coarse while far), so its trajectory does not depend on the other missiles in
the air. Missiles fly midcourse on their uplinked track and home on the real target
inside the seeker range; one launched at a false track (target -1) reaches where the
track said a target was and finds nothing there. The kill draw at closest approach
comes from the replication's own stream, keyed by the missile's launch number.
"""

from __future__ import annotations

import numpy as np

from iadsim.engage import flyout
from iadsim.engage.flyout import SEEKER_RANGE_M
from iadsim.engage.lethality import MISS_BEYOND_RADII, kill_probability
from iadsim.sim import streams
from iadsim.sim.batch import BatchState

FLYOUT_STEP_S = 0.05


def fly(b: BatchState, k: int) -> list[int]:
    """Fly every missile in the air over the tick (t_prev, t]; return the threat instances
    killed."""
    world, missiles = b.world, b.missiles
    th, n = world.threats, b.n_threats
    t_prev = world.times[k - 1]
    tick = world.times[k] - t_prev
    seg_vel = (th.pos[:, k] - th.pos[:, k - 1]) / tick  # straight truth within the tick
    present = b.alive & ~b.leaked
    killed: list[int] = []
    idx = np.flatnonzero(missiles.flying)
    elapsed = np.zeros(len(idx))
    while True:
        active = np.flatnonzero(missiles.flying[idx] & (elapsed < tick - 1e-9))
        if len(active) == 0:
            break
        m, ts = idx[active], t_prev + elapsed[active]
        tgt = missiles.target[m]
        real = tgt >= 0
        gone = real & ~present[np.maximum(tgt, 0)]
        timeout = ts - missiles.launch_s[m] > missiles.max_flight_s[m]
        for row in np.flatnonzero(gone | timeout):
            _lost(b, m[row], ts[row], present)
        keep = ~(gone | timeout)
        active, m, ts, tgt, real = active[keep], m[keep], ts[keep], tgt[keep], real[keep]
        if len(m) == 0:
            continue
        local = np.maximum(tgt, 0) % n
        true_pos = th.pos[local, k - 1] + seg_vel[local] * elapsed[active][:, None]
        homing = real & (np.linalg.norm(true_pos - missiles.pos[m], axis=-1) <= SEEKER_RANGE_M)
        # Midcourse: the uplinked track, extrapolated; terminal: the seeker's real target.
        track_pos = (
            missiles.uplink_pos[m] + missiles.uplink_vel[m] * (ts - missiles.uplink_s[m])[:, None]
        )
        tpos = np.where(homing[:, None], true_pos, track_pos)
        tvel = np.where(homing[:, None], seg_vel[local], missiles.uplink_vel[m])
        h = guidance_step(missiles, m, tpos, tvel, tick - elapsed[active])
        out = flyout.step(missiles, m, ts, h, tpos, tvel, homing=homing | ~real)
        elapsed[active] += h
        for row in np.flatnonzero(out["spent"] & ~out["closest"]):
            end_flight(b, m[row], ts[row])
            b.logs[b.missile_rep[m[row]]].add(
                ts[row] + h[row], "miss", b.names[m[row]], "interceptor",
                b.threat_id(tgt[row]), missiles.pos[m[row]], "missile out of energy",
            )  # fmt: skip
        for row in np.flatnonzero(out["closest"]):
            where = tpos[row] + tvel[row] * out["t_cpa"][row]
            when = ts[row] + out["t_cpa"][row]
            if _assess(b, m[row], tgt[row], when, where, out["miss_m"][row], present):
                killed.append(int(tgt[row]))
    if b.paths is not None:
        for i in np.flatnonzero(missiles.flying):
            b.paths[int(i)].append(missiles.pos[i].copy())
    return killed


def _lost(b: BatchState, i: int, when: float, present) -> None:
    """End a missile whose target is gone or whose flight time ran out."""
    target = b.missiles.target[i]
    reason = (
        "flight time exceeded" if target < 0 or present[target]
        else "target destroyed" if not b.alive[target]
        else "target reached its aim point"
    )  # fmt: skip
    end_flight(b, i, when)
    b.logs[b.missile_rep[i]].add(when, "miss", b.names[i], "interceptor", b.threat_id(target),
                                 b.missiles.pos[i], reason)  # fmt: skip


def _assess(b: BatchState, i: int, target: int, when, where, miss: float, present) -> bool:
    """Kill assessment at closest approach (Carleton damage function); True on a kill."""
    types, log = b.world.missiles, b.logs[b.missile_rep[i]]
    kind = b.missiles.missile_type[i]
    end_flight(b, i, when)
    if target < 0:
        log.add(when, "miss", b.names[i], "interceptor", "", where, "false track")
        return False
    detail = f"miss_m={miss:.1f} {types.name[kind]}"
    radius = types.lethal_radius_m[kind]
    if miss > MISS_BEYOND_RADII * radius:
        log.add(when, "miss", b.names[i], "interceptor", b.threat_id(target), where, detail)
        return False
    u = streams.uniform(b.keys[b.missile_rep[i]], streams.KILL, b.missile_serial[i])
    log.add(when, "intercept", b.names[i], "interceptor", b.threat_id(target), where, detail)
    if u >= kill_probability(miss, radius, types.pk[kind]):
        log.add(when, "miss", b.names[i], "interceptor", b.threat_id(target), where,
                "target survived")  # fmt: skip
        return False
    log.add(when, "kill", b.threat_id(target), "threat", b.names[i], where,
            b.world.threats.type_name[target % b.n_threats])  # fmt: skip
    b.alive[target] = False
    present[target] = False
    b.kill_time[target] = when
    return True


def guidance_step(missiles, m, tpos, tvel, remaining) -> np.ndarray:
    """Each missile's guidance step: fine (FLYOUT_STEP_S) near its end game, coarser while
    it is still far (a twentieth of its time to go), never past the tick's end."""
    rel = tpos - missiles.pos[m]
    closing = np.maximum(-np.sum(rel * (tvel - missiles.vel[m]), axis=-1), 1e-9)
    time_to_go = np.sum(rel * rel, axis=-1) / closing
    return np.minimum(np.maximum(time_to_go / 20.0, FLYOUT_STEP_S), remaining)


def end_flight(b: BatchState, i: int, when: float) -> None:
    """End a missile's flight; its track waits out the kill-assessment look before a re-shot."""
    missiles = b.missiles
    missiles.flying[i] = False
    unit = missiles.unit[i]
    b.units.in_flight[unit] -= 1
    delay = b.doctrines[b.units.kind[unit]].kill_assessment_delay_s
    b.look_key = np.append(b.look_key, missiles.track_key[i])
    b.look_until = np.append(b.look_until, when + delay)
