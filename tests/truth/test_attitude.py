"""Attitude along a flight plan against the closed forms of a coordinated turn and of the
direction cosine matrix."""

import numpy as np
import pytest

from iadsim.truth.attitude import body_aspect_rad, fly_route, ned_to_body, turn_radius_m
from iadsim.truth.trajectories import G0

V = 250.0


def _square_route(alt=5000.0):
    # North 40 km, then a 90 deg right turn east for 40 km, then a left turn north.
    return np.array([[0, 0, alt], [0, 40e3, alt], [40e3, 40e3, alt], [40e3, 80e3, alt]], float)


@pytest.mark.parametrize("n", [2.0, 4.0, 9.0])
def test_coordinated_turn_bank_is_atan_v_omega_over_g(n):
    # Closed form (Stevens & Lewis sec. 3.6): level coordinated turn at load factor n has
    # bank arccos(1/n) and radius v^2 / (g tan(bank)); bank = atan(v omega / g).
    t = np.arange(0.0, 400.0, 0.05)
    path = fly_route(_square_route(), V, n, t)
    turning = np.abs(path.bank_rad) > 1e-9
    assert turning.any()
    # The turn rate measured from the sampled positions alone (finite differences of the
    # track angle), independently of the model's own heading.
    vel = np.gradient(path.pos[:, :2], t, axis=0)
    track = np.unwrap(np.arctan2(vel[:, 0], vel[:, 1]))
    omega = np.gradient(track, t)
    inner = turning & np.roll(turning, 3) & np.roll(turning, -3)
    assert np.allclose(path.bank_rad[inner], np.arctan(V * omega[inner] / G0), atol=2e-3)
    assert np.allclose(np.abs(path.bank_rad[inner]), np.arccos(1.0 / n), atol=1e-9)
    # The first turn is to the right (east), the second to the left: bank signs.
    first = np.flatnonzero(turning)[0]
    assert path.bank_rad[first] > 0
    assert path.bank_rad[np.flatnonzero(turning)[-1]] < 0
    # Radius from the positions: distance to the arc centre is constant, v^2 / (g tan phi).
    radius = turn_radius_m(V, n)
    assert radius == pytest.approx(V**2 / (G0 * np.tan(np.arccos(1.0 / n))))
    centre = np.array([radius, 40e3 - radius * np.tan(np.pi / 4) + 0.0])
    arc1 = inner & (path.pos[:, 0] < 20e3)
    d = np.hypot(*(path.pos[arc1, :2] - centre).T)
    assert np.allclose(d, radius, rtol=1e-6)


def test_straight_legs_are_wings_level_and_speed_is_constant():
    t = np.arange(0.0, 100.0, 1.0)
    path = fly_route(_square_route(), V, 9.0, t)
    assert np.allclose(path.bank_rad, 0.0) and np.allclose(path.heading_rad, 0.0)
    assert np.allclose(np.linalg.norm(path.vel, axis=1), V)
    assert np.allclose(path.pos[:, 1], V * t)


def test_climb_gives_the_flight_path_angle_as_pitch():
    route = np.array([[0, 0, 1000.0], [0, 10e3, 2000.0]])
    path = fly_route(route, V, 5.0, np.array([10.0]))
    assert path.pitch_rad[0] == pytest.approx(np.arctan(0.1))


def test_body_aspect_of_level_and_banked_flight():
    # Heading north, level: a radar due east at the same height is at the right beam.
    az, el = body_aspect_rad(np.array([1.0, 0, 0]), 0.0, 0.0, 0.0)
    assert np.rad2deg(az) == pytest.approx(90.0) and el == pytest.approx(0.0, abs=1e-12)
    # Banked phi right wing down: the same horizontal direction appears phi above the
    # wing plane, and the ground straight below leans towards the lowered right wing:
    # az 90 deg, el -(90 - phi).
    phi = np.deg2rad(30.0)
    az, el = body_aspect_rad(np.array([1.0, 0, 0]), 0.0, 0.0, phi)
    assert np.rad2deg(el) == pytest.approx(30.0)
    az, el = body_aspect_rad(np.array([0.0, 0, -1.0]), 0.0, 0.0, phi)
    assert np.rad2deg(el) == pytest.approx(-60.0) and np.rad2deg(az) == pytest.approx(90.0)
    # Heading east, radar north: left beam. Nose up theta: a radar ahead on the horizon is
    # theta below the nose.
    az, _ = body_aspect_rad(np.array([0.0, 1.0, 0]), np.pi / 2, 0.0, 0.0)
    assert np.rad2deg(az) == pytest.approx(270.0)
    az, el = body_aspect_rad(np.array([0.0, 1.0, 0]), 0.0, np.deg2rad(10.0), 0.0)
    assert np.rad2deg(el) == pytest.approx(-10.0) and az == pytest.approx(0.0, abs=1e-12)


def test_dcm_is_orthonormal():
    c = ned_to_body(np.array([0.3, 2.0]), np.array([0.1, -0.4]), np.array([0.7, -1.2]))
    assert np.allclose(c @ np.swapaxes(c, -1, -2), np.eye(3))
    assert np.allclose(np.linalg.det(c), 1.0)


def test_turn_that_does_not_fit_is_refused():
    route = np.array([[0, 0, 1000.0], [0, 1000.0, 1000.0], [1000.0, 1000.0, 1000.0]])
    with pytest.raises(ValueError, match="too short"):
        fly_route(route, V, 2.0, np.array([0.0]))
