"""The README's signature-exposure numbers come from this command (seed 7); rerun it and
check every quoted figure, and that the README quotes exactly these."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from iadsim.cli import app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    out = tmp_path_factory.mktemp("exposure") / "run"
    res = CliRunner().invoke(
        app, ["exposure", str(ROOT / "examples/s400_f35_exposure.yaml"), "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    data = json.loads((out / "exposure.json").read_text())
    return {(p["radar"].split("/")[1], p["flight"]): p for p in data["pairs"]}


def _pct(x: float, digits: int) -> str:
    return f"{100 * x:.{digits}f}%"


# (radar, detected per sortie s, one sortie, 60 sorties, belt 60 sorties, lens; digits)
QUOTED = [
    ("91N6E", "758 s", "0.06%", "2.3%", "12.8%", "0.0%", (2, 1, 1, 1)),
    ("96L6E", "386 s", "0.06%", "2.5%", "13.9%", "0.0%", (2, 1, 1, 1)),
    ("92N6E", "98 s", "0.36%", "0.84%", "4.5%", "0.0%", (2, 2, 1, 1)),
]


@pytest.mark.parametrize("row", QUOTED, ids=[q[0] for q in QUOTED])
def test_readme_numbers(result, row):
    radar, detected, one, all_, belt, lens, digits = row
    pair = result[(radar, "training")]
    band = pair["band"]
    seconds = pair["seconds_detected_per_sortie"][band]
    got_detected = f"{seconds:.0f} s"
    frac = pair["sphere_fraction_observed"][band]
    got = (
        got_detected,
        _pct(frac["one_sortie"], digits[0]),
        _pct(frac["all_sorties"], digits[1]),
        _pct(pair["belt_fraction_observed"][band]["all_sorties"], digits[2]),
        _pct(pair["with_reflectors"]["sphere_fraction_observed"][band]["all_sorties"], digits[3]),
    )
    assert got == (detected, one, all_, belt, lens)
    readme = (ROOT / "README.md").read_text()
    line = f"| {radar} ({band}) | training | {detected} | {one} | {all_} | {belt} | {lens} |"
    assert line in readme


def test_readme_lens_detection_and_below_horizon(result):
    readme = (ROOT / "README.md").read_text()
    lens = [result[(r, "training")]["with_reflectors"]["seconds_detected_per_sortie"][b]
            for r, b in (("91N6E", "S"), ("96L6E", "S"), ("92N6E", "X"))]  # fmt: skip
    assert "({:.0f} s, {:.0f} s and {:.0f} s per sortie".format(*lens) in readme
    for radar in ("91N6E", "96L6E", "92N6E"):
        pair = result[(radar, "below-horizon")]
        band = pair["band"]
        assert pair["seconds_detected"][band] == 0.0
        assert pair["sphere_fraction_observed"][band]["all_sorties"] == 0.0
