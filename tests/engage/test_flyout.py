"""Proportional navigation against Zarchan's closed-form solution.

Zarchan, *Tactical and Strategic Missile Guidance*, 6th ed., ch. 2: for a missile with a
heading error HE against a non-manoeuvring target, the linearised PN acceleration is
n_c(t) = -Vm HE N' / t_F * (1 - t / t_F)^(N' - 2).
"""

import numpy as np
import pytest

from iadsim.engage import flyout


def _fly_heading_error(nav_constant, heading_error_rad, vm=1000.0, r0=10_000.0, h=1e-3):
    missiles = flyout.Interceptors()
    missiles.launch(
        pos=[[0.0, 0.0, 0.0]],
        vel=[[vm * np.cos(heading_error_rad), vm * np.sin(heading_error_rad), 0.0]],
        launch_s=[0.0], burnout_speed=[vm], boost_s=[0.0], max_accel=[1e6], beta=[np.inf],
        max_flight_s=[100.0], target=[0], missile_type=[0], unit=[0],
        track_key=[0],
    )  # fmt: skip
    target = np.array([[r0, 0.0, 0.0]])
    still = np.zeros((1, 3))
    times, accels = [], []
    t = 0.0
    while True:
        acc = flyout.pn_acceleration(
            target - missiles.pos, still - missiles.vel, missiles.vel, nav_constant, [1e6]
        )
        times.append(t)
        accels.append(np.linalg.norm(acc))
        out = flyout.step(missiles, np.array([0]), t, h, target, still, nav_constant, gravity=False)
        t += h
        if out["closest"][0]:
            return np.array(times), np.array(accels), out["miss_m"][0]


@pytest.mark.parametrize("nav_constant", [3.0, 4.0])
def test_pn_acceleration_history_matches_closed_form(nav_constant):
    he = np.deg2rad(3.0)
    vm, r0 = 1000.0, 10_000.0
    times, accels, miss = _fly_heading_error(nav_constant, he, vm, r0)
    t_final = r0 / vm
    for frac in (0.0, 0.25, 0.5, 0.75):
        expected = vm * he * nav_constant / t_final * (1.0 - frac) ** (nav_constant - 2.0)
        got = np.interp(frac * t_final, times, accels)
        assert got == pytest.approx(expected, rel=0.03), frac
    assert miss < 1.0


def test_acceleration_limit_is_respected():
    acc = flyout.pn_acceleration(
        np.array([[1000.0, 0, 0]]), np.array([[-500.0, 300.0, 0]]),
        np.array([[500.0, 0, 0]]), 4.0, [50.0],
    )  # fmt: skip
    assert np.linalg.norm(acc) == pytest.approx(50.0)


def test_closest_approach_inside_a_step():
    # Relative position (100, 10), velocity (-1000, 0): CPA after 0.1 s at 10 m.
    t_star, miss = flyout.closest_approach(
        np.array([[100.0, 10.0, 0]]), np.array([[-1000.0, 0, 0]]), 0.5
    )
    assert t_star[0] == pytest.approx(0.1)
    assert miss[0] == pytest.approx(10.0)
