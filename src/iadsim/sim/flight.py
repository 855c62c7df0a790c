"""One tick of interceptor flight and kill assessment for every missile of a batch.

Each missile keeps its own clock inside the tick and its own guidance step (fine near its
end game, coarse while far), so its trajectory does not depend on the other missiles in
the air. Missiles fly midcourse on their uplinked track and home on the real target
inside the seeker range, with the seeker's noise and the guidance loop's lag, so the
miss distance comes from the end game (:mod:`iadsim.engage.flyout`); one launched at a
false track (target -1) reaches where the track said a target was and finds nothing
there. The seeker noise and the kill draw at closest approach come from the
replication's own streams, keyed by the missile's launch number.
"""

from __future__ import annotations

import numpy as np

from iadsim.engage.flyout import SEEKER_RANGE_M, FlightEnd
from iadsim.engage.flyout_kernel import FLYING, SPENT, TIMEOUT, fly_tick
from iadsim.engage.lethality import kill_outcome
from iadsim.sim import reactions, streams
from iadsim.sim.batch import BatchState

FLYOUT_STEP_S = 0.05
MAX_TRUTH_ACCEL = 50.0 * 9.80665  # more than any threat pulls: a kink of the sampled path


def fly(b: BatchState, k: int) -> list[int]:
    """Fly every missile in the air over the tick (t_prev, t]; return the threat instances
    killed.

    Missiles whose target is gone (killed or arrived) at the start of the tick end there;
    the others fly the tick in the compiled kernel
    (:func:`iadsim.engage.flyout_kernel.fly_tick`) until their closest approach, until they
    run out of energy or out of flight time, and their flight ends are then assessed in
    time order, so a later missile finds a target an earlier one destroyed
    within the same tick gone. (A missile learns of such a kill at its own closest
    approach or at the next tick, as its seeker would.)
    """
    world, missiles = b.world, b.missiles
    th, n = world.threats, b.n_threats
    t_prev = world.times[k - 1]
    tick = world.times[k] - t_prev
    present = b.alive & ~b.leaked
    idx = np.flatnonzero(missiles.flying)
    tgt = missiles.target[idx]
    gone = (tgt >= 0) & ~present[np.maximum(tgt, 0)]
    for i in idx[gone]:
        _lost(b, i, t_prev, present)
    idx, tgt = idx[~gone], tgt[~gone]
    if len(idx) == 0:
        return []
    pos, vel = missiles.pos[idx], missiles.vel[idx]
    acc, noise, steps = missiles.acc[idx], missiles.noise[idx], missiles.steps[idx]
    air = world.missiles.airframes
    # The targets' truth over the tick: the shared paths, or every instance's own once an
    # aircraft has reacted to a launch (sim/reactions.py).
    rows, path, times, kk = np.where(tgt >= 0, tgt % n, -1), th.pos, world.times, k
    if b.reactions.any:
        rows, path, times, kk = (tgt, *_instance_window(b, k))
    m = len(path)
    reason, when, miss, where = fly_tick(
        pos, vel, acc, noise, missiles.launch_s[idx], missiles.missile_type[idx], air.params,
        air.mach, air.cd0, missiles.max_flight_s[idx],
        missiles.uplink_pos[idx], missiles.uplink_vel[idx], missiles.uplink_s[idx],
        missiles.intercept_s[idx], rows, path[:, kk - 1], *truth_over_tick(path, times, kk),
        np.zeros((m, 3)), np.ones(m), np.zeros(m),  # no extra weave: the truth has its own
        np.zeros(len(idx)), missiles.key[idx], missiles.serial[idx], steps,
        t_prev, tick, SEEKER_RANGE_M, FLYOUT_STEP_S,
    )  # fmt: skip
    missiles.pos[idx], missiles.vel[idx] = pos, vel
    missiles.acc[idx], missiles.noise[idx], missiles.steps[idx] = acc, noise, steps
    killed: list[int] = []
    ended = np.flatnonzero(reason != FLYING)
    for row in ended[np.argsort(when[ended], kind="stable")]:
        i, target = idx[row], tgt[row]
        if reason[row] == TIMEOUT or (target >= 0 and not present[target]):
            _lost(b, i, when[row], present)
        elif reason[row] == SPENT:
            end_flight(b, i, when[row], FlightEnd.OUT_OF_ENERGY)
            b.logs[b.missile_rep(i)].add(
                when[row], "miss", b.names[i], "interceptor", b.threat_id(target),
                missiles.pos[i], "missile out of energy",
            )  # fmt: skip
        elif _assess(b, i, target, when[row], where[row], miss[row], present):
            killed.append(int(target))
    if b.paths is not None:
        for i in np.flatnonzero(missiles.flying):
            b.paths[int(i)].append(missiles.pos[i].copy())
    return killed


