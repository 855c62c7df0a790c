"""Output folders that never cost the user a file.

Every command writes into a fresh hidden folder beside ``--out`` and renames it into place,
so a failed run leaves nothing half-written. Each finished folder holds a marker file,
``.iadsim-output``; ``--overwrite`` replaces only a folder that carries it, so a folder of
the user's own work (or ``--out .``) is refused, never emptied. Folders are created with
the user's umask (``tempfile.mkdtemp`` would give 0700).
"""

from __future__ import annotations

import datetime as _dt
import errno
import json
import os
import secrets
import shutil
from pathlib import Path

from iadsim.errors import UsageError

MARKER = ".iadsim-output"
# Write errors that are the user's environment, not a bug: reported in one line.
_ENV_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EACCES, errno.EPERM, errno.EROFS}


def is_iadsim_folder(out: Path) -> bool:
    return (out / MARKER).is_file()


def check_output_dir(out: Path, overwrite: bool, exists_hint: str | None = None) -> None:
    """Refuse, before any work, an ``--out`` that iadsim must not create or replace."""
    check_location(out)
    if not (out.exists() or out.is_symlink()):
        return
    if not out.is_dir():
        raise UsageError(f"{out}: exists and is not a folder; choose another --out")
    if not overwrite:
        raise UsageError(
            f"{out}: output folder already exists; "
            + (exists_hint or "pass --overwrite to replace it")
        )
    if not is_iadsim_folder(out):
        raise UsageError(
            f"{out}: not an iadsim output folder (no {MARKER} file); --overwrite replaces "
            "only folders iadsim made: choose another --out or remove it yourself"
        )


def check_location(out: Path) -> None:
    """``--out`` is not the current folder (or above it, or home) and can be created."""
    _check_not_protected(out)
    _check_parents(out)


def _check_not_protected(out: Path) -> None:
    target = out.resolve()
    cwd = Path.cwd().resolve()
    if target == cwd or target in cwd.parents or target == Path.home().resolve():
        raise UsageError(
            f"--out: got {str(out)!r}; that is the current folder, one above it or the home "
            "folder; give a new sub-folder such as runs/latest"
        )


def _check_parents(out: Path) -> None:
    for parent in out.absolute().parents:
        if parent.exists():
            if not parent.is_dir():
                raise UsageError(
                    f"--out: got {str(out)!r}; {parent} is a file, not a folder, so nothing can be "
                    "created under it"
                )
            return


def make_parent(out: Path) -> None:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(
            f"--out: got {str(out)!r}; cannot create {out.parent}: {_why(exc)}"
        ) from None


def new_hidden_dir(out: Path) -> Path:
    """A fresh hidden folder beside ``out`` with the user's umask (mode 0777 & ~umask)."""
    make_parent(out)
    for _ in range(100):
        tmp = out.parent / f".{out.name}.tmp-{secrets.token_hex(4)}"
        try:
            tmp.mkdir()
        except FileExistsError:
            continue
        except OSError as exc:
            raise UsageError(f"{out}: cannot create the output folder: {_why(exc)}") from None
        return tmp
    raise UsageError(f"{out}: cannot create a temporary folder beside it")


def write_marker(folder: Path, command: str) -> None:
    """The file that lets a later ``--overwrite`` know iadsim made this folder."""
    from iadsim import __version__

    stamp = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
    info = {"made_by": "iadsim", "version": __version__, "command": command, "utc": stamp}
    (folder / MARKER).write_text(json.dumps(info) + "\n")


def replace_dir(src: Path, dst: Path) -> None:
    """Move the finished folder ``src`` to ``dst``; an old ``dst`` (an iadsim folder, checked
    by :func:`check_output_dir`) is renamed aside first and removed last."""
    if dst.exists() or dst.is_symlink():
        if not is_iadsim_folder(dst):
            raise UsageError(f"{dst}: appeared during the run and is not an iadsim folder")
        old = dst.with_name(f".{dst.name}.old-{os.getpid()}-{secrets.token_hex(2)}")
        dst.rename(old)
        src.rename(dst)
        _remove(old)
    else:
        src.rename(dst)


def remove_dir(out: Path) -> None:
    """Remove an iadsim output folder (refusing any other) by renaming it aside first."""
    if not is_iadsim_folder(out):
        raise UsageError(f"{out}: not an iadsim output folder (no {MARKER} file); not removed")
    old = out.with_name(f".{out.name}.old-{os.getpid()}-{secrets.token_hex(2)}")
    out.rename(old)
    _remove(old)


def _remove(folder: Path) -> None:
    if folder.is_symlink():  # a link is removed, never what it points to
        folder.unlink()
    else:
        shutil.rmtree(folder, ignore_errors=True)


def write_error(out: Path, exc: OSError) -> UsageError | None:
    """A one-line error for a write that failed because of the disk or permissions."""
    if exc.errno in _ENV_ERRNOS:
        return UsageError(f"{out}: cannot write the outputs: {_why(exc)}")
    return None


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


def check_output_file(out: Path, overwrite: bool, signature: bytes) -> None:
    """For a single output file: refuse a folder, a path under a file, or an existing file
    unless ``overwrite`` and the file carries ``signature`` (iadsim wrote it)."""
    check_location(out)
    if out.is_dir():
        raise UsageError(f"--out: got {str(out)!r}; that is a folder; give a file name")
    if not out.exists():
        return
    if not overwrite:
        raise UsageError(f"{out}: file already exists; pass --overwrite to replace it")
    with open(out, "rb") as fh:
        head = fh.read(65536)
    if signature not in head:
        raise UsageError(
            f"{out}: not a file iadsim wrote; --overwrite replaces only iadsim's own files: "
            "choose another --out or remove it yourself"
        )
