"""One small run (and a tiny study) shared by the replay, export, report and viewer tests."""

import importlib.util
import os
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from iadsim.cli import app

# Two low cruise missiles from 40 km against one Patriot battery: tracks form, missiles fly,
# and the battery kills or misses within the run.
REPLAY = {
    "name": "replay test",
    "seed": 5,
    "duration_s": 240.0,
    "time_step_s": 1.0,
    "defended_assets": [{"name": "City", "lat_deg": 41.0, "lon_deg": 29.0}],
    "fire_units": [{"name": "P1", "system": "Patriot", "lat_deg": 41.05, "lon_deg": 29.0,
                    "loadout": {"PAC-2-GEM-T": 4, "PAC-3-MSE": 2}}],
    "threats": [
        {"name": "cm", "type": "Kalibr-3M14", "count": 2, "spacing_s": 8.0,
         "route": [{"lat_deg": 41.36, "lon_deg": 29.05, "alt_m": 80.0},
                   {"lat_deg": 41.0, "lon_deg": 29.0, "alt_m": 80.0}]},
    ],
}  # fmt: skip


@pytest.fixture(scope="session")
def replay_spec() -> dict:
    return REPLAY


@pytest.fixture(scope="session")
def replay_scenario(tmp_path_factory):
    path = tmp_path_factory.mktemp("replay") / "replay.yaml"
    path.write_text(yaml.safe_dump(REPLAY, sort_keys=False))
    return path


@pytest.fixture(scope="session")
def replay_run(replay_scenario):
    """The run folder of REPLAY (iadsim run)."""
    out = replay_scenario.parent / "run"
    result = CliRunner().invoke(app, ["run", str(replay_scenario), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


VALLEY_DEM = Path(__file__).parents[2] / "examples" / "valley_dem.tif"

# One Kalibr-3M14 down the valley of examples/valley_dem.tif (a 900 m ridge cut by a
# valley along 28.90 E), 50 m above the ground: a run over terrain for the viewer's globe.
TERRAIN = {
    "name": "terrain view test",
    "seed": 3,
    "duration_s": 60.0,
    "time_step_s": 1.0,
    "terrain": {"dem": str(VALLEY_DEM)},
    "defended_assets": [{"name": "Site", "lat_deg": 41.0, "lon_deg": 29.0}],
    "fire_units": [{"name": "T1", "system": "Patriot", "lat_deg": 41.0, "lon_deg": 29.0,
                    "loadout": {"PAC-3-MSE": 2}}],
    "threats": [
        {"name": "valley", "type": "Kalibr-3M14", "count": 1,
         "trajectory": "terrain_following", "height_agl_m": 50.0,
         "route": [{"lat_deg": 41.40, "lon_deg": 28.90, "alt_m": 50.0},
                   {"lat_deg": 41.12, "lon_deg": 28.90, "alt_m": 50.0}]},
    ],
}  # fmt: skip


@pytest.fixture(scope="session")
def terrain_run(tmp_path_factory):
    """The run folder of TERRAIN (iadsim run over the valley DEM)."""
    base = tmp_path_factory.mktemp("terrain")
    scenario = base / "terrain.yaml"
    scenario.write_text(yaml.safe_dump(TERRAIN, sort_keys=False))
    out = base / "run"
    result = CliRunner().invoke(app, ["run", str(scenario), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def study_dir(tmp_path_factory, tiny_study):
    """A finished study folder of the tiny study (iadsim study, 6 replications each)."""
    base = tmp_path_factory.mktemp("study")
    scenario = base / "study.yaml"
    scenario.write_text(yaml.safe_dump(tiny_study, sort_keys=False))
    out = base / "study"
    args = ["study", str(scenario), "-n", "6", "--workers", "1", "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return out


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [  # Debian's Chromium headless as root in a sandbox, with no network
    "--no-sandbox", "--enable-unsafe-swiftshader", "--use-angle=swiftshader", "--disable-quic",
    "--no-first-run", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--window-size=1280,800",
]  # fmt: skip


@pytest.fixture(scope="session")
def browser():
    """Playwright driving Debian's Chromium. Skipped only where Chromium is absent and not
    in CI (CI=true): .ci/run installs it, so a CI run without it fails."""
    if not CHROMIUM.exists() or importlib.util.find_spec("playwright") is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but {CHROMIUM} or the playwright package is missing")
        pytest.skip(f"{CHROMIUM} or the playwright package is not installed (apt-get install "
                    "chromium; pip install -e '.[dev]'); .ci/run installs both")  # fmt: skip
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()
