"""Tests of the smooth-earth radar horizon."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iadsim.radar.horizon import EARTH_RADIUS_M, STANDARD_K_FACTOR, horizon_range_m


def test_constants():
    assert EARTH_RADIUS_M == 6_371_000.0
    assert STANDARD_K_FACTOR == pytest.approx(4.0 / 3.0)


@pytest.mark.parametrize(("radar_m", "target_m"), [(10.0, 0.0), (20.0, 100.0), (30.0, 3000.0)])
def test_four_thirds_earth_rule_of_thumb(radar_m, target_m):
    """Classic 4/3-earth rule R[km] = 4.12 (sqrt(h_r[m]) + sqrt(h_t[m])) (e.g. Skolnik,
    Introduction to Radar Systems, 3rd ed., Ch. 8); 4.12 is sqrt(2 * 4/3 * 6371 km) in
    km/sqrt(m) rounded to 3 digits, so agreement is to 0.1 %."""
    rule_km = 4.12 * (np.sqrt(radar_m) + np.sqrt(target_m))
    assert horizon_range_m(radar_m, target_m) / 1e3 == pytest.approx(rule_km, rel=1e-3)


@pytest.mark.parametrize("k_factor", [1.0, 4.0 / 3.0, 2.0])
@pytest.mark.parametrize(("radar_m", "target_m"), [(5.0, 0.0), (30.0, 10e3), (1e4, 2e5)])
def test_matches_tangent_geometry_by_angles(radar_m, target_m, k_factor):
    """Independent construction: a point at height h sees the tangent point at the
    central angle acos(a / (a + h)), at distance (a + h) sin(angle)."""
    a = k_factor * EARTH_RADIUS_M

    def tangent(h):
        return (a + h) * np.sin(np.arccos(a / (a + h)))

    expected = tangent(radar_m) + tangent(target_m)
    assert horizon_range_m(radar_m, target_m, k_factor) == pytest.approx(expected, rel=1e-9)


def test_geometric_horizon_from_ten_kilometres():
    """Without refraction an aircraft at 10 km sees 357 km to the horizon."""
    assert horizon_range_m(10e3, 0.0, k_factor=1.0) / 1e3 == pytest.approx(357.1, abs=0.1)


def test_broadcasting_and_scalar_output():
    ranges = horizon_range_m(np.array([[10.0], [30.0]]), np.array([0.0, 100.0, 1e4]))
    assert ranges.shape == (2, 3)
    assert ranges[1, 2] == pytest.approx(horizon_range_m(30.0, 1e4))
    assert np.ndim(horizon_range_m(10.0, 10.0)) == 0


@settings(max_examples=200, deadline=None)
@given(
    radar_m=st.floats(0.0, 1e5),
    target_m=st.floats(0.0, 1e5),
    extra_m=st.floats(1e-3, 1e4),
)
def test_range_rises_with_either_height(radar_m, target_m, extra_m):
    base = horizon_range_m(radar_m, target_m)
    assert horizon_range_m(radar_m + extra_m, target_m) > base
    assert horizon_range_m(radar_m, target_m + extra_m) > base
    assert horizon_range_m(radar_m, target_m) == pytest.approx(horizon_range_m(target_m, radar_m))


@pytest.mark.parametrize(
    ("args", "name", "value"),
    [
        ((-1.0, 0.0), "radar_height_m", "-1.0"),
        ((10.0, [0.0, -5.0]), "target_height_m", "-5.0"),
        ((np.nan, 0.0), "radar_height_m", "nan"),
        ((10.0, 0.0, 0.0), "k_factor", "0.0"),
    ],
)
def test_bad_input_names_argument_and_value(args, name, value):
    with pytest.raises(ValueError, match=name) as error:
        horizon_range_m(*args)
    assert value in str(error.value)
