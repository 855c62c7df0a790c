"""The viewer's terrain: heightmap tiles of a run's DEM against the DEM itself, read with
rasterio and interpolated by scipy (an independent bilinear between pixel centres)."""

import numpy as np
import pytest
import rasterio
from fastapi.testclient import TestClient
from scipy.interpolate import RegularGridInterpolator

from iadsim.web.app import create_app
from iadsim.web.terrain_tiles import HEIGHTMAP_SIZE, tile_grid_deg, tile_rectangle_deg

from .conftest import VALLEY_DEM


@pytest.fixture(scope="module")
def client(terrain_run, replay_run):
    return TestClient(create_app([terrain_run, replay_run]), raise_server_exceptions=False)


def _tile_at(lat, lon, level):
    """Cesium GeographicTilingScheme tile (x, y) holding (lat, lon): 2 x 1 tiles at level 0."""
    n = 2**level
    return int((lon + 180.0) / (180.0 / n)), int((90.0 - lat) / (180.0 / n))


def _dem_bilinear():
    """scipy's bilinear interpolant of the DEM's pixel-centre values, by (lat, lon)."""
    with rasterio.open(VALLEY_DEM) as ds:
        z = ds.read(1).astype(float)
        lon = np.array([ds.xy(0, c)[0] for c in range(ds.width)])
        lat = np.array([ds.xy(r, 0)[1] for r in range(ds.height)])
    return RegularGridInterpolator((lat[::-1], lon), z[::-1], method="linear")


def test_tile_geometry_is_cesiums_geographic_tiling_scheme():
    assert tile_rectangle_deg(0, 0, 0) == (-180.0, -90.0, 0.0, 90.0)
    assert tile_rectangle_deg(1, 0, 0) == (0.0, -90.0, 180.0, 90.0)
    assert tile_rectangle_deg(3, 1, 1) == (90.0, -90.0, 180.0, 0.0)
    assert tile_rectangle_deg(4, 0, 1) is None and tile_rectangle_deg(0, 0, -1) is None


@pytest.mark.parametrize("level", [9, 12])
def test_heightmap_tile_matches_the_dem(client, level):
    x, y = _tile_at(41.25, 28.90, level)  # the valley through the ridge
    info = client.get("/api/info").json()["folders"]
    assert info[0]["terrain_bounds_deg"] == pytest.approx(
        {"south": 40.9, "west": 28.7, "north": 41.8, "east": 29.3})  # fmt: skip
    assert info[1]["terrain_bounds_deg"] is None  # the replay run has no DEM
    r = client.get(f"/api/folders/0/terrain/{level}/{x}/{y}")
    assert r.status_code == 200 and r.headers["content-type"] == "application/octet-stream"
    heights = np.frombuffer(r.content, "<f4").reshape(HEIGHTMAP_SIZE, HEIGHTMAP_SIZE)
    lat, lon = tile_grid_deg(x, y, level)
    inside = (lat > 40.901) & (lat < 41.799) & (lon > 28.701) & (lon < 29.299)
    expected = _dem_bilinear()(np.column_stack([lat[inside], lon[inside]]))
    np.testing.assert_allclose(heights[inside], expected, atol=0.01)
    assert heights.max() > 800.0 and heights.min() < 50.0  # ridge and valley floor both on it
    with rasterio.open(VALLEY_DEM) as ds:  # on the plateau and the floor: the pixel's value
        for (plat, plon), h in (((41.25, 29.1), 900.0), ((41.25, 28.9), 0.0)):
            assert next(ds.sample([(plon, plat)]))[0] == h


def test_tiles_off_the_dem_are_flat_and_bad_tiles_are_404(client):
    x, y = _tile_at(10.0, 10.0, 6)
    r = client.get(f"/api/folders/0/terrain/6/{x}/{y}")
    assert r.status_code == 200 and not np.frombuffer(r.content, "<f4").any()
    for url in ("/api/folders/0/terrain/0/2/0", "/api/folders/0/terrain/0/0/1",
                "/api/folders/0/terrain/-1/0/0", "/api/folders/0/terrain/99/0/0",
                "/api/folders/1/terrain/0/0/0", "/api/folders/2/terrain/0/0/0"):  # fmt: skip
        assert client.get(url).status_code == 404, url


def test_a_dem_changed_since_the_run_is_left_out(terrain_run, tmp_path, capsys):
    import json
    import shutil

    copy = tmp_path / "run"
    shutil.copytree(terrain_run, copy)
    scene = json.loads((copy / "scene.json").read_text())
    scene["terrain"]["dem_sha256"] = "0" * 64
    (copy / "scene.json").write_text(json.dumps(scene))
    client = TestClient(create_app([copy]), raise_server_exceptions=False)
    assert client.get("/api/info").json()["folders"][0]["terrain_bounds_deg"] is None
    assert "missing or changed" in capsys.readouterr().err
    assert client.get("/api/folders/0/terrain/0/0/0").status_code == 404
