"""Terrain masking checks: synthetic DEMs, the smooth-earth horizon and bad DEM files."""

import numpy as np
import pytest
import rasterio
from affine import Affine
from hypothesis import given, settings
from hypothesis import strategies as st

from iadsim.errors import ScenarioError
from iadsim.geo import MapFrame, polar_to_map, radar_geometry
from iadsim.geo.earth import effective_radius_m
from iadsim.geo.terrain import (
    Terrain,
    coverage_mask,
    elevation_angle_rad,
    range_bins_m,
    ray_height_m,
    write_synthetic_dem,
)

LAT0, LON0 = 41.0, 29.0
K = 4.0 / 3.0
RIDGE_X_M = 30_000.0


def ridge(x, y):
    """600 m north-south ridge at x = 30 km (Gaussian cross-section, sigma 1.5 km)."""
    return 600.0 * np.exp(-0.5 * ((x - RIDGE_X_M) / 1_500.0) ** 2) + 0.0 * y


def hills(x, y):
    """A few hills for the random-target comparisons."""
    z = np.zeros_like(x)
    for cx, cy, h, w in [(20e3, 5e3, 400, 3e3), (-15e3, 25e3, 900, 6e3), (5e3, -30e3, 700, 4e3)]:
        z += h * np.exp(-0.5 * ((x - cx) ** 2 + (y - cy) ** 2) / w**2)
    return z


@pytest.fixture(scope="module")
def frame():
    return MapFrame(LAT0, LON0)


@pytest.fixture(scope="module")
def dem(tmp_path_factory, frame):
    """Factory: Terrain from a synthetic GeoTIFF, cached per elevation function."""
    cache = {}

    def make(fn, size_km=160.0, resolution_m=250.0):
        key = (fn, size_km, resolution_m)
        if key not in cache:
            path = tmp_path_factory.mktemp("dem") / "dem.tif"
            write_synthetic_dem(path, LAT0, LON0, size_km, resolution_m, fn)
            cache[key] = Terrain.from_geotiff(path, frame)
        return cache[key]

    return make


def flat(x, y):
    return np.zeros_like(x)


# --- sampling --------------------------------------------------------------------------------


def test_bilinear_sampling_reproduces_a_plane_and_sea_level_outside(dem):
    terrain = dem(lambda x, y: 300.0 + 1e-3 * x + 2e-3 * y, size_km=60.0, resolution_m=500.0)
    rng = np.random.default_rng(1)
    x, y = rng.uniform(-25e3, 25e3, (2, 200))
    np.testing.assert_allclose(terrain.elevation_m_at(x, y), 300.0 + 1e-3 * x + 2e-3 * y, atol=1e-3)
    assert terrain.elevation_m_at(100e3, 0.0) == 0.0
    assert terrain.covers([0.0, 100e3], [0.0, 0.0]).tolist() == [True, False]
    with pytest.raises(ScenarioError, match="outside the DEM"):
        terrain.elevation_m_at(100e3, 0.0, strict=True)


def test_nodata_reads_as_sea_level(tmp_path, frame):
    path = write_synthetic_dem(
        tmp_path / "holes.tif",
        LAT0,
        LON0,
        20.0,
        1000.0,
        lambda x, y: np.where(x > 0, -9999.0, 250.0),
        nodata=-9999.0,
    )
    terrain = Terrain.from_geotiff(path, frame)
    assert terrain.elevation_m_at(-5e3, 0.0) == pytest.approx(250.0)
    assert terrain.elevation_m_at(5e3, 0.0) == 0.0
    assert not terrain.covers(5e3, 0.0)
    with pytest.raises(ScenarioError, match="no data"):
        terrain.elevation_m_at(5e3, 0.0, strict=True)


# --- curved-earth geometry -------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(st.floats(1e3, 3e5), st.floats(0.0, 3e3), st.floats(0.0, 2e4), st.floats(0.05, 0.95))
def test_ray_height_matches_the_chord_from_polar_to_map(ground, h_radar, h_target, u):
    # A point a fraction u along the slant chord (earth.polar_to_map) must lie on the ray.
    radar = np.array([0.0, 0.0, h_radar])
    g = radar_geometry(radar, [ground, 0.0, h_target], K)
    p = polar_to_map(radar, u * g["range_m"], g["azimuth_rad"], g["elevation_rad"], K)
    h = ray_height_m(h_radar, h_target, ground, p[0], K)
    assert h == pytest.approx(p[2], abs=1e-3)
    el = elevation_angle_rad(h_radar, ground, h_target, K)
    # earth.radar_geometry uses the law of cosines, which loses ~1e-8 rad at short range.
    assert el == pytest.approx(float(g["elevation_rad"]), abs=1e-7)


