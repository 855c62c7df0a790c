"""Argument checks for every library function: one calling convention, one message style.

Every check takes the argument's ``name`` first and the ``value`` second, returns the value
converted (a float or int64 array, a float, an int) and raises :class:`ArgumentError` with
one line::

    <name> must be <allowed>, got <value>

where ``name`` carries the index of the first bad element of an array (``pk[0, 1]``) and
``value`` is that element, the shape or the dtype that was wrong. The checks are whole-array
NumPy operations (no per-element Python), cost O(size of the input) and run once per public
call; hot internal paths call the unchecked functions behind them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from numbers import Integral, Real
from typing import NoReturn

import numpy as np

from iadsim.errors import ArgumentError, short_repr

Condition = Callable[[np.ndarray], np.ndarray] | None


def fail(name: str, allowed: str, got: str) -> NoReturn:
    """Raise the one-line :class:`ArgumentError`; ``got`` is already formatted."""
    raise ArgumentError(f"{name} must be {allowed}, got {got}")


def show(value) -> str:
    """A value as a message shows it: plain Python numbers, long reprs cut short."""
    if isinstance(value, np.generic):
        value = value.item()
    return short_repr(value)


def numbers(
    name: str,
    value,
    allowed: str = "finite numbers",
    ok: Condition = None,
    *,
    shape: tuple | None = None,
    allow_inf: bool = False,
) -> np.ndarray:
    """``value`` as a float array whose elements are finite (or +-inf if ``allow_inf``; NaN
    never) and satisfy ``ok(array)`` elementwise.

    ``shape``: the wanted shape, None for a free length (shown as ``k``); an empty 1-D
    input stands for zero rows of a wanted 2-D or 3-D shape.
    """
    arr = _real_array(name, value, allowed)
    if shape is not None:
        arr = _with_shape(name, arr, shape, allowed)
    good = ~np.isnan(arr) if allow_inf else np.isfinite(arr)
    if ok is not None:
        good &= ok(arr)  # comparisons with NaN are False, without a warning
    if not good.all():
        _fail_at(name, allowed, arr, good)
    return arr


def positive(name: str, value, unit: str = "") -> np.ndarray:
    """Finite numbers > 0 (a physical quantity such as a power, a range, a temperature)."""
    return numbers(name, value, "finite numbers > 0" + _unit(unit), _above_zero)


def non_negative(name: str, value, unit: str = "") -> np.ndarray:
    """Finite numbers >= 0."""
    return numbers(name, value, "finite numbers >= 0" + _unit(unit), _at_least_zero)


def decibels(name: str, value, allow_inf: bool = False) -> np.ndarray:
    """Numbers of dB: finite, or also +-inf (the limits of no and infinite power)."""
    allowed = "numbers of dB (+-inf allowed, not NaN)" if allow_inf else "finite numbers of dB"
    return numbers(name, value, allowed, allow_inf=allow_inf)


def probability(name: str, value, closed: bool = False) -> np.ndarray:
    """Probabilities strictly between 0 and 1, or in [0, 1] if ``closed``."""
    if closed:
        return numbers(name, value, "a probability in [0, 1]", _unit_interval_closed)
    return numbers(name, value, "a probability strictly between 0 and 1", _unit_interval_open)


def integers(
    name: str, value, allowed: str, ok: Condition = None, *, shape: tuple | None = None
) -> np.ndarray:
    """``value`` as an int64 array; integral floats are accepted, booleans are not."""
    arr = _as_array(value)
    if arr is None or arr.dtype.kind not in "iuf":
        if arr is not None and arr.ndim == 1 and arr.size == 0:
            arr = arr.astype(np.int64)
        else:
            fail(name, allowed, _shown_whole(value))
    if shape is not None:
        arr = _with_shape(name, arr, shape, allowed)
    if arr.dtype.kind == "f":
        good = np.isfinite(arr) & (arr == np.round(arr))
        if not good.all():
            _fail_at(name, allowed, arr, good)
    if ok is not None:
        good = ok(arr)
        if not np.all(good):
            _fail_at(name, allowed, arr, np.broadcast_to(good, arr.shape))
    return arr.astype(np.int64, copy=False)


def scalar(name: str, value, allowed: str = "a finite real number", ok=None) -> float:
    """A finite real number (not a bool) with ``ok(x)`` true."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, Real):
        fail(name, allowed, show(value))
    x = float(value)
    if not (math.isfinite(x) and (ok is None or ok(x))):
        fail(name, allowed, show(value))
    return x


def integer(name: str, value, allowed: str, ok=None) -> int:
    """An integer (not a bool, not a float) with ``ok(n)`` true."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, Integral):
        fail(name, allowed, show(value))
    n = int(value)
    if ok is not None and not ok(n):
        fail(name, allowed, show(value))
    return n


def one_of(name: str, value, options: Iterable):
    """``value`` if it is one of ``options``."""
    options = tuple(options)
    if value not in options:
        fail(name, "one of " + ", ".join(repr(o) for o in options), show(value))
    return value


def same_length(**arrays) -> int:
    """All arrays share their first axis; return that length."""
    lengths = {name: len(a) for name, a in arrays.items()}
    if len(set(lengths.values())) > 1:
        fail(
            ", ".join(lengths),
            "of one length along axis 0",
            " and ".join(str(n) for n in lengths.values()),
        )
    return next(iter(lengths.values()), 0)


def _real_array(name: str, value, allowed: str) -> np.ndarray:
    arr = _as_array(value)
    if arr is None or arr.dtype.kind not in "iuf":
        fail(name, allowed, _shown_whole(value))
    return arr.astype(float, copy=False)


def _as_array(value) -> np.ndarray | None:
    """``value`` as an array, None where NumPy makes no regular array of it (ragged lists)."""
    try:
        return np.asarray(value)
    except (TypeError, ValueError):
        return None


def _shown_whole(value) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of dtype {value.dtype}"
    return show(value)


def _with_shape(name: str, arr: np.ndarray, shape: tuple, allowed: str) -> np.ndarray:
    if arr.ndim == 1 and arr.size == 0 and len(shape) > 1:
        arr = arr.reshape((0, *(0 if s is None else s for s in shape[1:])))
    if arr.ndim != len(shape) or any(
        want is not None and got != want for got, want in zip(arr.shape, shape, strict=True)
    ):
        text = "(" + ", ".join("k" if s is None else str(s) for s in shape)
        text += ",)" if len(shape) == 1 else ")"
        fail(name, f"{allowed} of shape {text}", f"shape {arr.shape}")
    return arr


def _fail_at(name: str, allowed: str, arr: np.ndarray, good: np.ndarray) -> NoReturn:
    """Fail on the first element where ``good`` is False (``good`` may broadcast)."""
    arr, good = np.broadcast_arrays(arr, good)
    if arr.ndim == 0:
        fail(name, allowed, show(arr[()]))
    where = np.unravel_index(int(np.argmin(good)), good.shape)
    fail(f"{name}[{', '.join(str(int(i)) for i in where)}]", allowed, show(arr[where]))


def _unit(unit: str) -> str:
    return f" ({unit})" if unit else ""


def _above_zero(a):
    return a > 0.0


def _at_least_zero(a):
    return a >= 0.0


def _unit_interval_open(a):
    return (a > 0.0) & (a < 1.0)


def _unit_interval_closed(a):
    return (a >= 0.0) & (a <= 1.0)
