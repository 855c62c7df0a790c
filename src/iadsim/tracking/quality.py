"""Per-run track quality: a cheap log of track updates and a per-threat summary.

A :class:`TrackLog` given to a :class:`~iadsim.tracking.tracker.Tracker` (``log=TrackLog()``)
receives one row per track update: time, track id, truth index of the detection used
(-1 for a false alarm), updated position and whether the track was confirmed (confirmed
or coasting) after the update. :func:`summarize_tracks` turns a log into per-threat
figures in the spirit of the CLEAR MOT identity measures (Bernardin & Stiefelhagen,
"Evaluating multiple object tracking performance: the CLEAR MOT metrics", EURASIP JIVP
2008) and of Ristic et al.'s track-label metrics; the definitions used here are:

- ``first_confirmed_s``: time of the first confirmed-track update on the threat;
  ``time_to_confirm_s`` = that minus ``truth_start_s`` when given (e.g. the time the
  threat entered coverage);
- a *run* is a stretch of consecutive confirmed updates of one track id with one truth
  label; runs shorter than ``min_run`` updates (default 3) are momentary misassociations
  (e.g. the scan where two crossing targets coincide), counted in ``misassociated`` and
  otherwise ignored;
- ``track_breaks``: the threat lost its confirmed track and got a new one: the number of
  distinct track ids among the threat's runs, minus one;
- ``id_swaps``: a track id whose run on another threat is followed by a run on this one
  (runs on false alarms, label -1, are skipped); ``total_id_swaps`` counts every such
  change once;
- ``mean_position_error_m``: mean distance between the updated position of its confirmed
  tracks and the truth position at the update time.

Only confirmed rows are used; a threat never tracked gets NaN times and errors and 0 counts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from iadsim import checks

_COLUMNS = ("time_s", "track_id", "truth", "xyz", "confirmed", "group")


@dataclass
class TrackLog:
    """Append-only columns of track updates; ``arrays()`` concatenates them.

    A log shared by the groups of one tracker (see :class:`~iadsim.tracking.tracker.Tracker`)
    records each row's group; :meth:`select` and :meth:`by_group` give one group's rows (track
    ids are unique only within a group), ready for :func:`summarize_tracks`.
    """

    _chunks: list[tuple] = field(default_factory=list)
    _n: int = 0

    def append(self, time_s, track_id, truth, xyz, confirmed, group=0) -> None:
        """Add k rows: time_s scalar or (k,), track_id, truth, confirmed (k,), xyz (k, 3),
        group scalar or (k,) (default 0)."""
        track_id = np.asarray(track_id, np.int64)
        k = len(track_id)
        time = np.broadcast_to(np.asarray(time_s, float), (k,)).copy()
        truth = np.asarray(truth, np.int64)
        xyz = np.asarray(xyz, float).reshape(k, 3).copy()
        confirmed = np.broadcast_to(np.asarray(confirmed, bool), (k,)).copy()
        group = np.broadcast_to(np.asarray(group, np.int64), (k,)).copy()
        checks.same_length(track_id=track_id, truth=truth, xyz=xyz)
        self._chunks.append((time, track_id.copy(), truth.copy(), xyz, confirmed, group))
        self._n += k

    def __len__(self) -> int:
        return self._n

    def arrays(self) -> dict[str, np.ndarray]:
        """Columns time_s (N,), track_id (N,), truth (N,), xyz (N, 3), confirmed (N,),
        group (N,)."""
        if not self._chunks:
            empty = (np.zeros(0), np.zeros(0, np.int64), np.zeros(0, np.int64),
                     np.zeros((0, 3)), np.zeros(0, bool), np.zeros(0, np.int64))  # fmt: skip
            return dict(zip(_COLUMNS, empty, strict=True))
        if len(self._chunks) > 1:  # consolidate so repeated calls stay cheap
            self._chunks = [tuple(np.concatenate(c) for c in zip(*self._chunks, strict=True))]
        return dict(zip(_COLUMNS, self._chunks[0], strict=True))

    def select(self, groups) -> dict[str, np.ndarray]:
        """The rows of the given group(s) (an int or a sequence), as an ``arrays()`` dict."""
        cols = self.arrays()
        keep = np.isin(cols["group"], np.atleast_1d(np.asarray(groups, np.int64)))
        return {name: value[keep] for name, value in cols.items()}

    def by_group(self) -> dict[int, dict[str, np.ndarray]]:
        """Every group's rows (in log order) as ``{group: arrays() dict}``, in one sort."""
        cols = self.arrays()
        order = np.argsort(cols["group"], kind="stable")
        sorted_group = cols["group"][order]
        cuts = np.flatnonzero(np.diff(sorted_group)) + 1
        return {
            int(cols["group"][rows[0]]): {name: value[rows] for name, value in cols.items()}
            for rows in np.split(order, cuts)
            if len(rows)
        }


