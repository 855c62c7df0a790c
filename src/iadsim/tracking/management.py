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

The three tests run in one compiled (Numba) pass over the tracks; the largest eigenvalue is
computed in closed form, and only for tracks whose trace exceeds the limit.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numba import njit

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
        _, p = tracker.predicted_view(time_s)
        return _stale(
            float(time_s), tracker.updated_s, tracker.revisit_s, tracker.born_s,
            tracker.status, np.ascontiguousarray(p, dtype=np.float64),
            float(self.coast_scans), float(self.max_position_sigma_m) ** 2,
            float(self.confirm_window), TENTATIVE,
        )  # fmt: skip


@njit(cache=True)
def _stale(time_s, updated_s, revisit_s, born_s, status, p, coast_scans, limit, window, tentative):
    """The deletion rules of the module docstring for every track, in one pass (mask (n,))."""
    eps = 1e-9
    out = np.empty(len(updated_s), np.bool_)
    for i in range(len(updated_s)):
        gone = time_s - updated_s[i] > coast_scans * revisit_s[i] + eps
        # lambda_max <= trace: only a track whose trace exceeds the limit needs the eigenvalue.
        if not gone and p[i, 0, 0] + p[i, 1, 1] + p[i, 2, 2] > limit:
            gone = _max_eig(p[i, 0, 0], p[i, 1, 1], p[i, 2, 2], p[i, 0, 1], p[i, 1, 2],
                            p[i, 0, 2]) > limit  # fmt: skip
        if not gone and status[i] == tentative:
            gone = time_s - born_s[i] > window * revisit_s[i] + eps
        out[i] = gone
    return out


@njit(cache=True)
def _max_eig(a, b, c, d, e, f):
    """Largest eigenvalue of the symmetric 3x3 [[a, d, f], [d, b, e], [f, e, c]], closed form
    (Smith, "Eigenvalues of a symmetric 3 x 3 matrix", Comm. ACM 4(4), 1961)."""
    q = (a + b + c) / 3.0
    p1 = d * d + e * e + f * f
    p2 = (a - q) ** 2 + (b - q) ** 2 + (c - q) ** 2 + 2.0 * p1
    p = math.sqrt(p2 / 6.0)
    if p <= 0.0:
        return q
    ba, bb, bc = (a - q) / p, (b - q) / p, (c - q) / p
    bd, be, bf = d / p, e / p, f / p
    det_b = ba * (bb * bc - be * be) - bd * (bd * bc - be * bf) + bf * (bd * be - bb * bf)
    phi = math.acos(min(max(det_b / 2.0, -1.0), 1.0)) / 3.0
    return q + 2.0 * p * math.cos(phi)


def _max_eig_sym3(s: np.ndarray) -> np.ndarray:
    """Largest eigenvalue of symmetric 3x3 matrices (k, 3, 3) (see :func:`_max_eig`)."""
    return np.array(
        [_max_eig(m[0, 0], m[1, 1], m[2, 2], m[0, 1], m[1, 2], m[0, 2]) for m in s], float
    )
