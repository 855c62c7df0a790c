"""Shared fixtures: a small valid scenario that tests mutate into broken ones, and the
check that a command rejects its input in one line."""

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


def assert_one_line_error(result, *needles) -> str:
    """A CLI result that failed as bad input must: exit 2, one short line on stderr, no
    traceback. Returns that line (checked to hold every needle)."""
    assert result.exit_code == 2, (result.output, result.exception)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr[:2000]
    assert "Traceback" not in result.output
    assert len(lines[0]) < 400, lines[0][:400]
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def one_line():
    """Run ``iadsim ARGS``; it must fail with one line (``assert_one_line_error``)."""
    from typer.testing import CliRunner

    from iadsim.cli import app

    def invoke(args, *needles) -> str:
        return assert_one_line_error(CliRunner().invoke(app, args), *needles)

    return invoke