def summarize_tracks(
    log: TrackLog | dict,
    n_truth: int,
    truth_positions: Callable | np.ndarray | None = None,
    truth_times: np.ndarray | None = None,
    truth_start_s: np.ndarray | None = None,
    min_run: int = 3,
) -> dict:
    """Per-threat track quality from a log (see the module docstring for the definitions).

    Parameters
    ----------
    log : a :class:`TrackLog` or its ``arrays()`` dict.
    n_truth : number of threats (truth indices 0 .. n_truth - 1).
    truth_positions : either a function ``f(truth (k,), time_s (k,)) -> (k, 3)``, or an array
        (n_truth, T, 3) of positions at ``truth_times`` (T,), interpolated linearly; None
        leaves the position errors NaN.
    truth_start_s : (n_truth,) reference times for ``time_to_confirm_s`` (NaN if None).
    min_run : shortest run of updates that counts for breaks and swaps.

    Returns a dict of (n_truth,) arrays ``first_confirmed_s``, ``time_to_confirm_s``,
    ``track_breaks``, ``id_swaps``, ``misassociated``, ``mean_position_error_m`` and the scalars
    ``total_track_breaks``, ``total_id_swaps``, ``mean_position_error_m_all``.
    """
    cols = log.arrays() if isinstance(log, TrackLog) else log
    checks.integer("n_truth", n_truth, "an integer >= 0", lambda n: n >= 0)
    keep = cols["confirmed"] & (cols["truth"] >= 0)
    if (cols["truth"] >= n_truth).any():
        checks.fail("log's truth", f"indices < n_truth = {n_truth}", str(int(cols["truth"].max())))
    time, tid, truth = cols["time_s"][keep], cols["track_id"][keep], cols["truth"][keep]
    xyz = cols["xyz"][keep]
    order = np.lexsort((time, truth))
    time, tid, truth, xyz = time[order], tid[order], truth[order], xyz[order]

    first = np.full(n_truth, np.nan)
    if len(time):
        starts = np.ones(len(truth), bool)
        starts[1:] = truth[1:] != truth[:-1]
        first[truth[starts]] = time[starts]  # sorted by time within each truth
    if truth_start_s is None:
        to_confirm = np.full(n_truth, np.nan)
    else:
        start = checks.numbers("truth_start_s", truth_start_s, "finite times (s)", shape=(n_truth,))
        to_confirm = first - start

    # Runs of (track id, label) along each track in time order.
    by_track = np.lexsort((time, tid))
    t_sorted, l_sorted = tid[by_track], truth[by_track]
    new_run = np.ones(len(t_sorted), bool)
    new_run[1:] = (t_sorted[1:] != t_sorted[:-1]) | (l_sorted[1:] != l_sorted[:-1])
    run_len = np.diff(np.append(np.flatnonzero(new_run), len(t_sorted)))
    stable = run_len >= min_run
    run_track, run_label = t_sorted[new_run][stable], l_sorted[new_run][stable]
    misassociated = np.bincount(l_sorted[new_run][~stable], weights=run_len[~stable],
                                minlength=n_truth).astype(int)  # fmt: skip

    # Breaks: distinct track ids among each truth's runs, minus one.
    base = int(tid.max(initial=0)) + 1
    pairs = np.unique(run_label * base + run_track)
    distinct = np.bincount(pairs // base, minlength=n_truth)
    breaks = np.maximum(distinct - 1, 0)

    # Swaps: consecutive runs of one track id with different labels.
    change = (run_track[1:] == run_track[:-1]) & (run_label[1:] != run_label[:-1])
    swaps = np.bincount(run_label[1:][change], minlength=n_truth)

    err = np.full(n_truth, np.nan)
    if truth_positions is not None and len(time):
        true_xyz = _truth_at(truth_positions, truth_times, truth, time, n_truth)
        dist = np.linalg.norm(xyz - true_xyz, axis=1)
        count = np.bincount(truth, minlength=n_truth)
        total = np.bincount(truth, weights=dist, minlength=n_truth)
        with np.errstate(invalid="ignore", divide="ignore"):
            err = np.where(count > 0, total / np.maximum(count, 1), np.nan)
        err_all = float(dist.mean())
    else:
        err_all = float("nan")
    return {
        "first_confirmed_s": first,
        "time_to_confirm_s": to_confirm,
        "track_breaks": breaks,
        "id_swaps": swaps,
        "misassociated": misassociated,
        "mean_position_error_m": err,
        "total_track_breaks": int(breaks.sum()),
        "total_id_swaps": int(change.sum()),
        "mean_position_error_m_all": err_all,
    }


def _truth_at(positions, times, truth, time, n_truth) -> np.ndarray:
    if callable(positions):
        out = np.asarray(positions(truth, time), float)
        if out.shape != (len(truth), 3):
            checks.fail("truth_positions(...)", f"of shape ({len(truth)}, 3)", f"shape {out.shape}")
        return out
    pos = checks.numbers("truth_positions", positions, "finite positions (m)",
                         shape=(n_truth, None, 3))  # fmt: skip
    if times is None:
        checks.fail("truth_times", "given when truth_positions is an array", "None")
    grid = checks.numbers("truth_times", times, "finite times (s)", shape=(pos.shape[1],))
    if len(grid) == 1:
        return pos[truth, 0]
    k = np.clip(np.searchsorted(grid, time, "right") - 1, 0, len(grid) - 2)
    w = np.clip((time - grid[k]) / (grid[k + 1] - grid[k]), 0.0, 1.0)[:, None]
    return (1.0 - w) * pos[truth, k] + w * pos[truth, k + 1]
