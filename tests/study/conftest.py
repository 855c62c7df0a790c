"""The tiny study scenario (tests/conftest.py, about 0.1 s per replication) as a file, and
helpers to read its rows."""

import copy
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml


@pytest.fixture
def tiny(tiny_study) -> dict:
    return copy.deepcopy(tiny_study)


@pytest.fixture
def write_yaml(tmp_path):
    def write(data, name="study.yaml") -> Path:
        path = tmp_path / name
        path.write_text(yaml.safe_dump(data, sort_keys=False))
        return path

    return write


@pytest.fixture(scope="session")
def tiny_file(tmp_path_factory, tiny_study) -> Path:
    path = tmp_path_factory.mktemp("tiny") / "tiny.yaml"
    path.write_text(yaml.safe_dump(tiny_study, sort_keys=False))
    return path


@pytest.fixture(scope="session")
def reference(tiny_file, tmp_path_factory):
    """The tiny study, n = 6, one worker (in this process), batches of 3."""
    from iadsim.study import run_study

    out = tmp_path_factory.mktemp("reference") / "study"
    run_study(tiny_file, 6, out, workers=1, batch_size=3)
    return out


def read_rows(out: Path) -> pa.Table:
    """Every replication row of a study folder, sorted by (alternative, sweep, replication)."""
    files = sorted((Path(out) / "replications").glob("part-*.parquet"))
    table = pa.concat_tables(pq.ParquetFile(f).read() for f in files)
    return table.sort_by(
        [("alternative", "ascending"), ("sweep_value", "ascending"), ("replication", "ascending")]
    )


def assert_same_rows(a: pa.Table, b: pa.Table) -> None:
    """Equal column by column (NaN equals NaN: time_of_first_leak_s is NaN without a leak)."""
    assert a.schema.equals(b.schema)
    assert a.num_rows == b.num_rows
    for name in a.column_names:
        np.testing.assert_array_equal(
            a[name].to_numpy(zero_copy_only=False), b[name].to_numpy(zero_copy_only=False),
            err_msg=name,
        )  # fmt: skip


@pytest.fixture(scope="session")
def rows():
    return read_rows


@pytest.fixture(scope="session")
def same_rows():
    return assert_same_rows
