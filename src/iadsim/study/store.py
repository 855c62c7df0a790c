"""A study folder: manifest, replication part files, lock and final outputs.

```
DIR/manifest.json                    what study this is (scenario hash, n, seed, batches)
DIR/replications/part-00000.parquet  one file per batch, written to a hidden temporary
                                     name and renamed, so a part file is whole or absent
DIR/study.json, DIR/convergence.png  written (atomically) when every batch is done
DIR/.lock                            held (flock) while a study process works in DIR
```
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from iadsim.errors import UsageError
from iadsim.outdir import check_location, check_output_dir, new_hidden_dir, remove_dir, write_marker

MANIFEST = "manifest.json"
PARTS = "replications"
FORMAT = "iadsim-study/1"
_PART = re.compile(r"^part-(\d+)\.parquet$")
# Manifest fields that must agree for --resume (workers and backend may change freely).
IDENTITY = ("format", "scenario_hash", "n", "seed", "batch_size", "variants", "columns")


def part_path(out: Path, batch_id: int) -> Path:
    return out / PARTS / f"part-{batch_id:05d}.parquet"


def write_part(out: Path, batch_id: int, table: pa.Table) -> Path:
    """Write one batch's rows under a temporary name, flush to disk, rename into place."""
    final = part_path(out, batch_id)
    tmp = final.with_name(f".{final.name}.tmp-{os.getpid()}")
    with _removed_on_failure(tmp):
        pq.write_table(table, tmp, compression="zstd")
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, final)
    return final


def atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with _removed_on_failure(tmp):
        tmp.write_text(text)
        os.replace(tmp, path)


def atomic_savefig(fig, path: Path, **kwargs) -> None:
    tmp = path.with_name(f".{path.stem}.tmp-{os.getpid()}{path.suffix}")
    with _removed_on_failure(tmp):
        fig.savefig(tmp, **kwargs)
        os.replace(tmp, path)


@contextlib.contextmanager
def _removed_on_failure(tmp: Path) -> Iterator[None]:
    """A write that fails (a full disk) leaves no partial temporary file behind."""
    try:
        yield
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise


def finished_parts(out: Path, expected_rows) -> set[int]:
    """Batch ids whose part file is complete; delete leftovers of an interrupted write.

    ``expected_rows(batch_id)`` gives the rows a part must hold (None: not in the plan).
    A part that cannot be read or holds the wrong number of rows is deleted and re-run.
    """
    done: set[int] = set()
    folder = out / PARTS
    if not folder.is_dir():
        return done
    for path in folder.iterdir():
        if path.name.startswith(".") and ".tmp-" in path.name:
            path.unlink(missing_ok=True)
            continue
        match = _PART.match(path.name)
        if not match:
            continue
        batch_id = int(match.group(1))
        want = expected_rows(batch_id)
        try:
            rows = pq.read_metadata(path).num_rows
        except Exception:  # a damaged file is re-run, whatever the damage
            rows = None
        if want is None or rows != want:
            path.unlink(missing_ok=True)
            continue
        done.add(batch_id)
    return done


def part_files(out: Path) -> list[Path]:
    """The finished part files, in batch order."""
    folder = out / PARTS
    files = [p for p in folder.iterdir() if _PART.match(p.name)] if folder.is_dir() else []
    return sorted(files, key=lambda p: int(_PART.match(p.name).group(1)))


def prepare(out: Path, manifest: dict, resume: bool, overwrite: bool) -> bool:
    """Create, replace or reopen the study folder; True when it resumes an earlier run.

    An existing folder needs --resume (same study: the manifest must match) or
    --overwrite (replaced). --resume on a folder that does not exist starts afresh, so a
    restart script can always pass it.
    """
    resumed = check_target(out, manifest, resume, overwrite)
    if out.exists() and overwrite:
        remove_dir(out)  # an iadsim folder only (check_target refused any other)
    if not resumed:  # a new folder appears whole (manifest included) or not at all
        tmp = new_hidden_dir(out)
        try:
            write_marker(tmp, "study")
            (tmp / PARTS).mkdir()
            (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
            tmp.rename(out)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return resumed


def check_target(out: Path, manifest: dict, resume: bool, overwrite: bool) -> bool:
    """The checks of ``prepare``, changing nothing; True when the study would resume."""
    if resume and overwrite:
        raise UsageError("--resume and --overwrite: give one, not both")
    if resume and out.exists():  # reopened, not replaced: its manifest must match
        check_location(out)
        if not out.is_dir():
            raise UsageError(f"{out}: exists and is not a folder")
        check_manifest(out, manifest)
        return True
    hint = "pass --resume to continue the study it holds, or --overwrite to replace it"
    check_output_dir(out, overwrite, exists_hint=hint)
    return False


def check_manifest(out: Path, manifest: dict) -> None:
    """Refuse to resume a folder that holds a different study (or none)."""
    path = out / MANIFEST
    if not path.exists():
        raise UsageError(
            f"{out}: cannot resume: no {MANIFEST} (not a study folder); pass --overwrite "
            "to replace it"
        )
    try:
        old = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: cannot resume: unreadable manifest ({exc})") from None
    differ = [k for k in IDENTITY if old.get(k) != manifest.get(k)]
    if differ:
        shown = ", ".join(f"{k} {_short(old.get(k))} -> {_short(manifest.get(k))}" for k in differ)
        raise UsageError(
            f"{out}: cannot resume: it holds a different study ({shown}); use another "
            "--out or pass --overwrite"
        )


def _short(value) -> str:
    text = json.dumps(value)
    return text if len(text) <= 24 else text[:21] + "..."


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold an exclusive lock on DIR/.lock (released by the OS even after kill -9)."""
    try:
        import fcntl
    except ImportError:  # not on POSIX: no lock
        yield
        return
    with open(out / ".lock", "a+") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UsageError(f"{out}: another iadsim study is running in this folder") from None
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