# --- line of sight ---------------------------------------------------------------------------


def test_ridge_masks_a_low_target_but_not_a_high_one(dem):
    terrain = dem(ridge)
    radar = [0.0, 0.0, 50.0]
    targets = [[60e3, 0.0, 100.0], [60e3, 0.0, 5000.0], [20e3, 0.0, 100.0]]
    assert terrain.line_of_sight(radar, targets).tolist() == [False, True, True]


def test_without_the_ridge_nothing_is_masked(dem):
    terrain = dem(flat)
    radar = [0.0, 0.0, 50.0]
    targets = [[60e3, 0.0, 100.0], [60e3, 0.0, 5000.0], [20e3, 0.0, 100.0]]
    assert terrain.line_of_sight(radar, targets).tolist() == [True, True, True]
    # Same geometry over the smooth earth alone.
    assert radar_geometry(radar, targets, K)["visible"].all()


def test_pairs_broadcast(dem):
    terrain = dem(ridge)
    radars = np.array([[0.0, 0.0, 50.0], [50e3, 0.0, 50.0]])
    targets = np.array([[60e3, 0.0, 100.0], [60e3, 0.0, 100.0]])
    # The second radar sits behind the ridge with the target.
    assert terrain.line_of_sight(radars, targets).tolist() == [False, True]


@pytest.mark.parametrize("h_radar, h_target", [(20.0, 100.0), (50.0, 500.0), (5.0, 2000.0)])
def test_flat_dem_agrees_with_the_smooth_earth_horizon(dem, h_radar, h_target):
    terrain = dem(flat, size_km=500.0, resolution_m=1000.0)
    a_e = effective_radius_m(K)
    horizon = a_e * (np.arccos(a_e / (a_e + h_radar)) + np.arccos(a_e / (a_e + h_target)))
    ground = horizon * np.array([0.98, 0.995, 1.005, 1.02])
    az = np.deg2rad(37.0)
    targets = np.stack([ground * np.sin(az), ground * np.cos(az), np.full(4, h_target)], -1)
    radar = [0.0, 0.0, h_radar]
    expected = radar_geometry(radar, targets, K)["visible"]
    assert expected.tolist() == [True, True, False, False]
    np.testing.assert_array_equal(terrain.line_of_sight(radar, targets), expected)


def test_flat_dem_agrees_with_radar_geometry_on_random_targets(dem):
    terrain = dem(flat, size_km=500.0, resolution_m=1000.0)
    rng = np.random.default_rng(7)
    n = 2000
    ground, az = rng.uniform(1e3, 2.2e5, n), rng.uniform(0, 2 * np.pi, n)
    targets = np.stack([ground * np.sin(az), ground * np.cos(az), rng.uniform(0, 3e3, n)], -1)
    radar = [0.0, 0.0, 30.0]
    g = radar_geometry(radar, targets, K)
    visible = terrain.line_of_sight(radar, targets)
    # Ignore targets within 0.2 % of the horizon, where discrete sampling may differ.
    a_e = effective_radius_m(K)
    horizon = a_e * (np.arccos(a_e / (a_e + 30.0)) + np.arccos(a_e / (a_e + targets[:, 2])))
    clear = np.abs(ground / horizon - 1.0) > 2e-3
    np.testing.assert_array_equal(visible[clear], g["visible"][clear])
    assert 0 < g["visible"].sum() < n


# --- masking-angle grid ----------------------------------------------------------------------


def test_masking_grid_matches_line_of_sight_exactly_at_grid_nodes(dem):
    # With one terrain sample per range bin and a profile sampled at the same ground
    # distances, both methods see the same terrain points and must agree exactly.
    terrain = dem(hills)
    radar = np.array([2e3, -1e3, 40.0])
    az = np.deg2rad(np.arange(0.0, 360.0, 3.0))
    max_range, n_range = 60e3, 240
    ranges = range_bins_m(max_range, n_range)
    mask = terrain.masking_angle_rad(radar, az, max_range, n_range, samples_per_bin=1)
    rng = np.random.default_rng(3)
    outcomes = []
    for j in rng.choice(n_range, 12, replace=False):
        i = rng.integers(0, len(az), 40)
        alt = rng.uniform(0.0, 1500.0, 40)
        targets = np.stack(
            [radar[0] + ranges[j] * np.sin(az[i]), radar[1] + ranges[j] * np.cos(az[i]), alt], -1
        )
        los = terrain.line_of_sight(radar, targets, n_samples=int(j))
        grid = elevation_angle_rad(radar[2], ranges[j], alt) >= mask[i, j]
        np.testing.assert_array_equal(grid, los)
        outcomes.extend(los.tolist())
    assert 0 < sum(outcomes) < len(outcomes)  # both masked and visible targets were tried


