"""Threat kinematics against closed forms."""

import numpy as np
import pytest

from iadsim.truth.trajectories import G0, ballistic_positions, waypoint_positions


def test_waypoint_flight_time_and_positions():
    route = np.array([[0.0, 0.0, 100.0], [30_000.0, 0.0, 100.0], [30_000.0, 40_000.0, 1100.0]])
    speed = 250.0
    length = 30_000.0 + np.hypot(40_000.0, 1000.0)
    t = np.array([-5.0, 60.0, 120.0, 1000.0])
    pos, vel, flight = waypoint_positions(route, speed, t)
    assert flight == pytest.approx(length / speed)
    np.testing.assert_allclose(pos[0], route[0])
    np.testing.assert_allclose(pos[1], [15_000.0, 0.0, 100.0])
    np.testing.assert_allclose(np.linalg.norm(vel[2]), speed)
    np.testing.assert_allclose(pos[3], route[2])  # arrived
    np.testing.assert_allclose(vel[0], 0.0)  # not yet launched
    np.testing.assert_allclose(vel[3], 0.0)


def test_ballistic_arc_reaches_apogee_midway_and_lands_on_aim():
    # Drag-free flat-earth arc: apogee H at T/2, T = 2 sqrt(2 g H)/g, tan(gamma0) = 4 H / D.
    apogee, dist = 50_000.0, 300_000.0
    t_flight = 2.0 * np.sqrt(2.0 * G0 * apogee) / G0
    t = np.array([0.0, t_flight / 2.0, t_flight])
    pos, vel, flight = ballistic_positions([0.0, 0.0], [0.0, dist], apogee, t)
    assert flight == pytest.approx(t_flight)
    assert pos[1, 2] == pytest.approx(apogee)
    np.testing.assert_allclose(pos[2], [0.0, dist, 0.0], atol=1e-6)
    assert vel[0, 2] / vel[0, 1] == pytest.approx(4.0 * apogee / dist)
