"""Interval formulas against published values and closed forms; moment merging; seeds."""

import math

import numpy as np
import pytest

from iadsim.study.plan import replication_seed
from iadsim.study.stats import Moments, mean_summary, ratio_interval, t_interval, wilson_interval

# Newcombe, R. G. (1998). Two-sided confidence intervals for the single proportion:
# comparison of seven methods. Statistics in Medicine 17:857-872, Table I, method 3
# (Wilson score interval without continuity correction), to 4 decimals.
NEWCOMBE_TABLE_I = [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
]


@pytest.mark.parametrize(("k", "n", "low", "high"), NEWCOMBE_TABLE_I)
def test_wilson_matches_newcombe_1998_table_1(k, n, low, high):
    got = wilson_interval(k, n)
    assert got[0] == pytest.approx(low, abs=5e-5)
    assert got[1] == pytest.approx(high, abs=5e-5)


def test_wilson_ends_are_exact_and_symmetric():
    assert wilson_interval(0, 10)[0] == 0.0
    assert wilson_interval(10, 10)[1] == 1.0
    lo, hi = wilson_interval(3, 10)
    lo2, hi2 = wilson_interval(7, 10)
    assert lo == pytest.approx(1 - hi2) and hi == pytest.approx(1 - lo2)
    assert all(math.isnan(v) for v in wilson_interval(0, 0))


def test_t_interval_matches_the_t_table():
    # 1..5: mean 3, s = sqrt(2.5); t_{0.975, 4} = 2.776 (any t table).
    lo, hi = t_interval(3.0, math.sqrt(2.5), 5)
    half = 2.776 * math.sqrt(2.5) / math.sqrt(5)
    assert lo == pytest.approx(3 - half, abs=1e-3) and hi == pytest.approx(3 + half, abs=1e-3)
    assert all(math.isnan(v) for v in t_interval(1.0, 0.0, 1))


def test_mean_summary_truncates_at_zero_for_nonnegative_figures():
    block = mean_summary(0.1, 0.09, 10)
    assert block["low"] == 0.0 and block["high"] > 0.1


def test_ratio_interval_reduces_to_a_scaled_mean_when_the_denominator_is_constant():
    rng = np.random.default_rng(1)
    x = rng.gamma(2.0, 3.0, 50)
    y = np.full(50, 4.0)
    r, lo, hi = ratio_interval(x.mean(), y.mean(), x.var(ddof=1), 0.0, 0.0, 50)
    tlo, thi = t_interval(x.mean(), x.std(ddof=1), 50)
    assert r == pytest.approx(x.mean() / 4)
    assert lo == pytest.approx(tlo / 4) and hi == pytest.approx(thi / 4)
    assert all(math.isnan(v) for v in ratio_interval(1.0, 0.0, 1.0, 1.0, 0.0, 10))


def test_moments_merged_in_batches_equal_the_whole():
    rng = np.random.default_rng(2)
    x = rng.normal(5.0, 2.0, (103, 3))
    m = Moments(3)
    for chunk in np.array_split(x, [1, 7, 40, 41]):
        m.update(chunk)
    assert m.n == 103
    np.testing.assert_allclose(m.means(), x.mean(axis=0))
    np.testing.assert_allclose(m.var(), x.var(axis=0, ddof=1))
    assert m.cov(0, 1) == pytest.approx(np.cov(x[:, 0], x[:, 1])[0, 1])
    nan_rows = Moments(1)
    nan_rows.update(np.array([[1.0], [np.nan], [3.0]]))
    assert nan_rows.n == 2 and nan_rows.means()[0] == 2.0


def test_replication_seed_is_child_i_of_spawn():
    children = np.random.SeedSequence(1234).spawn(6)
    for i, child in enumerate(children):
        np.testing.assert_array_equal(
            replication_seed(1234, i).generate_state(4), child.generate_state(4)
        )
