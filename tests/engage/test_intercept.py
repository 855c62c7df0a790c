"""Collision-course intercept times against closed forms."""

import numpy as np
import pytest

from iadsim.engage.intercept import in_envelope, intercept_time


def test_head_on_intercept_time():
    # Target 60 km away closing at 300 m/s, missile at 1200 m/s from t=0: t = D / (v + vm).
    t = intercept_time([60_000.0, 0, 0], [-300.0, 0, 0], 1200.0, 0.0)
    assert float(t) == pytest.approx(60_000.0 / 1500.0)


def test_crossing_intercept_time():
    # Target abeam at D moving perpendicular at v: t = D / sqrt(vm^2 - v^2).
    t = intercept_time([0.0, 40_000.0, 0], [250.0, 0, 0], 1000.0, 0.0)
    assert float(t) == pytest.approx(40_000.0 / np.sqrt(1000.0**2 - 250.0**2))


def test_boost_phase_shortens_reach():
    # Uniform boost to vm over tb covers vm (t - tb/2); a stationary target at D: t = D/vm + tb/2.
    t = intercept_time([30_000.0, 0, 0], [0.0, 0, 0], 1500.0, 10.0)
    assert float(t) == pytest.approx(30_000.0 / 1500.0 + 5.0)


def test_receding_faster_target_has_no_intercept():
    t = intercept_time([10_000.0, 0, 0], [2000.0, 0, 0], 1000.0, 0.0)
    assert np.isnan(t)


def test_envelope_limits():
    ok = in_envelope([0, 0, 0], [[5e3, 0, 1e3], [200e3, 0, 1e3], [50e3, 0, 30e3], [1e3, 0, 1e3]],
                     3e3, 150e3, 10.0, 25e3)  # fmt: skip
    assert ok.tolist() == [True, False, False, False]


def _constant_speed_envelope(vm):
    from iadsim.engage.envelope import SPEED_LEVELS_MPS, Envelope

    ground = np.linspace(1000.0, 200_000.0, 200)
    alts = np.array([0.0, 5000.0, 10_000.0])
    flight = np.hypot(ground[None, :], alts[:, None]) / vm
    reach = np.zeros((3, len(SPEED_LEVELS_MPS)))
    return Envelope(alts, reach, reach, 10_000.0, ground, flight, np.full(flight.shape, vm))


@pytest.mark.parametrize("target_vel", [[0.0, -300.0, 0.0], [250.0, 0.0, 0.0]])
def test_flown_intercept_time_matches_the_collision_triangle(target_vel):
    # A flown table of a missile at constant 1,200 m/s must give the closed-form time.
    from iadsim.engage.intercept import flown_intercept_time

    rel = np.array([[0.0, 60_000.0, 5000.0]])
    vel = np.array([target_vel])
    t = flown_intercept_time(rel, vel, _constant_speed_envelope(1200.0))
    assert t[0] == pytest.approx(float(intercept_time(rel[0], vel[0], 1200.0, 0.0)), rel=0.01)
