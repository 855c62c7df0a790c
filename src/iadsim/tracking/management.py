"""Track initiation and deletion: the default initiator and deleter seams.

Initiation (Blackman & Popoli 1999, sec. 9.2): one tentative track per detection that no
existing track claimed, positioned at the detection with its covariance R, velocity zero with
a standard deviation ``initial_speed_sigma_mps`` per axis (700 m/s: the second hit's gate
reaches targets up to ~2.6 km/s). Confirmation is the tracker's M-of-N rule.

Deletion (Blackman & Popoli sec. 9.3): a track is deleted when

- it has had no detection for more than ``coast_scans`` revisit periods of the slowest
  radar that has updated it (a track held by a slow long-range radar survives misses of a
  fast sector radar), or
- its predicted position uncertainty exceeds ``max_position_sigma_m`` (largest eigenvalue
  of the position covariance), or
- it is still tentative more than ``confirm_window`` revisit periods after its first
  detection (it failed the M-of-N test).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from iadsim.tracking.kalman import GaussianBank

if TYPE_CHECKING:
    from iadsim.tracking.tracker import Tracker

TENTATIVE, CONFIRMED, COASTING = 0, 1, 2


@dataclass
class SinglePointInitiator:
    """One tentative track per detection, with zero velocity and a wide velocity prior."""

    initial_speed_sigma_mps: float = 700.0
    make_bank: Callable = GaussianBank.from_gaussian

    def initiate(self, z: np.ndarray, r: np.ndarray):
        k = len(z)
        x0 = np.zeros((k, 6))
        x0[:, :3] = z
        p0 = np.zeros((k, 6, 6))
        p0[:, :3, :3] = r
        i3 = np.arange(3, 6)
        p0[:, i3, i3] = self.initial_speed_sigma_mps**2
        return self.make_bank(x0, p0)


@dataclass
class StaleTrackDeleter:
    """Delete tracks missed too long, too uncertain, or not confirmed in time."""

    coast_scans: float = 6.0
    max_position_sigma_m: float = 5000.0
    confirm_window: int = 5

    def delete(self, tracker: Tracker, time_s: float) -> np.ndarray:
        if len(tracker) == 0:
            return np.zeros(0, bool)
        eps = 1e-9
        stale = time_s - tracker.updated_s > self.coast_scans * tracker.revisit_s + eps
        _, p = tracker.predicted_view(time_s)
        limit = self.max_position_sigma_m**2
        # lambda_max <= trace: only the tracks whose trace exceeds the limit need the eigenvalue.
        wide = np.flatnonzero(p[:, 0, 0] + p[:, 1, 1] + p[:, 2, 2] > limit)
        if len(wide):
            stale[wide] |= _max_eig_sym3(p[wide, :3, :3]) > limit
        unconfirmed = (tracker.status == TENTATIVE) & (
            time_s - tracker.born_s > self.confirm_window * tracker.revisit_s + eps
        )
        return stale | unconfirmed


def _max_eig_sym3(s: np.ndarray) -> np.ndarray:
    """Largest eigenvalue of symmetric 3x3 matrices (k, 3, 3), closed form (Smith 1961)."""
    a, b, c = s[:, 0, 0], s[:, 1, 1], s[:, 2, 2]
    d, e, f = s[:, 0, 1], s[:, 1, 2], s[:, 0, 2]
    q = (a + b + c) / 3.0
    p1 = d * d + e * e + f * f
    p2 = (a - q) ** 2 + (b - q) ** 2 + (c - q) ** 2 + 2.0 * p1
    p = np.sqrt(p2 / 6.0)
    safe = np.where(p > 0, p, 1.0)
    ba, bb, bc = (a - q) / safe, (b - q) / safe, (c - q) / safe
    bd, be, bf = d / safe, e / safe, f / safe
    det_b = ba * (bb * bc - be * be) - bd * (bd * bc - be * bf) + bf * (bd * be - bb * bf)
    phi = np.arccos(np.clip(det_b / 2.0, -1.0, 1.0)) / 3.0
    return np.where(p > 0, q + 2.0 * p * np.cos(phi), q)
