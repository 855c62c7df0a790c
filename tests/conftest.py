"""Shared fixtures: a small valid scenario that tests mutate into broken ones."""

import copy

import pytest
import yaml

MINIMAL = {
    "name": "minimal",
    "seed": 3,
    "duration_s": 120.0,
    "time_step_s": 1.0,
    "defended_assets": [{"name": "City", "lat_deg": 41.0, "lon_deg": 29.0}],
    "fire_units": [{"name": "P1", "system": "Patriot", "lat_deg": 41.1, "lon_deg": 29.0}],
    "threats": [
        {
            "name": "cm",
            "type": "Kalibr-3M14",
            "count": 2,
            "spacing_s": 10.0,
            "route": [
                {"lat_deg": 41.5, "lon_deg": 29.0, "alt_m": 100.0},
                {"lat_deg": 41.0, "lon_deg": 29.0, "alt_m": 100.0},
            ],
        }
    ],
}


@pytest.fixture
def minimal_scenario() -> dict:
    return copy.deepcopy(MINIMAL)


@pytest.fixture
def write_scenario(tmp_path):
    def write(data, name="scenario.yaml"):
        path = tmp_path / name
        path.write_text(
            yaml.safe_dump(data, sort_keys=False) if not isinstance(data, str) else data
        )
        return path

    return write
