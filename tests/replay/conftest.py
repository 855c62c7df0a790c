"""One small run (and a tiny study) shared by the replay, export, report and viewer tests."""

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
