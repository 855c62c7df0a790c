"""The Python API gives what the command line gives: the same events byte for byte, the
same study rows; ``import iadsim`` stays light."""

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import iadsim
from iadsim.cli import app

ROOT = Path(__file__).resolve().parents[2]
S400 = ROOT / "examples" / "city_defense_s400.yaml"
runner = CliRunner()


def test_run_gives_the_events_of_iadsim_run_byte_for_byte(tmp_path):
    cli_out, api_out = tmp_path / "cli", tmp_path / "api"
    result = runner.invoke(app, ["run", str(S400), "--out", str(cli_out), "--seed", "11"])
    assert result.exit_code == 0, result.stderr
    r = iadsim.run(str(S400), seed=11)
    r.write(api_out)
    cli_summary = json.loads((cli_out / "summary.json").read_text())
    assert r.summary["leaked"] == cli_summary["leaked"]
    assert r.summary == cli_summary
    for name in ("events.parquet", "trajectories.parquet", "summary.json"):
        assert (api_out / name).read_bytes() == (cli_out / name).read_bytes(), name
    assert pq.read_table(cli_out / "events.parquet").equals(r.events)
    # the tables as data frames, the track log with one row per track update
    assert len(r.to_pandas()) == r.events.num_rows
    tracks = r.to_pandas("tracks")
    assert len(tracks) == sum(len(log["time_s"]) for log in r.raw.track_logs) > 0
    assert set(tracks["threat"]) <= {*r.raw.world.threats.ids, ""}


def test_write_refuses_an_existing_folder_and_leaves_it_alone(tmp_path, minimal_scenario):
    r = iadsim.run(minimal_scenario)
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(iadsim.UsageError):
        r.write(tmp_path)
    assert (tmp_path / "keep.txt").read_text() == "mine"


def test_study_rows_equal_those_of_iadsim_study(tmp_path, minimal_scenario, write_scenario):
    path = write_scenario(minimal_scenario)
    out = tmp_path / "study"
    result = runner.invoke(app, ["study", str(path), "-n", "4", "--workers", "1",
                                 "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    got = iadsim.study(str(path), 4, workers=1)
    assert got.out is None  # a temporary folder, removed
    cli_rows = pq.read_table(out / "replications")
    assert got.replications.num_rows == 4

    def rows(table):  # JSON text: NaN (a metric not defined) equals NaN
        return json.dumps(table.sort_by("replication").to_pylist())

    assert rows(got.replications) == rows(cli_rows)
    cli = json.loads((out / "study.json").read_text())
    assert got.intervals == cli["results"]


def test_unknown_component_override_is_a_clear_error(minimal_scenario):
    with pytest.raises(iadsim.UsageError, match="components.assignment: got 'auction'"):
        iadsim.run(minimal_scenario, components={"assignment": "auction"})
    with pytest.raises(iadsim.UsageError, match="allowed"):
        iadsim.run(minimal_scenario, components={"radar": "x"})


def test_import_iadsim_does_not_load_the_simulator():
    heavy = "{'numpy', 'pydantic', 'numba', 'pyarrow'}"
    code = f"import sys, iadsim; print(sorted({heavy} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    assert out.strip() == "[]"
    assert "run" in dir(iadsim) and callable(iadsim.run)
