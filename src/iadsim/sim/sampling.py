"""Trajectory samples for replays: interceptor positions and the firm track picture over time.

Threat truth needs no sampling here (its whole path is on the world's time grid); what only
exists while the engine runs is where each interceptor is and what each track picture holds.
Interceptors are sampled every tick (they live for tens of seconds and turn hard); track
states every ``track_interval_s`` (and at the first tick a track is firm, so that every
confirmed track has a sample) (they move with their threats, which are slow next to an
interceptor), so that a one-hour, 100-threat run stays a few tens of MB on disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from iadsim.sim.batch import TRACK_KEY_STRIDE

TRACK_SAMPLE_S = 2.0  # seconds between track-picture samples
# The six distinct entries of a symmetric 3 x 3 position covariance (row, column).
COV_INDEX = ((0, 0), (1, 1), (2, 2), (0, 1), (0, 2), (1, 2))


@dataclass
class TrajectorySampler:
    """Accumulates samples in column chunks; :meth:`replication` returns one replication's."""

    track_interval_s: float = TRACK_SAMPLE_S
    _next_track_s: float = 0.0
    _seen: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # track keys
    _missiles: list[tuple] = field(default_factory=list)  # (time, missile row, xyz)
    _tracks: list[tuple] = field(default_factory=list)  # (time, group, id, truth, xyz, cov6)

    def sample(self, b, t: float, xp: np.ndarray, pp: np.ndarray) -> None:
        """Record the batch ``b`` at time t: missiles in flight, and (when due) the firm
        tracks of every picture with their predicted position and position covariance."""
        flying = np.flatnonzero(b.missiles.flying)
        if len(flying):
            self._missiles.append((np.full(len(flying), t), flying, b.missiles.pos[flying].copy()))
        tracker = b.tracker
        if len(tracker) == 0:
            return
        firm = np.flatnonzero(tracker.engageable)
        keys = tracker.group[firm] * TRACK_KEY_STRIDE + tracker.track_id[firm]
        new = ~np.isin(keys, self._seen)
        if t + 1e-9 < self._next_track_s:  # between samples only tracks firm for the first time
            if not new.any():
                return
            firm = firm[new]
        else:
            self._next_track_s = t + self.track_interval_s
        self._seen = np.union1d(self._seen, keys[new])
        rows, cols = np.array(COV_INDEX).T
        self._tracks.append((
            np.full(len(firm), t), tracker.group[firm].copy(), tracker.track_id[firm].copy(),
            tracker.truth[firm].copy(), xp[firm, :3].copy(), pp[firm][:, rows, cols].copy(),
        ))  # fmt: skip

    def replication(self, b, r: int) -> TrajectorySamples:
        """Replication r's samples, with entity names and truth in the scenario's indices."""
        m = _concat(self._missiles, (np.zeros(0), np.zeros(0, int), np.zeros((0, 3))))
        keep = b.missile_rep(m[1]) == r if len(m[1]) else np.zeros(0, bool)
        no_int = np.zeros(0, int)
        tr = _concat(self._tracks, (np.zeros(0), no_int, no_int, no_int, np.zeros((0, 3)),
                                    np.zeros((0, 6))))  # fmt: skip
        mine = tr[1] // b.n_pictures == r
        truth = tr[3][mine]
        return TrajectorySamples(
            missile_time_s=m[0][keep],
            missile_name=[b.names[int(i)] for i in m[1][keep]],
            missile_xyz=m[2][keep],
            track_time_s=tr[0][mine],
            track_name=[
                b.track_name(int(g), int(i)) for g, i in zip(tr[1][mine], tr[2][mine], strict=False)
            ],
            track_truth=np.where(truth >= 0, truth % b.n_threats, -1),
            track_xyz=tr[4][mine],
            track_cov6=tr[5][mine],
        )


@dataclass
class TrajectorySamples:
    """One replication's samples in map metres (x east, y north, altitude); the track
    covariance as its six distinct entries in :data:`COV_INDEX` order, m^2."""

    missile_time_s: np.ndarray
    missile_name: list[str]
    missile_xyz: np.ndarray
    track_time_s: np.ndarray
    track_name: list[str]
    track_truth: np.ndarray  # threat index the track holds (-1: a false track)
    track_xyz: np.ndarray
    track_cov6: np.ndarray


def _concat(chunks: list[tuple], empty: tuple) -> tuple:
    if not chunks:
        return empty
    return tuple(np.concatenate(c) for c in zip(*chunks, strict=True))
