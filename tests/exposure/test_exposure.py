"""Signature exposure: the Cramer-Rao bound against a Monte Carlo of the estimator, the
aspects a straight pass exposes against geometry alone, reflectors, a route out of
detection, the CLI outputs and bad input."""

import copy
import json

import numpy as np
import pyarrow.parquet as pq
import pytest
import yaml
from typer.testing import CliRunner

from iadsim.catalog import load_catalog
from iadsim.cli import app
from iadsim.exposure import analyse, flight_models, summary
from iadsim.exposure.estimation import crb_relative_std, look_information
from iadsim.exposure.looks import radar_looks, track_held
from iadsim.exposure.world import sensor_world
from iadsim.geo.earth import effective_radius_m, radar_geometry
from iadsim.scenario.schema import Scenario

runner = CliRunner()
K = 4.0 / 3.0

SCENARIO = {
    "name": "exposure test",
    "seed": 5,
    "duration_s": 600.0,
    "defended_assets": [{"name": "Base", "lat_deg": 41.0, "lon_deg": 29.0}],
    "fire_units": [{"name": "S", "system": "S-400", "lat_deg": 41.0, "lon_deg": 29.0,
                    "mast_height_m": 25.0}],
    "flights": [{"name": "pass", "type": "F-16-Block70", "sorties": 20,
                 "route": [{"lat_deg": 41.9, "lon_deg": 29.36, "alt_m": 9000.0},
                           {"lat_deg": 40.1, "lon_deg": 29.36, "alt_m": 9000.0}]}],
}  # fmt: skip


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def _world(catalog, data):
    scen = Scenario.model_validate(data)
    return sensor_world(scen, catalog)


# --- Cramer-Rao bound against a Monte Carlo of the estimator -----------------------------


def _dwell_powers(rng, snr, shape_m, n_pulses, looks, trials):
    """Square-law detected dwells: RCS chi-square 2m dof (mean 1) once per dwell, then
    n pulses of signal + unit complex noise, averaged."""
    x = rng.gamma(shape_m, 1.0 / shape_m, size=(trials, looks))
    amp = np.sqrt(snr * x)[..., None] * np.exp(2j * np.pi * rng.random((trials, looks, 1)))
    noise = (rng.standard_normal((trials, looks, n_pulses))
             + 1j * rng.standard_normal((trials, looks, n_pulses))) / np.sqrt(2.0)  # fmt: skip
    return np.mean(np.abs(amp + noise) ** 2, axis=-1)


@pytest.mark.parametrize("snr_db", [0.0, 6.0, 20.0])
def test_crb_of_exponential_rcs_matches_monte_carlo_of_the_sample_mean(snr_db):
    # Swerling 1, one pulse: the sample-mean estimator (mean(y) - 1)/S is efficient, so its
    # variance over trials is the bound (1 + 1/S)^2 / N (Kay, Estimation Theory, Thm 3.1).
    rng = np.random.default_rng(11)
    snr, looks, trials = 10 ** (snr_db / 10), 25, 40_000
    y = _dwell_powers(rng, snr, 1.0, 1, looks, trials)
    estimate = (y.mean(axis=1) - 1.0) / snr  # relative to the true mean RCS (1)
    bound = (1.0 + 1.0 / snr) ** 2 / looks
    info = looks * look_information(snr_db, 1, 1)
    assert crb_relative_std(info) ** 2 == pytest.approx(bound, rel=1e-12)
    assert estimate.mean() == pytest.approx(1.0, abs=4 * np.sqrt(bound / trials))
    assert estimate.var() == pytest.approx(bound, rel=0.03)


def test_chi_square_rcs_with_integrated_pulses_matches_monte_carlo():
    rng = np.random.default_rng(12)
    snr_db, looks, trials = 3.0, 10, 40_000
    snr = 10 ** (snr_db / 10)
    y = _dwell_powers(rng, snr, 2.0, 3, looks, trials)  # Swerling 3, 3 pulses per dwell
    estimate = (y.mean(axis=1) - 1.0) / snr
    predicted = 1.0 / (looks * look_information(snr_db, 3, 3))
    assert estimate.var() == pytest.approx(predicted, rel=0.03)
    # High SNR: the bound of a chi-square law of known shape, 1/(m N).
    assert 1.0 / (looks * look_information(60.0, 3, 3)) == pytest.approx(1 / (2 * looks), rel=1e-4)


# --- Straight pass: aspects from geometry alone -----------------------------------------


