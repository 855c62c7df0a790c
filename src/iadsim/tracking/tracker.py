"""A multi-target tracker: CV Kalman filters, chi-square gating, GNN association.

One :class:`Tracker` holds one track picture (a fire unit's own, or a network's fused
picture when several fire units share their radars' measurements). Each scan of a
radar is processed as a batch:

1. predict every track to the scan time (batched Kalman, :mod:`iadsim.tracking.kalman`);
2. gate with the chi-square test on the Mahalanobis distance (3 dof, P_G = 0.999;
   Blackman & Popoli, *Design and Analysis of Modern Tracking Systems*, 1999, sec. 6.3);
3. global nearest neighbour: ``scipy.optimize.linear_sum_assignment`` on the gated
   d^2 cost (Blackman & Popoli sec. 6.4);
4. update assigned tracks, start a tentative track per unassigned detection, confirm a
   tentative track on its third hit within ``confirm_window`` scans (M-of-N = 3-of-5, so
   noise false alarms rarely confirm; Blackman & Popoli sec. 9.3),
   drop tracks not updated for ``coast_scans`` revisit periods of the slowest radar that
   has updated them (a track held by a slow long-range radar survives misses of a fast
   sector radar) or whose predicted position uncertainty exceeds ``max_position_sigma_m``.

Track identifiers are stable for the life of a track and never reused.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.stats import chi2

from iadsim.tracking import kalman

TENTATIVE, CONFIRMED = 0, 1
GATE_D2 = float(chi2.ppf(0.999, df=3))
_UNASSIGNED_COST = 1e9


@dataclass
class TrackEvent:
    kind: str  # "track_start" or "track_drop"
    track_id: int
    truth: int
    time_s: float
    xyz: np.ndarray


@dataclass
class Tracker:
    """Track picture as struct-of-arrays (axis 0 = track)."""

    process_noise_q: float = 400.0  # m^2/s^3: ~20 m/s^2 of unmodelled acceleration
    initial_speed_sigma_mps: float = 700.0  # gates a second hit out to ~2.6 km/s
    confirm_hits: int = 3
    confirm_window: int = 5
    coast_scans: float = 6.0
    max_position_sigma_m: float = 5000.0
    x: np.ndarray = field(default_factory=lambda: np.zeros((0, 6)))
    p: np.ndarray = field(default_factory=lambda: np.zeros((0, 6, 6)))
    track_id: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    status: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    hits: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    time_s: np.ndarray = field(default_factory=lambda: np.zeros(0))
    born_s: np.ndarray = field(default_factory=lambda: np.zeros(0))
    confirmed_s: np.ndarray = field(default_factory=lambda: np.zeros(0))
    revisit_s: np.ndarray = field(default_factory=lambda: np.zeros(0))
    truth: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    next_id: int = 1

    def __len__(self) -> int:
        return len(self.track_id)

    def predicted(self, time_s: float) -> tuple[np.ndarray, np.ndarray]:
        """All tracks' state and covariance predicted to ``time_s`` (tracks unchanged)."""
        return kalman.predict(self.x, self.p, time_s - self.time_s, self.process_noise_q)

    def process_scan(
        self, time_s: float, z: np.ndarray, r: np.ndarray, truth: np.ndarray, revisit_s: float
    ) -> list[TrackEvent]:
        """Associate one scan's detections (z (m,3), R (m,3,3)) and update the picture."""
        events: list[TrackEvent] = []
        assigned_det = np.zeros(len(z), bool)
        if len(self) and len(z):
            xp, pp = self.predicted(time_s)
            d2 = kalman.mahalanobis_sq(xp, pp, z, r)
            cost = np.where(d2 <= GATE_D2, d2, _UNASSIGNED_COST)
            rows, cols = linear_sum_assignment(cost)
            ok = cost[rows, cols] < _UNASSIGNED_COST
            rows, cols = rows[ok], cols[ok]
            if len(rows):
                x_new, p_new = kalman.update(xp[rows], pp[rows], z[cols], r[cols])
                self.x[rows], self.p[rows] = x_new, p_new
                self.time_s[rows] = time_s
                self.hits[rows] += 1
                self.truth[rows] = truth[cols]
                self.revisit_s[rows] = np.maximum(self.revisit_s[rows], revisit_s)
                assigned_det[cols] = True
                promote = rows[
                    (self.status[rows] == TENTATIVE) & (self.hits[rows] >= self.confirm_hits)
                ]
                self.status[promote] = CONFIRMED
                self.confirmed_s[promote] = time_s
                events += [self._event("track_start", i, time_s) for i in promote]
        self._start_tracks(
            time_s, z[~assigned_det], r[~assigned_det], truth[~assigned_det], revisit_s
        )
        return events

    def drop_stale(self, time_s: float) -> list[TrackEvent]:
        """Delete tentative tracks past their confirmation window and stale tracks."""
        age = time_s - self.time_s
        stale = age > self.coast_scans * self.revisit_s + 1e-9
        if len(self):
            _, p = self.predicted(time_s)
            stale |= np.linalg.eigvalsh(p[:, :3, :3])[:, -1] > self.max_position_sigma_m**2
        unconfirmed = (self.status == TENTATIVE) & (
            time_s - self.born_s > self.confirm_window * self.revisit_s + 1e-9
        )
        gone = stale | unconfirmed
        events = [
            self._event("track_drop", i, time_s)
            for i in np.flatnonzero(gone & (self.status == CONFIRMED))
        ]
        if gone.any():
            self._keep(~gone)
        return events

    def drop_truth(self, truth_index: int, time_s: float) -> list[TrackEvent]:
        """Drop tracks on a destroyed object (kill assessment confirmed the kill)."""
        gone = self.truth == truth_index
        events = [
            self._event("track_drop", i, time_s)
            for i in np.flatnonzero(gone & (self.status == CONFIRMED))
        ]
        if gone.any():
            self._keep(~gone)
        return events

    def _start_tracks(self, time_s, z, r, truth, revisit_s) -> None:
        m = len(z)
        if m == 0:
            return
        x0 = np.hstack([z, np.zeros((m, 3))])
        p0 = np.zeros((m, 6, 6))
        p0[:, :3, :3] = r
        p0[:, 3:, 3:] = np.eye(3) * self.initial_speed_sigma_mps**2
        ids = np.arange(self.next_id, self.next_id + m)
        self.next_id += m
        self.x = np.vstack([self.x, x0])
        self.p = np.concatenate([self.p, p0])
        self.track_id = np.concatenate([self.track_id, ids])
        self.status = np.concatenate([self.status, np.full(m, TENTATIVE)])
        self.hits = np.concatenate([self.hits, np.ones(m, int)])
        self.time_s = np.concatenate([self.time_s, np.full(m, time_s)])
        self.born_s = np.concatenate([self.born_s, np.full(m, time_s)])
        self.confirmed_s = np.concatenate([self.confirmed_s, np.full(m, np.inf)])
        self.revisit_s = np.concatenate([self.revisit_s, np.full(m, revisit_s)])
        self.truth = np.concatenate([self.truth, truth])

    def _keep(self, mask: np.ndarray) -> None:
        for name in (
            "x", "p", "track_id", "status", "hits", "time_s", "born_s", "confirmed_s",
            "revisit_s", "truth",
        ):  # fmt: skip
            setattr(self, name, getattr(self, name)[mask])

    def _event(self, kind: str, i: int, time_s: float) -> TrackEvent:
        return TrackEvent(
            kind, int(self.track_id[i]), int(self.truth[i]), time_s, self.x[i, :3].copy()
        )
