"""Input checks for the tracking package's public functions.

Each check raises ``ValueError`` whose message names the argument, the shape or value it
got, and what was expected, so the caller knows what to fix. The checks cost O(size of the
input) and run once per public call; internal hot paths call the unchecked ``_`` functions.
"""

from __future__ import annotations

import math

import numpy as np


def real_array(name: str, value, shape: tuple, what: str) -> np.ndarray:
    """``value`` as a float array of ``shape`` (None = any length), all finite."""
    arr = np.asarray(value)
    if arr.dtype.kind not in "iuf":
        raise ValueError(f"{name}: got dtype {arr.dtype}; expected real numbers ({what})")
    if arr.ndim == 1 and arr.size == 0 and len(shape) > 1:
        arr = arr.reshape((0, *shape[1:]))
    if arr.ndim != len(shape) or any(
        want is not None and got != want for got, want in zip(arr.shape, shape, strict=True)
    ):
        text = "(" + ", ".join("k" if s is None else str(s) for s in shape) + ")"
        raise ValueError(f"{name}: got shape {arr.shape}; expected {text} ({what})")
    arr = arr.astype(float, copy=False)
    if not np.isfinite(arr).all():
        row = int(np.argwhere(~np.isfinite(arr))[0][0]) if arr.ndim else 0
        raise ValueError(f"{name}: row {row} has a NaN or infinite value; all must be finite")
    return arr


def same_length(**arrays: np.ndarray) -> int:
    """All arrays share their first axis; return that length."""
    lengths = {name: len(a) for name, a in arrays.items()}
    if len(set(lengths.values())) > 1:
        text = ", ".join(f"{name} has {n}" for name, n in lengths.items())
        raise ValueError(f"mismatched lengths along axis 0: {text}; they must be equal")
    return next(iter(lengths.values()), 0)


def states(x, p) -> tuple[np.ndarray, np.ndarray]:
    """Track states x (n, 6) and covariances p (n, 6, 6)."""
    x = real_array("x", x, (None, 6), "track states [x, y, z, vx, vy, vz], m and m/s")
    p = real_array("p", p, (None, 6, 6), "state covariances")
    same_length(x=x, p=p)
    return x, p


def detections(z, r) -> tuple[np.ndarray, np.ndarray]:
    """Measured positions z (m, 3) and their covariances r (m, 3, 3)."""
    z = real_array("z", z, (None, 3), "measured positions in the map frame, m")
    r = real_array("r", r, (None, 3, 3), "measurement covariances, m^2")
    same_length(z=z, r=r)
    return z, r


def integer_array(name: str, value, length: int) -> np.ndarray:
    arr = np.asarray(value)
    if arr.ndim == 1 and arr.size == 0:
        arr = arr.astype(int)
    if arr.dtype.kind not in "iu" or arr.ndim != 1 or len(arr) != length:
        raise ValueError(
            f"{name}: got dtype {arr.dtype}, shape {arr.shape}; expected ({length},) integers"
        )
    return arr.astype(np.int64, copy=False)


def scalar(name: str, value, low: float = -math.inf, low_open: bool = False) -> float:
    """A finite real number above ``low`` (strictly if ``low_open``)."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise ValueError(f"{name}: got {value!r}; expected a finite real number")
    v = float(value)
    ok = math.isfinite(v) and (v > low if low_open else v >= low)
    if not ok:
        bound = f"> {low}" if low_open else f">= {low}"
        raise ValueError(f"{name}: got {value!r}; expected a finite number {bound}")
    return v
