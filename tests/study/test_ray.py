"""The Ray backend gives the same rows as local processes (skipped without Ray)."""

import pytest

from iadsim.study import run_study


@pytest.fixture(scope="module")
def ray_session():
    try:
        import ray
    except ImportError as exc:  # not installed, or a broken install
        pytest.skip(f"Ray is not importable ({exc}); pip install 'iadsim[ray]' to run this")
    try:
        ray.init(num_cpus=2, include_dashboard=False, logging_level="ERROR")
    except Exception as exc:  # a sandbox without shared memory, ports...
        pytest.skip(f"Ray cannot start here: {type(exc).__name__}: {exc}")
    yield ray
    ray.shutdown()


def test_ray_gives_the_same_rows_as_local(ray_session, reference, tiny_file, tmp_path, rows,
                                          same_rows):  # fmt: skip
    out = tmp_path / "ray"
    result = run_study(tiny_file, 6, out, backend="ray", workers=2, batch_size=2)
    assert result.replications_run == 12
    same_rows(rows(reference), rows(out))
    assert ray_session.is_initialized()  # the caller's Ray session is left running
