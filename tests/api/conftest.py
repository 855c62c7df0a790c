"""The toy plugin of tests/plugins made visible as an installed distribution: its folder
goes on sys.path, where importlib.metadata finds the dist-info and its entry points, as
it would after ``pip install`` (no install into the environment, so a fresh clone works)."""

import copy
import sys
from pathlib import Path

import pytest

PLUGINS = Path(__file__).resolve().parents[1] / "plugins"

# Two Patriot units sharing one network picture: with several ready units in a picture
# the engine calls the assignment rule (one ready unit takes its best track directly).
TWO_UNITS = {
    "name": "two units",
    "seed": 5,
    "duration_s": 300.0,
    "time_step_s": 1.0,
    "defended_assets": [{"name": "City", "lat_deg": 41.0, "lon_deg": 29.0}],
    "fire_units": [
        {"name": "P1", "system": "Patriot", "lat_deg": 41.1, "lon_deg": 29.0, "network": "n"},
        {"name": "P2", "system": "Patriot", "lat_deg": 41.1, "lon_deg": 29.1, "network": "n"},
    ],
    "threats": [
        {
            "name": "jets",
            "type": "F-16-Block70",
            "count": 4,
            "route": [
                {"lat_deg": 42.0, "lon_deg": 29.0, "alt_m": 6000.0},
                {"lat_deg": 41.0, "lon_deg": 29.0, "alt_m": 6000.0},
            ],
        }
    ],
}


@pytest.fixture
def two_units() -> dict:
    return copy.deepcopy(TWO_UNITS)


@pytest.fixture
def toy_plugin(monkeypatch):
    """The plugin importable and its entry points installed, for this test only."""
    monkeypatch.syspath_prepend(str(PLUGINS))
    import importlib

    importlib.invalidate_caches()
    module = importlib.import_module("iadsim_toy_plugin")
    module.CALLS.clear()
    yield module
    sys.modules.pop("iadsim_toy_plugin", None)
