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

# Three low cruise missiles from 20 km against one small Patriot battery (the baseline) or
# one S-300PMU battery: some replications leak, some do not (the study and report tests).
TINY_STUDY = {
    "name": "tiny study",
    "seed": 11,
    "duration_s": 90.0,
    "time_step_s": 2.0,
    "defended_assets": [{"name": "City", "lat_deg": 41.0, "lon_deg": 29.0}],
    "fire_units": [
        {"name": "P1", "system": "Patriot", "lat_deg": 41.05, "lon_deg": 29.0,
         "loadout": {"PAC-2-GEM-T": 2, "PAC-3-MSE": 1}},
    ],
    "threats": [
        {"name": "cm", "type": "Kalibr-3M14", "count": 3, "spacing_s": 4.0,
         "route": [{"lat_deg": 41.18, "lon_deg": 29.0, "alt_m": 60.0},
                   {"lat_deg": 41.0, "lon_deg": 29.0, "alt_m": 60.0}]},
    ],
    "alternatives": [
        {"name": "s300", "description": "one S-300PMU battery",
         "fire_units": [{"name": "S1", "system": "S-300PMU", "lat_deg": 41.05,
                         "lon_deg": 29.0, "loadout": {"5V55R": 3}}]},
    ],
}  # fmt: skip


@pytest.fixture(scope="session")
def tiny_study() -> dict:
    """TINY_STUDY (read-only: copy it before changing it)."""
    return TINY_STUDY


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


WRITING_COMMANDS = ("run", "study", "compare", "exposure")


@pytest.fixture
def one_line(tmp_path):
    """``one_line(args, *needles)``: run ``iadsim ARGS``, which must reject its input: exit
    2, one short line on stderr holding every needle, no traceback, and nothing written (a
    command that writes gets ``--out TMP/out`` unless ARGS name one; neither that folder
    nor a temporary one may be left). Returns the line."""
    from typer.testing import CliRunner

    from iadsim.cli import app

    def invoke(args, *needles) -> str:
        args = [str(a) for a in args]
        out = tmp_path / "out"
        if args[0] in WRITING_COMMANDS and "--out" not in args:
            args += ["--out", str(out)]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 2, (result.output, result.exception)
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1, result.stderr[:2000]
        assert "Traceback" not in result.output
        assert len(lines[0]) < 400, lines[0][:400]
        for needle in needles:
            assert needle in lines[0], lines[0]
        assert not out.exists()
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.tmp")]
        return lines[0]

    return invoke
