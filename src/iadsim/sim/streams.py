"""Counter-based random numbers: one independent stream per replication, drawn in batches.

A batch of replications runs in lock step, so a draw must not depend on which other
replications share the batch, nor on how many draws another replication made. Each
number is therefore a pure function of (replication key, stream, counters), the
counter-based construction of Salmon, Moraes, Dror & Shaw, "Parallel random numbers: as
easy as 1, 2, 3" (SC '11). The mixing function is the SplitMix64 finaliser (Steele, Lea &
Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014; the ``mix64``
variant 13 of Stafford's constants), applied once per counter word, which is how
SplitMix64 itself turns a counter into its output. The top 53 bits give a uniform double
in [0, 1); normals come from the exact inverse CDF (``scipy.special.ndtri``).

The replication key is the first 64 bits of the replication's ``SeedSequence`` state, so
seeds spawned for a study give statistically independent keys.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtri

# Stream identifiers: one per kind of draw, so draws of different kinds never collide.
DETECT, NOISE, FALSE_COUNT, FALSE_CELL, FALSE_NOISE, KILL, SEEKER = 1, 2, 3, 4, 5, 6, 7

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = (np.uint64(s) for s in (30, 27, 31, 11))
_TO_UNIT = 2.0**-53


def replication_keys(seeds) -> np.ndarray:
    """(R,) uint64 keys from seeds (ints or ``numpy.random.SeedSequence``)."""
    sequences = [s if isinstance(s, np.random.SeedSequence) else np.random.SeedSequence(s)
                 for s in seeds]  # fmt: skip
    return np.array([s.generate_state(1, np.uint64)[0] for s in sequences], np.uint64)


def _mix(z: np.ndarray) -> np.ndarray:
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


def uniform(key, stream: int, *counters) -> np.ndarray:
    """Uniform doubles in [0, 1), broadcast over ``key`` and the integer ``counters``."""
    with np.errstate(over="ignore"):
        z = np.asarray(key, np.uint64) ^ _mix(np.uint64(stream) * _GOLDEN)
        for c in counters:
            z = _mix(z + (np.asarray(c).astype(np.uint64) + np.uint64(1)) * _GOLDEN)
    return (z >> _S11).astype(np.float64) * _TO_UNIT


def normal(key, stream: int, *counters) -> np.ndarray:
    """Standard normal draws (inverse CDF of :func:`uniform`; 0 maps to a tiny positive)."""
    u = uniform(key, stream, *counters)
    return ndtri(np.maximum(u, 2.0**-54))


def poisson_count(mean, key, stream: int, *counters) -> np.ndarray:
    """Poisson(mean) counts by inversion of the CDF of one uniform each (sequential search,
    Devroye, *Non-Uniform Random Variate Generation*, 1986, sec. X.3.2; cheap for the small
    means of false-alarm counts)."""
    u = uniform(key, stream, *counters)
    u, mean = np.broadcast_arrays(u, np.asarray(mean, float))
    pmf = np.exp(-mean)
    cdf = pmf.copy()
    count = np.zeros(u.shape, np.int64)
    below = u >= cdf
    j = 0
    while below.any():
        j += 1
        pmf = pmf * mean / j
        cdf = cdf + pmf
        count += below
        below &= (u >= cdf) & (pmf > 0.0)
    return count
