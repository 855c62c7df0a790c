"""Terrain following over a synthetic DEM: the climb/dive and vertical-acceleration limits
hold, the missile never comes below its set height, and holds it where the ground allows."""

import numpy as np
import pytest
from affine import Affine

from iadsim.geo.frames import MapFrame
from iadsim.geo.terrain import Terrain
from iadsim.truth.terrain_following import G0, slope_limited_envelope, terrain_following_track

SPEED, HEIGHT, CLIMB_DEG, ACCEL_G = 240.0, 50.0, 10.0, 2.0


@pytest.fixture(scope="module")
def ridge_terrain():
    """A 600 m Gaussian hill and a 400 m block with vertical cliffs, north of the origin."""
    frame = MapFrame(41.0, 29.0)
    step = 0.001
    lat = 41.0 + step * (np.arange(700) + 0.5)
    lon = 28.95 + step * (np.arange(100) + 0.5)
    _, lat_g = np.meshgrid(lon, lat[::-1])
    north_m = (lat_g - 41.0) * 111_000.0
    z = 600.0 * np.exp(-(((north_m - 25_000.0) / 2_000.0) ** 2))
    z += np.where((north_m > 40_000.0) & (north_m < 42_000.0), 400.0, 0.0)
    transform = Affine(step, 0.0, 28.95, 0.0, -step, 41.0 + 700 * step)
    return Terrain(z.astype(np.float32), transform, "EPSG:4326", frame), frame


def test_profile_respects_limits_and_holds_height(ridge_terrain):
    terrain, frame = ridge_terrain
    x0, y0 = frame.to_map(41.005, 29.0)
    x1, y1 = frame.to_map(41.69, 29.0)
    route = np.array([[float(x0), float(y0)], [float(x1), float(y1)]])
    dt = 0.5
    t = np.arange(0.0, 300.0, dt)
    pos, vel, flight = terrain_following_track(
        route, SPEED, HEIGHT, np.radians(CLIMB_DEG), ACCEL_G, terrain, t
    )
    assert flight == pytest.approx(np.hypot(*(route[1] - route[0])) / SPEED)
    flying = t < flight - dt
    ground = terrain.elevation_m_at(pos[:, 0], pos[:, 1])
    clearance = (pos[:, 2] - ground)[flying]
    # Never below the set height (the 400 m cliff is climbed before it is reached), with a
    # small allowance for the DEM's bilinear interpolation between profile samples.
    assert clearance.min() > HEIGHT - 2.0
    # Flight-path angle within the climb/dive limit (closed form: tan(gamma) = vz / V).
    gamma = np.degrees(np.arctan2(vel[flying, 2], np.hypot(vel[flying, 0], vel[flying, 1])))
    assert np.abs(gamma).max() <= CLIMB_DEG + 1e-9
    # Vertical acceleration within the g limit.
    az = np.diff(vel[flying, 2]) / dt
    assert np.abs(az).max() <= ACCEL_G * G0 * 1.05
    # The cliff cannot be followed: the missile is well above the ground just before it...
    north = pos[:, 1]
    before_cliff = flying & (north > 38_500.0) & (north < 39_900.0)
    assert (pos[before_cliff, 2] - ground[before_cliff]).max() > 200.0
    # ...and holds the set height over flat ground away from the hill and block.
    flat = flying & (((north > 5_000.0) & (north < 15_000.0)) | (north > 55_000.0))
    np.testing.assert_allclose(pos[flat, 2] - ground[flat], HEIGHT, atol=1.0)


def test_without_dem_flies_at_height_above_sea_level():
    route = np.array([[0.0, 0.0], [50_000.0, 0.0]])
    pos, _, _ = terrain_following_track(
        route, SPEED, HEIGHT, np.radians(CLIMB_DEG), ACCEL_G, None, np.array([10.0, 100.0])
    )
    np.testing.assert_allclose(pos[:, 2], HEIGHT)


def test_envelope_is_the_lower_slope_limited_hull():
    # A 100 m spike on flat ground with slope limit 0.1: a tent 1 km either side.
    z = np.zeros(41)
    z[20] = 100.0
    env = slope_limited_envelope(z, 50.0, 0.1)
    expect = np.maximum(100.0 - 0.1 * 50.0 * np.abs(np.arange(41) - 20), 0.0)
    np.testing.assert_allclose(env, expect)
