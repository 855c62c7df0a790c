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


@_user_errors
def view_command(
    folders: Annotated[list[Path], typer.Argument(help="RUN_DIR [STUDY_DIR ...]")],
    host: Annotated[str, typer.Option(help="address to bind (default: loopback only)")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="port (0: any free port)", min=0, max=65535)] = 8765,
) -> None:
    """Open a read-only 3D replay of runs (and a study's plots) in the browser."""
    import socket

    import uvicorn

    from iadsim.web.app import create_app, viewer_built

    if not viewer_built():
        raise UsageError(
            "the viewer's CesiumJS bundle is not built: in the source tree run "
            "`npm ci && npm run build`, or install a built package"
        )
    app = create_app(folders)
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        raise UsageError(f"--host/--port: cannot bind {host}:{port}: {exc.strerror}") from None
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    print(f"iadsim viewer on http://{shown}:{bound}/ (read-only; Ctrl+C to stop)", flush=True)
    config = uvicorn.Config(app, log_level="warning", h11_max_incomplete_event_size=16_384,
                            limit_concurrency=64, server_header=False)  # fmt: skip
    uvicorn.Server(config).run(sockets=[sock])


def register(app: typer.Typer) -> None:
    """Add ``export``, ``report`` and ``view`` to a typer app (the main ``iadsim`` app)."""
    app.command("export")(export_command)
    app.command("report")(report_command)
    app.command("view")(view_command)
