"""Sector radars' faces: where each replication's engagement radars point, and cueing.

A sector radar (sector < 360 deg: 92N6E, 30N6, AN/MPQ-65) searches and tracks electronically
inside a face of fixed width; its face turns on its mount at the catalog's slew rate and
then settles, and while it moves it neither detects nor guides. The battle manager points
each face at the threats its unit must engage, from the unit's fighting picture
(surveillance tracks cue the engagement radar): the face centre that covers the most
threat value (value x urgency, ten-fold for tracks the unit has missiles in flight against,
which its radar must keep guiding, a tenth for tracks already inside a networked armed
partner's face or that a partner has missiles in flight against (its radar guides them,
and this unit may not fire on them meanwhile), so the network shares out the raid and a
face does not leave its sector for threats it could not engage; the emplacement
sector, the unit's sector of responsibility for threats not yet seen, counts as half a
threat to the most valuable asset) is found exactly by sliding the face's usable width
(its half-width less a 10% edge margin, where the array's scan loss grows; Skolnik,
*Introduction to Radar Systems* 3rd ed., sec. 8.4) from each track's azimuth. The face is
re-pointed when that beats the current pointing by a quarter (hysteresis, so it does not
chase small gains) and only when it is at rest.

A unit can launch at, and uplink to missiles flying at, a track only while its precision
(fire-control) radar guides: the track lies inside the radar's current face, the face is
at rest, and a precision radar has updated the track within its last FC_TRACK_LOOKS looks
(:func:`guides`).

Pointing is the same for every replication until their pictures differ, so the state is
kept per (replication, radar) and every call is one pass over the batch.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from iadsim._arrays import equal_key_pairs, lookup
from iadsim.radar.sensor import in_face

EDGE_MARGIN = 0.1  # fraction of the face half-width kept clear of the edge
HYSTERESIS = 1.25  # a new pointing must cover this much more threat value
MIN_SLEW_RAD = np.deg2rad(2.0)  # smaller corrections are left to electronic steering
ENGAGED_WEIGHT = 10.0  # tracks with missiles in flight from the unit stay in its face
PARTNER_WEIGHT = 0.1  # tracks already in a networked partner's face count a tenth
SECTOR_WEIGHT = 0.5  # the sector of responsibility, in threats of the top asset value
FC_TRACK_LOOKS = 3.0  # a fire-control track: a precision update within this many looks


@dataclass
class Faces:
    """Face state per (replication, radar), shape (R, radars): a slew from ``from_rad`` to
    ``to_rad`` starting at ``start_s``, arriving at ``arrive_s``, at rest (operating) from
    ``ready_s``. A 360-degree radar never moves."""

    from_rad: np.ndarray
    to_rad: np.ndarray
    start_s: np.ndarray
    arrive_s: np.ndarray
    ready_s: np.ndarray

    @classmethod
    def initial(cls, radars, n_reps: int) -> Faces:
        """Every face at its emplacement pointing (the scenario's or the threat axis)."""
        centre = np.broadcast_to(radars.sector_center_rad, (n_reps, len(radars))).copy()
        zero = np.zeros_like(centre)
        return cls(centre, centre.copy(), zero, zero.copy(), zero.copy())

    def centre(self, t: float, slew_rate_rad_s: np.ndarray) -> np.ndarray:
        """Face azimuths at time t (R, radars): moving at the slew rate along the shorter
        way round, then at the commanded azimuth."""
        delta = _wrap(self.to_rad - self.from_rad)
        moved = np.clip((t - self.start_s) * slew_rate_rad_s, 0.0, np.abs(delta))
        return np.mod(self.from_rad + np.sign(delta) * moved, 2.0 * np.pi)

    def operating(self, t: float) -> np.ndarray:
        """(R, radars): the face is at rest and the radar searches and tracks."""
        return t + 1e-9 >= self.ready_s


def log_emplacement(b) -> None:
    """A "radar_point" event per sector radar at the start: its emplacement pointing."""
    radars = b.world.radars
    for s in np.flatnonzero(radars.steerable):
        for log in b.logs:
            log.add(
                0.0,
                "radar_point",
                radars.name[s],
                "radar",
                "",
                radars.xyz[s],
                f"face {np.rad2deg(radars.sector_center_rad[s]):.0f} deg at emplacement",
            )


def point(b, t: float, picture, value: np.ndarray, urgency: np.ndarray, rows: np.ndarray):
    """Cue the sector radars with their units' threat tracks and re-point the faces at rest.

    ``rows`` are the fighting-picture rows with a threat assessment, ``value`` and
    ``urgency`` their threat value and urgency factor. Logs a "radar_cue" event the first
    time a threat track without a fire-control update is handed to a sector radar that can
    reach it, and a "radar_point" event per slew, naming the tracks that cued it.
    """
    world, faces = b.world, b.faces
    radars = world.radars
    steer = np.flatnonzero(radars.steerable)
    keep = value > 0.0
    rows, value, urgency = rows[keep], value[keep], urgency[keep]
    if len(steer) == 0 or len(rows) == 0:
        return
    reps = np.repeat(np.arange(b.n_reps), len(steer))
    radar = np.tile(steer, b.n_reps)
    unit_kind = radars.unit_index[radar]
    inst_group = reps * b.n_fights + world.units.fight_picture[unit_kind]
    j, i = equal_key_pairs(picture.group[rows], inst_group)  # (track row, face instance)
    track = rows[j]
    az, reach = _bearing(radars, radar[i], picture.x[track, :2])
    i, j, track, az = i[reach], j[reach], track[reach], az[reach]
    _log_cues(b, t, picture, track, reps[i], radar[i])
    idle = faces.operating(t)[reps[i], radar[i]]
    i, j, track, az = i[idle], j[idle], track[idle], az[idle]
    if len(i) == 0:
        return
    weight = value[j] * urgency[j]
    unit = reps[i] * b.n_units + unit_kind[i]
    mine = _engaged_by(b, picture, unit, track)
    weight = np.where(mine, weight * ENGAGED_WEIGHT, weight)
    # A partner's engagement is the partner's: its radar guides those missiles whether or
    # not it has rounds left, and this unit may not fire on the track while they fly.
    covered = _covered_by_partner(b, picture, i, track, reps, radar, inst_group)
    covered |= ~mine & _engaged_by_anyone(b, picture, track)
    weight = np.where(covered, weight * PARTNER_WEIGHT, weight)
    # The sector of responsibility (emplacement pointing) holds threats not yet seen: it
    # stands as half a threat to the most valuable asset, so a face leaves it for more.
    held = np.unique(i)
    i = np.concatenate([i, held])
    az = np.concatenate([az, radars.sector_center_rad[radar[held]]])
    weight = np.concatenate([weight, np.full(len(held), SECTOR_WEIGHT * b.asset_value.max())])
    track = np.concatenate([track, np.full(len(held), -1)])
    order = np.argsort(i, kind="stable")
    i, az, weight, track = i[order], az[order], weight[order], track[order]
    offsets = np.searchsorted(i, np.arange(len(reps) + 1))
    current = faces.to_rad[reps, radar]
    half = radars.sector_half_width_rad[radar]
    best, best_score, now_score = _best_faces(offsets, az, weight, current, half,
                                              half * (1.0 - EDGE_MARGIN))  # fmt: skip
    turn = (best_score > HYSTERESIS * now_score + 1e-12) & (
        np.abs(_wrap(best - current)) > MIN_SLEW_RAD
    )
    for n in np.flatnonzero(turn):
        r, s = int(reps[n]), int(radar[n])
        _slew(faces, r, s, t, float(best[n]), radars)
        cues = track[offsets[n] : offsets[n + 1]]
        cues = cues[in_face(az[offsets[n] : offsets[n + 1]], best[n], half[n]) & (cues >= 0)]
        names = [b.fight_track_name(picture, int(c)) for c in cues[:3]]
        more = f" +{len(cues) - 3} more" if len(cues) > 3 else ""
        b.logs[r].add(
            t, "radar_point", radars.name[s], "radar", names[0] if names else "",
            radars.xyz[s],
            f"face {np.rad2deg(current[n]):.0f} -> {np.rad2deg(best[n]):.0f} deg, ready at "
            f"{faces.ready_s[r, s]:.1f} s, cued by {', '.join(names)}{more}",
        )  # fmt: skip


def _log_cues(b, t: float, picture, track, rep, radar) -> None:
    """ "radar_cue" events: threat tracks not yet updated by a fire-control radar, handed to
    a sector radar that can reach them, once per (track, radar)."""
    new = ~np.isfinite(picture.first_precise_s[track])
    track, rep, radar = track[new], rep[new], radar[new]
    if len(track) == 0:
        return
    keys = picture.anchor_key[track] * len(b.world.radars) + radar
    fresh = lookup(b.cued_keys, keys) < 0
    if not fresh.any():
        return
    b.cued_keys = np.union1d(b.cued_keys, keys[fresh])
    radars = b.world.radars
    for c, r, s in zip(track[fresh], rep[fresh], radar[fresh], strict=True):
        source = "surveillance" if not np.isfinite(picture.precise_s[c]) else "network"
        b.logs[r].add(
            t,
            "radar_cue",
            radars.name[s],
            "radar",
            b.fight_track_name(picture, c),
            picture.x[c, :3],
            f"{source} track handed to {radars.catalog_name[s]}",
        )


def _slew(faces: Faces, r: int, s: int, t: float, to_rad: float, radars) -> None:
    angle = abs(_wrap(to_rad - faces.to_rad[r, s]))
    faces.from_rad[r, s] = faces.to_rad[r, s]
    faces.to_rad[r, s] = to_rad
    faces.start_s[r, s] = t
    faces.arrive_s[r, s] = t + angle / radars.slew_rate_rad_s[s]
    faces.ready_s[r, s] = faces.arrive_s[r, s] + radars.settle_s[s]


def _covered_by_partner(b, picture, i, track, reps, radar, inst_group) -> np.ndarray:
    """Whether each (face instance i, track) pair's track lies in the face (commanded
    pointing) of another armed unit's sector radar of the same fighting picture and
    replication, within its range: networked units share out the raid instead of all
    turning to its heaviest axis."""
    radars = b.world.radars
    p, k = equal_key_pairs(inst_group[i], inst_group)
    partner = reps[k] * b.n_units + radars.unit_index[radar[k]]
    other = radars.unit_index[radar[k]] != radars.unit_index[radar[i[p]]]
    other &= b.units.magazine[partner].any(axis=1)  # a partner with no rounds covers nothing
    p, k = p[other], k[other]
    covered = np.zeros(len(i), bool)
    if len(p) == 0:
        return covered
    az, reach = _bearing(radars, radar[k], picture.x[track[p], :2])
    inside = in_face(az, b.faces.to_rad[reps[k], radar[k]], radars.sector_half_width_rad[radar[k]])
    inside &= reach
    covered[p[inside]] = True
    return covered


def _engaged_by(b, picture, unit: np.ndarray, track: np.ndarray) -> np.ndarray:
    """Whether unit instance ``unit`` has a missile in flight at fighting row ``track``."""
    missiles = b.missiles
    flying = np.flatnonzero(missiles.flying)
    if len(flying) == 0 or len(picture.member) == 0:
        return np.zeros(len(unit), bool)
    at = lookup(picture.member_key, missiles.track_key[flying])
    ok = at >= 0
    stride = len(picture.x) + 1
    pairs = np.unique(missiles.unit[flying[ok]] * stride + picture.member_row[at[ok]])
    return lookup(pairs, unit * stride + track) >= 0


def _engaged_by_anyone(b, picture, track: np.ndarray) -> np.ndarray:
    """Whether some unit has a missile in flight at fighting row ``track``."""
    missiles = b.missiles
    flying = np.flatnonzero(missiles.flying)
    if len(flying) == 0 or len(picture.member) == 0:
        return np.zeros(len(track), bool)
    at = lookup(picture.member_key, missiles.track_key[flying])
    rows = np.unique(picture.member_row[at[at >= 0]])
    return lookup(rows, track) >= 0


def guides(b, t: float, picture, unit: np.ndarray, row: np.ndarray) -> np.ndarray:
    """Whether unit instances ``unit`` can guide on fighting rows ``row`` now: their
    precision radar is at rest with the track inside its face and within its range, and a
    precision radar has updated the track within its last FC_TRACK_LOOKS looks."""
    world = b.world
    radars = world.radars
    kind = b.units.kind[unit]
    radar = world.units.fc_radar[kind]
    rep = unit // b.n_units
    az, reach = _bearing(radars, radar, picture.x[row, :2])
    centre = b.faces.centre(t, radars.slew_rate_rad_s)[rep, radar]
    fresh = t - picture.precise_s[row] <= FC_TRACK_LOOKS * radars.revisit_s[radar] + 1e-9
    return (
        b.faces.operating(t)[rep, radar]
        & in_face(az, centre, radars.sector_half_width_rad[radar])
        & reach
        & fresh
    )


def _bearing(radars, radar: np.ndarray, xy: np.ndarray):
    """Azimuth (clockwise from north) of map points ``xy`` (m, 2) from radars ``radar`` (m,)
    and whether they lie within those radars' instrumented ground range."""
    dx = xy - radars.xyz[radar, :2]
    az = np.mod(np.arctan2(dx[:, 0], dx[:, 1]), 2.0 * np.pi)
    return az, np.hypot(dx[:, 0], dx[:, 1]) <= radars.max_range_m[radar]


def _wrap(angle):
    return np.mod(angle + np.pi, 2.0 * np.pi) - np.pi


@njit(cache=True)
def _best_faces(offsets, az, weight, current, half, usable):
    """Per face instance n (tracks offsets[n]:offsets[n+1]): the centre covering the most
    weight within +-usable[n], found by sliding the window's left edge to every track's
    azimuth (an optimal window can always be shifted until its edge meets a track), and
    centred between the extreme covered tracks; also the weight the current pointing
    covers within +-half[n]."""
    n_inst = len(offsets) - 1
    best = current.copy()
    best_score = np.zeros(n_inst)
    now_score = np.zeros(n_inst)
    two_pi = 2.0 * np.pi
    for n in range(n_inst):
        lo, hi = offsets[n], offsets[n + 1]
        for k in range(lo, hi):
            off = (az[k] - current[n] + np.pi) % two_pi - np.pi
            if abs(off) <= half[n]:
                now_score[n] += weight[k]
        best_score[n] = now_score[n]
        width = 2.0 * usable[n]
        for e in range(lo, hi):
            score = 0.0
            span = 0.0
            for k in range(lo, hi):
                d = (az[k] - az[e]) % two_pi
                if d <= width:
                    score += weight[k]
                    span = max(span, d)
            if score > best_score[n] + 1e-12:
                best_score[n] = score
                best[n] = (az[e] + span / 2.0) % two_pi
    return best, best_score, now_score
