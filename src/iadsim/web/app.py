"""The viewer's server: a read-only FastAPI app over the run and study folders it was given.

It serves the static page (CesiumJS from npm, bundled into the package at build time, see
``scripts/build_viewer.mjs``), a JSON API describing the folders, each run's scene as CZML
(built in memory by :mod:`iadsim.export.czml`, never written), heightmap tiles of a run's
DEM (:mod:`iadsim.web.terrain_tiles`; the DEM is read, never served), and the files inside the
given folders, nothing else: a file path is resolved and must stay inside its folder (no
``..``, no absolute paths, no hidden files, no symbolic links out), or the answer is 404.
Only GET and HEAD are accepted, requests carry no body, and long URLs are refused.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from iadsim import __version__
from iadsim.errors import UsageError
from iadsim.web.terrain_tiles import DemTiles

STATIC = Path(__file__).parent / "static"
VENDOR = STATIC / "vendor"
MAX_URL_BYTES = 2048
NOT_FOUND = {404: {"description": "no such folder or file"}}
mimetypes.add_type("application/json", ".czml")
mimetypes.add_type("application/vnd.google-earth.kml+xml", ".kml")
mimetypes.add_type("application/geo+json", ".geojson")


@dataclass
class Folder:
    """A run or study folder the viewer was given."""

    index: int
    path: Path
    kind: str  # "run" or "study"
    name: str
    terrain: DemTiles | None = field(default=None, repr=False)
    _czml: str | None = field(default=None, repr=False)


class TerrainBounds(BaseModel):
    south: float
    west: float
    north: float
    east: float


class FolderInfo(BaseModel):
    id: int
    kind: str
    name: str
    files: list[str]
    terrain_bounds_deg: TerrainBounds | None = None


class Info(BaseModel):
    iadsim_version: str
    folders: list[FolderInfo]


def classify(path: Path, index: int) -> Folder:
    """A Folder for ``path``, or a UsageError saying what it lacks."""
    if not path.is_dir():
        raise UsageError(f"FOLDER: {path}: not a folder")
    if (path / "study.json").is_file():
        name = json.loads((path / "study.json").read_text()).get("scenario", path.name)
        return Folder(index, path.resolve(), "study", str(name))
    if (path / "summary.json").is_file() and (path / "scene.json").is_file():
        name = json.loads((path / "summary.json").read_text()).get("scenario", path.name)
        return Folder(index, path.resolve(), "run", str(name), _run_terrain(path))
    raise UsageError(
        f"FOLDER: {path}: neither a run folder (summary.json and scene.json, from `iadsim run`) "
        "nor a finished study folder (study.json)"
    )


def _run_terrain(path: Path) -> DemTiles | None:
    """The heightmap tiles of the run's DEM (scene.json ``terrain.dem``), or None for a run
    without one; a DEM that moved or changed since the run is named and left out."""
    terrain = json.loads((path / "scene.json").read_text()).get("terrain")
    if not terrain:
        return None
    dem = Path(terrain["dem"])
    if not dem.is_file() or hashlib.sha256(dem.read_bytes()).hexdigest() != terrain["dem_sha256"]:
        print(f"{path}: scene.json terrain.dem {dem} is missing or changed since the run; "
              "showing the smooth globe", file=sys.stderr)  # fmt: skip
        return None
    return DemTiles(dem)


def viewer_built() -> bool:
    return (VENDOR / "cesium" / "Cesium.js").is_file()


def safe_file(root: Path, relative: str) -> Path | None:
    """The regular file ``relative`` inside ``root``, or None for anything else: empty,
    absolute, ``..`` or hidden components, backslashes, NUL, or a path resolving outside."""
    if not relative or "\x00" in relative or "\\" in relative or relative.startswith("/"):
        return None
    parts = relative.split("/")
    if any(p in ("", ".", "..") or p.startswith(".") for p in parts):
        return None
    candidate = root.joinpath(*parts)
    try:
        resolved = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not resolved.is_relative_to(root) or not resolved.is_file():
        return None
    return resolved


def _listing(folder: Folder) -> list[str]:
    out = []
    for p in sorted(folder.path.rglob("*")):
        rel = p.relative_to(folder.path).as_posix()
        if safe_file(folder.path, rel) is not None:
            out.append(rel)
    return out


def create_app(paths: list[Path]) -> FastAPI:
    """The viewer app for the given run and study folders (checked here)."""
    if not paths:
        raise UsageError("FOLDER: give at least one run or study folder")
    folders = [classify(p, i) for i, p in enumerate(paths)]
    app = FastAPI(title="iadsim viewer", version=__version__, docs_url=None, redoc_url=None)

    @app.middleware("http")
    async def read_only(request: Request, call_next):
        """GET and HEAD only, with no body and a bounded URL."""
        if request.method not in ("GET", "HEAD"):
            return JSONResponse({"detail": "read-only viewer"}, 405, headers={"Allow": "GET"})
        size = request.headers.get("content-length")
        if (size not in (None, "0")) or "transfer-encoding" in request.headers:
            return JSONResponse({"detail": "requests carry no body"}, 413)
        url = request.scope.get("raw_path", b"") + b"?" + request.scope.get("query_string", b"")
        if len(url) > MAX_URL_BYTES:
            return JSONResponse({"detail": "URL too long"}, 414)
        try:
            response = await call_next(request)
        except Exception:  # never a traceback to the client
            return JSONResponse({"detail": "internal error"}, 500)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return JSONResponse({"detail": str(exc.detail)}, exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def bad_path(request: Request, exc: RequestValidationError):
        return JSONResponse({"detail": "not found"}, 404)  # a malformed id names nothing

    @app.exception_handler(Exception)
    async def any_error(request: Request, exc: Exception):
        return JSONResponse({"detail": "internal error"}, 500)

    def folder_of(folder_id: int, kind: str | None = None) -> Folder:
        if not 0 <= folder_id < len(folders) or (kind and folders[folder_id].kind != kind):
            raise HTTPException(404, "no such folder")
        return folders[folder_id]

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    @app.get("/api/info", response_model=Info)
    def info() -> Info:
        """The folders this viewer shows."""
        return Info(iadsim_version=__version__, folders=[
            FolderInfo(id=f.index, kind=f.kind, name=f.name, files=_listing(f),
                       terrain_bounds_deg=f.terrain.bounds_deg if f.terrain else None)
            for f in folders
        ])  # fmt: skip

    @app.get("/api/folders/{folder_id}/summary", responses=NOT_FOUND)
    def summary(folder_id: int) -> dict[str, Any]:
        """A run's summary.json or a study's study.json."""
        f = folder_of(folder_id)
        name = "summary.json" if f.kind == "run" else "study.json"
        return json.loads((f.path / name).read_text())

    @app.get(
        "/api/folders/{folder_id}/replay.czml",
        responses={200: {"content": {"application/json": {}}}, **NOT_FOUND},
        response_class=Response,
    )
    def replay(folder_id: int) -> Response:
        """The run's scene as CZML (built in memory on first use)."""
        f = folder_of(folder_id, "run")
        if f._czml is None:
            from iadsim.export.czml import build_document
            from iadsim.export.run_folder import load_run

            f._czml = build_document(load_run(f.path)).dumps()
        return Response(f._czml, media_type="application/json")

    @app.get(
        "/api/folders/{folder_id}/terrain/{level}/{x}/{y}",
        responses={200: {"content": {"application/octet-stream": {}}}, **NOT_FOUND},
        response_class=Response,
    )
    def terrain_tile(folder_id: int, level: int, x: int, y: int) -> Response:
        """Heights (m) of the run's DEM on tile (x, y, level) of Cesium's geographic tiling
        scheme: HEIGHTMAP_SIZE^2 little-endian float32, rows from the north-west corner."""
        f = folder_of(folder_id, "run")
        heights = f.terrain.heights_m(x, y, level) if f.terrain else None
        if heights is None:
            raise HTTPException(404, "no terrain tile")
        return Response(heights.astype("<f4").tobytes(), media_type="application/octet-stream",
                        headers={"Cache-Control": "max-age=3600"})  # fmt: skip

    @app.get(
        "/api/folders/{folder_id}/files/{file_path:path}",
        responses={200: {"content": {"application/octet-stream": {}}}, **NOT_FOUND},
        response_class=FileResponse,
    )
    def folder_file(folder_id: int, file_path: str) -> FileResponse:
        """A file inside one of the given folders."""
        f = folder_of(folder_id)
        path = safe_file(f.path, file_path)
        if path is None:
            raise HTTPException(404, "no such file")
        return FileResponse(path)

    app.mount("/static", StaticFiles(directory=STATIC, follow_symlink=False), name="static")
    return app
