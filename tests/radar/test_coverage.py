"""Coverage: horizon and energy limits against closed forms, terrain shadows, CLI outputs."""

import copy
import csv
import json
from xml.etree import ElementTree as ET

import numpy as np
import pytest
from typer.testing import CliRunner

from iadsim.catalog import load_catalog
from iadsim.cli import app
from iadsim.geo.terrain import write_synthetic_dem
from iadsim.radar.coverage import LIMITS, detection_coverage
from iadsim.radar.horizon import horizon_range_m
from iadsim.scenario.schema import Scenario
from iadsim.sim.world import build_world

runner = CliRunner()
K = 4.0 / 3.0
SCENARIO = {
    "name": "coverage test",
    "duration_s": 60.0,
    "defended_assets": [{"name": "Site", "lat_deg": 41.0, "lon_deg": 29.0}],
    "fire_units": [{"name": "S", "system": "S-400", "lat_deg": 41.0, "lon_deg": 29.0,
                    "mast_height_m": 25.0}],
    "threats": [{"name": "f", "type": "F-16-Block70",
                 "route": [{"lat_deg": 42.0, "lon_deg": 29.0, "alt_m": 8000.0},
                           {"lat_deg": 41.1, "lon_deg": 29.0, "alt_m": 8000.0}]}],
}  # fmt: skip


@pytest.fixture(scope="module")
def world():
    return build_world(Scenario.model_validate(SCENARIO), load_catalog())


def test_low_target_is_horizon_limited_at_the_tangent_range(world):
    # A big target at 50 m: the detection range is the smooth-earth horizon, whose ground
    # distance ~ slant tangent distance sqrt(2 a h1) + sqrt(2 a h2) (Skolnik 3rd ed. 8.4).
    r = 0
    cov = detection_coverage(world.radars, r, 1000.0, 1, 0.5, [50.0], [0.0], K)
    expected = horizon_range_m(25.0, 50.0, K)
    assert LIMITS[cov.limit[0, 0]] == "horizon"
    assert cov.range_m[0, 0] == pytest.approx(expected, abs=300.0)


def test_high_target_is_energy_limited_at_the_radar_equation_range(world):
    # Reproduce the calibration: against the reference RCS at the reference Pd and Pfa the
    # range is R_ref, less the atmosphere; at VHF the two-way loss is ~0.1 dB, so within 2%.
    radars = copy.deepcopy(world.radars)
    r = 0
    ref = load_catalog().radars[radars.catalog_name[r]].detection_reference
    radars.freq_hz[r] = 150e6
    radars.pfa[r] = ref.pfa
    radars.max_range_m[r] = 2e6
    cov = detection_coverage(
        radars, r, ref.rcs_m2.value, ref.swerling, ref.pd, [30_000.0], [0.0], K
    )
    assert LIMITS[cov.limit[0, 0]] == "energy"
    assert cov.range_m[0, 0] == pytest.approx(ref.range_km.value * 1e3, rel=0.02)
    # Range scales as sigma^(1/4) (radar range equation): 1/16 of the RCS halves it.
    small = detection_coverage(
        radars, r, ref.rcs_m2.value / 16, ref.swerling, ref.pd, [30_000.0], [0.0], K
    )
    assert LIMITS[small.limit[0, 0]] == "energy"
    assert small.range_m[0, 0] / cov.range_m[0, 0] == pytest.approx(0.5, rel=0.03)


def test_higher_pd_needs_shorter_range(world):
    lo = detection_coverage(world.radars, 0, 0.01, 1, 0.5, [10_000.0], [0.0], K)
    hi = detection_coverage(world.radars, 0, 0.01, 1, 0.9, [10_000.0], [0.0], K)
    assert hi.range_m[0, 0] < lo.range_m[0, 0]


def test_sector_radar_sees_nothing_outside_its_sector(world):
    r = world.radars.catalog_name.index("92N6E")  # a sector radar facing the raid (north)
    cov = detection_coverage(world.radars, r, 5.0, 1, 0.5, [5000.0], np.deg2rad([0.0, 180.0]), K)
    assert cov.range_m[0, 0] > 0 and cov.range_m[0, 1] == 0.0
    assert cov.limit[0, 1] == -1


def _ridge_dem(tmp_path):
    # A 700 m ridge 30 km east of the radar, running north-south.
    path = tmp_path / "ridge.tif"

    def ridge(x, y):
        return np.where(np.abs(x - 30_000.0) < 2000.0, 700.0, 0.0)

    write_synthetic_dem(path, 41.0, 29.0, 200.0, 500.0, ridge)
    return path


