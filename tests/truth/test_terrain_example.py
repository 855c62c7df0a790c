"""The README's terrain-following figures come from these two runs (seed 3); rerun them and
check every quoted figure, and that the README quotes exactly these."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from iadsim.cli import app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    out = {}
    for variant in ("terrain_following", "terrain_following_flat"):
        folder = tmp_path_factory.mktemp(variant) / "run"
        res = CliRunner().invoke(
            app, ["run", str(ROOT / f"examples/{variant}.yaml"), "--out", str(folder)]
        )
        assert res.exit_code == 0, res.output
        out[variant] = json.loads((folder / "summary.json").read_text())
    return out


@pytest.mark.parametrize(
    "variant, first_track_s, killed, leaked",
    [("terrain_following_flat", (205.0, 214.0), 3, 1), ("terrain_following", (260.0, 260.0), 3, 1)],
)
def test_readme_terrain_following_numbers(runs, variant, first_track_s, killed, leaked):
    summary = runs[variant]
    times = summary["tracking"]["time_to_first_track_s"].values()
    assert (min(times), max(times)) == first_track_s
    assert (summary["killed"], summary["leaked"]) == (killed, leaked)


def test_readme_quotes_these_numbers():
    readme = (ROOT / "README.md").read_text()
    for text in ("first tracked 205 to 214 s after", "3 of the 4 are killed",
                 "260 s after launch", "1 of the 4 leaks", "With seed 3"):  # fmt: skip
        assert text in readme.replace("\n", " "), text
