"""The engine loop: the only place that wires the stages together.

It runs a batch of replications in lock step (one for ``iadsim run``, many for a study),
every stage vectorised over all of them (:mod:`iadsim.sim.batch`). Each tick (t_prev, t]:
interceptors fly against truth and kills are assessed (:mod:`iadsim.sim.flight`),
surviving threats that reached their aim point leak, radars due for a scan observe and
update the track pictures (:mod:`iadsim.sim.scan`), and the fire units uplink to their
missiles and decide on launches from their pictures (:mod:`iadsim.sim.fire`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from iadsim.engage import flyout
from iadsim.sim import fire, flight, pointing, reactions, scan
from iadsim.sim.batch import BatchState, new_batch, take_missiles
from iadsim.sim.events import EventLog
from iadsim.sim.sampling import TrajectorySampler, TrajectorySamples
from iadsim.sim.world import World


@dataclass
class RunResult:
    """Everything a run produced: the event log and the state needed for summaries and plots."""

    world: World
    events: EventLog
    killed: np.ndarray
    leaked: np.ndarray
    kill_time_s: np.ndarray
    fc_seen: np.ndarray  # detected by a fire-control radar at least once
    interceptors: flyout.Interceptors
    interceptor_names: list[str]
    track_logs: list[dict]  # per picture: TrackLog.arrays() columns
    missile_paths: dict[int, list] = field(default_factory=dict)
    trajectories: TrajectorySamples | None = None  # sampled with record_paths


def run(
    world: World,
    seed: int | np.random.SeedSequence,
    progress: Callable[[int, int], None] | None = None,
) -> RunResult:
    """Simulate the scenario once (``seed``: the scenario seed or a SeedSequence)."""
    return run_batch(world, [seed], progress)[0]


def run_batch(
    world: World,
    seeds: Sequence[int | np.random.SeedSequence],
    progress: Callable[[int, int], None] | None = None,
    record_detections: bool = True,
    record_paths: bool = True,
) -> list[RunResult]:
    """Simulate one replication per seed, all in one vectorised pass.

    A replication's result depends only on its seed, not on the other seeds in the batch.
    ``record_detections`` logs every detection and every confirmed <-> coasting change of a
    track (the bulk of the log); ``record_paths`` keeps interceptor paths for plots (a study
    needs neither; with paths, trajectory samples for replays: :mod:`iadsim.sim.sampling`).
    """
    b = new_batch(world, seeds, record_detections, record_paths)
    pointing.log_emplacement(b)
    sampler = TrajectorySampler() if record_paths else None
    steps = len(world.times) - 1
    for k in range(1, steps + 1):
        t = world.times[k]
        killed = flight.fly(b, k)
        if killed:  # every picture sees the destroyed objects fall and drops their tracks
            scan.log_track_events(b, b.tracker.drop_truth(killed, t))
        reactions.release_weapons(b, k)
        _leaks(b, k, t)
        due = np.flatnonzero(b.next_scan <= t + 1e-9)
        if len(due):
            scan.scan(b, k, t, due)
        scan.log_track_events(b, b.tracker.drop_stale(t))
        xp, pp = b.tracker.predicted_view(t)
        if sampler is not None:
            sampler.sample(b, t, xp, pp)
        picture = fire.fight_picture(b, xp, pp)
        fire.uplink(b, t, picture)
        launched = len(b.missiles.target)
        fire.engage(b, t, picture)
        reactions.react_to_launches(b, k, t, np.arange(launched, len(b.missiles.target)))
        if progress is not None:
            progress(k, steps)
    logs = _split_track_log(b)
    return [_result(b, r, logs, sampler) for r in range(b.n_reps)]


def _leaks(b: BatchState, k: int, t: float) -> None:
    """Threats that reached their aim point alive leak (and weapons impact); each instance
    at the end of its own path (:mod:`iadsim.sim.reactions`)."""
    th, n = b.world.threats, b.n_threats
    arrival = b.reactions.arrival_s
    for g in np.flatnonzero((arrival <= t + 1e-9) & b.alive & ~b.leaked):
        b.leaked[g] = True
        i = g % n
        log, where = b.logs[g // n], reactions.position(b, g, k)
        log.add(arrival[g], "leak", th.ids[i], "threat", "", where, th.type_name[i])
        if th.is_weapon[i]:
            log.add(arrival[g], "impact", th.ids[i], "threat", "", where, th.type_name[i])


def _result(
    b: BatchState, r: int, track_logs: list[dict], sampler: TrajectorySampler | None = None
) -> RunResult:
    """Replication r's results in the scenario's own indices."""
    n = b.n_threats
    block = slice(r * n, (r + 1) * n)
    rows = np.flatnonzero(b.missile_rep(slice(None)) == r)
    missiles = take_missiles(b.missiles, rows)
    missiles.target = np.where(missiles.target >= 0, missiles.target - r * n, -1)
    missiles.unit = b.units.kind[missiles.unit]
    paths = {}
    if b.paths is not None:
        paths = {j: b.paths[int(i)] for j, i in enumerate(rows)}
    return RunResult(
        world=b.world,
        events=b.logs[r],
        killed=~b.alive[block] & ~b.reactions.withheld[block],
        leaked=b.leaked[block].copy(),
        kill_time_s=b.kill_time[block].copy(),
        fc_seen=b.fc_seen[block].copy(),
        interceptors=missiles,
        interceptor_names=[b.names[i] for i in rows],
        track_logs=track_logs[r * b.n_pictures : (r + 1) * b.n_pictures],
        missile_paths=paths,
        trajectories=sampler.replication(b, r) if sampler is not None else None,
    )


def _split_track_log(b: BatchState) -> list[dict]:
    """The shared track-update log split per group (replication r, picture p at r P + p),
    in the scenario's own indices (truth: threat index; group: picture index)."""
    parts = b.tracker.log.by_group()
    empty = {name: values[:0] for name, values in b.tracker.log.arrays().items()}
    out = []
    for g in range(b.n_reps * b.n_pictures):
        part = dict(parts.get(g, empty))
        rep = g // b.n_pictures
        part["truth"] = np.where(part["truth"] >= 0, part["truth"] - rep * b.n_threats, -1)
        part["group"] = part["group"] - rep * b.n_pictures  # the picture's index
        out.append(part)
    return out
