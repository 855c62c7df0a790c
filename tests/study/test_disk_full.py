"""Issue 13: a study whose disk fills up stops with one clear line and resumes afterwards
with nothing lost or duplicated (rows identical to an uninterrupted study)."""

import errno
import os
import resource
import signal
import subprocess
import sys

import pyarrow.compute as pc
import pytest
from typer.testing import CliRunner

import iadsim.study.runner as runner_module
from iadsim.cli import app
from iadsim.study import run_study

runner = CliRunner()


def _leftovers(out):
    return [p.name for p in out.rglob("*") if ".tmp-" in p.name]


def _assert_complete(out, reference, rows, same_rows):
    table = rows(out)
    assert table.num_rows == 6 * 2  # n x (baseline + s300)
    for alt in ("baseline", "s300"):
        reps = table.filter(pc.equal(table["alternative"], alt))["replication"].to_pylist()
        assert sorted(reps) == list(range(6)), (alt, reps)  # none lost, none twice
    same_rows(table, rows(reference))
    assert (out / "study.json").is_file() and not _leftovers(out)


def _file_size_limit(limit):
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails (EFBIG), no kill
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_file_size_limit_stops_the_study_in_one_line_then_resume_finishes(
    tiny_file, reference, rows, same_rows, tmp_path
):
    # 4 kB: the manifest (~1 kB) fits, a part file (~8 kB) does not: a real EFBIG
    out = tmp_path / "study"
    cmd = [sys.executable, "-m", "iadsim", "study", str(tiny_file), "-n", "6",
           "--batch-size", "3", "--workers", "1", "--out", str(out)]  # fmt: skip
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300,
                          preexec_fn=_file_size_limit(4096), check=False)  # fmt: skip
    assert proc.returncode == 2, proc.stderr[-3000:]
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert "File too large" in lines[0] and "--resume" in lines[0] and str(out) in lines[0]
    assert not _leftovers(out)
    result = runner.invoke(app, [*cmd[3:], "--resume"])
    assert result.exit_code == 0, result.output
    _assert_complete(out, reference, rows, same_rows)


def test_disk_full_mid_study_loses_and_duplicates_nothing(
    tiny_file, reference, rows, same_rows, tmp_path, monkeypatch
):
    real_write = runner_module.write_part
    calls = {"n": 0}

    def fills_up(out, batch_id, table):
        calls["n"] += 1
        if calls["n"] == 3:  # the disk fills while the third part is half written
            (out / "replications" / f".part-{batch_id:05d}.parquet.tmp-1").write_bytes(b"PAR1")
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(out, batch_id, table)

    out = tmp_path / "study"
    monkeypatch.setattr(runner_module, "write_part", fills_up)
    with pytest.raises(runner_module.StudyError, match="No space left on device.*--resume"):
        run_study(tiny_file, 6, out, workers=1, batch_size=3)
    saved = sorted(p.name for p in (out / "replications").glob("part-*.parquet"))
    assert len(saved) == 2 and not (out / "study.json").exists()
    monkeypatch.setattr(runner_module, "write_part", real_write)
    result = run_study(tiny_file, 6, out, workers=1, batch_size=3, resume=True)
    assert result.resumed and result.replications_run == 6  # only the 2 missing batches
    _assert_complete(out, reference, rows, same_rows)
