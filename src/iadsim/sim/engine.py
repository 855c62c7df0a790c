"""The engine loop: the only place that wires the stages together.

Each tick (t_prev, t]: interceptors fly against truth (``engage.flyout``), kills and
misses are assessed (``engage.lethality``), surviving threats that reached their aim
point leak, radars due for a scan observe (``radar.sensor``), each track picture is
updated (``tracking.tracker``) and each fire unit decides on launches from its picture
(``engage.decide``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from iadsim.engage import flyout
from iadsim.engage.decide import UnitState, plan_engagements
from iadsim.engage.flyout import SEEKER_RANGE_M
from iadsim.engage.intercept import intercept_time
from iadsim.engage.lethality import kill_outcome
from iadsim.engage.threat_eval import assess
from iadsim.radar.sensor import observe
from iadsim.sim.events import EventLog
from iadsim.sim.world import World
from iadsim.tracking.quality import TrackLog
from iadsim.tracking.tracker import Tracker

FLYOUT_STEP_S = 0.05


@dataclass
class RunResult:
    """Everything a run produced: the event log and the state needed for summaries and plots."""

    world: World
    events: EventLog
    killed: np.ndarray
    leaked: np.ndarray
    kill_time_s: np.ndarray
    interceptors: flyout.Interceptors
    interceptor_names: list[str]
    track_logs: list[TrackLog]
    missile_paths: dict[int, list] = field(default_factory=dict)


def run(
    world: World,
    seed: int | np.random.SeedSequence,
    progress: Callable[[int, int], None] | None = None,
) -> RunResult:
    """Simulate the scenario once.

    ``seed`` is the scenario seed, or a replication's SeedSequence (a study spawns one per
    replication); the radar and kill-assessment streams are spawned from it.
    """
    sequence = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    rng_radar, rng_kill = (np.random.default_rng(s) for s in sequence.spawn(2))
    th, radars, units, types = world.threats, world.radars, world.units, world.missiles
    k_factor = world.scenario.earth.k_factor
    doctrines = [u.doctrine or world.scenario.doctrine for u in world.scenario.fire_units]
    look_until: dict[int, float] = {}  # track key -> end of its kill-assessment look
    assets_xy, asset_value, asset_radius = defended_points(world, doctrines)
    n = len(th)
    log = EventLog()
    alive = np.ones(n, bool)
    leaked = np.zeros(n, bool)
    kill_time = np.full(n, np.nan)
    trackers = [Tracker(log=TrackLog()) for _ in world.picture_names]
    unit_state = [UnitState() for _ in units.name]
    magazine = units.magazine.copy()
    missiles = flyout.Interceptors()
    paths: dict[int, list] = {}
    next_scan = np.zeros(len(radars))
    missile_no = [0] * len(units.name)
    names: list[str] = []
    radar_pictures = units.picture[radars.unit_index]
    steps = len(world.times) - 1

    for k in range(1, steps + 1):
        t = world.times[k]
        killed_now = _fly(
            world,
            k,
            missiles,
            names,
            alive,
            leaked,
            kill_time,
            log,
            rng_kill,
            unit_state,
            paths,
            look_until,
            doctrines,
        )
        # Kill assessment: every picture sees the destroyed object fall and drops its tracks.
        for target in killed_now:
            for p, tracker in enumerate(trackers):
                _log_tracks(log, world, p, tracker.drop_truth(target, kill_time[target]))

        arrived = alive & ~leaked & (th.arrival_s <= t + 1e-9)
        for i in np.flatnonzero(arrived):
            leaked[i] = True
            where = th.pos[i, k]
            log.add(th.arrival_s[i], "leak", th.ids[i], "threat", "", where, th.type_name[i])
            if th.is_weapon[i]:
                log.add(th.arrival_s[i], "impact", th.ids[i], "threat", "", where, th.type_name[i])

        active = alive & ~leaked & (th.launch_s <= t + 1e-9)
        due = np.flatnonzero(next_scan <= t + 1e-9)
        if len(due):
            next_scan[due] = t + radars.revisit_s[due]
            targets = np.flatnonzero(active)
            dets = observe(
                radars, due, th.pos[targets, k], th.vel[targets, k],
                th.rcs_dbsm[targets], th.swerling[targets], k_factor, rng_radar, world.terrain,
                world.environment, th.ssj_erp_w[targets], th.ssj_bandwidth_hz[targets],
            )  # fmt: skip
            truth = np.full(len(dets), -1)
            real = dets.truth >= 0
            truth[real] = targets[dets.truth[real]]
            log.add_batch(
                t, "detect", [radars.name[r] for r in dets.radar], "radar",
                [_threat_id(th, i) for i in truth], dets.xyz,
                [f"snr_db={s:.1f}" + ("" if i >= 0 else " false_alarm")
                 for s, i in zip(dets.snr_db, truth, strict=True)],
            )  # fmt: skip
            for r in due:
                mine = dets.radar == r
                tracker = trackers[radar_pictures[r]]
                events = tracker.process_scan(
                    t, dets.xyz[mine], dets.cov[mine], truth[mine], radars.revisit_s[r]
                )
                _log_tracks(log, world, radar_pictures[r], events)
        for p, tracker in enumerate(trackers):
            _log_tracks(log, world, p, tracker.drop_stale(t))
        _uplink(missiles, trackers, units.picture, t)

        # Target channels in use: distinct tracks each unit has missiles in flight against.
        engaged = np.array(
            [len(np.unique(missiles.track_key[missiles.flying & (missiles.unit == u)]))
             for u in range(len(units.name))]
        )  # fmt: skip
        for p, tracker in enumerate(trackers):
            members = np.flatnonzero(units.picture == p)
            if len(tracker) == 0 or not magazine[members].any():
                continue
            xp, _ = tracker.predicted(t)
            keys = p * 1_000_000 + tracker.track_id
            flying_keys = missiles.track_key[missiles.flying]
            blocked = np.isin(keys, flying_keys) | np.array(
                [look_until.get(int(key), -np.inf) > t for key in keys], bool
            )
            threat = assess(
                xp[:, :3], xp[:, 3:], assets_xy, asset_value, asset_radius,
                world.scenario.doctrine.priority,
            )  # fmt: skip
            launches = plan_engagements(
                t, list(members), units.xyz, magazine, unit_state, engaged,
                units.target_channels, units.missile_channels, doctrines,
                units.launch_interval_s, units.reaction_s, tracker.confirmed_s,
                xp[:, :3], xp[:, 3:], tracker.engageable & ~blocked,
                threat, types, world.scenario.doctrine.assignment,
            )  # fmt: skip
            for launch in launches:
                u, row = launch.unit, launch.track_row
                track = f"{world.picture_names[p]}:T{tracker.track_id[row]}"
                detail = (
                    f"{types.name[launch.missile_type]} x{launch.salvo} "
                    f"class={threat.threat_class[row]} value={threat.value[row]:.1f}"
                )
                log.add(t, "assign", units.name[u], "fire_unit", track, xp[row, :3], detail)
                for _ in range(launch.salvo):
                    missile_no[u] += 1
                    names.append(f"{units.name[u]}:M{missile_no[u]}")
                    idx = _launch(missiles, world, u, launch.missile_type, t, xp[row],
                                  tracker.truth[row], keys[row])  # fmt: skip
                    paths[idx] = [units.xyz[u].copy()]
                    log.add(t, "launch", names[idx], "interceptor", track, units.xyz[u],
                            types.name[launch.missile_type])  # fmt: skip
        if progress is not None:
            progress(k, steps)

    return RunResult(
        world, log, ~alive, leaked, kill_time, missiles, names, [tr.log for tr in trackers], paths
    )


def _launch(
    missiles, world: World, u: int, kind: int, t: float, track_x, truth: int, key: int
) -> int:
    """Launch one missile of type ``kind`` from unit u towards its predicted intercept."""
    types = world.missiles
    launcher = world.units.xyz[u]
    t_int = float(
        intercept_time(track_x[None, :3] - launcher, track_x[None, 3:], types.burnout_speed[kind],
                       types.boost_s[kind])[0]
    )  # fmt: skip
    aim = track_x[:3] + track_x[3:] * (t_int if np.isfinite(t_int) else 0.0)
    lofted = flyout.loft_aim((aim - launcher)[None, :], aim[None, 2], track_x[None, 5])[0]
    direction = lofted / max(np.linalg.norm(lofted), 1.0)
    # Leave the launcher at 2% of burnout speed so the guidance has a direction to work with.
    speed0 = 0.02 * types.burnout_speed[kind]
    idx = missiles.launch(
        pos=launcher[None, :] + np.array([[0.0, 0.0, 5.0]]),
        vel=(direction * speed0)[None, :],
        launch_s=[t],
        burnout_speed=[types.burnout_speed[kind]],
        boost_s=[types.boost_s[kind]],
        max_accel=[types.max_accel[kind]],
        beta=[types.beta[kind]],
        max_flight_s=[flyout.MAX_FLIGHT_S],
        target=[truth],
        aim=aim[None, :],
        uplink_pos=track_x[None, :3],
        uplink_vel=track_x[None, 3:],
        uplink_s=[t],
        missile_type=[kind],
        unit=[u],
        track_key=[key],
    )
    return int(idx[0])


def _fly(
    world, k, missiles, names, alive, leaked, kill_time, log, rng_kill, unit_state, paths,
    look_until, doctrines,
) -> list[int]:  # fmt: skip
    """Fly every missile in the air over the tick (t_prev, t]; return the threats killed.

    Missiles fly midcourse on their uplinked track and home on the real target inside the
    seeker range; one launched at a false track (target -1) reaches where the track said
    a target was and finds nothing there.
    """
    killed: list[int] = []
    th, types = world.threats, world.missiles
    t_prev, t = world.times[k - 1], world.times[k]
    tick = t - t_prev
    seg_vel = (th.pos[:, k] - th.pos[:, k - 1]) / tick  # straight truth within the tick
    present = alive & ~leaked
    elapsed = 0.0
    while elapsed < tick - 1e-9:
        idx = np.flatnonzero(missiles.flying)
        if len(idx) == 0:
            break
        ts = t_prev + elapsed
        tgt = missiles.target[idx]
        real = tgt >= 0
        gone = real & ~present[np.maximum(tgt, 0)]
        timeout = ts - missiles.launch_s[idx] > missiles.max_flight_s[idx]
        for i in idx[gone | timeout]:
            target = missiles.target[i]
            reason = (
                "flight time exceeded" if target < 0 or present[target]
                else "target destroyed" if not alive[target]
                else "target reached its aim point"
            )  # fmt: skip
            _end_flight(missiles, i, unit_state, ts, look_until, doctrines)
            log.add(ts, "miss", names[i], "interceptor", _threat_id(th, target),
                    missiles.pos[i], reason)  # fmt: skip
        keep = ~(gone | timeout)
        idx, tgt, real = idx[keep], tgt[keep], real[keep]
        if len(idx) == 0:
            break
        safe = np.maximum(tgt, 0)
        true_pos = th.pos[safe, k - 1] + seg_vel[safe] * elapsed
        homing = real & (np.linalg.norm(true_pos - missiles.pos[idx], axis=-1) <= SEEKER_RANGE_M)
        # Midcourse: the uplinked track, extrapolated; terminal: the seeker's real target.
        track_pos = (
            missiles.uplink_pos[idx]
            + missiles.uplink_vel[idx] * (ts - missiles.uplink_s[idx])[:, None]
        )
        tpos = np.where(homing[:, None], true_pos, track_pos)
        tvel = np.where(homing[:, None], seg_vel[safe], missiles.uplink_vel[idx])
        h = _guidance_step(missiles, idx, tpos, tvel, tick - elapsed)
        out = flyout.step(missiles, idx, ts, h, tpos, tvel, homing=homing | ~real)
        elapsed += h
        for row in np.flatnonzero(out["spent"] & ~out["closest"]):
            i = idx[row]
            _end_flight(missiles, i, unit_state, ts, look_until, doctrines)
            log.add(ts + h, "miss", names[i], "interceptor", _threat_id(th, tgt[row]),
                    missiles.pos[i], "missile out of energy")  # fmt: skip
        for row in np.flatnonzero(out["closest"]):
            i, target = idx[row], tgt[row]
            when = ts + out["t_cpa"][row]
            kind = missiles.missile_type[i]
            _end_flight(missiles, i, unit_state, ts, look_until, doctrines)
            where = tpos[row] + tvel[row] * out["t_cpa"][row]
            miss = out["miss_m"][row]
            if target < 0:
                log.add(when, "miss", names[i], "interceptor", "", where, "false track")
                continue
            outcome = kill_outcome(miss, types.lethal_radius_m[kind], types.pk[kind], rng_kill)
            detail = f"miss_m={miss:.1f} {types.name[kind]}"
            if outcome != "miss":
                log.add(when, "intercept", names[i], "interceptor", th.ids[target], where, detail)
            if outcome == "kill":
                log.add(when, "kill", th.ids[target], "threat", names[i], where,
                        th.type_name[target])  # fmt: skip
                alive[target] = False
                present[target] = False
                kill_time[target] = when
                killed.append(int(target))
            else:
                reason = "target survived" if outcome == "survived" else detail
                log.add(when, "miss", names[i], "interceptor", th.ids[target], where, reason)
    for i in np.flatnonzero(missiles.flying):
        paths[int(i)].append(missiles.pos[i].copy())
    return killed


def _uplink(missiles, trackers, unit_picture, t: float) -> None:
    """Send each missile in flight its unit's current track of the target (midcourse);
    a missile whose track was dropped keeps extrapolating the last state it received."""
    flying = np.flatnonzero(missiles.flying)
    pictures = unit_picture[missiles.unit[flying]]
    for p in np.unique(pictures):
        tracker = trackers[p]
        if len(tracker) == 0:
            continue
        mine = flying[pictures == p]
        keys = p * 1_000_000 + tracker.track_id
        order = np.argsort(keys)
        pos = np.searchsorted(keys[order], missiles.track_key[mine])
        pos = np.minimum(pos, len(keys) - 1)
        found = keys[order][pos] == missiles.track_key[mine]
        if found.any():
            x, _ = tracker.predicted(t)
            rows = order[pos[found]]
            missiles.uplink_pos[mine[found]] = x[rows, :3]
            missiles.uplink_vel[mine[found]] = x[rows, 3:]
            missiles.uplink_s[mine[found]] = t


def _guidance_step(missiles, idx, tpos, tvel, remaining: float) -> float:
    """Guidance step: fine (FLYOUT_STEP_S) near the end game, coarser while every missile
    is still far (a twentieth of the shortest time to go), never past the tick's end."""
    rel = tpos - missiles.pos[idx]
    closing = np.maximum(-np.sum(rel * (tvel - missiles.vel[idx]), axis=-1), 1e-9)
    time_to_go = np.sum(rel * rel, axis=-1) / closing
    return float(min(max(time_to_go.min() / 20.0, FLYOUT_STEP_S), remaining))


