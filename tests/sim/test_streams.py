"""Counter-based streams against independent computations and distribution tests."""

import numpy as np
import pytest
from scipy import stats

from iadsim.sim import streams

MASK = (1 << 64) - 1


def splitmix64(seed: int, n: int) -> list[int]:
    """SplitMix64 (Steele, Lea & Flood 2014; Vigna's splitmix64.c) in plain Python ints."""
    out, state = [], seed
    for _ in range(n):
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        out.append(z ^ (z >> 31))
    return out


def test_mixer_is_splitmix64():
    seed = 1234567
    states = np.uint64(seed) + np.arange(1, 6, dtype=np.uint64) * streams._GOLDEN
    with np.errstate(over="ignore"):
        mixed = streams._mix(states)
    assert [int(v) for v in mixed] == splitmix64(seed, 5)


def test_uniforms_are_uniform_and_uncorrelated():
    u = streams.uniform(np.uint64(99), streams.DETECT, 7, np.arange(200_000))
    assert u.min() >= 0.0 and u.max() < 1.0
    assert stats.kstest(u, "uniform").pvalue > 1e-3
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 0.01
    # Neighbouring keys and streams give unrelated numbers.
    v = streams.uniform(np.uint64(100), streams.DETECT, 7, np.arange(200_000))
    w = streams.uniform(np.uint64(99), streams.NOISE, 7, np.arange(200_000))
    assert abs(np.corrcoef(u, v)[0, 1]) < 0.01 and abs(np.corrcoef(u, w)[0, 1]) < 0.01


def test_draws_depend_only_on_their_own_counters():
    keys = streams.replication_keys([5, 6, 7])
    together = streams.uniform(keys[:, None], streams.KILL, np.arange(4)[None, :])
    alone = streams.uniform(keys[1], streams.KILL, np.arange(4))
    assert np.array_equal(together[1], alone)


def test_normals_follow_the_standard_normal():
    z = streams.normal(np.uint64(3), streams.NOISE, 1, np.arange(100_000))
    assert stats.kstest(z, "norm").pvalue > 1e-3
    assert np.isfinite(z).all()


@pytest.mark.parametrize("mean", [0.05, 1.0, 6.5])
def test_poisson_counts_invert_the_cdf(mean):
    counters = np.arange(50_000)
    u = streams.uniform(np.uint64(11), streams.FALSE_COUNT, counters)
    expected = stats.poisson.ppf(u, mean).astype(int)  # SciPy's inverse CDF, same uniforms
    got = streams.poisson_count(mean, np.uint64(11), streams.FALSE_COUNT, counters)
    assert np.array_equal(got, expected)
    assert got.mean() == pytest.approx(mean, rel=0.05)


def test_replication_keys_come_from_the_seed_sequence():
    seq = np.random.SeedSequence(42).spawn(3)[2]
    assert streams.replication_keys([seq])[0] == seq.generate_state(1, np.uint64)[0]
    assert (
        streams.replication_keys([42])[0]
        == np.random.SeedSequence(42).generate_state(1, np.uint64)[0]
    )
