"""Small array helpers: searches along a range grid (coverage, envelopes) and keyed
lookups over flat arrays (engine, tracker, assignment)."""

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


def rank_within(keys: np.ndarray) -> np.ndarray:
    """Rank of each element among the elements with the same key, in array order."""
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    rank = np.empty(len(keys), np.int64)
    rank[order] = np.arange(len(keys)) - np.searchsorted(sorted_keys, sorted_keys)
    return rank


def lookup(table: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Index in ``table`` of each wanted key (binary search), -1 where it is absent."""
    if len(table) == 0:
        return np.full(len(wanted), -1)
    order = np.argsort(table)
    pos = np.minimum(np.searchsorted(table[order], wanted), len(order) - 1)
    return np.where(table[order][pos] == wanted, order[pos], -1)


def equal_key_pairs(left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every (i, j) with left[i] == right[j]: by i, then j in array order."""
    order = np.argsort(right, kind="stable")
    sorted_right = right[order]
    lo = np.searchsorted(sorted_right, left, side="left")
    counts = np.searchsorted(sorted_right, left, side="right") - lo
    i = np.repeat(np.arange(len(left)), counts)
    offset = np.arange(len(i)) - np.repeat(np.cumsum(counts) - counts, counts)
    return i, order[np.repeat(lo, counts) + offset]
