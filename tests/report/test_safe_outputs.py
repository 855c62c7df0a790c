"""Issue 13: --overwrite replaces only folders iadsim made; --out never costs the user a file."""

import json
import os
import stat

import pytest
import yaml
from typer.testing import CliRunner

from iadsim.cli import app
from iadsim.outdir import MARKER

runner = CliRunner()

# each command with the arguments it needs before --out
COMMANDS = {
    "run": lambda s: ["run", str(s)],
    "coverage": lambda s: ["coverage", str(s), "--altitudes-m", "500", "--aspects", "nose"],
    "study": lambda s: ["study", str(s), "-n", "1", "--workers", "1"],
    "envelope": lambda s: ["envelope", "Patriot/PAC-3-MSE", "--target", "Iskander-M"],
    "compare": lambda s: ["compare", str(s), "-n", "1", "--workers", "1"],
}


@pytest.fixture
def scenario(tmp_path, minimal_scenario):
    data = minimal_scenario
    data["duration_s"] = 30.0
    data["alternatives"] = [{"name": "alt", "fire_units": data["fire_units"]}]
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def _rejected(args, *needles):
    result = runner.invoke(app, args)
    assert result.exit_code == 2, (result.output, result.exception)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def _users_folder(path):
    path.mkdir()
    (path / "thesis.docx").write_text("three years of work")
    (path / "sub").mkdir()
    (path / "sub" / "data.csv").write_text("1,2,3")


def _intact(path):
    assert (path / "thesis.docx").read_text() == "three years of work"
    assert (path / "sub" / "data.csv").read_text() == "1,2,3"


@pytest.mark.parametrize("command", COMMANDS)
def test_overwrite_refuses_a_folder_iadsim_did_not_make(command, scenario, tmp_path):
    out = tmp_path / "work"
    _users_folder(out)
    _rejected([*COMMANDS[command](scenario), "--out", str(out), "--overwrite"],
              str(out), MARKER)  # fmt: skip
    _intact(out)


@pytest.mark.parametrize("command", COMMANDS)
def test_out_dot_never_wipes_the_current_folder(command, scenario, tmp_path, monkeypatch):
    _users_folder(tmp_path / "cwd")
    monkeypatch.chdir(tmp_path / "cwd")
    for out in (".", "..", "sub/.."):
        _rejected([*COMMANDS[command](scenario), "--out", out, "--overwrite"], "current folder")
    _intact(tmp_path / "cwd")


@pytest.mark.parametrize("command", COMMANDS)
def test_out_under_a_regular_file_is_one_line(command, scenario, tmp_path):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("mine")
    _rejected([*COMMANDS[command](scenario), "--out", str(blocker / "deeper" / "out")],
              str(blocker), "is a file")  # fmt: skip
    assert blocker.read_text() == "mine"


def test_run_folder_has_marker_and_the_users_umask(scenario, tmp_path):
    out = tmp_path / "a" / "out"
    old = os.umask(0o022)
    try:
        result = runner.invoke(app, ["run", str(scenario), "--out", str(out)])
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o755  # 0777 & ~022, not mkdtemp's 0700
    assert json.loads((out / MARKER).read_text())["made_by"] == "iadsim"
    # the marker makes it replaceable; a file the user put inside goes with it
    (out / "stale.txt").write_text("old")
    result = runner.invoke(app, ["run", str(scenario), "--out", str(out), "--overwrite"])
    assert result.exit_code == 0, result.output
    assert not (out / "stale.txt").exists() and (out / "summary.json").exists()
    assert sorted(p.name for p in out.parent.iterdir()) == ["out"]  # nothing left beside it


def test_study_folder_has_marker_and_the_users_umask(scenario, tmp_path):
    out = tmp_path / "study"
    old = os.umask(0o027)
    try:
        result = runner.invoke(app, ["study", str(scenario), "-n", "1", "--workers", "1",
                                     "--out", str(out)])  # fmt: skip
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o750
    assert (out / MARKER).is_file()
