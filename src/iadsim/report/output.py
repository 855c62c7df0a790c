"""Write a run's results into an output folder atomically (see :mod:`iadsim.outdir`).

Everything is written into a hidden temporary folder beside the target and renamed into
place at the end, so an interrupted or failed run never leaves a half-written folder.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow.parquet as pq

from iadsim.outdir import (
    check_output_dir,
    new_hidden_dir,
    replace_dir,
    write_error,
    write_marker,
)
from iadsim.report.plot import plot_engagement
from iadsim.report.scene import build_scene
from iadsim.report.summary import summarize
from iadsim.report.trajectories import trajectory_table
from iadsim.sim.engine import RunResult


@contextmanager
def atomic_output_dir(out: Path, overwrite: bool, command: str = "run") -> Iterator[Path]:
    """Yield a hidden temporary folder beside ``out``; rename it to ``out`` on success.

    The folder gets the marker that lets a later ``--overwrite`` replace it (and nothing
    else); a write that fails for lack of disk space or permission is one line."""
    check_output_dir(out, overwrite)
    tmp = new_hidden_dir(out)
    try:
        write_marker(tmp, command)
        yield tmp
        replace_dir(tmp, out)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        err = write_error(out, exc)
        if err is None:
            raise
        raise err from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_run(
    result: RunResult,
    scenario_path: str,
    out: Path,
    overwrite: bool,
    table=None,
    summary: dict | None = None,
) -> dict:
    """events.parquet, trajectories.parquet, summary.json, scene.json and engagement.png
    into ``out``; returns the summary. ``table`` (the events) and ``summary`` may be given
    when already computed (``iadsim.Result``)."""
    with atomic_output_dir(out, overwrite) as tmp:
        if table is None:
            table = result.events.to_table(result.world.frame)
        pq.write_table(table, tmp / "events.parquet", compression="zstd")
        if result.trajectories is not None:
            pq.write_table(trajectory_table(result, table), tmp / "trajectories.parquet",
                           compression="zstd")  # fmt: skip
        if summary is None:
            summary = summarize(result, scenario_path)
        (tmp / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
        scene = build_scene(result, scenario_path)
        (tmp / "scene.json").write_text(json.dumps(scene) + "\n")
        plot_engagement(result, tmp / "engagement.png")
    return summary
