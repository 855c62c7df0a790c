"""A multi-target tracker: batched filters, sparse gating, GNN or JPDA, track management.

One :class:`Tracker` holds one track picture (a fire unit's own, or a network's fused
picture when several fire units share their radars' measurements). Each scan of a
radar is processed as a batch:

1. predict every track to the scan time (``predictor``: CV Kalman, or the CV + CA IMM);
2. associate (``associator``): chi-square gate found through a sort-and-sweep coarse gate
   (no all-pairs cost), then GNN per connected component of the gate graph, or JPDA, for
   the confirmed and coasting tracks; then GNN between the tentative tracks and the
   detections left over (``two_stage``; with the built-in associators both stages share
   one gating pass, :func:`iadsim.tracking.associate.two_stage`);
3. update (``updater``), start a tentative track per detection no track claimed
   (``initiator``); confirm a tentative track on its ``confirm_hits``-th hit among its
   first ``confirm_window`` looks (M-of-N = 3-of-5: the first detection and the next
   N - 1 revisits; noise false alarms rarely confirm; Blackman & Popoli 1999, sec. 9.3);
4. :meth:`Tracker.drop_stale` (each tick) deletes tracks (``deleter``): a tentative track
   whose M-of-N test failed; a firm one with no update for ``coast_scans`` revisit periods
   of the slowest radar that has updated it, or whose position sigma exceeds
   ``max_sigma_cells`` resolution cells of the coarsest radar that has updated it
   (:mod:`iadsim.tracking.management`).

Track status: TENTATIVE (0) until confirmed; CONFIRMED (1) while updated; COASTING (2) when a
confirmed track has had no detection for at least ``coast_after_scans`` of its revisit
periods (it missed its last expected update). Use :attr:`Tracker.engageable` (confirmed or
coasting) for "a confirmed track exists". Every change of state is returned as a
:class:`TrackEvent` ("track_start", "track_coast", "track_resume", "track_drop"), which the
engine writes to the event log.

Track identifiers are stable for the life of a track and never reused.

The per-track work (prediction, gating, assignment, update, deletion tests) runs in
compiled Numba loops (:mod:`iadsim.tracking.kalman`, :mod:`iadsim.tracking.associate`,
:mod:`iadsim.tracking.management`); this module keeps the bookkeeping in NumPy arrays.

Groups: one Tracker may hold several independent pictures (the replications of a batched
Monte Carlo run, several fire units' pictures), each detection and track carrying an integer
``group`` >= 0. Gating indexes detections by (group, cell), so a track and a detection of
different groups are never even candidates; identifiers are numbered per group (the k-th
track started in a group has id k). A group's tracks, states, identifiers and events are
exactly those of a Tracker fed only that group's detections through the same calls.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from iadsim import checks
from iadsim._arrays import rank_within
from iadsim.checks import show
from iadsim.tracking.associate import (
    GATE_D2,
    Association,
    GNNAssociator,
    JPDAAssociator,
    two_stage,
)
from iadsim.tracking.imm import ImmModel, ImmPredictor, ImmUpdater
from iadsim.tracking.kalman import GaussianBank, KalmanPredictor, KalmanUpdater, check_detections
from iadsim.tracking.management import (
    COASTING,
    CONFIRMED,
    TENTATIVE,
    SinglePointInitiator,
    StaleTrackDeleter,
)
from iadsim.tracking.quality import TrackLog

__all__ = ["COASTING", "CONFIRMED", "GATE_D2", "TENTATIVE", "TrackEvent", "Tracker"]

_PER_TRACK = ("track_id", "group", "status", "hits", "time_s", "born_s", "confirmed_s",
              "updated_s", "revisit_s", "cell_m", "precise_s", "first_precise_s",
              "truth")  # fmt: skip


@dataclass
class TrackEvent:
    """A change of a track's state: "track_start" (tentative -> confirmed), "track_coast"
    (confirmed -> coasting: its expected update did not come), "track_resume" (coasting ->
    confirmed) or "track_drop" (deleted); ``detail`` says from what."""

    kind: str
    track_id: int
    truth: int
    time_s: float
    xyz: np.ndarray
    group: int = 0
    detail: str = ""


@dataclass
class Tracker:
    """Track picture as struct-of-arrays (axis 0 = track).

    Options: ``filter`` "cv" (constant-velocity Kalman, process noise ``process_noise_q``)
    or "imm" (CV + CA IMM, parameters ``imm``); ``association`` "gnn" or "jpda"
    (``detection_probability``, ``clutter_density`` per m^3); ``two_stage`` (default True)
    associates firm tracks first and tentative ones by GNN on the leftovers.
    Any seam (``predictor``, ``updater``, ``associator``, ``initiator``, ``deleter``) may be
    passed to replace the default built from those options; ``log`` receives every update (see
    :mod:`iadsim.tracking.quality`); ``coast_events`` (default True) also reports the
    "track_coast" / "track_resume" changes.

    Per-track arrays: x (n, 6) combined state [x, y, z, vx, vy, vz] at ``time_s``, p (n, 6, 6),
    track_id (unique within its group), group, status, hits, time_s (state time), born_s,
    confirmed_s (inf until confirmed), updated_s (last detection), revisit_s (slowest radar
    revisit that updated it), cell_m (largest resolution-cell extent of the radars that
    updated it), precise_s and first_precise_s (last and first update by a precision,
    fire-control radar; -inf and inf if none), truth (truth index of the last associated
    detection, -1 for a false alarm). ``next_ids[g]`` is the id the next track of group g
    gets (1 if absent).
    """

    process_noise_q: float = 400.0  # m^2/s^3: ~20 m/s^2 of unmodelled acceleration
    initial_speed_sigma_mps: float = 700.0  # gates a second hit out to ~2.6 km/s
    confirm_hits: int = 3
    confirm_window: int = 5
    coast_scans: float = 6.0
    coast_after_scans: float = 1.0
    max_sigma_cells: float = 10.0
    max_position_sigma_m: float = float("inf")
    filter: str = "cv"
    association: str = "gnn"
    detection_probability: float = 0.9
    clutter_density: float = 1e-12
    imm: ImmModel = field(default_factory=ImmModel)
    two_stage: bool = True
    predictor: Any = None
    updater: Any = None
    associator: Any = None
    initiator: Any = None
    deleter: Any = None
    log: TrackLog | None = None
    coast_events: bool = True  # also report confirmed <-> coasting changes
    x: np.ndarray = field(default_factory=lambda: np.zeros((0, 6)))
    p: np.ndarray = field(default_factory=lambda: np.zeros((0, 6, 6)))
    track_id: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    group: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    status: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    hits: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    time_s: np.ndarray = field(default_factory=lambda: np.zeros(0))
    born_s: np.ndarray = field(default_factory=lambda: np.zeros(0))
    confirmed_s: np.ndarray = field(default_factory=lambda: np.zeros(0))
    updated_s: np.ndarray = field(default_factory=lambda: np.zeros(0))
    revisit_s: np.ndarray = field(default_factory=lambda: np.zeros(0))
    cell_m: np.ndarray = field(default_factory=lambda: np.zeros(0))
    precise_s: np.ndarray = field(default_factory=lambda: np.zeros(0))
    first_precise_s: np.ndarray = field(default_factory=lambda: np.zeros(0))
    truth: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    next_ids: np.ndarray = field(default_factory=lambda: np.ones(1, np.int64))
    state: Any = None

    def __post_init__(self) -> None:
        checks.one_of("filter", self.filter, ("cv", "imm"))
        checks.one_of("association", self.association, ("gnn", "jpda"))
        checks.scalar("process_noise_q", self.process_noise_q, _AT_LEAST_ZERO, _at_least_zero)
        for name in ("initial_speed_sigma_mps", "coast_scans", "coast_after_scans",
                     "max_sigma_cells"):  # fmt: skip
            checks.scalar(name, getattr(self, name), _ABOVE_ZERO, _above_zero)
        checks.numbers(
            "max_position_sigma_m", self.max_position_sigma_m,
            "a number > 0 (m; inf for no limit)", _above_zero, allow_inf=True,
        )  # fmt: skip
        for name in ("confirm_hits", "confirm_window"):
            checks.integer(name, getattr(self, name), "an integer >= 1", _at_least_one)
        if self.confirm_hits > self.confirm_window:
            checks.fail(
                "confirm_hits", f"<= confirm_window = {self.confirm_window} (M of N needs M <= N)",
                show(self.confirm_hits),
            )  # fmt: skip
        imm = self.filter == "imm"
        if self.predictor is None:
            self.predictor = (
                ImmPredictor(self.imm) if imm else KalmanPredictor(self.process_noise_q)
            )
        if self.updater is None:
            self.updater = ImmUpdater() if imm else KalmanUpdater()
        if self.associator is None:
            self.associator = (
                JPDAAssociator(self.detection_probability, self.clutter_density)
                if self.association == "jpda"
                else GNNAssociator()
            )
        if self.initiator is None:
            make = self.imm.bank_from_gaussian if imm else GaussianBank.from_gaussian
            self.initiator = SinglePointInitiator(self.initial_speed_sigma_mps, make)
        self._tentative_associator = GNNAssociator()
        if self.deleter is None:
            self.deleter = StaleTrackDeleter(
                self.coast_scans, self.max_sigma_cells, self.confirm_window,
                self.max_position_sigma_m,
            )  # fmt: skip
        if self.state is None:
            self.state = self.initiator.initiate(np.zeros((0, 3)), np.zeros((0, 3, 3)))

    def __len__(self) -> int:
        return len(self.track_id)

    @property
    def next_id(self) -> int:
        """The id the next track of group 0 will get."""
        return int(self.next_ids[0]) if len(self.next_ids) else 1

    @property
    def engageable(self) -> np.ndarray:
        """Boolean mask (n,): confirmed or coasting tracks (what "a firm track" means)."""
        return self.status != TENTATIVE

    def predicted(self, time_s: float) -> tuple[np.ndarray, np.ndarray]:
        """All tracks' state (n, 6) and covariance (n, 6, 6) predicted to ``time_s``.

        The tracks are unchanged. ``time_s`` must not precede the tracks' state time.
        """
        x, p = self.predicted_view(time_s)
        return (x.copy(), p.copy()) if x is self.x else (x, p)

    def predicted_view(self, time_s: float) -> tuple[np.ndarray, np.ndarray]:
        """As :meth:`predicted`, but when no time has passed it returns the tracker's own
        arrays (read-only use: no copy)."""
        time_s = checks.scalar("time_s", time_s)
        if len(self) == 0:
            return np.zeros((0, 6)), np.zeros((0, 6, 6))
        dt = self._dt(time_s)
        if not dt.any():
            return self.x, self.p
        return self.predictor.predict(self.state, dt).mean_cov()

    def process_scan(
        self,
        time_s: float,
        z: np.ndarray,
        r: np.ndarray,
        truth: np.ndarray,
        revisit_s: float | np.ndarray,
        group: np.ndarray | None = None,
        scan_groups: np.ndarray | None = None,
        resolution_m: float | np.ndarray | None = None,
        precise: np.ndarray | None = None,
    ) -> list[TrackEvent]:
        """Associate one scan's detections and update the picture.

        z (m, 3) measured positions (map frame, m), r (m, 3, 3) their covariances,
        truth (m,) truth index per detection (-1 false alarm), revisit_s > 0 the radar's
        revisit period (or one per detection, when one call carries the scans of several
        radars feeding different groups), group (m,) integers >= 0 (default all 0): a
        detection only meets
        tracks of its group and starts a track in it. ``scan_groups`` (default: every group)
        lists the groups this scan covers: tracks of other groups are left as they are
        (not predicted, not marked coasting), as if the call went to their own Trackers;
        every detection's group must be listed. ``resolution_m`` (scalar or per detection)
        is the largest extent of the radar's resolution cell at the detection (default: the
        measurement's own extent, sqrt(trace r)); ``precise`` (bool per detection, default
        all False) marks detections of precision (fire-control) radars. Returns the
        "track_start" events of tracks confirmed by this scan.
        """
        time_s = checks.scalar("time_s", time_s)
        z, r = check_detections(z, r)
        revisit = self._check_revisit(revisit_s, len(z))
        truth = checks.integers("truth", truth, "truth indices (integers)", shape=(len(z),))
        cell = self._check_resolution(resolution_m, r)
        precise = np.zeros(len(z), bool) if precise is None else np.asarray(precise, bool)
        if precise.shape != (len(z),):
            checks.fail("precise", f"booleans of shape ({len(z)},)", f"shape {precise.shape}")
        group = self._check_group("group", group, len(z))
        cover = None
        if scan_groups is not None:
            scan_groups = self._check_group("scan_groups", scan_groups, None)
            if not np.isin(group, scan_groups).all():
                bad = group[~np.isin(group, scan_groups)][0]
                checks.fail("group", "a group listed in scan_groups", show(bad))
            cover = np.flatnonzero(np.isin(self.group, scan_groups))
            if len(cover) == len(self):
                cover = None
        events: list[TrackEvent] = []
        claimed = np.zeros(len(z), bool)
        n_cover = len(self) if cover is None else len(cover)
        if n_cover:
            whole = cover is None
            dt = self._dt(time_s, cover)
            state = self.state if whole else self.state.take(cover)
            bank = self.predictor.predict(state, dt)
            hit_det = None
            if len(z):
                gate_moments = getattr(bank, "gate_mean_cov", bank.mean_cov)
                xg, pg = gate_moments()
                tg = self.group if whole else self.group[cover]
                firm = self.engageable if whole else self.engageable[cover]
                assoc = self._associate(xg, pg, z, r, tg, group, firm)
                bank = self.updater.update(bank, assoc, z, r)
                claimed = np.asarray(assoc.claimed, bool)
                hit_det = assoc.hit_detection()
            if whole:
                self.state = bank
                self.time_s[:] = time_s
            else:
                self.state = self._put(cover, bank)
                self.time_s[cover] = time_s
                if hit_det is not None:
                    full = np.full(len(self), -1)
                    full[cover] = hit_det
                    hit_det = full
            self.x, self.p = self.state.mean_cov()
            if hit_det is not None:
                events = self._record_hits(time_s, hit_det, truth, revisit, cell, precise)
        new = ~claimed
        self._start_tracks(time_s, z[new], r[new], truth[new], group[new], revisit[new],
                           cell[new], precise[new])  # fmt: skip
        return events + self._mark_coasting(time_s, scan_groups)

    def drop_stale(self, time_s: float) -> list[TrackEvent]:
        """Delete the tracks the deleter selects (stale, too uncertain, unconfirmed)."""
        time_s = checks.scalar("time_s", time_s)
        coasting = self._mark_coasting(time_s)
        if len(self) == 0:
            return []
        gone = np.asarray(self.deleter.delete(self, time_s), bool)
        if gone.shape != (len(self),):
            checks.fail("deleter's result", f"of shape ({len(self)},)", f"shape {gone.shape}")
        return coasting + self._drop(gone, time_s)

    def drop_truth(self, truth_index, time_s: float) -> list[TrackEvent]:
        """Drop tracks on destroyed objects (kill assessment confirmed the kill): one truth
        index or an array of them."""
        return self._drop(np.isin(self.truth, np.asarray(truth_index)), time_s)

    # --- internals ----------------------------------------------------------------------

    @staticmethod
    def _check_revisit(value, length: int) -> np.ndarray:
        if np.ndim(value) == 0:
            return np.full(length, checks.scalar("revisit_s", value, _ABOVE_ZERO, _above_zero))
        return checks.numbers("revisit_s", value, "revisit periods > 0 (s)", _above_zero,
                              shape=(length,))  # fmt: skip

    @staticmethod
    def _check_resolution(value, r: np.ndarray) -> np.ndarray:
        if value is None:
            return np.sqrt(np.trace(r, axis1=1, axis2=2))
        arr = checks.numbers("resolution_m", value, "finite extents > 0 (m)", _above_zero)
        if arr.ndim > 1 or arr.size not in (1, len(r)):
            checks.fail("resolution_m", f"one extent or {len(r)}", f"shape {arr.shape}")
        return np.broadcast_to(arr.reshape(-1), (len(r),))

    @staticmethod
    def _check_group(name: str, value, length: int | None) -> np.ndarray:
        if value is None:
            return np.zeros(length, np.int64)
        arr = np.atleast_1d(np.asarray(value))
        shape = (len(arr) if length is None else length,)
        return checks.integers(name, arr, "groups (integers >= 0)", _at_least_zero, shape=shape)

    def _put(self, rows: np.ndarray, bank):
        """The state with the tracks ``rows`` replaced by ``bank``'s (order kept)."""
        rest = np.ones(len(self), bool)
        rest[rows] = False
        n_rest = len(self) - len(rows)
        where = np.empty(len(self), np.int64)
        where[rest] = np.arange(n_rest)
        where[rows] = n_rest + np.arange(len(rows))
        return self.state.take(rest).concat(bank).take(where)

    def _call(self, associator, x, p, z, r, tg, dg):
        """One associator call over all groups, or one per group for an associator that
        does not take groups (a custom seam)."""
        if getattr(associator, "supports_groups", False):
            if not (tg.any() or dg.any()):  # one group: the plain call
                return associator.associate(x, p, z, r)
            return associator.associate(x, p, z, r, tg, dg)
        groups = np.union1d(tg, dg)
        if len(groups) <= 1:
            return associator.associate(x, p, z, r)
        parts = []
        for g in groups:
            rows, dets = np.flatnonzero(tg == g), np.flatnonzero(dg == g)
            parts.append((rows, dets, associator.associate(x[rows], p[rows], z[dets], r[dets])))
        return Association.combine(len(x), len(z), parts)

    def _associate(self, x, p, z, r, tg, dg, firm_mask):
        """The associator over the confirmed and coasting tracks, then GNN between the
        tentative tracks and the detections left unclaimed (``two_stage``, the default);
        or one associator call over all tracks.

        Two stages keep a tentative track (wide gate, unknown velocity) from taking a
        detection that a firm track needs: with one global assignment, maximising the
        number of pairs can hand a firm track a nearby clutter point so that a clutter-born
        tentative track gets the target's detection. With JPDA a tentative track would also
        stay wide under soft updates and count clutter inside its gate as hits until it
        confirms. Initiating on the leftovers is what Stone Soup's
        ``MultiMeasurementInitiator`` does.
        """
        if not self.two_stage:
            return self._call(self.associator, x, p, z, r, tg, dg)
        pair = (self.associator, self._tentative_associator)
        if all(hasattr(a, "associate_gated") for a in pair):  # one gating pass
            one = not (tg.any() or dg.any())
            return two_stage(*pair, x, p, z, r, firm_mask, None if one else tg, None if one else dg)
        n, m = len(x), len(z)
        firm = np.flatnonzero(firm_mask)
        tent = np.flatnonzero(~firm_mask)
        all_dets = np.arange(m)
        first = self._call(self.associator, x[firm], p[firm], z, r, tg[firm], dg)
        left = np.flatnonzero(~np.asarray(first.claimed, bool))
        second = self._call(
            self._tentative_associator, x[tent], p[tent], z[left], r[left], tg[tent], dg[left]
        )
        return Association.combine(n, m, [(firm, all_dets, first), (tent, left, second)])

    def _dt(self, time_s: float, rows=None) -> np.ndarray:
        state_time = self.time_s if rows is None else self.time_s[rows]
        dt = time_s - state_time
        if (dt < -1e-6).any():
            checks.fail("time_s", f"no earlier than the track states ({state_time.max()!r} s)",
                        show(time_s))  # fmt: skip
        return np.maximum(dt, 0.0)

    def _record_hits(self, time_s, hit_det, truth, revisit_s, cell_m, precise):
        rows = np.flatnonzero(hit_det >= 0)
        if len(rows) == 0:
            return []
        self.hits[rows] += 1
        self.truth[rows] = truth[hit_det[rows]]
        self.updated_s[rows] = time_s
        self.revisit_s[rows] = np.maximum(self.revisit_s[rows], revisit_s[hit_det[rows]])
        self.cell_m[rows] = np.maximum(self.cell_m[rows], cell_m[hit_det[rows]])
        fine = rows[precise[hit_det[rows]]]
        self.precise_s[fine] = time_s
        self.first_precise_s[fine] = np.minimum(self.first_precise_s[fine], time_s)
        status = self.status[rows]
        resumed = rows[status == COASTING]
        status[status == COASTING] = CONFIRMED
        promote = (status == TENTATIVE) & (self.hits[rows] >= self.confirm_hits)
        status[promote] = CONFIRMED
        self.status[rows] = status
        promote = rows[promote]
        self.confirmed_s[promote] = time_s
        if self.log is not None:
            self.log.append(
                time_s, self.track_id[rows], self.truth[rows], self.x[rows, :3],
                status != TENTATIVE, self.group[rows],
            )  # fmt: skip
        started = [
            f"confirmed on hit {h}, tentative since {born:.1f} s"
            for h, born in zip(self.hits[promote].tolist(), self.born_s[promote].tolist(),
                               strict=True)
        ]  # fmt: skip
        events = self._events("track_start", promote, time_s, started)
        if self.coast_events:
            events += self._events("track_resume", resumed, time_s, "coasting -> confirmed")
        return events

    def _mark_coasting(self, time_s: float, groups=None) -> list[TrackEvent]:
        """Confirmed tracks whose expected update did not come start coasting."""
        if len(self) == 0:
            return []
        firm = self.status != TENTATIVE
        late = time_s - self.updated_s >= self.coast_after_scans * self.revisit_s - 1e-9
        if groups is not None:
            firm &= np.isin(self.group, groups)
        turning = firm & late & (self.status == CONFIRMED)
        self.status[firm & late] = COASTING
        if not self.coast_events:
            return []
        return self._events("track_coast", np.flatnonzero(turning), time_s, "confirmed -> coasting")

    def _start_tracks(self, time_s, z, r, truth, group, revisit_s, cell_m, precise) -> None:
        m = len(z)
        if m == 0:
            return
        new = self.initiator.initiate(z, r)
        ids = self._new_ids(group)
        self.state = self.state.concat(new)
        self.x, self.p = self.state.mean_cov()
        now = np.full(m, time_s)
        fresh = {
            "track_id": ids,
            "group": group,
            "status": np.full(m, TENTATIVE),
            "hits": np.ones(m, int),
            "time_s": now,
            "born_s": now,
            "confirmed_s": np.full(m, np.inf),
            "updated_s": now,
            "revisit_s": revisit_s,
            "cell_m": cell_m,
            "precise_s": np.where(precise, time_s, -np.inf),
            "first_precise_s": np.where(precise, time_s, np.inf),
            "truth": truth,
        }
        for name in _PER_TRACK:
            setattr(self, name, np.concatenate([getattr(self, name), fresh[name]]))
        if self.log is not None:
            self.log.append(time_s, ids, truth, z, np.zeros(m, bool), group)

    def _new_ids(self, group: np.ndarray) -> np.ndarray:
        """Ids for new tracks of the given groups, numbered per group in detection order."""
        low, top = int(group.min()), int(group.max()) + 1
        if top > len(self.next_ids):
            grown = np.ones(top, np.int64)
            grown[: len(self.next_ids)] = self.next_ids
            self.next_ids = grown
        if low == top - 1:  # one group (the usual case)
            ids = np.arange(self.next_ids[low], self.next_ids[low] + len(group))
            self.next_ids[low] += len(group)
            return ids
        ids = self.next_ids[group] + rank_within(group)
        self.next_ids[:top] += np.bincount(group, minlength=top)
        return ids

    def _drop(self, gone: np.ndarray, time_s: float) -> list[TrackEvent]:
        if not gone.any():
            return []
        rows = np.flatnonzero(gone & self.engageable)
        was = np.where(self.status[rows] == COASTING, "was coasting", "was confirmed")
        events = self._events("track_drop", rows, time_s, was.tolist())
        keep = np.flatnonzero(~gone)
        self.state = self.state.take(keep)
        self.x, self.p = self.state.mean_cov()
        for name in _PER_TRACK:
            setattr(self, name, np.take(getattr(self, name), keep))
        return events

    def _events(self, kind: str, rows: np.ndarray, time_s: float, detail="") -> list[TrackEvent]:
        """Events of the tracks ``rows``; ``detail`` one text for all or one per row."""
        if len(rows) == 0:
            return []
        xyz = self.x[rows, :3]
        details = [detail] * len(rows) if isinstance(detail, str) else detail
        return [
            TrackEvent(kind, i, t, time_s, where, g, d)
            for i, t, where, g, d in zip(
                self.track_id[rows].tolist(), self.truth[rows].tolist(), xyz,
                self.group[rows].tolist(), details, strict=True,
            )
        ]  # fmt: skip


_ABOVE_ZERO, _AT_LEAST_ZERO = "a finite number > 0", "a finite number >= 0"


def _above_zero(a):
    return a > 0


def _at_least_zero(a):
    return a >= 0


def _at_least_one(a):
    return a >= 1