def _threat_id(threats, index: int) -> str:
    """The threat's id, or "" for a false track (index -1)."""
    return threats.ids[index] if index >= 0 else ""


def _end_flight(missiles, i: int, unit_state, when: float, look_until, doctrines) -> None:
    """End a missile's flight; its track waits out the kill-assessment look before a re-shot."""
    missiles.flying[i] = False
    unit = missiles.unit[i]
    unit_state[unit].missiles_in_flight -= 1
    key = int(missiles.track_key[i])
    look_until[key] = max(
        look_until.get(key, -np.inf), when + doctrines[unit].kill_assessment_delay_s
    )


def defended_points(world: World, doctrines) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Defended assets plus, for self-defence, the fire units whose doctrine values their site."""
    own = [(world.units.xyz[u, :2], d.self_defense_value) for u, d in enumerate(doctrines)
           if d.self_defense_value > 0]  # fmt: skip
    xy = np.vstack([world.assets_xy] + [p[None] for p, _ in own])
    value = np.concatenate([world.asset_value, [v for _, v in own]])
    radius = np.concatenate([world.asset_radius_m, np.full(len(own), 1000.0)])
    return xy, value, radius


def _log_tracks(log: EventLog, world: World, picture: int, events) -> None:
    for e in events:
        log.add(
            e.time_s, e.kind, f"{world.picture_names[picture]}:T{e.track_id}", "track",
            _threat_id(world.threats, e.truth), e.xyz, "",
        )  # fmt: skip
