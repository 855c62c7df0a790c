"""Damage functions (Przemieniecki 2000, sec. 4.2 and 4.4) checked against hand values."""

import numpy as np
import pytest

from iadsim.engage.lethality import kill_outcome, kill_probability


def test_carleton_values():
    # P(r) = P0 exp(-r^2 / R^2): at r = R, P0 / e; at r = 2R, P0 e^-4.
    assert kill_probability(0.0, 10.0, 0.8) == pytest.approx(0.8)
    assert kill_probability(10.0, 10.0, 0.8) == pytest.approx(0.8 / np.e)
    assert kill_probability(20.0, 10.0, 0.8) == pytest.approx(0.8 * np.exp(-4))


def test_hit_to_kill_is_a_body_hit():
    # Cookie-cutter: P0 inside the hit radius, nothing outside.
    assert kill_probability([0.0, 1.49, 1.51], 1.5, 0.9, True).tolist() == [0.9, 0.9, 0.0]
    assert kill_outcome(1.6, 1.5, 1.0, 0.0, hit_to_kill=True) == "miss"
    assert kill_outcome(1.0, 1.5, 0.9, 0.95, hit_to_kill=True) == "survived"


def test_outcome_frequencies_follow_the_damage_function():
    rng = np.random.default_rng(0)
    outcomes = [kill_outcome(10.0, 10.0, 0.8, rng.random()) for _ in range(20_000)]
    assert outcomes.count("kill") / len(outcomes) == pytest.approx(0.8 / np.e, abs=0.015)
    assert kill_outcome(31.0, 10.0, 1.0, 0.0) == "miss"
