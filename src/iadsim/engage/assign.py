"""Static weapon-target assignment (WTA): who fires how many shots at which threat.

Weapon (fire channel or launcher type) ``i`` fires ``x_ij`` independent shots at target
``j``, each killing it with probability ``pk_ij``. The static WTA of Manne (1958) and
Hosein & Athans (1990) maximises the expected value destroyed,

    sum_j value_j * (1 - prod_i (1 - pk_ij) ** x_ij),

subject to ``sum_j x_ij <= capacity_i`` (shots weapon ``i`` can fire now),
``sum_i x_ij <= demand_j`` (most shots allowed at target ``j``) and integer ``x_ij >= 0``.
Review: Kline, Ahner & Hill, "The weapon-target assignment problem", Computers & Operations
Research 105, 2019.

Solvers (:func:`assign`):

* ``"optimal"``, every demand <= 1 (the "assignment form"): each target takes at most one
  shot, so the objective is linear, ``value_j * pk_ij`` per shot, and the problem is a
  rectangular assignment problem. Each weapon is expanded into one row per unit of
  capacity and the benefit matrix is solved with
  :func:`scipy.optimize.linear_sum_assignment` (``maximize=True``); zero-benefit pairs are
  dropped.
* ``"optimal"``, some demand > 1: the objective is nonlinear. It is made linear, exactly,
  by enumerating for each target ``j`` every *fire pattern*, a shot-count vector
  ``s`` over the weapons with ``pk_ij > 0`` and ``1 <= sum(s) <= demand_j``,
  ``s_i <= capacity_i``. A binary ``z_{j,s}`` selects a pattern, which earns
  ``value_j * (1 - prod_i (1 - pk_ij) ** s_i)``; constraints are ``sum_s z_{j,s} <= 1`` per
  target and ``sum_{j,s} s_i z_{j,s} <= capacity_i`` per weapon. This set-packing ("column"
  or pattern) linearisation is exact because a target's kill probability depends only on its
  own pattern; Kline et al. (2019) survey exact WTA formulations, and Ahuja, Kumar, Jha &
  Orlin, "Exact and heuristic algorithms for the weapon-target assignment problem",
  Operations Research 55(6), 2007, give exact branch-and-bound methods for large cases.
  The binary program is solved with :func:`scipy.optimize.milp` (HiGHS) at zero relative
  gap (HiGHS keeps its 1e-6 absolute gap). The pattern count grows combinatorially, so more
  than :data:`MAX_PATTERNS` patterns raises ``ValueError``; use ``method="greedy"`` then.
* ``"greedy"``: maximum marginal return (den Broeder, Ellison & Emerling, "On optimum
  target assignments", Operations Research 7(3), 1959; Kline et al. 2019): give each
  next shot to the feasible (weapon, target) pair with the largest gain in expected value,
  ``value_j * survival_j * pk_ij``, until no shot gains anything. Optimal when all weapons
  are alike (den Broeder et al. 1959); otherwise a fast lower bound.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linear_sum_assignment, milp

from iadsim import checks

METHODS = ("optimal", "greedy")
MAX_PATTERNS = 20_000
"""Most fire patterns the exact nonlinear formulation will enumerate."""


@dataclass(frozen=True, eq=False)
class Assignment:
    """A solved assignment: ``shots[i, j]`` shots of weapon ``i`` at target ``j``."""

    shots: np.ndarray
    expected_value: float
    method: str

    @property
    def pairs(self) -> list[tuple[int, int]]:
        """One ``(weapon, target)`` per shot, in weapon then target order."""
        weapon, target = np.nonzero(self.shots)
        counts = self.shots[weapon, target]
        per_shot = np.stack([np.repeat(weapon, counts), np.repeat(target, counts)], axis=1)
        return [(int(i), int(j)) for i, j in per_shot]


def expected_value(pk, value, shots) -> float:
    """Expected value destroyed, ``sum_j value_j (1 - prod_i (1 - pk_ij) ** shots_ij)``."""
    pk = np.asarray(pk, dtype=float)
    survival = np.prod(np.power(1.0 - pk, np.asarray(shots)), axis=0)
    return float(np.dot(np.asarray(value, dtype=float), 1.0 - survival))


def assign(pk, value, capacity, demand=None, method: str = "optimal") -> Assignment:
    """Solve the static weapon-target assignment; see the module docstring.

    pk: (n_weapons, n_targets) single-shot kill probabilities in [0, 1]; value:
    (n_targets,) non-negative target values; capacity: (n_weapons,) shots each weapon can
    fire; demand: (n_targets,) most shots per target (default 1 each); method: ``"optimal"``
    or ``"greedy"``.
    """
    pk, value, capacity, demand = _validate(pk, value, capacity, demand, method)
    if method == "greedy":
        shots = _greedy(pk, value, capacity, demand)
    elif np.all(demand <= 1):
        shots = _optimal_assignment_form(pk, value, capacity, demand)
    else:
        shots = _optimal_patterns(pk, value, capacity, demand)
    shots.setflags(write=False)
    return Assignment(shots, expected_value(pk, value, shots), method)


def _optimal_assignment_form(pk, value, capacity, demand) -> np.ndarray:
    """Exact solution when every demand is 0 or 1: a linear assignment problem."""
    n_weapons, n_targets = pk.shape
    shots = np.zeros((n_weapons, n_targets), dtype=np.int64)
    open_targets = np.flatnonzero(demand > 0)
    # A weapon fires at most one shot per open target, so more rows than that never help.
    rows_per_weapon = np.minimum(capacity, open_targets.size)
    weapon_of_row = np.repeat(np.arange(n_weapons), rows_per_weapon)
    benefit = (pk * value)[np.ix_(weapon_of_row, open_targets)]
    row, col = linear_sum_assignment(benefit, maximize=True)
    keep = benefit[row, col] > 0.0
    np.add.at(shots, (weapon_of_row[row[keep]], open_targets[col[keep]]), 1)
    return shots


def _fire_patterns(pk, value, capacity, demand) -> tuple[np.ndarray, np.ndarray]:
    """Every non-empty fire pattern of every target, as (target (P,), shot counts (P, n_w)).

    Patterns are multisets of weapons, built one shot per round by appending a weapon whose
    index is >= the last one appended, so each multiset appears once.
    """
    n_weapons, n_targets = pk.shape
    useful = (pk > 0.0) & (capacity[:, None] > 0) & (value[None, :] > 0.0)  # (n_w, n_t)
    target = np.flatnonzero((demand > 0) & useful.any(axis=0))
    counts = np.zeros((target.size, n_weapons), dtype=np.int64)
    last = np.zeros(target.size, dtype=np.int64)
    all_targets, all_counts = [], []
    total = 0
    for k in range(1, int(demand.max(initial=0)) + 1):
        grow = (
            useful.T[target]
            & (np.arange(n_weapons)[None, :] >= last[:, None])
            & (counts < capacity[None, :])
            & (demand[target] >= k)[:, None]
        )
        total += int(grow.sum())
        if total > MAX_PATTERNS:
            checks.fail(
                "method='optimal'",
                f"a problem of at most MAX_PATTERNS={MAX_PATTERNS} fire patterns (fewer "
                "weapons or smaller demand), or use method='greedy'",
                f"more (demand up to {int(demand.max())} over {n_weapons} weapons)",
            )
        parent, weapon = np.nonzero(grow)
        target, last = target[parent], weapon
        counts = counts[parent]
        counts[np.arange(parent.size), weapon] += 1
        all_targets.append(target)
        all_counts.append(counts)
    if not all_targets:
        return np.zeros(0, dtype=np.int64), np.zeros((0, n_weapons), dtype=np.int64)
    return np.concatenate(all_targets), np.concatenate(all_counts)


def _optimal_patterns(pk, value, capacity, demand) -> np.ndarray:
    """Exact solution for general demand: MILP over enumerated fire patterns."""
    n_weapons, n_targets = pk.shape
    shots = np.zeros((n_weapons, n_targets), dtype=np.int64)
    target, counts = _fire_patterns(pk, value, capacity, demand)
    if target.size == 0:
        return shots
    survival = np.prod(np.power(1.0 - pk.T[target], counts), axis=1)
    gain = value[target] * (1.0 - survival)
    one_per_target = (np.arange(n_targets)[:, None] == target[None, :]).astype(float)
    constraints = [
        LinearConstraint(one_per_target, -np.inf, 1.0),
        LinearConstraint(counts.T.astype(float), -np.inf, capacity.astype(float)),
    ]
    result = milp(
        -gain,
        integrality=np.ones(target.size),
        bounds=Bounds(0.0, 1.0),
        constraints=constraints,
        options={"mip_rel_gap": 0.0},
    )
    if not result.success:
        raise RuntimeError(f"WTA MILP failed: {result.message}")
    chosen = np.flatnonzero(result.x > 0.5)
    shots[:, target[chosen]] = counts[chosen].T
    return shots


def _greedy(pk, value, capacity, demand) -> np.ndarray:
    """Maximum-marginal-return greedy, one shot per iteration (den Broeder et al. 1959)."""
    shots = np.zeros(pk.shape, dtype=np.int64)
    if pk.size == 0:
        return shots
    capacity_left = capacity.copy()
    demand_left = demand.copy()
    survival = np.ones(pk.shape[1])
    kill_value = pk * value[None, :]
    for _ in range(int(min(capacity.sum(), demand.sum()))):
        gain = kill_value * survival[None, :]
        gain[capacity_left == 0, :] = 0.0
        gain[:, demand_left == 0] = 0.0
        i, j = np.unravel_index(np.argmax(gain), gain.shape)
        if gain[i, j] <= 0.0:
            break
        shots[i, j] += 1
        capacity_left[i] -= 1
        demand_left[j] -= 1
        survival[j] *= 1.0 - pk[i, j]
    return shots


def _validate(pk, value, capacity, demand, method):
    """Check and convert the inputs (iadsim.checks: name, bad value, what is allowed)."""
    checks.one_of("method", method, METHODS)
    pk = checks.probability("pk", pk, closed=True)
    if pk.ndim != 2:
        checks.fail("pk", "2-D (n_weapons, n_targets)", f"shape {pk.shape}")
    n_weapons, n_targets = pk.shape
    value = checks.non_negative("value", value)
    _check_shape("value", value, (n_targets,), "n_targets")
    capacity = checks.integers("capacity", capacity, "an integer >= 0", _at_least_zero)
    _check_shape("capacity", capacity, (n_weapons,), "n_weapons")
    demand = np.ones(n_targets) if demand is None else demand
    demand = checks.integers("demand", demand, "an integer >= 0", _at_least_zero)
    _check_shape("demand", demand, (n_targets,), "n_targets")
    return pk, value, capacity, demand


def _check_shape(name, x, shape, what):
    if x.shape != shape:
        checks.fail(name, f"of shape ({what},) = {shape}", f"shape {x.shape}")


def _at_least_zero(a):
    return a >= 0
