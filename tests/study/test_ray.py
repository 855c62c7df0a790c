"""The Ray backend gives the same rows as local processes, also when a worker dies
mid-batch (skipped without Ray)."""

import os

import pytest

from iadsim.study import run_study
from iadsim.study.backends import KILL_WORKER_DIR_ENV, RAY_TASK_RETRIES
from iadsim.study.errors import StudyError


@pytest.fixture(scope="module")
def kill_dir(tmp_path_factory):
    """The workers' kill-hook folder: a file ``kill-B-k`` kills one attempt at batch B."""
    return tmp_path_factory.mktemp("kill")


@pytest.fixture(scope="module")
def ray_session(kill_dir):
    try:
        import ray
    except ImportError as exc:  # not installed, or a broken install
        pytest.skip(f"Ray is not importable ({exc}); pip install 'iadsim[ray]' to run this")
    try:
        ray.init(num_cpus=2, include_dashboard=False, logging_level="ERROR",
                 runtime_env={"env_vars": {KILL_WORKER_DIR_ENV: str(kill_dir)}})  # fmt: skip
    except Exception as exc:  # a sandbox without shared memory, ports...
        pytest.skip(f"Ray cannot start here: {type(exc).__name__}: {exc}")
    yield ray
    ray.shutdown()


def _deaths(kill_dir):
    """Process ids of the workers the hook killed (each claimed one kill file)."""
    return [int(p.name.split("-")[1]) for p in kill_dir.glob("died-*")]


def _gone(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_ray_gives_the_same_rows_as_local(ray_session, reference, tiny_file, tmp_path, rows,
                                          same_rows):  # fmt: skip
    out = tmp_path / "ray"
    result = run_study(tiny_file, 6, out, backend="ray", workers=2, batch_size=2)
    assert result.replications_run == 12
    same_rows(rows(reference), rows(out))
    assert ray_session.is_initialized()  # the caller's Ray session is left running


def test_a_worker_killed_mid_batch_is_retried(ray_session, kill_dir, reference, tiny_file,
                                              tmp_path, rows, same_rows):  # fmt: skip
    # Batch 1 (s300, replications 0-1): its first attempt computes the rows, then its
    # worker process exits before handing them back.
    (kill_dir / "kill-1-0").touch()
    out = tmp_path / "killed"
    result = run_study(tiny_file, 6, out, backend="ray", workers=2, batch_size=2)
    died = _deaths(kill_dir)
    assert len(died) == 1 and not list(kill_dir.glob("kill-*"))  # the hook fired once
    assert _gone(died[0])  # ... and that worker is dead
    assert result.replications_run == 12
    same_rows(rows(reference), rows(out))  # neither lost nor duplicated
    for p in kill_dir.iterdir():
        p.unlink()


def test_a_batch_whose_worker_keeps_dying_stops_the_study_then_resume_finishes(
    ray_session, kill_dir, reference, tiny_file, tmp_path, rows, same_rows
):
    for k in range(RAY_TASK_RETRIES + 1):  # every attempt at batch 2 dies
        (kill_dir / f"kill-2-{k}").touch()
    out = tmp_path / "dying"
    with pytest.raises(StudyError, match="batch 2 .*WorkerCrashedError.*--resume"):
        run_study(tiny_file, 6, out, backend="ray", workers=2, batch_size=2)
    assert len(_deaths(kill_dir)) == RAY_TASK_RETRIES + 1
    assert not (out / "study.json").exists()
    assert not (out / "replications" / "part-00002.parquet").exists()
    result = run_study(tiny_file, 6, out, backend="ray", workers=2, batch_size=2, resume=True)
    assert result.resumed and 0 < result.replications_run < 12
    same_rows(rows(reference), rows(out))
    for p in kill_dir.iterdir():
        p.unlink()
