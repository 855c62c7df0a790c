"""Envelopes flown with the flyout model: agreement with the published figures the catalog
cites, the envelope command's outputs, and bad catalog input."""

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from iadsim.catalog import load_catalog
from iadsim.cli import app
from iadsim.engage.envelope import SPEED_LEVELS_MPS
from iadsim.report.envelope_table import envelope_summary, envelope_table
from iadsim.sim.world import missile_envelope

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "models.md"
DATA = ROOT / "src" / "iadsim" / "catalog" / "data"
runner = CliRunner()

# Published maximum range and ceiling (km) against aircraft, as printed on the public pages
# the catalog cites (each URL is the catalog entry's source):
PUBLISHED = {
    # bg3.co (48N6 family 250 km); echoturkey.com (S-400 max target altitude 27 km)
    "48N6E3": (250.0, 27.0),
    # bg3.co (40N6E 400 km); Sputnik Arabic (S-400 altitude band up to 30 km)
    "40N6E": (400.0, 30.0),
    # bg3.co (9M96E2 120 km); Sputnik Arabic (30 km)
    "9M96E2": (120.0, 30.0),
    # 5V55R: the commonly reported 75 km (catalog flags it an estimate); AP via
    # freedemocracy.blogspot.com: S-300 altitude ~90,000 ft (27 km)
    "5V55R": (75.0, 27.0),
    # cmo#4938 (Army Recognition / GlobalSecurity): GEM+ 160 km; tech.wp.pl: 24 km
    "PAC-2-GEM-T": (160.0, 24.0),
    # cmo#5890 (The Defense Post 2024): 120 km and 118,000 ft (36 km) target envelope
    "PAC-3-MSE": (120.0, 36.0),
}
TOLERANCE = 0.15


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_flown_envelope_meets_the_published_figures(name):
    missile = load_catalog().missiles[name]
    published_range, published_alt = PUBLISHED[name]
    assert missile.max_range_km.value == published_range
    assert missile.max_altitude_km.value == published_alt
    env = missile_envelope(missile)
    assert env.max_range_m / 1e3 == pytest.approx(published_range, rel=TOLERANCE)
    assert env.max_altitude_m / 1e3 == pytest.approx(published_alt, rel=TOLERANCE)


def test_docs_table_is_the_models_table():
    cat = load_catalog()
    rows = [envelope_summary(n, m, missile_envelope(m), "", 0.0) for n, m in cat.missiles.items()]
    table = envelope_table(rows)
    assert table in DOCS.read_text(), "rerun `iadsim envelope-table` into docs/models.md"


def test_needing_more_speed_never_reaches_further():
    env = missile_envelope(load_catalog().missiles["PAC-3-MSE"])
    assert np.all(np.diff(env.range_m, axis=1) <= 1e-9)
    assert env.range_m[:, -1].max() < env.range_m[:, 0].max()  # 4 km/s is out of reach
    assert SPEED_LEVELS_MPS[0] == 250.0


def test_envelope_command_writes_plot_and_json(tmp_path):
    out = tmp_path / "env"
    result = runner.invoke(app, ["envelope", "Patriot/PAC-3-MSE", "--target", "Iskander-M",
                                 "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (out / "envelope.png").stat().st_size > 10_000
    summary = json.loads((out / "envelope.json").read_text())
    env = missile_envelope(load_catalog().missiles["PAC-3-MSE"])
    assert summary["max_range_km"] == pytest.approx(env.max_range_m / 1e3, abs=0.1)
    assert summary["max_altitude_km"] == pytest.approx(env.max_altitude_m / 1e3, abs=0.1)
    head_on = summary["curves"]["head_on"]
    assert max(head_on["ground_km"]) == pytest.approx(summary["max_range_km"], abs=0.1)
    assert len(head_on["ground_km"]) == len(head_on["altitude_km"]) > 5


@pytest.mark.parametrize(
    "args, needle",
    [
        (["S-900/48N6E3", "--target", "F-35A"], "S-900"),
        (["S-400/PAC-3-MSE", "--target", "F-35A"], "PAC-3-MSE"),
        (["S-400/48N6E3", "--target", "X-wing"], "X-wing"),
    ],
)
def test_envelope_bad_arguments(args, needle, tmp_path):
    result = runner.invoke(app, ["envelope", *args, "--out", str(tmp_path / "e")])
    assert result.exit_code == 2 and needle in result.stderr
    assert not (tmp_path / "e").exists()


def _broken_catalog(tmp_path, old, new) -> Path:
    folder = tmp_path / "catalog"
    shutil.copytree(DATA, folder)
    path = folder / "missiles.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return folder


@pytest.mark.parametrize(
    "old, new, field",
    [
        # the 48N6E3's boost impulse made negative
        (
            "        impulse_kn_s:\n          value: ",
            "        impulse_kn_s:\n          value: -",
            "missiles.48N6E3.motor.boost.impulse_kn_s.value",
        ),
        # Mach points out of order
        ("mach: [0, 0.8, 1, 1.2", "mach: [0, 1, 0.8, 1.2", "missiles.48N6E3.drag_cd0.mach"),
        # a lethal radius of zero
        (
            "    lethal_radius_m:\n      value: 20",
            "    lethal_radius_m:\n      value: 0",
            "missiles.48N6E3.lethal_radius_m.value",
        ),
    ],
)
def test_bad_catalog_input_is_one_line_exit_2_nothing_written(tmp_path, old, new, field):
    folder = _broken_catalog(tmp_path, old, new)
    out = tmp_path / "env"
    result = runner.invoke(app, ["envelope", "S-400/48N6E3", "--target", "F-35A", "--out",
                                 str(out), "--catalog", str(folder)])  # fmt: skip
    assert result.exit_code == 2
    message = result.stderr.strip()
    assert "\n" not in message and "Traceback" not in message
    assert "missiles.yaml" in message and field in message
    assert re.search(r"must be|strictly increasing", message)
    assert not out.exists()
