"""Track initiation and deletion: the default initiator and deleter seams.

Initiation (Blackman & Popoli 1999, sec. 9.2; Bar-Shalom, Willett & Tian, *Tracking and
Data Fusion*, 2011, ch. 3): one tentative track per detection that no existing track
claimed, positioned at the detection with its covariance R, velocity zero with a standard
deviation ``initial_speed_sigma_mps`` per axis. That prior is the velocity gate of
two-point initiation in Gaussian form: the engine sets it to half the fastest threat's
speed, so the chi-square gate of the second hit (about 4 sigma) reaches every threat the
scenario can hold, whatever the radar's revisit period. Confirmation is the tracker's
M-of-N rule.

Deletion (Blackman & Popoli sec. 9.3):

- a tentative track is deleted when the M-of-N test has failed: its N-th look (``N - 1``
  revisit periods after its first detection) has passed without M hits. Its wide velocity
  prior makes its position uncertainty large by design, so no uncertainty test applies to
  it (a kilometre limit would delete it before its second look at long revisits);
- a confirmed or coasting track is deleted when it has had no detection for more than
  ``coast_scans`` revisit periods of the slowest radar that has updated it (a track held by
  a slow long-range radar survives misses of a fast sector radar), or when its predicted
  position uncertainty (square root of the largest eigenvalue of the position covariance)
  exceeds ``max_sigma_cells`` resolution cells of the coarsest radar that has updated it
  (the cell's largest extent, max(range resolution, range x beamwidth)), or the optional
  absolute ``max_position_sigma_m``: its gate then spans so many cells that an update
  would be a guess.

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
    max_sigma_cells: float = 10.0
    confirm_window: int = 5
    max_position_sigma_m: float = math.inf

    def delete(self, tracker: Tracker, time_s: float) -> np.ndarray:
        if len(tracker) == 0:
            return np.zeros(0, bool)
        _, p = tracker.predicted_view(time_s)
        return _stale(
            float(time_s), tracker.updated_s, tracker.revisit_s, tracker.born_s,
            tracker.status, np.ascontiguousarray(p, dtype=np.float64), tracker.cell_m,
            float(self.coast_scans), float(self.max_sigma_cells),
            float(self.max_position_sigma_m), float(self.confirm_window), TENTATIVE,
        )  # fmt: skip


@njit(cache=True)
def _stale(time_s, updated_s, revisit_s, born_s, status, p, cell_m, coast_scans, cells,
           absolute_m, window, tentative):  # fmt: skip
    """The deletion rules of the module docstring for every track, in one pass (mask (n,))."""
    eps = 1e-9
    out = np.empty(len(updated_s), np.bool_)
    for i in range(len(updated_s)):
        if status[i] == tentative:  # M-of-N failed: its N-th look has passed
            out[i] = time_s - born_s[i] > (window - 1.0) * revisit_s[i] + eps
            continue
        gone = time_s - updated_s[i] > coast_scans * revisit_s[i] + eps
        limit = min(cells * cell_m[i], absolute_m) ** 2
        # lambda_max <= trace: only a track whose trace exceeds the limit needs the eigenvalue.
        if not gone and p[i, 0, 0] + p[i, 1, 1] + p[i, 2, 2] > limit:
            gone = _max_eig(p[i, 0, 0], p[i, 1, 1], p[i, 2, 2], p[i, 0, 1], p[i, 1, 2],
                            p[i, 0, 2]) > limit  # fmt: skip
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
