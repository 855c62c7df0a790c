"""Issue 13: valid but suspect scenarios get a warning (once each), not an error."""

import pytest
from typer.testing import CliRunner

from iadsim.cli import app
from iadsim.scenario.suspect import apogee_bounds_m

runner = CliRunner()


def _ballistic(scenario, apogee_m, launch_lat=43.7):
    scenario["threats"] = [{
        "name": "srbm", "type": "Iskander-M", "count": 1,
        "launch": {"lat_deg": launch_lat, "lon_deg": 29.0},
        "aim": {"lat_deg": 41.0, "lon_deg": 29.0}, "apogee_m": apogee_m,
    }]  # fmt: skip
    return scenario


def _warnings(result):
    return [line for line in result.stderr.splitlines() if line.startswith("warning:")]


@pytest.mark.parametrize(
    "range_km, apogee_km",
    [
        (300.0, 75.0),  # minimum-energy arc, 45 deg: h = R/4 (projectile closed form)
        (500.0, 50.0),  # Iskander depressed: ~50 km apogee over 500 km (RUSI 2022)
        (950.0, 4475.0),  # Hwasong-15 lofted test, 28 Nov 2017 (Japan MoD)
    ],
)
def test_real_trajectories_are_plausible(range_km, apogee_km):
    low, high = apogee_bounds_m(range_km * 1e3)
    assert low <= apogee_km * 1e3 <= high


def test_five_metre_apogee_for_a_300_km_missile_is_refused(minimal_scenario, write_scenario):
    """The Iskander-M now flies its motor: a 5 m apogee over 300 km is not a suspect shot
    but one the motor cannot fly, so it is one clear error naming the field."""
    path = write_scenario(_ballistic(minimal_scenario, 5.0))
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    assert "threats[0].apogee_m" in result.stderr and "cannot fly" in result.stderr


def test_plausible_apogee_is_quiet(minimal_scenario, write_scenario):
    path = write_scenario(_ballistic(minimal_scenario, 80_000.0))
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0 and _warnings(result) == [], result.output


def test_threats_launching_after_the_run_are_warned(minimal_scenario, write_scenario):
    minimal_scenario["threats"][0]["launch_time_s"] = 500.0  # duration_s is 120
    path = write_scenario(minimal_scenario)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    (line,) = _warnings(result)
    assert "threats[0].launch_time_s" in line and "never fly" in line


def test_some_threats_launching_after_the_run_are_counted(minimal_scenario, write_scenario):
    minimal_scenario["threats"][0].update(count=5, spacing_s=40.0)  # launches 0..160 s
    result = runner.invoke(app, ["validate", str(write_scenario(minimal_scenario))])
    (line,) = _warnings(result)
    assert "threats[0].spacing_s" in line and "2 of 5" in line, line


def test_warning_is_printed_once_by_compare(minimal_scenario, write_scenario, tmp_path):
    # compare reads the scenario twice (its own check, then the study): one warning
    minimal_scenario["duration_s"] = 20.0
    minimal_scenario["threats"][0]["launch_time_s"] = 30.0
    minimal_scenario["alternatives"] = [{"name": "b", "fire_units": minimal_scenario["fire_units"]}]
    path = write_scenario(minimal_scenario)
    result = runner.invoke(app, ["compare", str(path), "-n", "1", "--workers", "1",
                                 "--out", str(tmp_path / "c")])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert len(_warnings(result)) == 1, result.stderr


def test_version_flag():
    from importlib.metadata import version

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"iadsim {version('iadsim')}"
