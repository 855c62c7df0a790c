"""Studies: same rows whatever the workers, batching and interruptions; outputs; sweeps."""

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pyarrow.compute as pc
import pytest

from iadsim.errors import ScenarioError, UsageError
from iadsim.study import run_study
from iadsim.study.worker import clear_cache, run_batch


def test_reference_outputs(reference, rows):
    table = rows(reference)
    assert table.num_rows == 12  # 2 alternatives x 6 replications
    assert set(table["alternative"].to_pylist()) == {"baseline", "s300"}
    wanted = ["sweep_value", "seed_entropy", "seed_spawn_key", "threats", "killed", "leaked",
              "fired_PAC-2-GEM-T", "fired_PAC-3-MSE", "fired_5V55R", "interceptor_cost_usd",
              "threat_value_killed_usd", "time_of_first_leak_s", "leaked_Kalibr-3M14"]  # fmt: skip
    for col in wanted:
        assert col in table.column_names
    assert table["sweep_value"].null_count == 12
    leaked = table["leaked"].to_numpy()
    first_leak = table["time_of_first_leak_s"].to_numpy()
    assert np.array_equal(np.isnan(first_leak), leaked == 0)
    assert 0 < leaked.sum() < 3 * 12  # outcomes vary: some leak, some do not
    study = json.loads((reference / "study.json").read_text())
    base = study["results"][0]
    assert base["alternative"] == "baseline" and base["replications"] == 6
    lp = base["leak_probability"]
    assert lp["method"] == "wilson" and lp["low"] <= lp["estimate"] <= lp["high"]
    baseline_rows = table.filter(pc.equal(table["alternative"], "baseline"))
    assert lp["successes"] == int((baseline_rows["leaked"].to_numpy() > 0).sum())
    assert base["leaked"]["mean"] == pytest.approx(baseline_rows["leaked"].to_numpy().mean())
    assert (reference / "convergence.png").stat().st_size > 10_000
    manifest = json.loads((reference / "manifest.json").read_text())
    assert manifest["n"] == 6 and manifest["seed"] == 11 and manifest["batch_size"] == 3


def test_two_workers_and_other_batches_give_identical_rows(reference, tiny_file, tmp_path, rows,
                                                           same_rows):  # fmt: skip
    out = tmp_path / "w2"
    run_study(tiny_file, 6, out, workers=2, batch_size=2)
    same_rows(rows(reference), rows(out))


def test_reused_world_gives_the_same_rows_as_a_fresh_one(reference, tiny_file, tmp_path):
    from iadsim.study.plan import Batch

    out = tmp_path / "one"
    result = run_study(tiny_file, 2, out, workers=1)
    spec = _spec_of(result, tiny_file)
    clear_cache()
    both = run_batch(spec, Batch(0, 0, 0, 2))  # one World, reused for replication 1
    clear_cache()
    second = run_batch(spec, Batch(0, 0, 1, 2))  # a fresh World for replication 1
    for key, values in second.items():
        np.testing.assert_array_equal(np.asarray(both[key][1:]), np.asarray(values), key)


def _spec_of(result, tiny_file):
    from iadsim.study.plan import StudySpec

    return StudySpec(key="test", scenario_file=str(tiny_file), scenario_dir=None, seed=11,
                     variants=tuple(result.variants),
                     missile_types=("PAC-2-GEM-T", "PAC-3-MSE", "5V55R"),
                     threat_types=("Kalibr-3M14",))  # fmt: skip


def test_interrupted_study_resumes_without_losing_or_repeating(reference, tiny_file, tmp_path,
                                                               rows, same_rows):  # fmt: skip
    out = tmp_path / "interrupted"
    written = []

    def stop_after_two(done, total, rate):
        written.append(done)
        if len(written) == 2:
            raise KeyboardInterrupt  # what Ctrl-C does in the driver

    with pytest.raises(KeyboardInterrupt):
        run_study(tiny_file, 6, out, workers=1, batch_size=3, on_progress=stop_after_two)
    assert not (out / "study.json").exists()
    parts = sorted((out / "replications").glob("part-*.parquet"))
    assert len(parts) == 2
    with pytest.raises(UsageError, match="--resume"):
        run_study(tiny_file, 6, out, workers=1)
    started = []
    result = run_study(tiny_file, 6, out, workers=1, resume=True,
                       on_start=lambda done, total: started.append((done, total)))  # fmt: skip
    assert started == [(written[-1], 12)]
    assert result.resumed and result.replications_run == 12 - written[-1]
    same_rows(rows(reference), rows(out))


