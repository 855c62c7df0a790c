"""A fire unit's radar settings (revisit, face slew and settling): applied to the world,
and bad values rejected with one line naming the field, exit 2, nothing written."""

import pytest
from typer.testing import CliRunner

from iadsim.catalog import load_catalog
from iadsim.cli import app
from iadsim.scenario import load_scenario
from iadsim.sim.world import build_world

runner = CliRunner()


@pytest.mark.parametrize(
    ("settings", "field", "words"),
    [
        ({"AN/MPQ-65": {"slew_rate_deg_s": 0.0}}, "fire_units[0].radars.AN/MPQ-65.slew_rate_deg_s",
         "greater than 0"),
        ({"AN/MPQ-65": {"slew_rate_deg_s": -3.0}}, "slew_rate_deg_s", "greater than 0"),
        ({"AN/MPQ-65": {"revisit_s": 0.001}}, "fire_units[0].radars.AN/MPQ-65.revisit_s",
         "0.05"),
        ({"AN/MPQ-65": {"revisit_s": 600.0}}, "fire_units[0].radars.AN/MPQ-65.revisit_s", "60"),
        ({"AN/MPQ-65": {"settle_time_s": -1.0}}, "settle_time_s", "greater than or equal to 0"),
        ({"92N6E": {"revisit_s": 2.0}}, "fire_units[0].radars", "allowed radars of Patriot"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("command", ["run", "validate"])
def test_bad_radar_settings_are_rejected(
    command, settings, field, words, minimal_scenario, write_scenario, tmp_path
):
    minimal_scenario["fire_units"][0]["radars"] = settings
    scenario = write_scenario(minimal_scenario)
    out = tmp_path / "out"
    args = [command, str(scenario)] + (["--out", str(out)] if command == "run" else [])
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in result.output
    assert str(scenario) in lines[0] and field in lines[0] and words in lines[0], lines[0]
    assert not out.exists()


def test_a_360_degree_radar_has_no_face_to_slew(minimal_scenario, write_scenario, tmp_path):
    minimal_scenario["fire_units"][0] |= {"system": "S-400", "radars": {
        "91N6E": {"slew_rate_deg_s": 10.0}}}  # fmt: skip
    result = runner.invoke(app, ["validate", str(write_scenario(minimal_scenario))])
    assert result.exit_code == 2 and "covers 360 deg" in result.stderr


def test_radar_settings_override_the_catalog(minimal_scenario, write_scenario):
    minimal_scenario["fire_units"][0]["radars"] = {
        "AN/MPQ-65": {"revisit_s": 2.5, "slew_rate_deg_s": 20.0, "settle_time_s": 1.0}
    }
    catalog = load_catalog()
    radars = build_world(load_scenario(write_scenario(minimal_scenario), catalog), catalog).radars
    assert radars.revisit_s.tolist() == [2.5]
    assert radars.slew_rate_rad_s == pytest.approx([0.349065850398866])  # 20 deg/s
    assert radars.settle_s.tolist() == [1.0]
