"""One tick of radar scans for every replication of a batch: detections into the pictures.

The deterministic part of a scan (coverage, SINR, Pd and true polar positions,
:func:`iadsim.radar.sensor.scan_looks`) is computed once for the threats alive in any
replication; each replication then draws its own detections, measurement noise and false
alarms from its counter-based stream (:mod:`iadsim.sim.streams`), keyed by the tick, the
radar and the threat (or the false alarm's number), and every radar's detections update
the pictures it feeds, in all replications with one tracker call.
"""

from __future__ import annotations

import numpy as np

from iadsim.radar import sensor
from iadsim.sim import streams
from iadsim.sim.batch import BatchState


def scan(b: BatchState, k: int, t: float, due: np.ndarray) -> None:
    """Scan with the radars ``due`` at tick k (time t) and update the track pictures."""
    world = b.world
    th, radars = world.threats, world.radars
    n, reps = b.n_threats, b.n_reps
    b.next_scan[due] = t + radars.revisit_s[due]
    launched = th.launch_s <= t + 1e-9
    present = (b.alive & ~b.leaked).reshape(reps, n) & launched[None, :]
    targets = np.flatnonzero(present.any(axis=0))
    looks = sensor.scan_looks(
        radars, due, th.pos[targets, k], th.vel[targets, k], th.rcs_dbsm[targets],
        th.swerling[targets], world.scenario.earth.k_factor, world.terrain,
        _jamming(world, targets),
    )  # fmt: skip
    dets, rep = _target_detections(b, k, looks, targets, present)
    fa, fa_rep = _false_alarms(b, k, due)
    dets = sensor.concat([dets, fa])
    rep = np.concatenate([rep, fa_rep])
    if b.record_detections:
        _log_detections(b, t, dets, rep)
    picture_of_radar = world.units.picture[radars.unit_index]
    groups_of = np.arange(reps) * b.n_pictures
    for r in due:
        mine = np.flatnonzero(dets.radar == r)
        group = rep[mine] * b.n_pictures + picture_of_radar[r]
        events = b.tracker.process_scan(
            t, dets.xyz[mine], dets.cov[mine], dets.truth[mine], radars.revisit_s[r],
            group=group, scan_groups=groups_of + picture_of_radar[r],
        )  # fmt: skip
        log_track_events(b, events)


def _jamming(world, targets):
    if world.environment is None:
        return None
    th = world.threats
    return world.environment, th.ssj_erp_w[targets], th.ssj_bandwidth_hz[targets]


def _target_detections(b: BatchState, k: int, looks, targets, present):
    """Each replication's Bernoulli draw per (radar, present threat) and the noise of the
    detections; ``truth`` is the global threat instance (replication r: r N + i)."""
    keys = b.keys
    u = streams.uniform(
        keys[:, None, None], streams.DETECT, k, looks.idx[None, :, None], targets[None, None, :]
    )
    hit = looks.covered[None] & present[:, targets][:, None, :] & (u < looks.pd[None])
    rep, row, col = np.nonzero(hit)
    noise = streams.normal(
        keys[rep, None], streams.NOISE, k, looks.idx[row, None], targets[col, None], np.arange(3)
    )
    dets = sensor.detections_of(b.world.radars, looks, row, col,
                                b.world.scenario.earth.k_factor, noise)  # fmt: skip
    dets.truth = rep * b.n_threats + targets[col]
    return dets, rep


def _false_alarms(b: BatchState, k: int, due: np.ndarray):
    """Poisson(Pfa x cells) noise crossings per (replication, radar), placed uniformly."""
    radars, keys = b.world.radars, b.keys
    mean = sensor.false_alarm_mean(radars, due)
    counts = streams.poisson_count(mean[None, :], keys[:, None], streams.FALSE_COUNT, k,
                                   due[None, :])  # fmt: skip
    total = int(counts.sum())
    rep = np.repeat(np.repeat(np.arange(b.n_reps), len(due)), counts.ravel())
    radar = np.repeat(np.tile(due, b.n_reps), counts.ravel())
    number = np.arange(total) - np.repeat(np.cumsum(counts.ravel()) - counts.ravel(),
                                          counts.ravel())  # fmt: skip
    cell = streams.uniform(keys[rep, None], streams.FALSE_CELL, k, radar[:, None],
                           number[:, None], np.arange(3))  # fmt: skip
    noise = streams.normal(keys[rep, None], streams.FALSE_NOISE, k, radar[:, None],
                           number[:, None], np.arange(3))  # fmt: skip
    dets = sensor.false_alarm_detections(
        radars, radar, cell.reshape(total, 3), b.world.scenario.earth.k_factor,
        noise.reshape(total, 3),
    )  # fmt: skip
    return dets, rep


def _log_detections(b: BatchState, t: float, dets, rep) -> None:
    names = b.world.radars.name
    for r in np.unique(rep):
        mine = np.flatnonzero(rep == r)
        b.logs[r].add_batch(
            t, "detect", [names[i] for i in dets.radar[mine]], "radar",
            [b.threat_id(i) for i in dets.truth[mine]], dets.xyz[mine],
            [f"snr_db={s:.1f}" + ("" if i >= 0 else " false_alarm")
             for s, i in zip(dets.snr_db[mine], dets.truth[mine], strict=True)],
        )  # fmt: skip


def log_track_events(b: BatchState, events) -> None:
    """track_start / track_drop events into their replication's log."""
    for e in events:
        b.log_of_group(e.group).add(
            e.time_s, e.kind, b.track_name(e.group, e.track_id), "track",
            b.threat_id(e.truth), e.xyz, "",
        )  # fmt: skip
