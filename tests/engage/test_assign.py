"""Static weapon-target assignment against brute force, hand-worked cases and bad input."""

import dataclasses
import itertools

import numpy as np
import pytest

from iadsim.engage import assign as wta
from iadsim.engage.assign import assign, expected_value


def brute_force(pk, value, capacity, demand):
    """Best expected value over every integer shot matrix, independent of the solvers.

    Enumerates each weapon's rows with itertools.product over x_ij in 0..min(cap_i, d_j),
    keeps those within capacity, then every combination of rows within demand. Row-wise
    enumeration keeps 4 x 4 cases with capacity 2 at <= 15**4 matrices instead of 3**16.
    """
    n_weapons, n_targets = pk.shape
    rows = [
        [r for r in itertools.product(*(range(min(c, d) + 1) for d in demand)) if sum(r) <= c]
        for c in capacity
    ]
    x = np.array(list(itertools.product(*rows)), dtype=float).reshape(-1, n_weapons, n_targets)
    x = x[np.all(x.sum(axis=1) <= demand, axis=1)]
    survival = np.prod((1.0 - pk)[None] ** x, axis=1)
    return float(np.max((1.0 - survival) @ value))


def random_case(seed, demands):
    rng = np.random.default_rng(seed)
    n_weapons, n_targets = rng.integers(1, 5, size=2)
    pk = rng.uniform(0.0, 1.0, size=(n_weapons, n_targets))
    edge = rng.uniform(size=pk.shape)
    pk[edge < 0.15] = 0.0
    pk[edge > 0.95] = 1.0
    value = rng.uniform(0.0, 10.0, size=n_targets) * (rng.uniform(size=n_targets) > 0.1)
    capacity = rng.integers(0, 3, size=n_weapons)
    demand = rng.choice(demands, size=n_targets)
    return pk, value, capacity, demand


def assert_feasible(result, capacity, demand):
    assert result.shots.dtype.kind == "i"
    assert np.all(result.shots >= 0)
    assert np.all(result.shots.sum(axis=1) <= capacity)
    assert np.all(result.shots.sum(axis=0) <= demand)


@pytest.mark.parametrize("demands", [(1,), (1, 2)], ids=["demand1", "demand12"])
@pytest.mark.parametrize("seed", range(100))
def test_optimal_matches_brute_force_and_bounds_greedy(seed, demands):
    pk, value, capacity, demand = random_case(seed, demands)
    best = brute_force(pk, value, capacity, demand)
    optimal = assign(pk, value, capacity, demand, method="optimal")
    greedy = assign(pk, value, capacity, demand, method="greedy")
    assert optimal.expected_value == pytest.approx(best, abs=1e-9)
    assert optimal.expected_value == pytest.approx(expected_value(pk, value, optimal.shots))
    assert greedy.expected_value <= optimal.expected_value + 1e-12
    assert_feasible(optimal, capacity, demand)
    assert_feasible(greedy, capacity, demand)


@pytest.mark.parametrize("seed", range(20))
def test_pattern_milp_agrees_with_assignment_form_when_demand_is_one(seed):
    pk, value, capacity, demand = random_case(seed, (1,))
    shots = wta._optimal_patterns(pk, value, capacity, demand)
    linear = assign(pk, value, capacity, demand)
    assert expected_value(pk, value, shots) == pytest.approx(linear.expected_value, abs=1e-9)


@pytest.mark.parametrize("seed", range(20))
def test_greedy_is_optimal_for_a_single_weapon_type(seed):
    # den Broeder, Ellison & Emerling (1959): with one weapon type (here one weapon, or
    # several identical rows) maximum marginal return is optimal.
    rng = np.random.default_rng(1000 + seed)
    n_targets = int(rng.integers(1, 5))
    pk = rng.uniform(0.05, 0.95, size=(1, n_targets))
    value = rng.uniform(1.0, 10.0, size=n_targets)
    demand = rng.integers(1, 4, size=n_targets)
    for pk_rows, capacity in [(pk, [4]), (np.repeat(pk, 2, axis=0), [2, 1])]:
        optimal = assign(pk_rows, value, capacity, demand)
        greedy = assign(pk_rows, value, capacity, demand, method="greedy")
        assert greedy.expected_value == pytest.approx(optimal.expected_value, abs=1e-12)


def test_hand_example_greedy_suboptimal_in_assignment_form():
    # Two weapons, two targets of value 1, one shot each:
    #   pk = [[0.9, 0.8],
    #         [0.8, 0.1]]
    # Greedy takes the best single shot, weapon 0 -> target 0 (0.9), leaving weapon 1 ->
    # target 1 (0.1): 0.9 + 0.1 = 1.0. Crossing over, 0 -> 1 and 1 -> 0, gives
    # 0.8 + 0.8 = 1.6, the optimum.
    pk, value, capacity = [[0.9, 0.8], [0.8, 0.1]], [1.0, 1.0], [1, 1]
    optimal = assign(pk, value, capacity)
    greedy = assign(pk, value, capacity, method="greedy")
    assert optimal.expected_value == pytest.approx(1.6)
    assert optimal.pairs == [(0, 1), (1, 0)]
    assert greedy.expected_value == pytest.approx(1.0)
    assert greedy.pairs == [(0, 0), (1, 1)]


