"""Loitering drone: the orbit is the coordinated turn of the closed forms."""

import numpy as np
import pytest

from iadsim.truth.loiter import loiter_path, loiter_positions
from iadsim.truth.trajectories import G0

SPEED, N_G = 36.5, 2.0


def test_orbit_radius_and_period_match_the_coordinated_turn():
    # Level coordinated turn at load factor n: tan(bank) = sqrt(n^2 - 1),
    # R = v^2 / (g tan(bank)), period 2 pi R / v (Anderson, Aircraft Performance and
    # Design, sec. 6.10).
    radius = SPEED**2 / (G0 * np.sqrt(N_G**2 - 1.0))
    period = 2.0 * np.pi * radius / SPEED
    route = np.array([[0.0, -10_000.0, 3000.0], [0.0, 0.0, 3000.0]])
    exit_xyz = np.array([20_000.0, 0.0, 0.0])
    t_arrive = 10_000.0 / SPEED
    t = t_arrive + np.linspace(0.0, period, 200)
    pos, vel, flight = loiter_positions(route, SPEED, N_G, period, exit_xyz, t)
    centre = np.array([-radius, 0.0])  # left-hand orbit entered heading north
    dist = np.hypot(pos[:, 0] - centre[0], pos[:, 1] - centre[1])
    np.testing.assert_allclose(dist, radius, rtol=2e-4)
    np.testing.assert_allclose(pos[-1, :2], [0.0, 0.0], atol=radius * 1e-3)  # one lap
    np.testing.assert_allclose(np.linalg.norm(vel[:-1], axis=1), SPEED)
    # Then a straight dive from 3,000 m to the strike point 20 km east.
    assert flight == pytest.approx(t_arrive + period + np.hypot(20_000.0, 3000.0) / SPEED, rel=1e-4)


def test_no_loiter_goes_straight_on():
    route = np.array([[0.0, 0.0, 100.0], [1000.0, 0.0, 100.0]])
    path = loiter_path(route, SPEED, N_G, 0.0, np.array([0.0, 0.0, 100.0]))
    np.testing.assert_allclose(path, [[0, 0, 100], [1000, 0, 100], [0, 0, 100]])
