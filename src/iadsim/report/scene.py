"""scene.json: the static facts of a run that replays and reports draw (no simulation needed).

Where the sites are (fire units, radars with their sectors and elevation limits, defended
assets), what each radar covers against each threat type of the scenario at a few target
altitudes (:func:`iadsim.radar.coverage.compute_coverage`, nose aspect, Pd 0.5), the DEM
of a run over terrain (path, hash, extent), and the provenance of the run: scenario file
and its SHA-256, the validated scenario's hash, seed, iadsim version, and every catalog
value the run used with its source and estimate flag.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from iadsim import __version__
from iadsim.catalog.show import _flatten
from iadsim.sim.engine import RunResult

COVERAGE_ALTITUDES_M = (50.0, 500.0, 5000.0, 12000.0)  # as `iadsim coverage` by default
COVERAGE_AZIMUTHS = 72  # every 5 degrees
COVERAGE_PD = 0.5


def build_scene(result: RunResult, scenario_path: str | Path) -> dict:
    """scene.json content (plain JSON types)."""
    from iadsim.catalog import load_catalog
    from iadsim.study.plan import scenario_hash

    world = result.world
    catalog = load_catalog()
    frame = world.frame
    scen = world.scenario
    path = Path(scenario_path)
    file_hash = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None

    def geo(xy) -> tuple[float, float]:
        lat, lon = frame.to_geodetic(xy[0], xy[1])
        return float(lat), float(lon)

    units = []
    for u, name in enumerate(world.units.name):
        lat, lon = geo(world.units.xyz[u])
        units.append({"name": name, "system": world.units.system[u], "lat_deg": lat,
                      "lon_deg": lon})  # fmt: skip
    radars = world.radars
    radar_rows = []
    for r, name in enumerate(radars.name):
        lat, lon = geo(radars.xyz[r])
        radar_rows.append({
            "name": name, "type": radars.catalog_name[r],
            "unit": world.units.name[radars.unit_index[r]],
            "lat_deg": lat, "lon_deg": lon, "alt_m": float(radars.xyz[r, 2]),
            "max_range_m": float(radars.max_range_m[r]),
            "sector_center_deg": float(np.rad2deg(radars.sector_center_rad[r]) % 360.0),
            "sector_half_width_deg": float(np.rad2deg(radars.sector_half_width_rad[r])),
            "min_elevation_deg": float(np.rad2deg(radars.min_elevation_rad[r])),
            "max_elevation_deg": float(np.rad2deg(radars.max_elevation_rad[r])),
            "revisit_s": float(radars.revisit_s[r]),
        })  # fmt: skip
    assets = []
    for a, name in enumerate(world.asset_names):
        lat, lon = geo(world.assets_xy[a])
        assets.append({"name": name, "lat_deg": lat, "lon_deg": lon,
                       "radius_m": float(world.asset_radius_m[a]),
                       "value": float(world.asset_value[a])})  # fmt: skip
    threat_types = list(dict.fromkeys(world.threats.type_name))
    return {
        "provenance": {
            "scenario": scen.name,
            "scenario_file": str(path),
            "scenario_file_sha256": file_hash,
            "scenario_sha256": scenario_hash(scen),
            "seed": scen.seed,
            "iadsim_version": __version__,
            "duration_s": float(world.times[-1]),
            "time_step_s": float(world.times[1] - world.times[0]) if len(world.times) > 1 else 0.0,
        },  # fmt: skip
        "origin": {"lat_deg": frame.origin_lat_deg, "lon_deg": frame.origin_lon_deg},
        "fire_units": units,
        "radars": radar_rows,
        "defended_assets": assets,
        "threats": [
            {"id": i, "type": t}
            for i, t in zip(world.threats.ids, world.threats.type_name, strict=True)
        ],
        "terrain": _terrain(world.terrain),
        "coverage": _coverage(world, catalog, threat_types),
        "catalog_used": _catalog_used(world, catalog, threat_types),
    }


def _terrain(terrain) -> dict | None:
    """The run's DEM (absolute path, SHA-256, extent): the viewer derives its globe terrain
    from it; None for a run over the smooth earth."""
    if terrain is None:
        return None
    path = Path(terrain.source).resolve()
    south, west, north, east = terrain.bounds_deg
    return {
        "dem": str(path),
        "dem_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "bounds_deg": {"south": south, "west": west, "north": north, "east": east},
    }


def _coverage(world, catalog, targets: list[str]) -> dict:
    """Per radar, target type and altitude: detection ground range (m) every 5 degrees of
    azimuth from north (0 outside the sector)."""
    from iadsim.radar.coverage import compute_coverage

    results = compute_coverage(world, catalog, targets, ["nose"], COVERAGE_ALTITUDES_M,
                               pds=(COVERAGE_PD,), n_azimuths=COVERAGE_AZIMUTHS)  # fmt: skip
    out = {
        "aspect": "nose",
        "pd": COVERAGE_PD,
        "altitudes_m": list(COVERAGE_ALTITUDES_M),
        "azimuths_deg": [i * 360.0 / COVERAGE_AZIMUTHS for i in range(COVERAGE_AZIMUTHS)],
        "range_m": {},
    }
    for (r, target, _aspect, _pd), res in results.items():
        per_radar = out["range_m"].setdefault(world.radars.name[r], {})
        per_radar[target] = [[round(float(v), 1) for v in row] for row in res.range_m]
    return out


def _catalog_used(world, catalog, threat_types: list[str]) -> list[dict]:
    """Every sourced catalog figure of the systems, radars, missiles and threats in the run."""
    return catalog_rows(catalog, list(world.units.system), list(world.radars.catalog_name),
                        list(world.missiles.name), threat_types)  # fmt: skip


def scenario_catalog_rows(scenario, catalog) -> list[dict]:
    """As :func:`catalog_rows` for everything a scenario (its alternatives included) names."""
    units = list(scenario.fire_units)
    for alt in scenario.alternatives:
        units += list(alt.fire_units or [])
    systems = [u.system for u in units]
    radars = [r for s in systems for r in catalog.systems[s].radars]
    missiles = [m for s in systems for m in catalog.systems[s].missiles]
    return catalog_rows(catalog, systems, radars, missiles, [g.type for g in scenario.threats])


def catalog_rows(catalog, systems, radars, missiles, threats) -> list[dict]:
    """(entry, field, value, flag, source) of every sourced figure of the named entries."""
    used = [("systems", systems), ("radars", radars), ("missiles", missiles),
            ("threats", threats)]  # fmt: skip
    rows = []
    for section, keys in used:
        entries = getattr(catalog, section)
        for key in dict.fromkeys(keys):
            for field, value, flag, source in _flatten("", entries[key]):
                if flag:  # a sourced figure (not a plain name or list)
                    rows.append({"entry": f"{section[:-1]} {key}", "field": field,
                                 "value": value, "flag": flag, "source": source})  # fmt: skip
    return rows