def test_hand_example_with_two_shots_allowed_on_a_target():
    # value = [10, 8], pk = [[0.6, 0.5], [0.6, 0.0]], one shot per weapon, target 0 may take
    # two shots. Greedy: first shot 0 -> 0 gains 10 * 0.6 = 6 (ties 1 -> 0, lower index
    # wins); then 1 -> 0 gains 10 * 0.4 * 0.6 = 2.4 and total 8.4. Optimal: 0 -> 1 gains
    # 8 * 0.5 = 4, 1 -> 0 gains 6, total 10. Had target 1 been worth 3, firing both at
    # target 0 (10 * (1 - 0.4**2) = 8.4) would beat splitting (6 + 1.5 = 7.5).
    pk, capacity, demand = [[0.6, 0.5], [0.6, 0.0]], [1, 1], [2, 1]
    optimal = assign(pk, [10.0, 8.0], capacity, demand)
    greedy = assign(pk, [10.0, 8.0], capacity, demand, method="greedy")
    assert optimal.expected_value == pytest.approx(10.0)
    assert optimal.shots.tolist() == [[0, 1], [1, 0]]
    assert greedy.expected_value == pytest.approx(8.4)
    assert greedy.shots.tolist() == [[1, 0], [1, 0]]
    concentrated = assign(pk, [10.0, 3.0], capacity, demand)
    assert concentrated.expected_value == pytest.approx(8.4)
    assert concentrated.shots.tolist() == [[1, 0], [1, 0]]


def test_default_demand_is_one_shot_per_target():
    result = assign([[0.5, 0.5]], [1.0, 1.0], [5])
    assert result.shots.tolist() == [[1, 1]]
    assert result.expected_value == pytest.approx(1.0)
    assert assign([[0.5]], [1.0], [5], demand=[3]).shots.tolist() == [[3]]


def test_zero_benefit_pairs_are_left_unassigned():
    pk = [[0.0, 0.7], [0.4, 0.0]]
    for method in ("optimal", "greedy"):
        for demand in ([1, 1], [2, 2]):
            assert assign(pk, [1.0, 0.0], [1, 1], demand, method).pairs == [(1, 0)]


def test_pairs_lists_one_entry_per_shot():
    result = assign([[0.5, 0.2], [0.1, 0.3]], [1.0, 1.0], [2, 1], [2, 2])
    assert sorted(result.pairs) == sorted(
        (i, j) for i, j in np.argwhere(result.shots) for _ in range(result.shots[i, j])
    )
    assert len(result.pairs) == result.shots.sum()


def test_assignment_is_immutable():
    result = assign([[0.5]], [1.0], [1])
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.method = "greedy"
    with pytest.raises(ValueError):
        result.shots[0, 0] = 2


def test_huge_capacity_does_not_blow_up_the_assignment_matrix():
    result = assign([[0.5, 0.6, 0.7]], [1.0, 1.0, 1.0], [10**9])
    assert result.shots.tolist() == [[1, 1, 1]]


def test_empty_problems():
    for method in ("optimal", "greedy"):
        assert assign(np.zeros((0, 2)), [1.0, 1.0], [], None, method).expected_value == 0.0
        assert assign(np.zeros((2, 0)), [], [1, 1], None, method).pairs == []


def test_too_many_patterns_asks_for_greedy():
    pk = np.full((30, 30), 0.5)
    with pytest.raises(ValueError, match="method='greedy'"):
        assign(pk, np.ones(30), np.full(30, 3), np.full(30, 3))
    assert assign(pk, np.ones(30), np.full(30, 3), np.full(30, 3), "greedy").shots.sum() == 90


GOOD = {"pk": [[0.5, 0.5]], "value": [1.0, 1.0], "capacity": [1], "demand": [1, 1]}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"pk": [[0.5, 1.5]]}, r"^pk\[0, 1\] must be a probability in \[0, 1\], got 1.5$"),
        ({"pk": [[np.nan, 0.5]]}, r"^pk\[0, 0\] must be .*, got nan$"),
        ({"pk": [[-0.1, 0.5]]}, r"^pk\[0, 0\] must be .*, got -0.1$"),
        ({"pk": [0.5, 0.5]}, r"^pk must be 2-D \(n_weapons, n_targets\), got shape \(2,\)$"),
        ({"pk": "high"}, r"^pk must be a probability in \[0, 1\], got 'high'$"),
        ({"value": [1.0]}, r"^value must be of shape \(n_targets,\) = \(2,\), got shape \(1,\)$"),
        ({"value": [1.0, -2.0]}, r"^value\[1\] must be finite numbers >= 0, got -2.0$"),
        ({"value": [np.inf, 1.0]}, r"^value\[0\] must be .*, got inf$"),
        ({"capacity": [1, 1]}, r"^capacity must be of shape \(n_weapons,\) = \(1,\), got shape"),
        ({"capacity": [-1]}, r"^capacity\[0\] must be an integer >= 0, got -1$"),
        ({"capacity": [1.5]}, r"^capacity\[0\] must be an integer >= 0, got 1.5$"),
        ({"demand": [1, 0.5]}, r"^demand\[1\] must be an integer >= 0, got 0.5$"),
        ({"demand": [1]}, r"^demand must be of shape \(n_targets,\)"),
        ({"method": "best"}, r"^method must be one of 'optimal', 'greedy', got 'best'$"),
    ],
)
def test_bad_input_names_argument_value_and_allowed(change, message):
    with pytest.raises(ValueError, match=message):
        assign(**{**GOOD, **change})
