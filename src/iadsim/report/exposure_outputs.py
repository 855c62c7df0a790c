"""Write the results of ``iadsim exposure``: exposure.json, exposure.parquet (one row per
look), exposure_segments.geojson (route segments in detection) and the plots."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from iadsim.exposure.analysis import Exposure, summary
from iadsim.report.coverage_outputs import safe_name
from iadsim.report.exposure_plots import plot_aspect_map, plot_timeline


def write_exposure(exposure: Exposure, scenario_path: str, out: Path) -> dict:
    """Every output file into the (temporary) folder ``out``; returns the summary."""
    result = summary(exposure, scenario_path)
    (out / "exposure.json").write_text(json.dumps(result, indent=2) + "\n")
    pq.write_table(look_table(exposure), out / "exposure.parquet", compression="zstd")
    write_segments_geojson(exposure, out / "exposure_segments.geojson")
    radars = exposure.world.radars
    for pair in exposure.pairs:
        if pair.with_reflectors:
            continue
        fitted = next((p for p in exposure.pairs if p.with_reflectors and p.radar == pair.radar
                       and p.flight == pair.flight), None)  # fmt: skip
        name = f"aspect_{safe_name(radars.name[pair.radar])}_"
        name += f"{safe_name(exposure.flights[pair.flight].name)}.png"
        plot_aspect_map(exposure, pair, fitted, out / name)
    plot_timeline(exposure, out / "exposure_timeline.png")
    return result


def look_table(exposure: Exposure) -> pa.Table:
    """One row per look of every sortie: time, radar, flight, sortie, reflectors, body
    azimuth and elevation (deg), single-pulse SNR (dB), detected, in track."""
    cols: dict[str, list] = {k: [] for k in (
        "time_s", "radar", "flight", "sortie", "reflectors", "body_az_deg", "body_el_deg",
        "snr_db", "covered", "detected", "tracked")}  # fmt: skip
    radars = exposure.world.radars
    for p in exposure.pairs:
        s, t = p.detected.shape
        lk = p.looks
        cols["time_s"].append(np.tile(lk.time_s, s))
        cols["radar"].append(np.full(s * t, radars.name[p.radar], dtype=object))
        cols["flight"].append(np.full(s * t, exposure.flights[p.flight].name, dtype=object))
        cols["sortie"].append(np.repeat(np.arange(1, s + 1), t))
        cols["reflectors"].append(np.full(s * t, p.with_reflectors))
        cols["body_az_deg"].append(np.tile(np.rad2deg(lk.body_az_rad), s))
        cols["body_el_deg"].append(np.tile(np.rad2deg(lk.body_el_rad), s))
        cols["snr_db"].append(np.tile(np.where(lk.covered, lk.snr_db, np.nan), s))
        cols["covered"].append(np.tile(lk.covered, s))
        cols["detected"].append(p.detected.ravel())
        cols["tracked"].append(p.tracked.ravel())
    arrays = {}
    for k, v in cols.items():
        joined = np.concatenate(v) if v else np.zeros(0)
        if k in ("radar", "flight"):
            arrays[k] = pa.array(joined.astype(str)).dictionary_encode()
        elif k in ("time_s", "body_az_deg", "body_el_deg", "snr_db"):
            arrays[k] = pa.array(joined.astype(np.float32))
        else:
            arrays[k] = pa.array(joined)
    return pa.table(arrays)


def detection_runs(detected: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) index of each run of consecutive True looks."""
    d = np.concatenate([[False], detected, [False]]).astype(int)
    edges = np.diff(d)
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1, strict=True))


def write_segments_geojson(exposure: Exposure, path: Path) -> None:
    """LineStrings of the route of the first sortie while each radar detected it (RFC 7946:
    lon, lat, alt). Single detected looks become two-point segments over one revisit."""
    frame = exposure.world.frame
    radars = exposure.world.radars
    features = []
    for p in exposure.pairs:
        lk = p.looks
        for first, last in detection_runs(p.detected[0]):
            stop = min(last + 1, len(lk.time_s) - 1)
            pts = lk.pos[first : max(stop, first + 1) + 1]
            lat, lon = frame.to_geodetic(pts[:, 0], pts[:, 1])
            coords = np.stack([np.atleast_1d(lon), np.atleast_1d(lat), pts[:, 2]], -1)
            features.append({
                "type": "Feature",
                "properties": {
                    "radar": radars.name[p.radar],
                    "flight": exposure.flights[p.flight].name,
                    "reflectors": p.with_reflectors,
                    "sortie": 1,
                    "start_s": float(lk.time_s[first]),
                    "end_s": float(lk.time_s[last] + lk.revisit_s),
                },
                "geometry": {"type": "LineString", "coordinates": np.round(coords, 6).tolist()},
            })  # fmt: skip
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}) + "\n")
