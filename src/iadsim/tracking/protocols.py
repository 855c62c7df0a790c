"""The tracker's seams, after Stone Soup's components (predictor, updater, associator,
initiator, deleter), as small structural protocols.

Each seam works on a whole track picture at once (arrays, axis 0 = track) rather than on one
Python object per track, so swapping a piece keeps the batched speed. A :class:`Tracker`
takes any object with the right method; the defaults are:

- state container: :class:`~iadsim.tracking.kalman.GaussianBank` (``filter="cv"``) or
  :class:`~iadsim.tracking.imm.ImmBank` (``filter="imm"``);
- predictor: :class:`~iadsim.tracking.kalman.KalmanPredictor` or
  :class:`~iadsim.tracking.imm.ImmPredictor`;
- updater: :class:`~iadsim.tracking.kalman.KalmanUpdater` or
  :class:`~iadsim.tracking.imm.ImmUpdater`;
- associator: :class:`~iadsim.tracking.associate.GNNAssociator` (``association="gnn"``) or
  :class:`~iadsim.tracking.associate.JPDAAssociator` (``"jpda"``);
- initiator: :class:`~iadsim.tracking.management.SinglePointInitiator`;
- deleter: :class:`~iadsim.tracking.management.StaleTrackDeleter`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

if TYPE_CHECKING:
    from iadsim.tracking.associate import Association
    from iadsim.tracking.tracker import Tracker


@runtime_checkable
class StateBank(Protocol):
    """The filter's per-track state (any representation), axis 0 = track."""

    def __len__(self) -> int: ...

    def mean_cov(self) -> tuple[np.ndarray, np.ndarray]:
        """Combined estimate of [x, y, z, vx, vy, vz]: (n, 6) and (n, 6, 6)."""
        ...

    def take(self, index) -> StateBank:
        """The tracks selected by an index array or boolean mask."""
        ...

    def concat(self, other: StateBank) -> StateBank:
        """This bank's tracks followed by ``other``'s."""
        ...


@runtime_checkable
class Predictor(Protocol):
    def predict(self, bank: StateBank, dt: np.ndarray) -> StateBank:
        """Every track predicted by its own dt (n,) >= 0 seconds; returns a new bank."""
        ...


@runtime_checkable
class Updater(Protocol):
    def update(
        self, bank: StateBank, assoc: Association, z: np.ndarray, r: np.ndarray
    ) -> StateBank:
        """Tracks of the predicted ``bank`` updated with the associated detections
        (z (m, 3), r (m, 3, 3)); tracks with ``assoc.miss == 1`` keep their prediction.
        ``bank`` is the predictor's fresh output and may be reused."""
        ...


@runtime_checkable
class Associator(Protocol):
    def associate(self, x: np.ndarray, p: np.ndarray, z: np.ndarray, r: np.ndarray) -> Association:
        """Associate detections z (m, 3), r (m, 3, 3) with predicted tracks x (n, 6),
        p (n, 6, 6)."""
        ...


@runtime_checkable
class Initiator(Protocol):
    def initiate(self, z: np.ndarray, r: np.ndarray) -> StateBank:
        """One new (tentative) track per detection z (k, 3), r (k, 3, 3)."""
        ...


@runtime_checkable
class Deleter(Protocol):
    def delete(self, tracker: Tracker, time_s: float) -> np.ndarray:
        """Boolean mask (n,) of the tracker's tracks to delete at ``time_s``."""
        ...
