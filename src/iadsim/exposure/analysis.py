"""Signature exposure: what each radar learns about each flight's RCS over its sorties.

For every radar x flight, over the whole flight time of every sortie:

* seconds in detection and in track (a look counts its revisit period);
* per body-frame aspect cell (CELL_DEG x CELL_DEG), the looks made while a track was
  held (the radar then dwells on the aircraft and records the echo, above threshold or
  not), their information about the cell's mean RCS and its Cramer-Rao bound
  (:mod:`iadsim.exposure.estimation`);
* the fraction of the signature sphere (solid angle) whose mean RCS is known to +-tol dB,
  after one sortie and after all of them; radars of one band pool their information.

With reflectors fitted the radar measures airframe + reflector; not knowing the reflector,
it attributes the whole echo to the airframe. Its estimate of the true airframe RCS then
carries the bias b = sigma_reflector / sigma_airframe besides the bound, and a cell is
learned only if 10 log10(1 + sqrt(e^2 + b^2)) <= tol, e the bound on the airframe RCS
scaled by (sigma_airframe + sigma_reflector) / sigma_airframe.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from iadsim.catalog import BANDS
from iadsim.exposure.estimation import (
    accumulate,
    cell_index,
    cell_solid_angle_sr,
    crb_relative_std,
    look_information,
)
from iadsim.exposure.looks import FlightModel, LookSet, radar_looks, track_held

CELL_DEG = 5.0
DEFAULT_TOLERANCE_DB = 1.0
BELT_DEG = 10.0


@dataclass
class PairResult:
    """One radar x flight x reflector setting (arrays over sorties and looks)."""

    radar: int
    flight: int
    with_reflectors: bool
    looks: LookSet
    detected: np.ndarray  # (S, T)
    tracked: np.ndarray  # (S, T)
    info_one: np.ndarray  # (n_el, n_az) information of sortie 1, airframe units
    info_all: np.ndarray  # all sorties
    looks_all: np.ndarray  # (n_el, n_az) looks in track, all sorties
    bias: np.ndarray  # (n_el, n_az) reflector / airframe RCS in the cell (0 bare)
    mean_snr_db: np.ndarray  # (n_el, n_az) mean single-pulse SNR of those looks


@dataclass
class Exposure:
    world: object
    flights: list[FlightModel]
    tolerance_db: float
    pairs: list[PairResult] = field(default_factory=list)


def flight_models(world, catalog, scenario_dir: Path | None) -> list[FlightModel]:
    """The scenario's flights in the map frame, with their two-angle signatures."""
    from iadsim.radar.rcs_table import load_rcs_table_csv
    from iadsim.radar.signature import threat_table

    models = []
    for i, f in enumerate(world.scenario.flights):
        entry = catalog.threats[f.type]
        x, y = world.frame.to_map([w.lat_deg for w in f.route], [w.lon_deg for w in f.route])
        route = np.stack([np.atleast_1d(x), np.atleast_1d(y), [w.alt_m for w in f.route]], -1)
        if f.rcs_table is not None:
            path = Path(f.rcs_table)
            if not path.is_absolute() and scenario_dir is not None:
                path = Path(scenario_dir) / path
            table = load_rcs_table_csv(path, f"flights[{i}].rcs_table", entry.swerling)
        else:
            table = threat_table(catalog, f.type)
        coarse = np.array(
            [[getattr(entry.rcs_dbsm.value[b], a) for a in ("nose", "beam", "tail")] for b in BANDS]
        )
        models.append(
            FlightModel(
                name=f.name,
                route_xyz=route,
                speed_mps=f.speed_mps or entry.speed_mps.value,
                load_factor=f.turn_g or entry.max_accel_g.value,
                sorties=f.sorties,
                signature=table,
                coarse_dbsm=coarse,
                swerling=int(entry.swerling),
                reflectors=list(f.reflectors),
            )
        )
    return models


def analyse(world, flights: list[FlightModel], seed: int, tolerance_db: float) -> Exposure:
    """Every radar x flight (and, for flights with reflectors, both settings)."""
    result = Exposure(world, flights, tolerance_db)
    for f, flight in enumerate(flights):
        settings = [False, True] if flight.reflectors else [False]
        for r in range(len(world.radars)):
            for with_reflectors in settings:
                looks = radar_looks(world, r, flight, with_reflectors)
                # One stream per (radar, flight): the reflector setting reuses the draws,
                # so the two settings differ only by the reflectors (common random numbers).
                rng = np.random.default_rng(np.random.SeedSequence([seed, r, f]))
                u = rng.random((flight.sorties, len(looks.time_s)))
                result.pairs.append(_pair(r, f, with_reflectors, looks, u))
    return result


def _pair(r, f, with_reflectors, looks: LookSet, uniforms) -> PairResult:
    detected = looks.covered[None, :] & (uniforms < looks.pd[None, :])
    tracked = track_held(detected)
    row, col = cell_index(looks.body_az_rad, looks.body_el_rad, CELL_DEG)
    info = np.where(looks.covered, look_information(looks.snr_db, looks.n_pulses,
                                                    looks.swerling), 0.0)  # fmt: skip
    # Information about the airframe's RCS: the measured total is the airframe's times
    # scale, so the relative bound on the airframe is scale times that on the total.
    scale = (looks.true_m2 + looks.reflector_m2) / looks.true_m2
    info_airframe = info / scale**2
    in_track = tracked.astype(float)
    per_look_one = in_track[0] * info_airframe
    per_look_all = in_track.sum(axis=0) * info_airframe
    n_all = in_track.sum(axis=0)
    looks_all = accumulate(row, col, n_all, CELL_DEG)
    safe = np.where(looks_all > 0, looks_all, 1.0)
    bias = accumulate(row, col, n_all * looks.reflector_m2 / looks.true_m2, CELL_DEG) / safe
    finite_snr = np.where(np.isfinite(looks.snr_db), looks.snr_db, 0.0)
    mean_snr = accumulate(row, col, n_all * finite_snr, CELL_DEG) / safe
    return PairResult(
        radar=r, flight=f, with_reflectors=with_reflectors, looks=looks, detected=detected,
        tracked=tracked, info_one=accumulate(row, col, per_look_one, CELL_DEG),
        info_all=accumulate(row, col, per_look_all, CELL_DEG), looks_all=looks_all,
        bias=bias, mean_snr_db=np.where(looks_all > 0, mean_snr, np.nan),
    )  # fmt: skip


