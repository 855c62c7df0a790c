"""OSPA and GOSPA against hand computations, brute force and metric axioms."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iadsim.tracking.metrics import gospa, ospa

TRUTH = np.array([[0.0, 0.0, 0.0], [10.0, 0.0, 0.0]])
TRACK = np.array([[0.0, 3.0, 0.0]])


# --- hand-computed values -------------------------------------------------------------


def test_ospa_by_hand_p1():
    # d(t0, k0) = 3 < c = 5; d(t1, k0) = sqrt(109) > 5. Best: t0-k0, t1 missed.
    # OSPA = (3 + 5 * (2 - 1)) / max(2, 1) = 8 / 2 = 4.
    r = ospa(TRUTH, TRACK, c=5.0, p=1)
    assert r["distance"] == pytest.approx(4.0)
    assert r["localisation"] == pytest.approx(3.0 / 2)
    assert r["missed"] == pytest.approx(5.0 / 2)
    assert r["false"] == 0.0


def test_gospa_by_hand_p1():
    # alpha = 2: 3 + (5 / 2) * 1 missed = 5.5 (no normalisation).
    r = gospa(TRUTH, TRACK, c=5.0, p=1)
    assert r == pytest.approx({"distance": 5.5, "localisation": 3.0, "missed": 2.5, "false": 0.0})
    # alpha = 1: 3 + (5 / 1) * 1 = 8.
    r1 = gospa(TRUTH, TRACK, c=5.0, p=1, alpha=1)
    assert r1 == pytest.approx({"distance": 8.0, "localisation": 3.0, "missed": 5.0, "false": 0.0})


def test_ospa_and_gospa_by_hand_p2():
    # OSPA: sqrt((3^2 + 5^2) / 2) = sqrt(17); components are p-th powers: 9/2 and 25/2.
    r = ospa(TRUTH, TRACK, c=5.0, p=2)
    assert r == pytest.approx(
        {"distance": math.sqrt(17.0), "localisation": 4.5, "missed": 12.5, "false": 0.0}
    )
    # GOSPA alpha=2: sqrt(3^2 + 5^2 / 2) = sqrt(21.5).
    g = gospa(TRUTH, TRACK, c=5.0, p=2)
    assert g == pytest.approx(
        {"distance": math.sqrt(21.5), "localisation": 9.0, "missed": 12.5, "false": 0.0}
    )


def test_false_tracks_by_hand():
    # Swap roles: one truth, two tracks. The unassigned track is false.
    r = ospa(TRACK, TRUTH, c=5.0)
    assert r == pytest.approx({"distance": 4.0, "localisation": 1.5, "missed": 0.0, "false": 2.5})
    g = gospa(TRACK, TRUTH, c=5.0)
    assert g == pytest.approx({"distance": 5.5, "localisation": 3.0, "missed": 0.0, "false": 2.5})


def test_pair_beyond_cutoff():
    # One truth, one track 100 m apart, c = 10, p = 1.
    # OSPA (Schuhmacher): the pair is assigned at cost c -> localisation 10, distance 10.
    # GOSPA alpha=2 (Stone Soup): the pair is one missed + one false, c/2 each -> 10.
    # GOSPA alpha=1: assigning costs c = 10 < 2c/alpha = 20, so the pair stays: loc 10.
    truth, track = [[0.0, 0.0, 0.0]], [[100.0, 0.0, 0.0]]
    assert ospa(truth, track, c=10.0) == pytest.approx(
        {"distance": 10.0, "localisation": 10.0, "missed": 0.0, "false": 0.0}
    )
    assert gospa(truth, track, c=10.0) == pytest.approx(
        {"distance": 10.0, "localisation": 0.0, "missed": 5.0, "false": 5.0}
    )
    assert gospa(truth, track, c=10.0, alpha=1) == pytest.approx(
        {"distance": 10.0, "localisation": 10.0, "missed": 0.0, "false": 0.0}
    )


def test_assignment_is_optimal_not_greedy():
    # Greedy nearest-first would pair t0-k0 (d=1) then t1-k1 (d=9): 10.
    # Optimal pairs t0-k1 (d=2) and t1-k0 (d=3): 5 -> OSPA = 5/2, GOSPA = 5.
    truth = [[0.0, 0.0, 0.0], [4.0, 0.0, 0.0]]
    track = [[1.0, 0.0, 0.0], [-2.0, 0.0, 0.0]]
    # distances: t0-k0 1, t0-k1 2, t1-k0 3, t1-k1 6. Optimal = min(1+6, 2+3) = 5.
    assert ospa(truth, track, c=100.0)["distance"] == pytest.approx(2.5)
    assert gospa(truth, track, c=100.0)["distance"] == pytest.approx(5.0)


# --- empty sets -----------------------------------------------------------------------


@pytest.mark.parametrize("metric", [ospa, gospa])
def test_both_empty_is_zero(metric):
    r = metric(np.empty((0, 3)), np.empty((0, 3)), c=7.0, p=2)
    assert r == {"distance": 0.0, "localisation": 0.0, "missed": 0.0, "false": 0.0}
    assert metric([], [], c=7.0) == r


@pytest.mark.parametrize("p", [1, 2, 3.5])
@pytest.mark.parametrize("k", [1, 4])
def test_one_empty(p, k):
    c = 7.0
    pts = np.arange(3.0 * k).reshape(k, 3)
    none = np.empty((0, 3))
    # OSPA = ((1/k) * c^p * k)^(1/p) = c.
    assert ospa(pts, none, c, p) == pytest.approx(
        {"distance": c, "localisation": 0.0, "missed": c**p, "false": 0.0}
    )
    assert ospa(none, pts, c, p) == pytest.approx(
        {"distance": c, "localisation": 0.0, "missed": 0.0, "false": c**p}
    )
    # GOSPA alpha=2 = (c^p / 2 * k)^(1/p).
    g = (c**p / 2 * k) ** (1 / p)
    assert gospa(pts, none, c, p) == pytest.approx(
        {"distance": g, "localisation": 0.0, "missed": c**p / 2 * k, "false": 0.0}
    )
    assert gospa(none, pts, c, p) == pytest.approx(
        {"distance": g, "localisation": 0.0, "missed": 0.0, "false": c**p / 2 * k}
    )


# --- brute force ----------------------------------------------------------------------


def _dist(x, y):
    return math.dist(x, y)


def brute_ospa(xs, ys, c, p):
    """Schuhmacher eq. directly: min over injections of the smaller set into the larger."""
    small, large = (xs, ys) if len(xs) <= len(ys) else (ys, xs)
    n = len(large)
    if n == 0:
        return 0.0
    best = min(
        sum(min(_dist(small[i], large[j]), c) ** p for i, j in enumerate(perm))
        for perm in itertools.permutations(range(n), len(small))
    )
    return ((best + c**p * (n - len(small))) / n) ** (1 / p)


def brute_gospa_alpha2(xs, ys, c, p):
    """GOSPA Proposition 1: min over all partial assignments gamma, *uncut* distances.

    Returns (distance, localisation, missed, false) with p-th power components.
    """
    best = None
    for k in range(min(len(xs), len(ys)) + 1):
        for rows in itertools.combinations(range(len(xs)), k):
            for cols in itertools.permutations(range(len(ys)), k):
                loc = sum(_dist(xs[i], ys[j]) ** p for i, j in zip(rows, cols, strict=True))
                missed = c**p / 2 * (len(xs) - k)
                false = c**p / 2 * (len(ys) - k)
                total = loc + missed + false
                if best is None or total < best[0]:
                    best = (total, loc, missed, false)
    total, loc, missed, false = best
    return total ** (1 / p), loc, missed, false


def brute_gospa(xs, ys, c, p, alpha):
    """GOSPA Definition 1 over injections (any alpha)."""
    small, large = (xs, ys) if len(xs) <= len(ys) else (ys, xs)
    best = min(
        sum(min(_dist(small[i], large[j]), c) ** p for i, j in enumerate(perm))
        for perm in itertools.permutations(range(len(large)), len(small))
    )
    return (best + c**p / alpha * (len(large) - len(small))) ** (1 / p)


@pytest.mark.parametrize("seed", range(40))
def test_against_brute_force(seed):
    rng = np.random.default_rng(seed)
    n, m = rng.integers(0, 6, size=2)
    xs = rng.uniform(-20, 20, size=(n, 3))
    ys = rng.uniform(-20, 20, size=(m, 3))
    c = float(rng.uniform(5, 40))
    p = float(rng.choice([1.0, 2.0, 3.0, 1.5]))
    xl, yl = xs.tolist(), ys.tolist()

    assert ospa(xs, ys, c, p)["distance"] == pytest.approx(brute_ospa(xl, yl, c, p), rel=1e-9)

    dist, loc, missed, false = brute_gospa_alpha2(xl, yl, c, p)
    assert gospa(xs, ys, c, p) == pytest.approx(
        {"distance": dist, "localisation": loc, "missed": missed, "false": false}, rel=1e-9
    )
    for alpha in (0.5, 1.0, 2.0):
        expected = brute_gospa(xl, yl, c, p, alpha)
        assert gospa(xs, ys, c, p, alpha)["distance"] == pytest.approx(expected, rel=1e-9)


# --- structural properties ------------------------------------------------------------


def test_large_shifted_grid():
    # 6 x 7 x 5 grid spaced 100 m, every point moved 1 m: the identity pairing is optimal.
    grid = np.stack(np.meshgrid(*(np.arange(k) * 100.0 for k in (6, 7, 5))), -1).reshape(-1, 3)
    shifted = grid + [1.0, 0.0, 0.0]
    assert ospa(grid, shifted[::-1], c=50.0)["distance"] == pytest.approx(1.0)
    assert gospa(grid, shifted, c=50.0, p=2)["distance"] == pytest.approx(math.sqrt(len(grid)))
    # Dropping 10 tracks: GOSPA adds 10 misses of c/2 each, OSPA averages over 210.
    assert gospa(grid, shifted[10:], c=50.0)["distance"] == pytest.approx(200 + 10 * 25.0)
    assert ospa(grid, shifted[10:], c=50.0)["distance"] == pytest.approx((200 + 500) / 210)


@pytest.mark.parametrize("metric", [ospa, gospa])
def test_order_and_translation_invariance(metric):
    rng = np.random.default_rng(1)
    xs, ys = rng.uniform(-30, 30, (5, 3)), rng.uniform(-30, 30, (4, 3))
    base = metric(xs, ys, 12.0, 2)
    shift = np.array([1e5, -2e5, 3e3])
    assert metric(xs[::-1], rng.permutation(ys), 12.0, 2) == pytest.approx(base)
    assert metric(xs + shift, ys + shift, 12.0, 2) == pytest.approx(base)


@pytest.mark.parametrize("metric", [ospa, gospa])
def test_returns_python_floats(metric):
    r = metric(np.array([[1, 2, 3]]), np.array([[1, 2, 4]], dtype=np.float32), 5)
    assert set(r) == {"distance", "localisation", "missed", "false"}
    assert all(type(v) is float for v in r.values())


# --- hypothesis: metric axioms --------------------------------------------------------

coord = st.floats(-100, 100, allow_nan=False, allow_infinity=False)
point_sets = st.lists(st.tuples(coord, coord, coord), max_size=4).map(
    lambda pts: np.array(pts, dtype=float).reshape(-1, 3)
)
cutoffs = st.floats(0.5, 150)
orders = st.sampled_from([1.0, 2.0, 3.0])


@settings(max_examples=150, deadline=None)
@given(point_sets, point_sets, cutoffs, orders)
def test_ospa_symmetric_and_bounded(xs, ys, c, p):
    a, b = ospa(xs, ys, c, p), ospa(ys, xs, c, p)
    assert a["distance"] == pytest.approx(b["distance"], rel=1e-12, abs=1e-12)
    assert a["missed"] == pytest.approx(b["false"])
    assert 0.0 <= a["distance"] <= c * (1 + 1e-12)
    assert a["distance"] ** p == pytest.approx(
        a["localisation"] + a["missed"] + a["false"], rel=1e-9, abs=1e-12
    )


@settings(max_examples=100, deadline=None)
@given(point_sets, cutoffs, orders)
def test_identity(xs, c, p):
    perm = xs[::-1]
    assert ospa(xs, perm, c, p)["distance"] == pytest.approx(0.0, abs=1e-9)
    assert gospa(xs, perm, c, p)["distance"] == pytest.approx(0.0, abs=1e-9)


@settings(max_examples=150, deadline=None)
@given(point_sets, point_sets, point_sets, cutoffs, orders)
def test_ospa_triangle_inequality(xs, ys, zs, c, p):
    def d(a, b):
        return ospa(a, b, c, p)["distance"]

    assert d(xs, zs) <= d(xs, ys) + d(ys, zs) + 1e-9 * c


@settings(max_examples=150, deadline=None)
@given(point_sets, point_sets, point_sets, cutoffs, orders, st.sampled_from([0.5, 1.0, 2.0]))
def test_gospa_symmetric_and_triangle(xs, ys, zs, c, p, alpha):
    def d(a, b):
        return gospa(a, b, c, p, alpha)["distance"]

    assert d(xs, ys) == pytest.approx(d(ys, xs), rel=1e-12, abs=1e-12)
    assert d(xs, zs) <= d(xs, ys) + d(ys, zs) + 1e-9 * c * 4
    r = gospa(xs, ys, c, p, alpha)
    assert r["distance"] ** p == pytest.approx(
        r["localisation"] + r["missed"] + r["false"], rel=1e-9, abs=1e-12
    )


@settings(max_examples=100, deadline=None)
@given(point_sets, point_sets, cutoffs, orders)
def test_different_cardinality_is_positive(xs, ys, c, p):
    if len(xs) != len(ys):
        assert ospa(xs, ys, c, p)["distance"] > 0
        assert gospa(xs, ys, c, p)["distance"] > 0


# --- input validation -----------------------------------------------------------------

GOOD = np.zeros((1, 3))


@pytest.mark.parametrize("metric", [ospa, gospa])
@pytest.mark.parametrize(
    "bad",
    [np.zeros(3), np.zeros((2, 2)), np.zeros((2, 4)), np.zeros((2, 3, 1)), np.float64(1.0)],
)
def test_bad_shape(metric, bad):
    with pytest.raises(
        ValueError, match=r"^truth_xyz must be finite positions \(m\) of shape \(k, 3\), got shape "
    ):
        metric(bad, GOOD, 5.0)
    with pytest.raises(
        ValueError, match=r"^track_xyz must be finite positions \(m\) of shape \(k, 3\), got shape "
    ):
        metric(GOOD, bad, 5.0)


@pytest.mark.parametrize("metric", [ospa, gospa])
@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
def test_non_finite_states(metric, value):
    bad = np.array([[0.0, 0.0, 0.0], [1.0, value, 2.0]])
    with pytest.raises(
        ValueError, match=r"^truth_xyz\[1, 1\] must be finite positions \(m\), got -?(nan|inf)$"
    ):
        metric(bad, GOOD, 5.0)
    with pytest.raises(ValueError, match=r"^track_xyz\[1, 1\] must be finite"):
        metric(GOOD, bad, 5.0)


@pytest.mark.parametrize("metric", [ospa, gospa])
def test_non_numeric_states(metric):
    with pytest.raises(ValueError, match=r"^truth_xyz must be finite positions \(m\), got \[\['a'"):
        metric([["a", "b", "c"]], GOOD, 5.0)
    with pytest.raises(ValueError, match="^track_xyz must be .*, got an array of dtype complex"):
        metric(GOOD, np.zeros((1, 3), complex), 5.0)


@pytest.mark.parametrize("metric", [ospa, gospa])
@pytest.mark.parametrize("c", [0.0, -1.0, np.nan, np.inf, "5", None, True])
def test_bad_cutoff(metric, c):
    with pytest.raises(ValueError, match=r"^c must be a finite cut-off distance > 0 \(m\), got "):
        metric(GOOD, GOOD, c)


@pytest.mark.parametrize("metric", [ospa, gospa])
@pytest.mark.parametrize("p", [0, -2.0, 0.5, np.nan, np.inf])
def test_bad_order(metric, p):
    with pytest.raises(ValueError, match=r"^p must be a finite order p >= 1, got "):
        metric(GOOD, GOOD, 5.0, p)


def test_overflowing_c_to_the_p():
    with pytest.raises(
        ValueError, match=r"^c, p must be such that c\*\*p is a finite float, got c=1e\+200, p=2.0$"
    ):
        ospa(GOOD, GOOD, 1e200, 2)


@pytest.mark.parametrize("alpha", [0, -1.0, 2.5, np.nan, np.inf])
def test_bad_alpha(alpha):
    with pytest.raises(ValueError, match=r"^alpha must be a number with 0 < alpha <= 2, got "):
        gospa(GOOD, GOOD, 5.0, 1, alpha)
