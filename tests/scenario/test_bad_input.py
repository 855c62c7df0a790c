"""Every kind of bad scenario input gets one clear line, exit code 2 and no output folder."""

import math
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from iadsim.cli import app

runner = CliRunner()


def _mutate(data, path, value):
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


_DELETE = object()

CASES = [
    ("unknown field", ("fire_units", 0, "radar_colour"), "red", "fire_units[0].radar_colour"),
    ("unknown system", ("fire_units", 0, "system"), "S-900", "fire_units[0].system"),
    ("unknown threat", ("threats", 0, "type"), "X-wing", "threats[0].type"),
    ("negative count", ("threats", 0, "count"), -3, "threats[0].count"),
    ("nan duration", ("duration_s",), math.nan, "duration_s"),
    ("negative altitude", ("threats", 0, "route", 0, "alt_m"), -10.0, "threats[0].route[0].alt_m"),
    ("latitude out of range", ("defended_assets", 0, "lat_deg"), 95.0,
     "defended_assets[0].lat_deg"),
    ("zero duration", ("duration_s",), 0.0, "duration_s"),
    ("step above duration", ("time_step_s",), 500.0, "time_step_s"),
    ("empty threats", ("threats",), [], "threats"),
    ("one-point route", ("threats", 0, "route"), [{"lat_deg": 41.5, "lon_deg": 29.0, "alt_m": 1}],
     "threats[0].route"),
    ("missing duration", ("duration_s",), _DELETE, "duration_s"),
    ("negative spacing", ("threats", 0, "spacing_s"), -1.0, "threats[0].spacing_s"),
    ("foreign missile", ("fire_units", 0, "loadout"), {"48N6E3": 4}, "fire_units[0].loadout"),
    ("unknown fusion", ("network_fusion",), "telepathy", "network_fusion"),
    ("unknown surface", ("surface",), {"type": "swamp"}, "surface.type"),
    ("negative roughness", ("surface",), {"type": "sea", "roughness_m": -1.0},
     "surface.roughness_m"),
    ("unknown site surface", ("fire_units", 0, "surface"), {"type": "lava"},
     "fire_units[0].surface.type"),
]  # fmt: skip


@pytest.mark.parametrize("label, path, value, field", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("command", ["run", "validate"])
def test_bad_scenario_is_rejected(
    command, label, path, value, field, minimal_scenario, write_scenario, tmp_path, one_line
):
    scenario = write_scenario(_mutate(minimal_scenario, path, value))
    line = one_line([command, str(scenario)], str(scenario), field)
    if value is not _DELETE and not isinstance(value, list | dict):
        assert repr(value) in line or str(value) in line


def test_missing_file(tmp_path, one_line):
    missing = tmp_path / "nope.yaml"
    one_line(["run", str(missing)], str(missing), "not found")


def test_invalid_yaml(write_scenario, tmp_path, one_line):
    path = write_scenario("name: [unclosed\nseed: 1\n")
    one_line(["validate", str(path)], str(path), "invalid YAML", "line")


def test_existing_output_folder_needs_overwrite(minimal_scenario, write_scenario, tmp_path):
    scenario = write_scenario(minimal_scenario)
    out = tmp_path / "existing"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    result = runner.invoke(app, ["run", str(scenario), "--out", str(out)])
    assert result.exit_code == 2
    assert "--overwrite" in result.stderr and str(out) in result.stderr
    assert (out / "keep.txt").read_text() == "mine"


def test_cli_process_prints_one_line_and_exits_2(write_scenario, minimal_scenario, tmp_path):
    # The real console script path, not the in-process runner.
    scenario = write_scenario(_mutate(minimal_scenario, ("duration_s",), -5))
    proc = subprocess.run(
        [sys.executable, "-m", "iadsim", "run", str(scenario), "--out", str(tmp_path / "o")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "duration_s" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "o").exists()


def test_unknown_catalog_entry_on_catalog_command():
    result = runner.invoke(app, ["catalog", "S-900"])
    assert result.exit_code == 2
    assert "S-900" in result.stderr and "S-400" in result.stderr
