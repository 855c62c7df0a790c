"""``iadsim study`` / ``iadsim compare`` from the command line, and bad input."""

import json
import time

import pytest
import typer
from typer.testing import CliRunner

from iadsim.study_cli import register

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
register(app)
runner = CliRunner()


def _ok(*args):
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def _rejected(*args, needles=()):
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 2, (result.output, result.exception)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def test_study_command_writes_its_outputs(tiny_file, tmp_path):
    out = tmp_path / "study"
    result = _ok("study", tiny_file, "-n", 3, "--workers", 1, "--out", out)
    for name in ("study.json", "convergence.png", "manifest.json"):
        assert (out / name).exists()
    assert len(list((out / "replications").glob("part-*.parquet"))) == 2 * 3
    assert "baseline" in result.stdout and "s300" in result.stdout
    assert json.loads((out / "study.json").read_text())["n"] == 3


def test_compare_command_table_and_plots(tiny, write_yaml, tmp_path):
    tiny["sweep"] = {"parameter": "threats[0].count", "values": [2, 3]}
    out = tmp_path / "compare"
    result = _ok("compare", write_yaml(tiny), "-n", 2, "--workers", 1, "--out", out)
    assert "P(leak)" in result.stdout and "cost/value" in result.stdout
    assert (out / "compare.png").stat().st_size > 10_000
    assert (out / "sweep_threats_0_count.png").stat().st_size > 10_000


def test_compare_needs_alternatives_or_a_sweep(tiny, write_yaml, tmp_path):
    del tiny["alternatives"]
    _rejected("compare", write_yaml(tiny), "-n", 2, "--out", tmp_path / "c",
              needles=("nothing to compare",))  # fmt: skip


@pytest.mark.parametrize("n", [0, -5])
def test_n_must_be_positive(tiny_file, tmp_path, n):
    _rejected("study", tiny_file, "-n", n, "--out", tmp_path / "o",
              needles=("-n/--replications", ">= 1"))  # fmt: skip
    assert not (tmp_path / "o").exists()


def test_unknown_alternative_field_is_named(tiny, write_yaml, tmp_path):
    tiny["alternatives"][0]["colour"] = "red"
    _rejected("study", write_yaml(tiny), "-n", 2, "--out", tmp_path / "o",
              needles=("alternatives[0].colour", "unknown field"))  # fmt: skip
    tiny = dict(tiny, alternatives=[dict(tiny["alternatives"][0])])
    del tiny["alternatives"][0]["colour"]
    tiny["alternatives"][0]["fire_units"] = [dict(tiny["alternatives"][0]["fire_units"][0],
                                                  range_km=3)]  # fmt: skip
    _rejected("study", write_yaml(tiny), "-n", 2, "--out", tmp_path / "o",
              needles=("alternatives[0].fire_units[0].range_km",))  # fmt: skip


def test_sweep_over_a_non_numeric_field_is_rejected(tiny, write_yaml, tmp_path):
    tiny["sweep"] = {"parameter": "threats[0].type", "values": [1, 2]}
    _rejected("study", write_yaml(tiny), "-n", 2, "--out", tmp_path / "o",
              needles=("sweep.parameter", "numeric"))  # fmt: skip


def test_existing_folder_needs_resume_or_overwrite(tiny_file, tmp_path):
    out = tmp_path / "exists"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    _rejected("study", tiny_file, "-n", 2, "--out", out, needles=("--resume", "--overwrite"))
    _rejected("study", tiny_file, "-n", 2, "--out", out, "--resume",
              needles=("cannot resume", "not a study folder"))  # fmt: skip
    assert (out / "keep.txt").read_text() == "mine"


def test_unreachable_ray_address_fails_fast(tiny_file, tmp_path):
    """Checked before Ray is imported, so this runs with or without Ray installed."""
    start = time.monotonic()
    _rejected("study", tiny_file, "-n", 2, "--out", tmp_path / "o", "--backend", "ray",
              "--address", "ray://127.0.0.1:9", "--connect-timeout", "2",
              needles=("--address", "cannot reach"))  # fmt: skip
    assert time.monotonic() - start < 15
    assert not (tmp_path / "o").exists()


def test_bad_backend_and_address_without_ray(tiny_file, tmp_path):
    _rejected("study", tiny_file, "-n", 2, "--out", tmp_path / "o", "--backend", "mpi",
              needles=("--backend", "local"))  # fmt: skip
    _rejected("study", tiny_file, "-n", 2, "--out", tmp_path / "o", "--address", "ray://x:1",
              needles=("--address", "--backend ray"))  # fmt: skip