def test_masking_grid_agrees_with_line_of_sight_on_random_targets(dem):
    terrain = dem(hills)
    radar = np.array([0.0, 0.0, 30.0])
    az = np.deg2rad(np.arange(0.0, 360.0, 1.0))
    max_range, n_range = 70e3, 280
    ranges = range_bins_m(max_range, n_range)
    mask = terrain.masking_angle_rad(radar, az, max_range, n_range)
    rng = np.random.default_rng(11)
    n = 3000
    i, j = rng.integers(0, len(az), n), rng.integers(0, n_range, n)
    alt = rng.uniform(0.0, 2000.0, n)
    targets = np.stack([ranges[j] * np.sin(az[i]), ranges[j] * np.cos(az[i]), alt], -1)
    los = terrain.line_of_sight(radar, targets)
    el = elevation_angle_rad(radar[2], ranges[j], alt)
    grid = el >= mask[i, j]
    # Different sample points: disagreements only where the target grazes the mask.
    differ = grid != los
    assert differ.mean() < 0.01
    assert np.all(np.abs(el[differ] - mask[i, j][differ]) < 2e-3)
    assert 0.1 < los.mean() < 0.99


def test_coverage_mask_shape_and_ridge_shadow(dem):
    terrain = dem(ridge)
    radar = [0.0, 0.0, 50.0]
    az = np.deg2rad([90.0, 270.0])
    ranges = range_bins_m(60e3, 120)
    mask = terrain.masking_angle_rad(radar, az, 60e3, 120)
    cov = coverage_mask(mask, ranges, 50.0, [100.0, 5000.0])
    assert cov.shape == (2, 2, 120)
    far = np.searchsorted(ranges, 60e3)
    assert not cov[0, 0, far] and cov[1, 0, far]  # east, behind the ridge
    assert cov[0, 1, far] and cov[1, 1, far]  # west, open
    assert np.all(np.diff(mask, axis=1) >= 0)


# --- bad input -------------------------------------------------------------------------------


def test_dem_without_crs_is_rejected(tmp_path, frame):
    path = tmp_path / "nocrs.tif"
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        height=4,
        width=4,
        count=1,
        dtype="float32",
        transform=Affine(0.01, 0.0, LON0, 0.0, -0.01, LAT0),
    ) as ds:
        ds.write(np.zeros((1, 4, 4), np.float32))
    with pytest.raises(ScenarioError, match="CRS") as err:
        Terrain.from_geotiff(path, frame)
    assert "nocrs.tif" in str(err.value)


def test_dem_not_covering_the_radar_is_rejected(dem):
    terrain = dem(flat, size_km=60.0, resolution_m=500.0)
    terrain.require_covers(0.0, 0.0, "radar 'P1'")
    with pytest.raises(ScenarioError, match="does not cover the radar 'P1'") as err:
        terrain.require_covers(200e3, 0.0, "radar 'P1'")
    assert "dem.tif" in str(err.value) and "DEM bounds" in str(err.value)


def test_missing_file(tmp_path, frame):
    with pytest.raises(ScenarioError, match="not found") as err:
        Terrain.from_geotiff(tmp_path / "absent.tif", frame)
    assert "absent.tif" in str(err.value)


def test_unreadable_file(tmp_path, frame):
    path = tmp_path / "junk.tif"
    path.write_text("not a GeoTIFF")
    with pytest.raises(ScenarioError, match="cannot read DEM") as err:
        Terrain.from_geotiff(path, frame)
    assert "junk.tif" in str(err.value)


def test_nodata_only_dem_is_rejected(tmp_path, frame):
    path = write_synthetic_dem(
        tmp_path / "empty.tif", LAT0, LON0, 5.0, 1000.0, lambda x, y: np.full_like(x, -1.0), -1.0
    )
    with pytest.raises(ScenarioError, match="only nodata") as err:
        Terrain.from_geotiff(path, frame)
    assert "empty.tif" in str(err.value)
