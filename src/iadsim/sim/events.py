"""The event log: appended in time order, written as one Arrow table."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

EVENT_KINDS = (
    "detect",
    "track_start",
    "track_coast",
    "track_resume",
    "track_drop",
    "radar_cue",
    "radar_point",
    "assign",
    "launch",
    "intercept",
    "miss",
    "kill",
    "leak",
    "impact",
    "release",
    "evade",
)

SCHEMA = pa.schema(
    [
        ("time_s", pa.float64()),
        ("kind", pa.string()),
        ("entity_id", pa.string()),
        ("entity_type", pa.string()),
        ("other_id", pa.string()),
        ("lat_deg", pa.float64()),
        ("lon_deg", pa.float64()),
        ("alt_m", pa.float64()),
        ("detail", pa.string()),
    ]
)


class EventLog:
    """Column lists of events; positions are stored in map metres and converted at the end."""

    def __init__(self) -> None:
        self._cols: dict[str, list] = {
            n: [] for n in SCHEMA.names if n not in ("lat_deg", "lon_deg")
        }
        self._x: list[float] = []
        self._y: list[float] = []

    def add(self, time_s, kind, entity_id, entity_type, other_id, xyz, detail="") -> None:
        """Append one event (the common case, without array conversions)."""
        if kind not in EVENT_KINDS:
            raise ValueError(f"unknown event kind {kind!r}")
        cols = self._cols
        cols["time_s"].append(float(time_s))
        cols["kind"].append(kind)
        cols["entity_id"].append(entity_id)
        cols["entity_type"].append(entity_type)
        cols["other_id"].append(other_id)
        self._x.append(float(xyz[0]))
        self._y.append(float(xyz[1]))
        cols["alt_m"].append(float(xyz[2]))
        cols["detail"].append(detail)

    def add_batch(self, time_s, kind, entity_ids, entity_type, other_ids, xyz, details) -> None:
        """Append n events of one kind; xyz is (n, 3) map metres."""
        if kind not in EVENT_KINDS:
            raise ValueError(f"unknown event kind {kind!r}")
        n = len(entity_ids)
        self._cols["time_s"] += np.broadcast_to(np.asarray(time_s, float), (n,)).tolist()
        self._cols["kind"] += [kind] * n
        self._cols["entity_id"] += list(entity_ids)
        self._cols["entity_type"] += [entity_type] * n
        self._cols["other_id"] += list(other_ids)
        self._x += np.asarray(xyz)[:, 0].tolist()
        self._y += np.asarray(xyz)[:, 1].tolist()
        self._cols["alt_m"] += np.asarray(xyz)[:, 2].tolist()
        self._cols["detail"] += list(details)

    def __len__(self) -> int:
        return len(self._cols["time_s"])

    def to_table(self, frame) -> pa.Table:
        """The log as an Arrow table, positions converted to WGS84 with ``frame``."""
        lat, lon = frame.to_geodetic(np.asarray(self._x), np.asarray(self._y))
        data = dict(self._cols)
        data["lat_deg"] = np.atleast_1d(lat)
        data["lon_deg"] = np.atleast_1d(lon)
        return pa.table({n: data[n] for n in SCHEMA.names}, schema=SCHEMA)
