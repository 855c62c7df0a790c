"""``iadsim export``, ``iadsim report`` and ``iadsim view``: a finished run for other eyes.

Registered on the main app by :func:`register` (as :mod:`iadsim.study_cli` is).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from iadsim.cli_errors import user_errors as _user_errors
from iadsim.errors import UsageError

console = Console()
FORMATS = ("czml", "kml")


@_user_errors
def export_command(
    run_dir: Annotated[Path, typer.Argument(help="run folder (iadsim run --out)")],
    format: Annotated[str, typer.Option("--format", help="czml or kml")] = "czml",
    out: Annotated[
        Path | None, typer.Option("--out", help="output file; default RUN_DIR/replay.FORMAT")
    ] = None,
    target: Annotated[
        str | None, typer.Option(help="threat type for the coverage volumes; default the first")
    ] = None,
    altitude_m: Annotated[
        float, typer.Option("--altitude-m", help="target altitude of the coverage volumes")
    ] = 5000.0,
) -> None:
    """Export a run as CZML (Cesium) or KML (Google Earth) with its timeline."""
    from iadsim.export.run_folder import load_run

    if format not in FORMATS:
        raise UsageError(f"--format: got {format!r}; allowed: {list(FORMATS)}")
    run = load_run(run_dir)
    path = out or run_dir / f"replay.{format}"
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        if format == "czml":
            from iadsim.export.czml import write_czml

            doc = write_czml(run, tmp, target, altitude_m)
            count = len(doc.packets) - 1
        else:
            from iadsim.export.kml import write_kml

            write_kml(run, tmp, target, altitude_m)
            count = None
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    console.print(f"wrote {path}" + (f" ({count} entities)" if count is not None else ""))


@_user_errors
def report_command(
    folder: Annotated[Path, typer.Argument(help="run folder or finished study folder")],
    out: Annotated[
        Path | None, typer.Option("--out", help="output file; default FOLDER/report.html")
    ] = None,
) -> None:
    """Write one self-contained report.html (plots embedded, tables, provenance)."""
    from iadsim.report.html import write_report

    if not folder.is_dir():
        raise UsageError(f"RUN_DIR|STUDY_DIR: {folder}: not a folder")
    console.print(f"wrote {write_report(folder, out)}")


def register(app: typer.Typer) -> None:
    """Add ``export``, ``report`` and ``view`` to a typer app (the main ``iadsim`` app)."""
    app.command("export")(export_command)
    app.command("report")(report_command)
