"""Threat evaluation against closed forms."""

import numpy as np
import pytest

from iadsim.engage.threat_eval import assess, classify, closest_approach, impact_point
from iadsim.truth.trajectories import G0


def test_closest_approach_of_a_crossing_track():
    # Track at (-10 km, 3 km) flying east at 200 m/s past an asset at the origin:
    # CPA 3 km after 50 s.
    miss, t = closest_approach(
        np.array([[-10_000.0, 3000.0, 500.0]]), np.array([[200.0, 0.0, 0.0]]), np.zeros((1, 2))
    )
    assert miss[0, 0] == pytest.approx(3000.0)
    assert t[0, 0] == pytest.approx(50.0)


def test_impact_point_of_a_drag_free_arc():
    # From z0 with vertical speed vz: t = (vz + sqrt(vz^2 + 2 g z0)) / g.
    z0, vz, vx = 20_000.0, 300.0, 1500.0
    point, t = impact_point(np.array([[0.0, 0.0, z0]]), np.array([[vx, 0.0, vz]]))
    t_expected = (vz + np.sqrt(vz**2 + 2 * G0 * z0)) / G0
    assert t[0] == pytest.approx(t_expected)
    assert point[0, 0] == pytest.approx(vx * t_expected)


def test_kinematic_classification():
    xyz = np.array([[0, 0, 30_000.0], [0, 0, 30.0], [0, 0, 5000.0], [0, 0, 9000.0]])
    vel = np.array([[1800.0, 0, -500], [240.0, 0, 0], [40.0, 0, 0], [270.0, 0, 0]])
    assert classify(xyz, vel).tolist() == [
        "ballistic_missile",
        "cruise_missile",
        "drone",
        "aircraft",
    ]


def test_threat_value_follows_the_threatened_asset_and_priority():
    assets = np.array([[0.0, 0.0], [100_000.0, 0.0]])
    values, radius = np.array([10.0, 50.0]), np.array([2000.0, 2000.0])
    xyz = np.array([[0.0, 80_000.0, 30.0], [100_000.0, 80_000.0, 30.0]])
    vel = np.array([[0.0, -250.0, 0.0], [0.0, -250.0, 0.0]])  # each heads for one asset
    priority = {"cruise_missile": 2.0}.get
    out = assess(xyz, vel, assets, values, radius, lambda c: priority(c, 1.0))
    assert out.asset.tolist() == [0, 1]
    np.testing.assert_allclose(out.value, [20.0, 100.0])
    np.testing.assert_allclose(out.time_to_go_s, [320.0, 320.0])
