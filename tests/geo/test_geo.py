"""Geodesy checks against independent computations (pyproj.Geod, closed-form geometry)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyproj import Geod

from iadsim.geo import EARTH_RADIUS_M, MapFrame, polar_to_map, radar_geometry


def test_map_frame_distance_from_origin_is_geodesic():
    # The azimuthal equidistant projection keeps distances from its origin true
    # (Snyder 1987, ch. 25); compare with the WGS84 geodesic from pyproj.Geod.
    frame = MapFrame(41.0, 29.0)
    lat, lon = np.array([43.6, 40.2, 41.0]), np.array([29.5, 27.1, 31.0])
    x, y = frame.to_map(lat, lon)
    _, _, dist = Geod(ellps="WGS84").inv(np.full(3, 29.0), np.full(3, 41.0), lon, lat)
    np.testing.assert_allclose(np.hypot(x, y), dist, rtol=1e-9)
    lat2, lon2 = frame.to_geodetic(x, y)
    np.testing.assert_allclose(lat2, lat, atol=1e-9)
    np.testing.assert_allclose(lon2, lon, atol=1e-9)


@pytest.mark.parametrize("h_radar, h_target", [(10.0, 100.0), (25.0, 30.0), (5.0, 10_000.0)])
def test_line_of_sight_ends_at_the_tangent_horizon(h_radar, h_target):
    # Smooth-earth horizon for straight rays over a k*Re sphere:
    # d = sqrt(2 a h1 + h1^2) + sqrt(2 a h2 + h2^2) (Skolnik, Intro to Radar Systems 3rd ed 8.4).
    k = 4.0 / 3.0
    a = k * EARTH_RADIUS_M
    tangent = np.sqrt(2 * a * h_radar + h_radar**2) + np.sqrt(2 * a * h_target + h_target**2)
    # Ground distance along the sphere that corresponds to that slant tangent path.
    theta = np.arccos(a / (a + h_radar)) + np.arccos(a / (a + h_target))
    ground = a * theta
    g = radar_geometry(
        [0, 0, h_radar], [[ground * 0.999, 0, h_target], [ground * 1.001, 0, h_target]], k
    )
    assert g["visible"].tolist() == [True, False]
    # At the horizon the slant range equals the tangent-line sum.
    edge = radar_geometry([0, 0, h_radar], [ground, 0, h_target], k)
    assert edge["range_m"] == pytest.approx(tangent, rel=1e-6)


def test_elevation_of_a_distant_target_at_radar_height_dips_below_horizontal():
    # Same height, ground distance d: elevation = -theta/2 with theta = d / a (isoceles triangle).
    k = 4.0 / 3.0
    a = k * EARTH_RADIUS_M
    d = 50_000.0
    g = radar_geometry([0, 0, 0.0], [0, d, 0.0], k)
    assert float(g["elevation_rad"]) == pytest.approx(-d / a / 2.0, rel=1e-6)
    assert float(g["azimuth_rad"]) == pytest.approx(0.0)


@given(
    st.floats(1e3, 4e5), st.floats(0, 2 * np.pi - 1e-6), st.floats(0.0, 30_000.0), st.floats(0, 50)
)
def test_polar_round_trip(ground, az, alt, mast):
    target = np.array([ground * np.sin(az), ground * np.cos(az), alt])
    radar = np.array([0.0, 0.0, mast])
    g = radar_geometry(radar, target)
    back = polar_to_map(radar, g["range_m"], g["azimuth_rad"], g["elevation_rad"])
    np.testing.assert_allclose(back, target, atol=1e-3 * max(1.0, ground / 1e5))


@pytest.mark.parametrize(
    "rng_m, az, el", [(5e3, 0.3, 0.2), (264e3, 0.02, 0.0147), (4e5, 3.0, -0.01)]
)
def test_polar_jacobian_matches_finite_differences(rng_m, az, el):
    from iadsim.geo.earth import polar_to_map_jacobian

    radar = np.array([0.0, 0.0, 25.0])
    jac = polar_to_map_jacobian(25.0, np.array([rng_m]), np.array([az]), np.array([el]))[0]
    steps = np.array([1.0, 1e-7, 1e-7])
    base = np.array([rng_m, az, el])
    for j in range(3):
        hi, lo = base.copy(), base.copy()
        hi[j] += steps[j]
        lo[j] -= steps[j]
        numeric = (polar_to_map(radar, *hi) - polar_to_map(radar, *lo)) / (2 * steps[j])
        np.testing.assert_allclose(jac[:, j], numeric, rtol=1e-5, atol=1e-6 * max(1.0, rng_m))
