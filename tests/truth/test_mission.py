"""Mission paths and reactions against closed forms (issue 12)."""

import numpy as np
import pytest

from iadsim.truth.evasion import BEAM, TURN_AWAY, evasion_path, evasion_track
from iadsim.truth.mission import mission_plan, release_point

G0 = 9.80665


def test_release_on_a_straight_route_at_the_standoff_range():
    # Route due north towards the aim: release where the ground distance equals R,
    # at (D - R) / V after take-off.
    route = np.array([[0.0, -300e3, 8000.0], [0.0, -50e3, 8000.0]])
    plan = mission_plan(route, (0.0, 0.0), 74e3, 250.0, 9.0)
    assert plan.release_xyz == pytest.approx([0.0, -74e3, 8000.0], abs=1e-6)
    assert plan.release_elapsed_s == pytest.approx((300e3 - 74e3) / 250.0, rel=1e-12)


def test_release_on_an_offset_leg_solves_the_circle_crossing():
    # A leg parallel to the y axis at x = 30 km crosses the 74 km circle at
    # y = -sqrt(74^2 - 30^2) km (closed form).
    route = np.array([[30e3, -300e3, 5000.0], [30e3, 100e3, 5000.0]])
    p, leg, walked = release_point(route, (0.0, 0.0), 74e3)
    assert p[:2] == pytest.approx([30e3, -np.sqrt(74e3**2 - 30e3**2)], abs=1e-6)
    assert walked == pytest.approx(300e3 - np.sqrt(74e3**2 - 30e3**2), rel=1e-12)


def test_egress_turn_radius_is_the_coordinated_turn_closed_form():
    v, n = 250.0, 9.0
    route = np.array([[0.0, -300e3, 8000.0], [0.0, -50e3, 8000.0]])
    plan = mission_plan(route, (0.0, 0.0), 74e3, v, n)
    radius = v**2 / (G0 * np.sqrt(n**2 - 1.0))  # Anderson sec. 6.10
    turn = plan.path[2:-1, :2]  # the 180 one-degree chords of the turn
    centre = plan.release_xyz[:2] + np.array([-radius, 0.0])  # left of a northbound course
    assert np.linalg.norm(turn - centre, axis=1) == pytest.approx(radius, rel=1e-9)
    assert plan.path[-1] == pytest.approx(route[0])  # egress ends at the first waypoint


def test_turn_away_rate_and_final_heading():
    # Flying north (course +90 deg) 100 km north-east of the radar: turn away until the
    # course is the bearing radar -> aircraft; the turn takes |dpsi| / w, w = g sqrt(n^2-1)/V.
    v, n = 250.0, 9.0
    start = np.array([70e3, 70e3, 8000.0])
    w = G0 * np.sqrt(n**2 - 1.0) / v
    turn_s = np.radians(45.0) / w  # from 90 deg to 45 deg
    t = np.array([turn_s / 2.0, turn_s + 10.0])
    pos, vel, _ = evasion_track(start, np.pi / 2, (0.0, 0.0), TURN_AWAY, v, n, 60.0,
                                np.array([0.0, 300e3, 8000.0]), t)  # fmt: skip
    radius = v / w
    centre = start[:2] + np.array([radius, 0.0])  # right turn from north
    # Halfway through the turn the aircraft is on the circle, 22.5 deg round it.
    ang = np.pi - np.radians(22.5)
    expect = centre + radius * np.array([np.cos(ang), np.sin(ang)])
    assert pos[0, :2] == pytest.approx(expect, abs=4e-5 * radius)  # 1-degree chords
    assert np.degrees(np.arctan2(vel[1, 1], vel[1, 0])) == pytest.approx(45.0, abs=1e-6)
    assert np.linalg.norm(vel[1]) == pytest.approx(v, rel=1e-9)


def test_beam_puts_the_radar_abeam_and_home_leg_is_tangent():
    v, n = 250.0, 9.0
    start, home = np.array([0.0, 80e3, 8000.0]), np.array([0.0, 300e3, 8000.0])
    path = evasion_path(start, -np.pi / 2, (0.0, 0.0), BEAM, v, n, 30.0, home)
    # The held leg (longest leg before the last) is perpendicular to the line of sight.
    legs = np.diff(path[:, :2], axis=0)
    held = legs[np.argmax(np.linalg.norm(legs[:-1], axis=1))]
    assert abs(held @ np.array([0.0, 1.0])) / np.linalg.norm(held) < 1e-9
    # The last leg points at home from a point one turn radius from the turn centre.
    last = legs[-1] / np.linalg.norm(legs[-1])
    prev = legs[-2] / np.linalg.norm(legs[-2])
    assert np.degrees(np.arccos(np.clip(last @ prev, -1, 1))) < 1.01  # leaves on the tangent