def learned_cells(info: np.ndarray, bias: np.ndarray, tolerance_db: float) -> np.ndarray:
    """Cells whose airframe mean RCS is known to +-tolerance_db (module docstring)."""
    err = np.sqrt(crb_relative_std(info) ** 2 + bias**2)
    return 10.0 * np.log10(1.0 + err) <= tolerance_db


def sphere_fraction(learned: np.ndarray, max_abs_el_deg: float = 90.0) -> float:
    """Solid-angle fraction of the body-frame sphere (or of its belt |el| <= max_abs_el_deg)
    covered by the learned cells."""
    n_el, n_az = learned.shape
    el_edges = np.linspace(-90, 90, n_el + 1)
    omega = cell_solid_angle_sr(np.linspace(0, 360, n_az + 1), el_edges)
    centre = 0.5 * (el_edges[:-1] + el_edges[1:])
    omega = omega * (np.abs(centre) <= max_abs_el_deg)[:, None]
    return float((omega * learned).sum() / omega.sum())


def pooled(pairs: list[PairResult], tolerance_db: float, which: str) -> float:
    """Sphere fraction learned when the given pairs (e.g. all radars of a band) pool their
    information; ``which`` is "one" (first sortie) or "all"."""
    info = sum(getattr(p, f"info_{which}") for p in pairs)
    looks = sum(p.looks_all for p in pairs)
    bias = sum(p.bias * p.looks_all for p in pairs) / np.where(looks > 0, looks, 1.0)
    return sphere_fraction(learned_cells(info, bias, tolerance_db))


def summary(exposure: Exposure, scenario_path: str) -> dict:
    """The exposure.json content: per radar x flight, and per flight x band."""
    world, tol = exposure.world, exposure.tolerance_db
    radars = world.radars
    out_pairs = []
    bare = [p for p in exposure.pairs if not p.with_reflectors]
    fitted = {(p.radar, p.flight): p for p in exposure.pairs if p.with_reflectors}
    for p in bare:
        band = BANDS[radars.band_idx[p.radar]]
        entry = {
            "radar": radars.name[p.radar],
            "flight": exposure.flights[p.flight].name,
            "band": band,
            "sorties": int(p.detected.shape[0]),
            "looks_per_sortie": int(len(p.looks.time_s)),
            **_settings_block(p, band, tol),
            "cells_seen": int((p.looks_all > 0).sum()),
            "sphere_fraction_seen": sphere_fraction(p.looks_all > 0),
            "with_reflectors": None,
        }
        if (p.radar, p.flight) in fitted:
            entry["with_reflectors"] = _settings_block(fitted[(p.radar, p.flight)], band, tol)
        out_pairs.append(entry)
    by_flight = {}
    for f, flight in enumerate(exposure.flights):
        bands = {}
        for b in sorted({int(i) for i in radars.band_idx}):
            group = [p for p in bare if p.flight == f and radars.band_idx[p.radar] == b]
            row = {
                "one_sortie": pooled(group, tol, "one"),
                "all_sorties": pooled(group, tol, "all"),
            }
            lens = [fitted[(p.radar, f)] for p in group if (p.radar, f) in fitted]
            if lens:
                row["with_reflectors"] = {
                    "one_sortie": pooled(lens, tol, "one"),
                    "all_sorties": pooled(lens, tol, "all"),
                }
            bands[BANDS[b]] = row
        by_flight[flight.name] = {"sorties": flight.sorties, "sphere_fraction_observed": bands}
    return {
        "scenario": world.scenario.name,
        "scenario_file": scenario_path,
        "seed": world.scenario.seed,
        "tolerance_db": tol,
        "cell_deg": CELL_DEG,
        "belt_deg": BELT_DEG,
        "signature": {
            f.name: (f.signature.source if f.signature is not None else "catalog nose/beam/tail")
            for f in exposure.flights
        },
        "pairs": out_pairs,
        "by_flight": by_flight,
    }


def _settings_block(p: PairResult, band: str, tol: float) -> dict:
    revisit = p.looks.revisit_s
    return {
        "seconds_detected": {band: float(p.detected.sum() * revisit)},
        "seconds_tracked": {band: float(p.tracked.sum() * revisit)},
        "seconds_detected_per_sortie": {band: float(p.detected.sum(axis=1).mean() * revisit)},
        "sphere_fraction_observed": {
            band: {
                "one_sortie": sphere_fraction(learned_cells(p.info_one, p.bias, tol)),
                "all_sorties": sphere_fraction(learned_cells(p.info_all, p.bias, tol)),
            }
        },
        # The same over the belt within BELT_DEG of the body's horizontal plane: the aspects
        # a ground radar sees of an aircraft in level flight beyond a few tens of km.
        "belt_fraction_observed": {
            band: {
                "one_sortie": sphere_fraction(learned_cells(p.info_one, p.bias, tol), BELT_DEG),
                "all_sorties": sphere_fraction(learned_cells(p.info_all, p.bias, tol), BELT_DEG),
            }
        },
    }