def test_ridge_shadows_low_targets_east_only(tmp_path):
    world = build_world(Scenario.model_validate(SCENARIO), load_catalog(), dem=_ridge_dem(tmp_path))
    from iadsim.radar.coverage import compute_coverage

    res = compute_coverage(world, load_catalog(), ["F-16-Block70"], ["nose"], [100.0, 12_000.0],
                           pds=(0.5,), n_azimuths=4)  # fmt: skip
    cov = res[(0, "F-16-Block70", "nose", 0.5)]  # 91N6E, azimuths N, E, S, W
    east, west = 1, 3
    assert LIMITS[cov.limit[0, east]] == "terrain"
    assert cov.range_m[0, east] == pytest.approx(30_000.0, abs=3000.0)
    assert LIMITS[cov.limit[0, west]] == "horizon"
    # A 12 km target clears the ridge; the ridge's 1.27 deg masking angle only catches it
    # where its own elevation angle has fallen that low, near 300 km.
    assert cov.range_m[1, east] > 250_000.0


def test_coverage_command_writes_every_file(tmp_path, write_scenario):
    scenario = write_scenario(SCENARIO)
    out = tmp_path / "cov"
    result = runner.invoke(app, ["coverage", str(scenario), "--target", "F-35A,F-16-Block70",
                                 "--altitudes-m", "50,5000", "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    with (out / "detection_ranges.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 3 * 2 * 3 * 2  # radars x targets x aspects x altitudes
    assert {r["limit_pd50"] for r in rows} <= set(LIMITS)
    f35 = [r for r in rows if r["target"] == "F-35A" and r["aspect"] == "nose"]
    f16 = [r for r in rows if r["target"] == "F-16-Block70" and r["aspect"] == "nose"]
    for a, b in zip(f35, f16, strict=True):  # the stealth fighter is never seen further
        assert float(a["range_pd50_km"]) <= float(b["range_pd50_km"])
    gj = json.loads((out / "coverage.geojson").read_text())
    assert len(gj["features"]) == 3 * 2 * 2  # radars x targets x altitudes
    for feature in gj["features"]:
        ring = feature["geometry"]["coordinates"][0]
        assert ring[0] == ring[-1] and len(ring) >= 4
    root = ET.parse(out / "coverage.kml").getroot()
    assert len(root.findall(".//{http://www.opengis.net/kml/2.2}Placemark")) == 12
    assert (out / "coverage.png").stat().st_size > 10_000
    assert (out / "vertical_S_91N6E.png").exists() and (out / "vertical_S_92N6E.png").exists()


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--target", "X-wing"], "--target"),
        (["--altitudes-m", "50,abc"], "--altitudes-m"),
        (["--altitudes-m", "-5"], "--altitudes-m"),
        (["--aspects", "side"], "--aspects"),
        (["--dem", "/nonexistent/dem.tif"], "dem.tif"),
    ],
)
def test_coverage_bad_arguments(args, needle, tmp_path, write_scenario):
    scenario = write_scenario(SCENARIO)
    out = tmp_path / "cov"
    result = runner.invoke(app, ["coverage", str(scenario), *args, "--out", str(out)])
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and needle in lines[0]
    assert not out.exists()


def test_dem_without_crs_is_rejected(tmp_path, write_scenario):
    import rasterio
    from affine import Affine

    path = tmp_path / "nocrs.tif"
    with rasterio.open(path, "w", driver="GTiff", height=4, width=4, count=1, dtype="float32",
                       transform=Affine(0.01, 0, 28.9, 0, -0.01, 41.1)) as dst:  # fmt: skip
        dst.write(np.zeros((1, 4, 4), "float32"))
    scenario = write_scenario(SCENARIO)
    result = runner.invoke(app, ["coverage", str(scenario), "--dem", str(path), "--out",
                                 str(tmp_path / "o")])  # fmt: skip
    assert result.exit_code == 2
    assert "nocrs.tif" in result.stderr and "CRS" in result.stderr


def test_dem_that_does_not_cover_the_radar_is_rejected(tmp_path, write_scenario):
    far_away = tmp_path / "far.tif"
    write_synthetic_dem(far_away, 10.0, 10.0, 20.0, 500.0, lambda x, y: np.zeros_like(x))
    scenario = write_scenario(SCENARIO)
    result = runner.invoke(app, ["coverage", str(scenario), "--dem", str(far_away), "--out",
                                 str(tmp_path / "o")])  # fmt: skip
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert "far.tif" in line and "does not cover" in line and "\n" not in line
