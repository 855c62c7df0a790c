"""One tick of battle management for every picture of a batch: uplinks, decisions, launches.

The pictures' tracks are predicted to the tick once; missiles in flight receive their
unit's current track of their target (midcourse uplink); tracks not already engaged and not
waiting out a kill-assessment look are evaluated (:func:`iadsim.engage.threat_eval.assess`)
and the ready fire units assigned to them (:func:`iadsim.engage.decide.plan_engagements`).
"""

from __future__ import annotations

import numpy as np

from iadsim.engage import flyout
from iadsim.engage.decide import plan_engagements
from iadsim.engage.intercept import intercept_time
from iadsim.engage.threat_eval import assess
from iadsim.sim.batch import TRACK_KEY_STRIDE, BatchState


def track_keys(b: BatchState) -> np.ndarray:
    """Globally unique key of every track: group * stride + track id."""
    return b.tracker.group * TRACK_KEY_STRIDE + b.tracker.track_id


def uplink(b: BatchState, t: float, xp: np.ndarray, keys: np.ndarray) -> None:
    """Send each missile in flight its unit's current track of the target (midcourse); a
    missile whose track was dropped keeps extrapolating the last state it received."""
    missiles = b.missiles
    flying = np.flatnonzero(missiles.flying)
    if len(flying) == 0 or len(keys) == 0:
        return
    order = np.argsort(keys)
    pos = np.minimum(np.searchsorted(keys[order], missiles.track_key[flying]), len(keys) - 1)
    found = keys[order][pos] == missiles.track_key[flying]
    rows = order[pos[found]]
    mine = flying[found]
    missiles.uplink_pos[mine] = xp[rows, :3]
    missiles.uplink_vel[mine] = xp[rows, 3:]
    missiles.uplink_s[mine] = t


def engage(b: BatchState, t: float, xp: np.ndarray, keys: np.ndarray) -> None:
    """Threat evaluation and weapon-target assignment in every picture; launch the shots."""
    units, missiles, tracker = b.units, b.missiles, b.tracker
    if len(keys) == 0 or not units.magazine.any():
        return
    flying = missiles.flying
    # Target channels in use: distinct tracks each unit has missiles in flight against.
    pairs = np.unique(missiles.unit[flying] * (keys.max() + 1) + missiles.track_key[flying])
    engaged = np.bincount(pairs // (keys.max() + 1), minlength=len(units.kind))
    ready = (t + 1e-9 >= units.next_launch_s) & units.magazine.any(axis=1)
    if not ready.any():
        return
    live = b.look_until > t
    b.look_key, b.look_until = b.look_key[live], b.look_until[live]
    blocked = _member(keys, np.concatenate([missiles.track_key[flying], b.look_key]))
    rows = np.flatnonzero(tracker.engageable & ~blocked)
    if len(rows) == 0:
        return
    threat = assess(xp[rows, :3], xp[rows, 3:], b.assets_xy, b.asset_value, b.asset_radius,
                    b.world.scenario.doctrine.priority)  # fmt: skip
    launches = plan_engagements(
        t, units, engaged, tracker.group[rows], xp[rows, :3], xp[rows, 3:],
        np.ones(len(rows), bool), tracker.confirmed_s[rows], threat, b.world.missiles,
        b.world.scenario.doctrine.assignment,
    )  # fmt: skip
    if len(launches) == 0:
        return
    types = b.world.missiles
    shot = np.repeat(np.arange(len(launches)), launches.salvo)  # one entry per missile
    row = rows[launches.track_row[shot]]
    first = launch(b, units_of=launches.unit[shot], kinds=launches.missile_type[shot], t=t,
                   track_x=xp[row], truth=tracker.truth[row], keys=keys[row])  # fmt: skip
    for e, (u, j, kind, salvo) in enumerate(zip(launches.unit, launches.track_row,
                                                launches.missile_type, launches.salvo,
                                                strict=True)):  # fmt: skip
        row = rows[j]
        track = b.track_name(tracker.group[row], tracker.track_id[row])
        log = b.log_of_group(tracker.group[row])
        detail = (f"{types.name[kind]} x{salvo} class={threat.threat_class[j]} "
                  f"value={threat.value[j]:.1f}")  # fmt: skip
        log.add(t, "assign", b.world.units.name[units.kind[u]], "fire_unit", track,
                xp[row, :3], detail)  # fmt: skip
        for i in first + np.flatnonzero(shot == e):
            log.add(t, "launch", b.names[i], "interceptor", track, units.xyz[u], types.name[kind])


def launch(b: BatchState, units_of, kinds, t: float, track_x, truth, keys) -> int:
    """Launch one missile per entry, of type ``kinds`` from units ``units_of`` towards the
    predicted intercept of track state ``track_x`` (m, 6); returns the first new index."""
    types, units = b.world.missiles, b.units
    launcher = units.xyz[units_of]
    speed = types.burnout_speed[kinds]
    t_int = intercept_time(track_x[:, :3] - launcher, track_x[:, 3:], speed, types.boost_s[kinds])
    aim = track_x[:, :3] + track_x[:, 3:] * np.nan_to_num(t_int)[:, None]
    lofted = flyout.loft_aim(aim - launcher, aim[:, 2], track_x[:, 5])
    direction = lofted / np.maximum(np.linalg.norm(lofted, axis=-1), 1.0)[:, None]
    m = len(kinds)
    # Leave the launcher at 2% of burnout speed so the guidance has a direction to work with.
    idx = b.missiles.launch(
        pos=launcher + np.array([0.0, 0.0, 5.0]),
        vel=direction * (0.02 * speed)[:, None],
        launch_s=np.full(m, t),
        burnout_speed=speed,
        boost_s=types.boost_s[kinds],
        max_accel=types.max_accel[kinds],
        beta=types.beta[kinds],
        max_flight_s=np.full(m, flyout.MAX_FLIGHT_S),
        target=truth,
        aim=aim,
        uplink_pos=track_x[:, :3],
        uplink_vel=track_x[:, 3:],
        uplink_s=np.full(m, t),
        missile_type=kinds,
        unit=units_of,
        track_key=keys,
    )
    rep = units_of // b.n_units
    serial = np.zeros(m, int)
    for e in range(m):  # launch numbers within each replication, in launch order
        b.missile_count[rep[e]] += 1
        b.unit_missile_no[units_of[e]] += 1
        serial[e] = b.missile_count[rep[e]]
        b.names.append(f"{b.world.units.name[units.kind[units_of[e]]]}:M"
                       f"{b.unit_missile_no[units_of[e]]}")  # fmt: skip
        if b.paths is not None:
            b.paths[int(idx[e])] = [launcher[e].copy()]
    b.missile_rep = np.concatenate([b.missile_rep, rep])
    b.missile_serial = np.concatenate([b.missile_serial, serial])
    return int(idx[0])


def _member(keys: np.ndarray, among: np.ndarray) -> np.ndarray:
    """keys in ``among`` (both integer arrays), by binary search in the sorted ``among``."""
    if len(among) == 0:
        return np.zeros(len(keys), bool)
    ordered = np.sort(among)
    pos = np.minimum(np.searchsorted(ordered, keys), len(ordered) - 1)
    return ordered[pos] == keys