def test_killed_study_resumes(reference, tiny_file, tmp_path, rows, same_rows):
    """kill -9 of the driver mid-study: finished parts are kept, the rest re-run."""
    out = tmp_path / "killed"
    code = (
        "import sys\n"
        "from iadsim.study import run_study\n"
        "run_study(sys.argv[1], 6, sys.argv[2], workers=1, batch_size=1)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(tiny_file), str(out)])
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if len(list((out / "replications").glob("part-*.parquet"))) >= 3:
                break
            time.sleep(0.02)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL  # it was killed, not finished
    finished = len(list((out / "replications").glob("part-*.parquet")))
    assert finished >= 3
    result = run_study(tiny_file, 6, out, workers=1, resume=True)
    assert result.resumed and result.replications_run == 12 - finished
    table = rows(out)
    assert table.num_rows == 12
    keys = list(zip(table["alternative"].to_pylist(), table["replication"].to_pylist(),
                    strict=True))  # fmt: skip
    assert len(set(keys)) == 12
    same_rows(rows(reference), table)


def test_resume_refuses_a_different_study(reference, tiny_file, tmp_path):
    import shutil

    out = tmp_path / "copy"
    shutil.copytree(reference, out)
    with pytest.raises(UsageError, match="different study.*n 6 -> 7"):
        run_study(tiny_file, 7, out, workers=1, resume=True)
    with pytest.raises(UsageError, match="different study.*seed"):
        run_study(tiny_file, 6, out, workers=1, resume=True, seed=12)
    with pytest.raises(UsageError, match="one, not both"):
        run_study(tiny_file, 6, out, workers=1, resume=True, overwrite=True)
    # The same study again: nothing to run, figures recomputed.
    result = run_study(tiny_file, 6, out, workers=1, resume=True)
    assert result.replications_run == 0
    assert (
        result.summary["results"] == json.loads((reference / "study.json").read_text())["results"]
    )


def test_sweep_runs_every_alternative_at_every_value_with_common_seeds(tiny, write_yaml,
                                                                       tmp_path, rows):  # fmt: skip
    tiny["sweep"] = {"parameter": "threats[0].count", "values": [1, 3]}
    out = tmp_path / "sweep"
    result = run_study(write_yaml(tiny), 2, out, workers=1)
    labels = [(r["alternative"], r["sweep_value"]) for r in result.summary["results"]]
    assert labels == [("baseline", 1.0), ("baseline", 3.0), ("s300", 1.0), ("s300", 3.0)]
    table = rows(out)
    assert table.num_rows == 8
    cols = [table[c].to_pylist() for c in ("alternative", "sweep_value", "threats")]
    threats = {(a, s): t for a, s, t in zip(*cols, strict=True)}
    assert threats[("baseline", 1.0)] == 1 and threats[("s300", 3.0)] == 3
    assert set(table["seed_spawn_key"].to_pylist()) == {0, 1}


def test_sweep_path_missing_in_an_alternative_is_named(tiny, write_yaml, tmp_path):
    tiny["fire_units"].append(dict(tiny["fire_units"][0], name="P2", lon_deg=29.05))
    tiny["sweep"] = {"parameter": "fire_units[1].lat_deg", "values": [41.0, 41.1]}
    with pytest.raises(ScenarioError, match=r"sweep.parameter.*alternative 's300'"):
        run_study(write_yaml(tiny), 2, tmp_path / "out", workers=1)
    assert not (tmp_path / "out").exists()


def test_duckdb_query_from_the_docs(reference):
    duckdb = pytest.importorskip("duckdb", reason="duckdb is optional (pip install duckdb)")
    got = duckdb.sql(
        f"SELECT alternative, avg(leaked) FROM '{reference}/replications/*.parquet' "
        "GROUP BY 1 ORDER BY 1"
    ).fetchall()
    study = json.loads((reference / "study.json").read_text())
    want = [(r["alternative"], r["leaked"]["mean"]) for r in study["results"]]
    assert [g[0] for g in got] == [w[0] for w in want]
    assert [g[1] for g in got] == pytest.approx([w[1] for w in want])
