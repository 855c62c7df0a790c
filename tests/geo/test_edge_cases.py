"""Issue 13: numerical edge cases (zero range, overhead, at the radar, the antimeridian, a
pole) give finite geometry, and NaN never reaches an event."""

import math

import numpy as np
import pyarrow.parquet as pq
import pytest
import yaml
from pyproj import Geod
from typer.testing import CliRunner

from iadsim.cli import app
from iadsim.geo.earth import EARTH_RADIUS_M, polar_to_map, radar_geometry
from iadsim.geo.frames import MapFrame

GEOD = Geod(ellps="WGS84")  # independent reference: Karney's geodesic inverse


def _finite(geometry):
    for key, value in geometry.items():
        assert np.all(np.isfinite(np.asarray(value, float))), key


def test_target_at_the_radar_has_zero_range_and_finite_angles():
    g = radar_geometry([0.0, 0.0, 10.0], [0.0, 0.0, 10.0])
    _finite(g)
    assert g["range_m"] == 0.0 and g["ground_m"] == 0.0 and bool(g["visible"])


def test_target_directly_overhead_is_at_ninety_degrees():
    g = radar_geometry([5.0, 7.0, 10.0], [5.0, 7.0, 10_010.0])
    _finite(g)
    assert g["range_m"] == pytest.approx(10_000.0, abs=1e-6)  # straight up: altitude gap
    assert g["elevation_rad"] == pytest.approx(math.pi / 2, abs=1e-9)


def test_polar_to_map_at_zero_range_and_straight_up():
    radar = np.array([100.0, -50.0, 20.0])
    np.testing.assert_allclose(polar_to_map(radar, 0.0, 1.0, 0.3), radar, atol=1e-9)
    up = polar_to_map(radar, 5_000.0, 2.0, math.pi / 2)
    np.testing.assert_allclose(up, [100.0, -50.0, 5_020.0], atol=1e-6)


def test_target_on_the_far_side_of_the_earth_is_finite_and_hidden():
    # ground distance pi * a_e: the antipode of the radar on the effective earth
    a_e = 4.0 / 3.0 * EARTH_RADIUS_M
    g = radar_geometry([0.0, 0.0, 0.0], [math.pi * a_e, 0.0, 0.0])
    _finite(g)
    assert g["range_m"] == pytest.approx(2 * a_e) and not bool(g["visible"])


@pytest.mark.parametrize(
    "origin, point",
    [
        ((0.0, 179.9), (0.0, -179.9)),  # across the antimeridian
        ((-16.0, 180.0), (-16.5, -179.5)),  # Fiji, across the date line
        ((89.99, 0.0), (89.99, 180.0)),  # across the north pole
        ((-89.9, 45.0), (-89.95, -135.0)),  # near the south pole
    ],
)
def test_map_frame_across_the_antimeridian_and_the_poles(origin, point):
    frame = MapFrame(*origin)
    x, y = frame.to_map(*point)
    _, _, distance = GEOD.inv(origin[1], origin[0], point[1], point[0])
    # azimuthal equidistant: the distance from the origin is the geodesic distance
    assert math.hypot(float(x), float(y)) == pytest.approx(distance, rel=1e-6, abs=0.01)
    lat, lon = frame.to_geodetic(x, y)
    assert float(lat) == pytest.approx(point[0], abs=1e-7)
    assert math.cos(math.radians(float(lon) - point[1])) == pytest.approx(1.0, abs=1e-9)


@pytest.mark.parametrize(
    "where",
    ["overhead", "antimeridian", "pole"],
)
def test_short_runs_at_the_edges_have_no_nan_in_events(where, tmp_path):
    lat, lon = {"overhead": (41.0, 29.0), "antimeridian": (-16.0, 179.98),
                "pole": (89.3, 10.0)}[where]  # fmt: skip
    far_lon = -179.9 if where == "antimeridian" else lon
    far_lat = lat if where == "antimeridian" else min(lat + 0.3, 89.9)
    scenario = {
        "name": where, "seed": 2, "duration_s": 150.0, "time_step_s": 1.0,
        # asset, radar and the threat's aim point all at one spot: zero range at the end
        "defended_assets": [{"name": "A", "lat_deg": lat, "lon_deg": lon}],
        "fire_units": [{"name": "F", "system": "Patriot", "lat_deg": lat, "lon_deg": lon}],
        "threats": [{"name": "t", "type": "Kalibr-3M14", "count": 2, "spacing_s": 5.0,
                     "route": [{"lat_deg": far_lat, "lon_deg": far_lon, "alt_m": 3000.0},
                               {"lat_deg": lat, "lon_deg": lon, "alt_m": 3000.0},
                               {"lat_deg": lat, "lon_deg": lon, "alt_m": 0.0}]}],
    }  # fmt: skip
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(scenario, sort_keys=False))
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["run", str(path), "--out", str(out)])
    assert result.exit_code == 0, (result.output, result.exception)
    events = pq.read_table(out / "events.parquet")
    assert events.num_rows > 0
    for column in ("time_s", "lat_deg", "lon_deg", "alt_m"):
        values = events.column(column).to_numpy(zero_copy_only=False).astype(float)
        assert np.isfinite(values).all(), column
    details = [d for d in events.column("detail").to_pylist() if d]
    assert not any("nan" in d.lower() or "inf" in d.lower() for d in details)
