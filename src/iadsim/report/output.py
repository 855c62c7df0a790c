"""Write a run's results into an output folder atomically.

Everything is written into a hidden temporary folder beside the target and renamed into
place at the end, so an interrupted or failed run never leaves a half-written folder.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow.parquet as pq

from iadsim.errors import UsageError
from iadsim.report.plot import plot_engagement
from iadsim.report.scene import build_scene
from iadsim.report.summary import summarize
from iadsim.report.trajectories import trajectory_table
from iadsim.sim.engine import RunResult


def check_output_dir(out: Path, overwrite: bool) -> None:
    """Refuse an existing output folder unless ``overwrite`` (checked before any work)."""
    if out.exists() and not overwrite:
        raise UsageError(f"{out}: output folder already exists; pass --overwrite to replace it")
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: exists and is not a folder")


@contextmanager
def atomic_output_dir(out: Path, overwrite: bool) -> Iterator[Path]:
    """Yield a hidden temporary folder beside ``out``; rename it to ``out`` on success."""
    check_output_dir(out, overwrite)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        yield tmp
        replace_dir(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_run(result: RunResult, scenario_path: str, out: Path, overwrite: bool) -> dict:
    """events.parquet, trajectories.parquet, summary.json, scene.json and engagement.png
    into ``out``; returns the summary."""
    with atomic_output_dir(out, overwrite) as tmp:
        table = result.events.to_table(result.world.frame)
        pq.write_table(table, tmp / "events.parquet", compression="zstd")
        if result.trajectories is not None:
            pq.write_table(trajectory_table(result, table), tmp / "trajectories.parquet",
                           compression="zstd")  # fmt: skip
        summary = summarize(result, scenario_path)
        (tmp / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
        scene = build_scene(result, scenario_path)
        (tmp / "scene.json").write_text(json.dumps(scene) + "\n")
        plot_engagement(result, tmp / "engagement.png")
    return summary


def replace_dir(src: Path, dst: Path) -> None:
    """Move the finished folder ``src`` to ``dst``, replacing an old ``dst`` last."""
    if dst.exists():
        old = dst.with_name(f".{dst.name}.old-{os.getpid()}")
        dst.rename(old)
        src.rename(dst)
        shutil.rmtree(old, ignore_errors=True)
    else:
        src.rename(dst)
