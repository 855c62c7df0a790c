"""One tick of radar scans for every replication of a batch: detections into the pictures.

The deterministic part of a scan (coverage over every azimuth, SINR, Pd and true polar
positions, :func:`iadsim.radar.sensor.scan_looks`) is computed once for the threats alive
in any replication; each replication then keeps the pairs inside its own faces of the
sector radars (:mod:`iadsim.sim.pointing`; a face that is moving sees nothing), draws its
own detections, measurement noise and false alarms from its counter-based stream
(:mod:`iadsim.sim.streams`), keyed by the tick, the radar and the threat (or the false
alarm's number), and every radar's detections update the pictures it feeds, in all
replications with one tracker call.
"""

from __future__ import annotations

import numpy as np

from iadsim._arrays import rank_within
from iadsim.radar import sensor as radar_sensor
from iadsim.sim import streams
from iadsim.sim.batch import BatchState

LOOKS_CACHE_BYTES = 256 * 2**20  # per World: scans repeat identically in every batch


def scan(b: BatchState, k: int, t: float, due: np.ndarray) -> None:
    """Scan with the radars ``due`` at tick k (time t) and update the track pictures."""
    world, sensor = b.world, b.components.sensor  # the sensor model (iadsim.components)
    radars, k_factor = world.radars, world.scenario.earth.k_factor
    reps = b.n_reps
    b.next_scan[due] = t + radars.revisit_s[due]
    targets, looks = _looks(world, k, t, due, sensor)
    present = (b.alive & ~b.leaked).reshape(reps, b.n_threats)[:, targets]
    centre = b.faces.centre(t, radars.slew_rate_rad_s)[:, due]  # (R, due)
    operating = b.faces.operating(t)[:, due]

    def in_faces(looks, present):
        faced = operating[:, :, None] & sensor.in_face(
            looks.azimuth_rad[None], centre[:, :, None],
            radars.sector_half_width_rad[due][None, :, None],
        )  # fmt: skip
        return present[:, None, :] & faced

    own = _reacted_looks(b, k, t, due)  # aircraft off the shared path look apart
    more = ()
    if own is not None:
        rep, i, own_looks, own_present = own
        col = np.searchsorted(targets, i)
        shared = (col < len(targets)) & (targets[np.minimum(col, len(targets) - 1)] == i)
        present[rep[shared], col[shared]] = False
        more = ((own_looks, i, in_faces(own_looks, own_present)),)
    dets, rep = detect(
        radars, b.keys, k, looks, targets, in_faces(looks, present), centre, operating,
        b.n_threats, k_factor, more=more, sensor=sensor,
    )  # fmt: skip
    if b.record_detections:
        _log_detections(b, t, dets, rep)
    b.fc_seen[dets.truth[radars.precision[dets.radar] & (dets.truth >= 0)]] = True
    picture_of_radar = world.units.picture[radars.unit_index]
    for radars_now in _rounds(due, picture_of_radar):
        pictures = picture_of_radar[radars_now]
        mine = np.flatnonzero(np.isin(dets.radar, radars_now))
        group = rep[mine] * b.n_pictures + picture_of_radar[dets.radar[mine]]
        scan_groups = None
        if len(pictures) < b.n_pictures:  # leave the other pictures' tracks as they are
            scan_groups = (np.arange(reps)[:, None] * b.n_pictures + pictures[None, :]).ravel()
        radar = dets.radar[mine]
        events = b.tracker.process_scan(
            t, dets.xyz[mine], dets.cov[mine], dets.truth[mine], radars.revisit_s[radar],
            group=group, scan_groups=scan_groups,
            resolution_m=radars.resolution_extent_m(radar, dets.range_m[mine]),
            precise=radars.precision[radar],
        )  # fmt: skip
        log_track_events(b, events)


def _rounds(due: np.ndarray, picture_of_radar: np.ndarray) -> list[np.ndarray]:
    """The due radars in rounds of at most one radar per picture: round j holds the j-th
    due radar of every picture. A picture fed by several radars takes their scans one after
    the other (sequential updates); different pictures share one tracker call."""
    rank = rank_within(picture_of_radar[due])
    return [due[rank == j] for j in range(int(rank.max()) + 1)]


def _looks(world, k: int, t: float, due: np.ndarray, sensor):
    """The deterministic part of the scan of every threat in flight (launched, not yet at
    its aim point): the same in every replication and every batch, so it is kept on the
    World (up to LOOKS_CACHE_BYTES) for the next batch."""
    cache = world.scan_cache
    key = (k, due.tobytes())
    if key in cache:
        return cache[key]
    th = world.threats
    targets = np.flatnonzero((th.launch_s <= t + 1e-9) & (th.arrival_s > t + 1e-9))
    jamming = None
    if world.environment is not None:
        jamming = world.environment, th.ssj_erp_w[targets], th.ssj_bandwidth_hz[targets]
    looks = sensor.scan_looks(
        world.radars, due, th.pos[targets, k], th.vel[targets, k], th.rcs_dbsm[targets],
        th.swerling[targets], world.scenario.earth.k_factor, world.terrain, jamming,
        sector=False,
    )  # fmt: skip
    size = sum(a.nbytes for a in vars(looks).values())
    used = cache.get("bytes", 0)
    if used + size <= LOOKS_CACHE_BYTES:
        cache[key] = (targets, looks)
        cache["bytes"] = used + size
    return targets, looks