def test_straight_pass_exposes_the_geometric_band_of_aspects(catalog):
    world = _world(catalog, SCENARIO)
    flight = flight_models(world, catalog, None)[0]
    looks = radar_looks(world, 0, flight, with_reflectors=False)  # the 91N6E
    # Geometry alone: a straight leg at constant altitude (heading that of the leg in the
    # map frame, ~south); body azimuth is the bearing from the aircraft to the radar less
    # the heading, and the body elevation is
    # minus the depression of the ray at the aircraft, which over the k Re earth is the
    # radar's elevation angle plus the earth angle ground / (k Re).
    radar = world.radars.xyz[0]
    g = radar_geometry(radar, looks.pos, K)
    bearing_to_radar = np.mod(np.rad2deg(g["azimuth_rad"]) + 180.0, 360.0)
    leg = flight.route_xyz[1] - flight.route_xyz[0]
    heading = np.rad2deg(np.arctan2(leg[0], leg[1]))
    expected_az = np.mod(bearing_to_radar - heading, 360.0)
    expected_el = -(np.rad2deg(g["elevation_rad"] + g["ground_m"] / effective_radius_m(K)))
    az = np.rad2deg(looks.body_az_rad)
    assert np.allclose(np.angle(np.exp(1j * np.deg2rad(az - expected_az)), deg=True), 0.0,
                       atol=0.05)  # fmt: skip
    assert np.allclose(np.rad2deg(looks.body_el_rad), expected_el, atol=0.05)
    # The radar is west of the track (right of a southbound aircraft): the body azimuth
    # sweeps from near the nose through the right beam (90 deg) to near the tail.
    assert az[0] < 20.0 and az[-1] > 160.0
    assert np.all(np.diff(az) > 0)
    # Closest approach (30 km abeam) is seen at the right beam, below the aircraft.
    closest = np.argmin(g["ground_m"])
    assert az[closest] == pytest.approx(90.0, abs=2.0)
    assert np.rad2deg(looks.body_el_rad[closest]) == pytest.approx(
        -np.rad2deg(np.arctan2(9000.0 - 25.0, g["ground_m"][closest])), abs=0.3
    )
    # The cells the analysis reports seen lie in that band and nowhere else.
    result = analyse(world, [flight], 5, 1.0)
    seen = result.pairs[0].looks_all > 0
    rows, cols = np.nonzero(seen)
    assert seen.any()
    band_lo, band_hi = expected_el.min() - 5.0, expected_el.max() + 5.0
    assert np.all(-90 + 5 * rows >= band_lo - 1e-9) and np.all(-90 + 5 * (rows + 1) <= band_hi)


# --- Reflectors, routes out of detection ---------------------------------------------------


def _run(catalog, data):
    world = _world(catalog, data)
    flights = flight_models(world, catalog, None)
    return summary(analyse(world, flights, data["seed"], 1.0), "test.yaml")


def test_lenses_reduce_the_fraction_of_the_true_signature_learned(catalog):
    data = copy.deepcopy(SCENARIO)
    data["flights"][0]["type"] = "F-35A"
    data["flights"][0]["reflectors"] = [{"rcs_m2": 1.0, "el_deg": -90.0, "half_angle_deg": 90}]
    out = _run(catalog, data)
    for pair in out["pairs"]:
        band = pair["band"]
        bare = pair["sphere_fraction_observed"][band]["all_sorties"]
        lens = pair["with_reflectors"]["sphere_fraction_observed"][band]["all_sorties"]
        assert bare > 0.0
        assert lens < bare
        # The lens makes the aircraft easier to detect, yet hides its signature.
        assert pair["with_reflectors"]["seconds_detected"][band] >= pair["seconds_detected"][band]
    # A negligible reflector hides (almost) nothing.
    data["flights"][0]["reflectors"][0]["rcs_m2"] = 1e-7
    tiny = _run(catalog, data)
    for pair in tiny["pairs"]:
        band = pair["band"]
        bare = pair["sphere_fraction_observed"][band]["all_sorties"]
        lens = pair["with_reflectors"]["sphere_fraction_observed"][band]["all_sorties"]
        assert lens == pytest.approx(bare, abs=0.002)


def test_more_sorties_learn_more(catalog):
    out = _run(catalog, SCENARIO)
    for pair in out["pairs"]:
        frac = pair["sphere_fraction_observed"][pair["band"]]
        assert frac["all_sorties"] >= frac["one_sortie"]
    assert any(p["sphere_fraction_observed"][p["band"]]["all_sorties"] > 0 for p in out["pairs"])


def test_route_outside_detection_gives_zero(catalog):
    data = copy.deepcopy(SCENARIO)
    # 300 m above the ellipsoid, 250 km away: far below the radars' horizon.
    data["flights"][0]["route"] = [
        {"lat_deg": 43.5, "lon_deg": 29.0, "alt_m": 300.0},
        {"lat_deg": 43.3, "lon_deg": 30.0, "alt_m": 300.0},
    ]
    out = _run(catalog, data)
    for pair in out["pairs"]:
        band = pair["band"]
        assert pair["seconds_detected"][band] == 0.0 and pair["seconds_tracked"][band] == 0.0
        assert pair["sphere_fraction_observed"][band] == {"one_sortie": 0.0, "all_sorties": 0.0}
        assert pair["cells_seen"] == 0


