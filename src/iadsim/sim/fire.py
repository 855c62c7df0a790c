"""One tick of battle management for every picture of a batch: uplinks, decisions, launches.

The pictures' tracks are predicted to the tick once; missiles in flight receive their
unit's current track of their target (midcourse uplink); tracks not already engaged and not
waiting out a kill-assessment look are evaluated (:func:`iadsim.engage.threat_eval.assess`)
and the ready fire units assigned to them (:func:`iadsim.engage.decide.plan_engagements`).
The sector radars' faces are pointed at the threats first (:mod:`iadsim.sim.pointing`); a
unit launches, and uplinks to its missiles, only on tracks its fire-control radar guides.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iadsim._arrays import lookup, rank_within
from iadsim.engage import flyout
from iadsim.engage.decide import plan_engagements, urgency
from iadsim.engage.flyout_kernel import LOFT_CEIL
from iadsim.sim import pointing
from iadsim.sim.batch import TRACK_KEY_STRIDE, BatchState
from iadsim.tracking.fusion import fuse_pictures


@dataclass
class FightPicture:
    """The tracks the fire units fight from (axis 0 = fighting track). Each is named by an
    ``anchor`` tracker row (its key, truth and name); ``member`` tracker rows map to
    fighting rows ``member_row`` (with track fusion, several local tracks to one). Tracker
    tracks are known by their key, group * TRACK_KEY_STRIDE + track id, which is unique over
    the batch: ``member_key`` per member, ``anchor_key`` and ``sibling_key`` (another local
    track of the same fighting track, the anchor's own key when there is none) per row."""

    x: np.ndarray
    group: np.ndarray  # fighting-picture group
    engageable: np.ndarray
    confirmed_s: np.ndarray
    precise_s: np.ndarray  # last update by a precision (fire-control) radar
    first_precise_s: np.ndarray  # first such update
    anchor: np.ndarray
    member: np.ndarray
    member_row: np.ndarray
    member_key: np.ndarray
    anchor_key: np.ndarray
    sibling_key: np.ndarray


def fight_picture(b: BatchState, xp: np.ndarray, pp: np.ndarray) -> FightPicture:
    """The tracker's pictures, or with ``network_fusion: track`` each network's picture
    fused from its units' firm tracks (:func:`iadsim.tracking.fusion.fuse_pictures`)."""
    tracker, world = b.tracker, b.world
    keys = tracker.group * TRACK_KEY_STRIDE + tracker.track_id
    rep, local = np.divmod(tracker.group, b.n_pictures)
    fight_of_picture, rank = b.fight_of_picture
    group = rep * b.n_fights + fight_of_picture[local]
    if world.scenario.network_fusion == "measurement":
        rows = np.arange(len(tracker))
        return FightPicture(xp, group, tracker.engageable, tracker.confirmed_s,
                            tracker.precise_s, tracker.first_precise_s, rows, rows, rows, keys,
                            keys, keys)  # fmt: skip
    firm = np.flatnonzero(tracker.engageable)
    fused = fuse_pictures(xp[firm], pp[firm], group[firm], rank[local[firm]])
    member, member_row, anchor = firm[fused.member], fused.member_row, firm[fused.anchor]
    confirmed = np.full(len(fused.x), np.inf)
    np.minimum.at(confirmed, member_row, tracker.confirmed_s[member])
    precise = np.full(len(fused.x), -np.inf)
    np.maximum.at(precise, member_row, tracker.precise_s[member])
    first_precise = np.full(len(fused.x), np.inf)
    np.minimum.at(first_precise, member_row, tracker.first_precise_s[member])
    anchor_key = keys[anchor]
    sibling_key = anchor_key.copy()
    other = keys[member] != anchor_key[member_row]
    sibling_key[member_row[other]] = keys[member][other]
    return FightPicture(fused.x, fused.group, np.ones(len(fused.x), bool), confirmed, precise,
                        first_precise, anchor, member, member_row, keys[member], anchor_key,
                        sibling_key)  # fmt: skip


def uplink(b: BatchState, t: float, picture: FightPicture) -> None:
    """Send each missile in flight its unit's current track of the target (midcourse): the
    fighting track that holds the tracker track it was fired at (or, that one dropped, the
    other local track fused with it). The missile then follows that fighting track's
    current anchor and another of its local tracks. A missile whose tracks were all dropped,
    or whose unit's fire-control radar cannot guide on the track now (outside the face, face
    moving, no fresh precision update), keeps extrapolating the last state it received."""
    missiles = b.missiles
    flying = np.flatnonzero(missiles.flying)
    if len(flying) == 0 or len(picture.member) == 0:
        return
    at = lookup(picture.member_key, missiles.track_key[flying])
    at = np.where(at >= 0, at, lookup(picture.member_key, missiles.alt_track_key[flying]))
    found = np.flatnonzero(at >= 0)
    rows = picture.member_row[at[found]]
    guided = pointing.guides(b, t, picture, missiles.unit[flying[found]], rows)
    mine, rows = flying[found[guided]], rows[guided]
    missiles.uplink_pos[mine] = picture.x[rows, :3]
    missiles.uplink_vel[mine] = picture.x[rows, 3:]
    missiles.uplink_s[mine] = t
    missiles.track_key[mine] = picture.anchor_key[rows]
    missiles.alt_track_key[mine] = picture.sibling_key[rows]


def engage(b: BatchState, t: float, picture: FightPicture) -> None:
    """Threat evaluation and weapon-target assignment in every picture; launch the shots."""
    units, missiles, tracker = b.units, b.missiles, b.tracker
    if len(picture.x) == 0:
        return
    firm = np.flatnonzero(picture.engageable)
    xp = picture.x
    evaluate = b.components.threat_evaluation
    threat = evaluate(xp[firm, :3], xp[firm, 3:], b.assets_xy, b.asset_value, b.asset_radius,
                      b.world.scenario.doctrine.priority)  # fmt: skip
    pointing.point(b, t, picture, threat.value, urgency(threat.time_to_go_s), firm)
    if not units.magazine.any():
        return
    flying = missiles.flying
    # Target channels in use: distinct tracks each unit has missiles in flight against (a
    # missile's track may have been dropped since, so its key can exceed every current one).
    span = int(missiles.track_key[flying].max(initial=0)) + 1
    pairs = np.unique(missiles.unit[flying] * span + missiles.track_key[flying])
    engaged = np.bincount(pairs // span, minlength=len(units.kind))
    ready = (t + 1e-9 >= units.next_launch_s) & units.magazine.any(axis=1)
    if not ready.any():
        return
    live = b.look_until > t
    b.look_key, b.look_until = b.look_key[live], b.look_until[live]
    # A fighting track is busy when any of its tracker tracks has a missile or a look on it.
    engaged_keys = [missiles.track_key[flying], missiles.alt_track_key[flying], b.look_key]
    busy = lookup(np.concatenate(engaged_keys), picture.member_key) >= 0
    blocked = np.bincount(picture.member_row[busy], minlength=len(picture.x)) > 0
    free = ~blocked[firm]
    rows, threat = firm[free], threat.take(free)
    if len(rows) == 0:
        return
    # The reaction time runs from the later of confirmation and fire-control acquisition.
    since = np.maximum(picture.confirmed_s[rows], picture.first_precise_s[rows])
    launches = plan_engagements(
        t, units, engaged, picture.group[rows], xp[rows, :3], xp[rows, 3:], since, threat,
        b.world.missiles, b.components.assignment,
        can_guide=lambda u, j: pointing.guides(b, t, picture, u, rows[j]),
    )  # fmt: skip
    if len(launches) == 0:
        return
    types = b.world.missiles
    anchor = picture.anchor[rows]
    shot = np.repeat(np.arange(len(launches)), launches.salvo)  # one entry per missile
    j_of_shot = launches.track_row[shot]
    first = launch(b, units_of=launches.unit[shot], kinds=launches.missile_type[shot], t=t,
                   intercept_s=launches.intercept_s[shot],
                   track_x=xp[rows[j_of_shot]], truth=tracker.truth[anchor[j_of_shot]],
                   keys=picture.anchor_key[rows[j_of_shot]],
                   alt_keys=picture.sibling_key[rows[j_of_shot]])  # fmt: skip
    for e, (u, j, kind, salvo) in enumerate(zip(launches.unit, launches.track_row,
                                                launches.missile_type, launches.salvo,
                                                strict=True)):  # fmt: skip
        track = b.track_name(tracker.group[anchor[j]], tracker.track_id[anchor[j]])
        log = b.log_of_fight(picture.group[rows[j]])
        detail = (f"{types.name[kind]} x{salvo} class={threat.threat_class[j]} "
                  f"value={threat.value[j]:.1f}")  # fmt: skip
        log.add(t, "assign", b.world.units.name[units.kind[u]], "fire_unit", track,
                xp[rows[j], :3], detail)  # fmt: skip
        for i in first + np.flatnonzero(shot == e):
            log.add(t, "launch", b.names[i], "interceptor", track, units.xyz[u], types.name[kind])


def launch(
    b: BatchState, units_of, kinds, t: float, intercept_s, track_x, truth, keys, alt_keys
) -> int:
    """Launch one missile per entry, of type ``kinds`` from units ``units_of`` towards the
    predicted intercept of track state ``track_x`` (m, 6) after ``intercept_s`` (from the
    feasibility check; NaN: aim at the track), fired at tracker tracks ``keys`` (and their
    fused siblings ``alt_keys``); returns the first new index."""
    types, units = b.world.missiles, b.units
    launcher = units.xyz[units_of]
    aim = track_x[:, :3] + track_x[:, 3:] * np.nan_to_num(intercept_s)[:, None]
    ceiling = types.airframes.params[kinds, LOFT_CEIL]
    lofted = flyout.loft_aim(aim - launcher, aim[:, 2], ceiling, track_x[:, 5], launcher[:, 2])
    direction = lofted / np.maximum(np.linalg.norm(lofted, axis=-1), 1.0)[:, None]
    m = len(kinds)
    rep = units_of // b.n_units
    serial = b.missile_count[rep] + 1 + rank_within(rep)
    idx = b.missiles.launch(
        pos=launcher + np.array([0.0, 0.0, 5.0]),
        vel=direction * flyout.LAUNCH_SPEED_MPS,
        launch_s=np.full(m, t),
        key=b.keys[rep],
        serial=serial,
        max_flight_s=np.full(m, flyout.MAX_FLIGHT_S),
        target=truth,
        uplink_pos=track_x[:, :3],
        uplink_vel=track_x[:, 3:],
        uplink_s=np.full(m, t),
        intercept_s=t + np.asarray(intercept_s, float),
        missile_type=kinds,
        unit=units_of,
        track_key=keys,
        alt_track_key=alt_keys,
    )
    for e in range(m):  # launch numbers within each replication, in launch order
        b.missile_count[rep[e]] += 1
        b.unit_missile_no[units_of[e]] += 1
        b.names.append(f"{b.world.units.name[units.kind[units_of[e]]]}:M"
                       f"{b.unit_missile_no[units_of[e]]}")  # fmt: skip
        if b.paths is not None:
            b.paths[int(idx[e])] = [launcher[e].copy()]
    b.missile_serial = np.concatenate([b.missile_serial, serial])
    return int(idx[0])
