"""Argument checking shared by the radar model functions."""

from __future__ import annotations

import numpy as np


def checked(name, value, allowed, condition=None, allow_inf=False) -> np.ndarray:
    """``value`` as a float array, or ValueError naming the argument, a bad value and the rule.

    NaN is always refused; infinities only unless ``allow_inf``; ``condition(arr)`` must hold
    elementwise.
    """
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: got {value!r}; allowed: {allowed}") from None
    good = ~np.isnan(arr) if allow_inf else np.isfinite(arr)
    if condition is not None:
        with np.errstate(invalid="ignore"):
            good &= condition(arr)
    if not np.all(good):
        bad = arr[~good].flat[0] if arr.ndim else arr
        raise ValueError(f"{name}: got {float(bad)!r}; allowed: {allowed}")
    return arr