def truth_over_tick(pos: np.ndarray, times: np.ndarray, k: int):
    """Velocity at the tick's start and constant acceleration (n, 3) of the threats' truth
    over the tick (times[k-1], times[k]]: the parabola through pos[:, k-1] and pos[:, k]
    whose acceleration is the path's second divided difference about the tick (the
    samples k-1, k, k+1, or k-2, k-1, k at the last tick), so the end game sees the threat's
    own manoeuvre (turns, ballistic descent) and augmented PN feeds it forward. Magnitudes
    above MAX_TRUTH_ACCEL (a kink of the sampled path, e.g. at launch) count as none."""
    tick = times[k] - times[k - 1]
    if k + 1 < len(times):
        i, h0, h1 = k, tick, times[k + 1] - times[k]
    elif k >= 2:
        i, h0, h1 = k - 1, times[k - 1] - times[k - 2], tick
    else:
        i = -1
    accel = np.zeros((len(pos), 3))
    if i >= 1:
        ahead = (pos[:, i + 1] - pos[:, i]) / h1
        behind = (pos[:, i] - pos[:, i - 1]) / h0
        accel = 2.0 * (ahead - behind) / (h0 + h1)
        kink = np.linalg.norm(accel, axis=-1) > MAX_TRUTH_ACCEL
        accel[kink] = 0.0
    vel0 = (pos[:, k] - pos[:, k - 1]) / tick - 0.5 * accel * tick
    return vel0, accel


def _instance_window(b: BatchState, k: int):
    """Every threat instance's truth (R N, w, 3) at the ticks about tick k that
    :func:`truth_over_tick` reads (k-2 .. k+1 where they exist), those ticks' times and k's
    place among them: the instances that reacted to a launch fly their own paths."""
    ticks = np.arange(max(k - 2, 0), min(k + 2, len(b.world.times)))
    path = np.stack([reactions.instance_truth(b, int(j))[0] for j in ticks], axis=1)
    return path, b.world.times[ticks], k - int(ticks[0])


def _lost(b: BatchState, i: int, when: float, present) -> None:
    """End a missile whose target is gone or whose flight time ran out."""
    target = b.missiles.target[i]
    out_of_time = target < 0 or present[target]
    reason = (
        "flight time exceeded" if out_of_time
        else "target destroyed" if not b.alive[target]
        else "target reached its aim point"
    )  # fmt: skip
    end_flight(b, i, when, FlightEnd.OUT_OF_TIME if out_of_time else FlightEnd.TARGET_GONE)
    b.logs[b.missile_rep(i)].add(when, "miss", b.names[i], "interceptor", b.threat_id(target),
                                 b.missiles.pos[i], reason)  # fmt: skip


def _assess(b: BatchState, i: int, target: int, when, where, miss: float, present) -> bool:
    """Kill assessment at closest approach (:func:`iadsim.engage.lethality.kill_outcome`:
    Carleton damage function or body-to-body hit); True on a kill."""
    types, log = b.world.missiles, b.logs[b.missile_rep(i)]
    kind = b.missiles.missile_type[i]
    end_flight(b, i, when, FlightEnd.CLOSEST_APPROACH if target >= 0 else FlightEnd.FALSE_TRACK)
    if target < 0:
        log.add(when, "miss", b.names[i], "interceptor", "", where, "false track")
        return False
    detail = f"miss_m={miss:.1f} {types.name[kind]}"
    u = streams.uniform(b.keys[b.missile_rep(i)], streams.KILL, b.missile_serial[i])
    outcome = kill_outcome(miss, types.lethal_radius_m[kind], types.pk[kind], u,
                           bool(types.hit_to_kill[kind]))  # fmt: skip
    if outcome == "miss":
        log.add(when, "miss", b.names[i], "interceptor", b.threat_id(target), where, detail)
        return False
    log.add(when, "intercept", b.names[i], "interceptor", b.threat_id(target), where, detail)
    if outcome == "survived":
        log.add(when, "miss", b.names[i], "interceptor", b.threat_id(target), where,
                "target survived")  # fmt: skip
        return False
    log.add(when, "kill", b.threat_id(target), "threat", b.names[i], where,
            b.world.threats.type_name[target % b.n_threats])  # fmt: skip
    b.alive[target] = False
    present[target] = False
    b.kill_time[target] = when
    return True


def end_flight(b: BatchState, i: int, when: float, how: FlightEnd) -> None:
    """End a missile's flight (``how``: Interceptors.end); its track waits out the
    kill-assessment look before a re-shot."""
    missiles = b.missiles
    missiles.flying[i] = False
    missiles.end[i] = how
    unit = missiles.unit[i]
    b.units.in_flight[unit] -= 1
    delay = b.doctrines[b.units.kind[unit]].kill_assessment_delay_s
    b.look_key = np.append(b.look_key, [missiles.track_key[i], missiles.alt_track_key[i]])
    b.look_until = np.append(b.look_until, [when + delay, when + delay])
