"""Confidence intervals and streaming moments for Monte Carlo studies.

Proportions (leak probability, per-threat-type leak fraction) get the Wilson score interval
(Wilson 1927, JASA 22:209-212), which keeps its coverage near the nominal level for small
n and for p near 0 or 1 where the textbook Wald interval fails (Agresti & Coull 1998, Am.
Stat. 52:119-126; Brown, Cai & DasGupta 2001, Stat. Sci. 16:101-133). Means get the
Student-t interval; a ratio of means (cost-exchange ratio) the delta-method interval.

Moments are merged batch by batch with Chan, Golub & LeVeque's pairwise update (1979,
"Updating formulae and a pairwise algorithm for computing sample variances"), so a study
never holds all its rows and the result does not depend on how rows were batched beyond
floating-point rounding.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats as _st

CONFIDENCE = 0.95


def z_value(confidence: float = CONFIDENCE) -> float:
    """Two-sided standard normal quantile, e.g. 1.959964 for 95%."""
    return float(_st.norm.ppf(0.5 + confidence / 2.0))


def wilson_interval(
    successes: float, trials: float, confidence: float = CONFIDENCE
) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion (Wilson 1927).

    centre = (k + z^2/2) / (n + z^2);
    half-width = z / (n + z^2) * sqrt(k (n - k) / n + z^2 / 4).

    Newcombe (1998, Stat. Med. 17:857-872, Table I, method 3): 81 of 263 gives
    (0.2553, 0.3662), 0 of 20 gives (0, 0.1611). Returns (nan, nan) when trials == 0.
    """
    k, n = float(successes), float(trials)
    if n <= 0:
        return (math.nan, math.nan)
    if not 0.0 <= k <= n:
        raise ValueError(f"successes must lie in [0, trials], got {k} of {n}")
    z = z_value(confidence)
    z2 = z * z
    centre = (k + z2 / 2.0) / (n + z2)
    half = z / (n + z2) * math.sqrt(k * (n - k) / n + z2 / 4.0)
    low = 0.0 if k == 0 else max(0.0, centre - half)  # exact ends, not rounding residue
    high = 1.0 if k == n else min(1.0, centre + half)
    return (low, high)


def t_interval(
    mean: float, sd: float, n: int, confidence: float = CONFIDENCE
) -> tuple[float, float]:
    """Student-t interval for a mean: mean +- t_{1-a/2, n-1} sd / sqrt(n); nan for n < 2."""
    if n < 2 or not math.isfinite(sd):
        return (math.nan, math.nan)
    half = float(_st.t.ppf(0.5 + confidence / 2.0, n - 1)) * sd / math.sqrt(n)
    return (mean - half, mean + half)


def ratio_interval(
    mean_x: float,
    mean_y: float,
    var_x: float,
    var_y: float,
    cov_xy: float,
    n: int,
    confidence: float = CONFIDENCE,
) -> tuple[float, float, float]:
    """Ratio of means R = mean(x) / mean(y) with its delta-method interval.

    Var(R) ~ (s_x^2 - 2 R s_xy + R^2 s_y^2) / (n mean_y^2) (e.g. Cochran, Sampling
    Techniques, 3rd ed., sec. 6.4). Returns (R, low, high); nan when mean_y == 0.
    """  # fmt: skip
    if n < 1 or mean_y == 0.0:
        return (math.nan, math.nan, math.nan)
    r = mean_x / mean_y
    if n < 2:
        return (r, math.nan, math.nan)
    var_r = max(var_x - 2.0 * r * cov_xy + r * r * var_y, 0.0) / (n * mean_y * mean_y)
    half = float(_st.t.ppf(0.5 + confidence / 2.0, n - 1)) * math.sqrt(var_r)
    return (r, r - half, r + half)


@dataclass
class Moments:
    """Running count, mean and co-moment matrix of k variables.

    ``update(x)`` takes an (m, k) batch. Variables are kept jointly so that covariances
    (needed for ratios) are available; a row with a NaN in any column is skipped for the
    whole update, so give NaN-prone variables their own Moments.
    """

    k: int
    n: int = 0
    mean: np.ndarray | None = None
    m2: np.ndarray | None = None
    total: np.ndarray | None = None  # plain sums: exact for counts, so means are exact too

    def __post_init__(self) -> None:
        if self.mean is None:
            self.mean = np.zeros(self.k)
        if self.m2 is None:
            self.m2 = np.zeros((self.k, self.k))
        if self.total is None:
            self.total = np.zeros(self.k)

    def update(self, x: np.ndarray) -> None:
        x = np.asarray(x, float).reshape(-1, self.k)
        x = x[np.isfinite(x).all(axis=1)]
        m = len(x)
        if m == 0:
            return
        mean_b = x.mean(axis=0)
        d = x - mean_b
        m2_b = d.T @ d
        n = self.n + m
        delta = mean_b - self.mean
        self.m2 = self.m2 + m2_b + np.outer(delta, delta) * (self.n * m / n)
        self.mean = self.mean + delta * (m / n)
        self.total = self.total + x.sum(axis=0)
        self.n = n

    def means(self) -> np.ndarray:
        """Sums / n (exact for whole-number data up to 2**53), nan for n == 0."""
        return self.total / self.n if self.n else np.full(self.k, np.nan)

    def var(self) -> np.ndarray:
        """Sample variances (ddof=1), nan for n < 2."""
        if self.n < 2:
            return np.full(self.k, np.nan)
        return np.diag(self.m2) / (self.n - 1)

    def cov(self, i: int, j: int) -> float:
        return float(self.m2[i, j] / (self.n - 1)) if self.n >= 2 else math.nan


def mean_summary(
    mean: float, var: float, n: int, confidence: float = CONFIDENCE, floor: float | None = 0.0
) -> dict:
    """JSON block for a mean: estimate, sd, t interval, n.

    ``floor`` truncates the interval to the quantity's range (counts, costs and times are
    never negative); None leaves it symmetric.
    """
    if n == 0:
        return {"mean": None, "sd": None, "low": None, "high": None, "n": 0, "method": "t"}
    sd = math.sqrt(var) if math.isfinite(var) else math.nan
    low, high = t_interval(mean, sd, n, confidence)
    if floor is not None and math.isfinite(low):
        low = max(low, floor)
    return {
        "mean": json_number(mean), "sd": json_number(sd), "low": json_number(low),
        "high": json_number(high), "n": int(n), "method": "t",
    }  # fmt: skip


def proportion_summary(successes: float, trials: float, confidence: float = CONFIDENCE) -> dict:
    """JSON block for a proportion: estimate, Wilson interval, successes, trials."""
    low, high = wilson_interval(successes, trials, confidence)
    est = successes / trials if trials > 0 else math.nan
    return {
        "estimate": json_number(est), "low": json_number(low), "high": json_number(high),
        "successes": _int_or_float(successes), "trials": _int_or_float(trials),
        "method": "wilson",
    }  # fmt: skip


def json_number(x: float) -> float | None:
    """A JSON-safe float: None for nan or infinity."""
    x = float(x)
    return x if math.isfinite(x) else None


def _int_or_float(x: float) -> int | float:
    return int(x) if float(x).is_integer() else float(x)