def test_track_rule_confirms_on_the_third_hit_and_drops_after_coasting():
    hits = np.zeros((1, 20), bool)
    hits[0, [0, 2, 3]] = True  # 3 hits within 5 looks: confirmed at look 3
    held = track_held(hits)[0]
    assert not held[:3].any() and held[3]
    # Dropped once more than 6 revisit periods passed without a hit (look 10 = 7 periods)
    assert held[3:10].all() and not held[10:].any()
    sparse = np.zeros((1, 20), bool)
    sparse[0, [0, 5, 10, 15]] = True  # never 3 hits in 5 looks
    assert not track_held(sparse).any()


def test_track_rule_uses_the_tracker_defaults():
    from iadsim.exposure import looks
    from iadsim.tracking.management import StaleTrackDeleter
    from iadsim.tracking.tracker import Tracker

    assert looks.CONFIRM_HITS == Tracker.__dataclass_fields__["confirm_hits"].default
    assert looks.CONFIRM_WINDOW == Tracker.__dataclass_fields__["confirm_window"].default
    assert looks.COAST_SCANS == StaleTrackDeleter.__dataclass_fields__["coast_scans"].default


def test_same_seed_same_result(catalog):
    assert _run(catalog, SCENARIO) == _run(catalog, SCENARIO)


# --- CLI: outputs and bad input ---------------------------------------------------------------


def _write(tmp_path, data, name="exposure.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def test_cli_writes_every_output(tmp_path):
    scenario = _write(tmp_path, SCENARIO)
    out = tmp_path / "out"
    result = runner.invoke(app, ["exposure", str(scenario), "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "exposure.json").read_text())
    pair = data["pairs"][0]
    for key in ("seconds_detected", "seconds_tracked", "sphere_fraction_observed"):
        assert pair["band"] in pair[key]
    table = pq.read_table(out / "exposure.parquet")
    assert {"time_s", "radar", "flight", "body_az_deg", "body_el_deg", "snr_db"} <= set(
        table.column_names
    )
    assert table.num_rows == sum(p["looks_per_sortie"] * p["sorties"] for p in data["pairs"])
    geo = json.loads((out / "exposure_segments.geojson").read_text())
    assert geo["type"] == "FeatureCollection" and geo["features"]
    assert geo["features"][0]["geometry"]["type"] == "LineString"
    assert (out / "exposure_timeline.png").stat().st_size > 0
    assert (out / "aspect_S_91N6E_pass.png").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.tmp")]


def test_flight_without_route_is_rejected(tmp_path, one_line):
    data = copy.deepcopy(SCENARIO)
    del data["flights"][0]["route"]
    path = _write(tmp_path, data)
    one_line(["exposure", path], str(path), "flights[0].route", "required")


def test_negative_reflector_rcs_is_rejected(tmp_path, one_line):
    data = copy.deepcopy(SCENARIO)
    data["flights"][0]["reflectors"] = [{"rcs_m2": -1.0}]
    path = _write(tmp_path, data)
    one_line(["exposure", path], str(path), "flights[0].reflectors[0].rcs_m2", "-1.0")


def test_rcs_table_with_a_gap_is_rejected(tmp_path, one_line):
    lines = ["band,az_deg,el_deg,rcs_dbsm"]
    for band in ("S", "X"):
        for az in range(0, 360, 10):
            for el in range(-90, 91, 10):
                if (band, az, el) != ("X", 120, -10):
                    lines.append(f"{band},{az},{el},0")
    table = tmp_path / "f16_table.csv"
    table.write_text("\n".join(lines) + "\n")
    data = copy.deepcopy(SCENARIO)
    data["flights"][0]["rcs_table"] = "f16_table.csv"
    path = _write(tmp_path, data)
    one_line(["exposure", path], str(table), "flights[0].rcs_table", "az_deg 120, el_deg -10")


def test_turn_too_tight_for_the_g_limit_is_rejected(tmp_path, one_line):
    data = copy.deepcopy(SCENARIO)
    data["flights"][0]["route"].insert(1, {"lat_deg": 41.9, "lon_deg": 29.362, "alt_m": 9000.0})
    path = _write(tmp_path, data)
    one_line(["exposure", path], str(path), "flights[0].route", "too short")


@pytest.mark.parametrize("command", ["run", "study"])
def test_flights_only_scenario_is_refused_by_run_and_study(tmp_path, command):
    path = _write(tmp_path, SCENARIO)
    out = tmp_path / "out"
    args = [command, str(path), "--out", str(out)] + (["-n", "2"] if command == "study" else [])
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "threats: none given" in result.stderr and "iadsim exposure" in result.stderr
    assert not out.exists()
