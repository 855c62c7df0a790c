"""Read a finished run folder (``iadsim run``) for exports, reports and the viewer."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from iadsim.errors import UsageError

RUN_FILES = ("summary.json", "scene.json", "events.parquet", "trajectories.parquet")
# Scenarios carry no calendar date: scene times are seconds after this epoch.
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_AZIMUTH = re.compile(r"az(?:imuth)?(?:_deg)?=\s*(-?[0-9.]+)")


@dataclass
class RunFolder:
    path: Path
    summary: dict
    scene: dict
    events: pa.Table
    trajectories: pa.Table

    def when(self, seconds: float) -> datetime:
        return EPOCH + timedelta(seconds=float(seconds))

    def entities(self, kind: str) -> dict[str, dict]:
        """{entity_id: {column: array}} of one trajectory kind (threat, interceptor, track),
        rows in time order; entities in order of first appearance."""
        t = self.trajectories.filter(pc.equal(self.trajectories["kind"], kind))
        names = np.array(t["entity_id"].cast(pa.string()).to_pylist(), dtype=object)
        cols = {n: t[n].to_numpy(zero_copy_only=False) for n in t.column_names
                if n not in ("kind", "entity_id")}  # fmt: skip
        cols = {n: (v if v.dtype != object else np.array(v, dtype=object)) for n, v in
                cols.items()}  # fmt: skip
        order = np.lexsort((cols["time_s"], names)) if len(names) else np.zeros(0, int)
        _, first, inverse = np.unique(names, return_index=True, return_inverse=True)
        out: dict[str, dict] = {}
        for g in np.argsort(first):
            rows = order[inverse[order] == g]
            out[str(names[first[g]])] = {n: v[rows] for n, v in cols.items()}
        return out

    def events_of(self, *kinds: str) -> list[dict]:
        mask = pc.is_in(self.events["kind"], pa.array(list(kinds)))
        return self.events.filter(mask).to_pylist()

    def face_pointing(self) -> dict[str, list[tuple[float, float]]]:
        """Per radar: (time_s, face azimuth deg) from ``radar_point`` events when the log has
        them; else the fixed sector centre of the scenario at t = 0."""
        pointing: dict[str, list[tuple[float, float]]] = {}
        if "radar_point" in set(self.events["kind"].to_pylist()):
            for e in self.events_of("radar_point"):
                m = _AZIMUTH.search(e["detail"] or "")
                value = float(m.group(1)) if m else _number(e["detail"])
                if value is not None:
                    pointing.setdefault(e["entity_id"], []).append((e["time_s"], value))
        for radar in self.scene["radars"]:
            pointing.setdefault(radar["name"], [(0.0, radar["sector_center_deg"])])
        return pointing


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


def load_run(path: Path) -> RunFolder:
    """The run folder at ``path``; a UsageError naming what is missing otherwise."""
    if not path.is_dir():
        raise UsageError(f"RUN_DIR: {path}: not a folder")
    missing = [name for name in RUN_FILES if not (path / name).is_file()]
    if missing:
        raise UsageError(
            f"RUN_DIR: {path}: not a run folder of this iadsim version (missing "
            f"{', '.join(missing)}); write one with `iadsim run SCENARIO --out {path}`"
        )
    return RunFolder(
        path=path,
        summary=json.loads((path / "summary.json").read_text()),
        scene=json.loads((path / "scene.json").read_text()),
        events=pq.read_table(path / "events.parquet"),
        trajectories=pq.read_table(path / "trajectories.parquet"),
    )