def _reacted_looks(b: BatchState, k: int, t: float, due: np.ndarray):
    """Looks at the instances flying their own reaction path (sim/reactions.py), alive and
    in flight: (replication, threat, looks over them, presence (R, m) in their own
    replication only); None when there are none. Their draws keep their threat's keys."""
    re = b.reactions
    if not re.any:
        return None
    th, n = b.world.threats, b.n_threats
    g = np.flatnonzero((re.branch >= 0) & b.alive & ~b.leaked & (re.arrival_s > t + 1e-9))
    if len(g) == 0:
        return None
    rep, i = g // n, g % n
    rows = re.branch[g]
    jamming = None
    if b.world.environment is not None:
        jamming = b.world.environment, th.ssj_erp_w[i], th.ssj_bandwidth_hz[i]
    looks = b.components.sensor.scan_looks(
        b.world.radars, due, re.pos[rows, k], re.vel[rows, k], th.rcs_dbsm[i], th.swerling[i],
        b.world.scenario.earth.k_factor, b.world.terrain, jamming, sector=False,
    )  # fmt: skip
    present = np.arange(b.n_reps)[:, None] == rep[None, :]
    return rep, i, looks, present


def detect(
    radars,
    keys,
    k,
    looks,
    targets,
    present,
    centre,
    operating,
    n_threats,
    k_factor,
    more=(),
    sensor=radar_sensor,
):
    """The random part of one scan in every replication: detections and their replication.

    ``keys`` (R,) replication keys; ``looks`` the deterministic part of the scan of the
    radars ``looks.idx`` over the threats ``targets`` (n,); ``present`` (R, due, n) the pairs
    a replication can see (threat alive, inside the face); ``centre`` (R, due) each face's
    pointing and ``operating`` (R, due) whether it is at rest. A detection's ``truth`` is
    the global threat instance r * n_threats + i (-1 for a false alarm). ``more`` holds
    further (looks, targets, present (R, due, m)) groups drawn the same way: the instances that
    fly their own paths after reacting to a launch (sim/reactions.py). ``sensor`` is the
    sensor model (:mod:`iadsim.radar.sensor`, or a component's).
    """

    hits = _target_draws(keys, k, looks, targets, present, n_threats)
    for own_looks, own_targets, own_present in more:
        extra = _target_draws(keys, k, own_looks, own_targets, own_present, n_threats)
        hits = tuple(np.concatenate([a, e]) for a, e in zip(hits, extra, strict=True))
    alarms = _false_alarm_draws(radars, keys, k, looks.idx, centre, operating, sensor)
    radar, truth, rng_m, az, el, snr_db, noise, rep = (
        np.concatenate([a, f]) for a, f in zip(hits, alarms, strict=True)
    )
    return sensor.measure(radars, radar, truth, rng_m, az, el, snr_db, k_factor, noise), rep


def _target_draws(keys, k: int, looks, targets, present, n_threats: int):
    """Each replication's Bernoulli draw per (radar, threat) pair ``present`` (R, due, n)
    in its faces, and the noise of the detections, as (radar, truth, range, azimuth,
    elevation, SNR, noise, replication); ``truth`` is the global threat instance
    (replication r: r N + i)."""
    u = streams.uniform(
        keys[:, None, None], streams.DETECT, k, looks.idx[None, :, None], targets[None, None, :]
    )
    hit = looks.covered[None] & present & (u < looks.pd[None])
    rep, row, col = np.nonzero(hit)
    noise = streams.normal(
        keys[rep, None], streams.NOISE, k, looks.idx[row, None], targets[col, None], np.arange(3)
    )
    return (
        looks.idx[row], rep * n_threats + targets[col], looks.range_m[row, col],
        looks.azimuth_rad[row, col], looks.elevation_rad[row, col], looks.snr_db[row, col],
        noise.reshape(-1, 3), rep,
    )  # fmt: skip


def _false_alarm_draws(radars, keys, k: int, due: np.ndarray, centre, operating,
                       sensor=radar_sensor):  # fmt: skip
    """Poisson(Pfa x cells) noise crossings per (replication, radar) whose face is at rest,
    placed uniformly in the face (``centre`` (R, due)); the same tuple as
    :func:`_target_draws` (truth -1)."""
    n_reps = len(keys)
    mean = np.where(operating, sensor.false_alarm_mean(radars, due)[None, :], 0.0)
    counts = streams.poisson_count(mean, keys[:, None], streams.FALSE_COUNT, k,
                                   due[None, :]).ravel()  # fmt: skip
    face = np.repeat(centre.ravel(), counts)
    rep = np.repeat(np.repeat(np.arange(n_reps), len(due)), counts)
    radar = np.repeat(np.tile(due, n_reps), counts)
    number = np.arange(len(rep)) - np.repeat(np.cumsum(counts) - counts, counts)
    cell = streams.uniform(keys[rep, None], streams.FALSE_CELL, k, radar[:, None],
                           number[:, None], np.arange(3))  # fmt: skip
    noise = streams.normal(keys[rep, None], streams.FALSE_NOISE, k, radar[:, None],
                           number[:, None], np.arange(3))  # fmt: skip
    rng_m, az, el, snr_db = sensor.false_alarm_cells(radars, radar, cell.reshape(-1, 3), face)
    return radar, np.full(len(rep), -1), rng_m, az, el, snr_db, noise.reshape(-1, 3), rep


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
    """Track state changes (start, coast, resume, drop) into their replication's log."""
    for e in events:
        b.log_of_group(e.group).add(
            e.time_s, e.kind, b.track_name(e.group, e.track_id), "track",
            b.threat_id(e.truth), e.xyz, e.detail,
        )  # fmt: skip
