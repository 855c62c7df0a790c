"""Small array helper for coverage: where does a condition first fail along range?"""

from __future__ import annotations

import numpy as np


def first_failure_index(ok: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Index of the first False at or after ``start`` along the last axis.

    ok: (..., G) bool; start: broadcastable to ok.shape[:-1]. Returns len(G) where the
    condition never fails from ``start`` on.
    """
    g = ok.shape[-1]
    index = np.arange(g)
    failing = ~ok & (index >= np.asarray(start)[..., None])
    has = failing.any(axis=-1)
    return np.where(has, np.argmax(failing, axis=-1), g)
