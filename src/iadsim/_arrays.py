"""Small array helpers shared by the coverage and envelope searches along a range grid."""

from __future__ import annotations

import numpy as np


def first_failure_index(ok: np.ndarray, start=0) -> np.ndarray:
    """Index of the first False at or after ``start`` along the last axis.

    ok: (..., G) bool; start: broadcastable to ok.shape[:-1]. Returns G where the
    condition never fails from ``start`` on.
    """
    g = ok.shape[-1]
    index = np.arange(g)
    failing = ~ok & (index >= np.asarray(start)[..., None])
    has = failing.any(axis=-1)
    return np.where(has, np.argmax(failing, axis=-1), g)


def reach_before_failure(grid: np.ndarray, first_fail: np.ndarray) -> np.ndarray:
    """The last grid value before the first failure (0 where the very first point fails)."""
    return np.where(first_fail > 0, grid[np.maximum(first_fail - 1, 0)], 0.0)
