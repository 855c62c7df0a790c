"""Every look of a radar at a flight: body-frame aspect, SNR, Pd, detection and track.

The look model is the engine's (:mod:`iadsim.radar.sensor`): effective-earth geometry,
horizon, elevation and sector limits and the instrumented range
(:func:`~iadsim.radar.sensor.in_coverage`), terrain line of sight when a DEM is loaded,
SNR from the calibrated loop constant less the atmospheric loss
(:func:`~iadsim.radar.sensor.snr_db_at`), jamming and clutter as SINR when the scenario
has them, and Pd for the dwell's pulses and the aspect cell's Swerling case
(:func:`~iadsim.radar.detection.detection_probability`). What changes is the target: its
RCS is the two-angle table at the body-frame aspect of the radar, from the aircraft's
attitude along its flight plan (:mod:`iadsim.truth.attitude`), plus any reflectors.

A radar looks once per revisit period. Each sortie draws its own detections; a track is
held by the tracker's M-of-N rule (confirmed on the 3rd hit within 5 looks, dropped after
more than 6 looks without one: :class:`iadsim.tracking.tracker.Tracker` and
:class:`iadsim.tracking.management.StaleTrackDeleter` defaults; Blackman & Popoli 1999,
secs. 9.2-9.3).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iadsim.geo.earth import effective_radius_m, radar_geometry
from iadsim.radar.clutter import sir_db
from iadsim.radar.detection import detection_probability
from iadsim.radar.interference import interference_db
from iadsim.radar.sensor import in_coverage, snr_db_at
from iadsim.truth.attitude import body_aspect_rad, fly_route

# The tracker's defaults (a test checks they agree; importing the tracker here would cost
# the numba start-up of the whole tracking package for three integers).
CONFIRM_HITS = 3  # Tracker.confirm_hits
CONFIRM_WINDOW = 5  # Tracker.confirm_window
COAST_SCANS = 6.0  # StaleTrackDeleter.coast_scans


@dataclass
class FlightModel:
    """What the looks need of one flight (map frame, SI)."""

    name: str
    route_xyz: np.ndarray  # (m, 3)
    speed_mps: float
    load_factor: float
    sorties: int
    signature: object  # RcsTable, or None for the catalog's coarse table
    coarse_dbsm: np.ndarray  # (len(BANDS), 3) nose/beam/tail
    swerling: int
    reflectors: list  # scenario Reflector entries


@dataclass
class LookSet:
    """The looks of one radar at one flight, shared by its sorties (axis 0 = look)."""

    time_s: np.ndarray  # since take-off
    pos: np.ndarray  # (T, 3) aircraft
    body_az_rad: np.ndarray
    body_el_rad: np.ndarray
    covered: np.ndarray
    snr_db: np.ndarray  # single pulse; -inf where not covered
    swerling: np.ndarray
    pd: np.ndarray
    revisit_s: float
    n_pulses: int
    reflector_m2: np.ndarray  # reflector RCS at each look (0 without)
    true_m2: np.ndarray  # airframe RCS at each look


def to_radar_in_local_frame(geometry: dict, radar_xyz, target_xyz, k_factor):
    """Unit vector from the target to the radar in the target's local east-north-up frame.

    The ray leaves the target at the depression angle of the effective-earth triangle
    (law of cosines at the target vertex, as :func:`iadsim.geo.earth.radar_geometry` does
    at the radar), along the reverse of the radar-to-target bearing.
    """
    a_e = effective_radius_m(k_factor)
    r1 = a_e + np.asarray(radar_xyz)[..., 2]
    r2 = a_e + np.asarray(target_xyz)[..., 2]
    slant = np.maximum(geometry["range_m"], 1e-9)
    sin_dep = (r2**2 + slant**2 - r1**2) / (2.0 * r2 * slant)  # angle below the horizontal
    dep = np.arcsin(np.clip(sin_dep, -1.0, 1.0))
    back = geometry["azimuth_rad"] + np.pi
    return np.stack([np.cos(dep) * np.sin(back), np.cos(dep) * np.cos(back), -np.sin(dep)], axis=-1)


def reflector_rcs_m2(reflectors, body_az_rad, body_el_rad) -> np.ndarray:
    """Summed RCS of the reflectors whose cone contains each body aspect."""
    from iadsim.radar.signature import aspect_vectors

    d = aspect_vectors(body_az_rad, body_el_rad)
    total = np.zeros(np.shape(body_az_rad))
    for r in reflectors:
        axis = aspect_vectors(np.deg2rad(r.az_deg), np.deg2rad(r.el_deg))
        inside = d @ axis >= np.cos(np.deg2rad(r.half_angle_deg))
        total = total + np.where(inside, r.rcs_m2, 0.0)
    return total


def radar_looks(world, r: int, flight: FlightModel, with_reflectors: bool) -> LookSet:
    """The looks of radar ``r`` of the world at ``flight`` over one sortie (module
    docstring); vectorised over the looks."""
    from iadsim.radar.rcs import body_rcs_m2

    radars = world.radars
    k_factor = world.scenario.earth.k_factor
    revisit = float(radars.revisit_s[r])
    probe = fly_route(flight.route_xyz, flight.speed_mps, flight.load_factor, np.zeros(1))
    times = np.arange(0.0, probe.flight_time_s, revisit)
    path = fly_route(flight.route_xyz, flight.speed_mps, flight.load_factor, times)
    idx = np.array([r])
    geometry = {k: v[None, :] for k, v in radar_geometry(radars.xyz[r], path.pos, k_factor).items()}
    covered = in_coverage(radars, idx, geometry)[0]
    if world.terrain is not None and covered.any():
        rows = np.flatnonzero(covered)
        covered[rows] = world.terrain.line_of_sight(
            np.broadcast_to(radars.xyz[r], (len(rows), 3)), path.pos[rows], k_factor
        )
    los = to_radar_in_local_frame(
        {k: v[0] for k, v in geometry.items()}, radars.xyz[r], path.pos, k_factor
    )
    az, el = body_aspect_rad(los, path.heading_rad, path.pitch_rad, path.bank_rad)
    band = int(radars.band_idx[r])
    true_m2 = body_rcs_m2(flight.coarse_dbsm, band, az, el, flight.signature)
    extra = reflector_rcs_m2(flight.reflectors, az, el) if with_reflectors else np.zeros_like(az)
    swerling = (
        flight.signature.swerling_at(band, az, el)
        if flight.signature is not None
        else np.full(len(az), flight.swerling)
    ).astype(int)
    swerling = np.where(extra > true_m2, 3, swerling)  # a lens dominates: one big reflector
    snr = snr_db_at(radars, idx, geometry, (true_m2 + extra)[None, :], path.pos[None, :, 2],
                    k_factor)[0]  # fmt: skip
    env = world.environment
    if env is not None:
        n = len(times)
        jnr_db, cnr_db = interference_db(radars, idx, geometry, np.zeros(n), np.ones(n), env,
                                         k_factor)  # fmt: skip
        snr = sir_db(snr[None, :], cnr_db, env.clutter_improvement_db, jnr_db=jnr_db)[0]
    snr = np.where(covered, snr, -np.inf)
    pd = np.zeros(len(times))
    pulses = int(radars.n_pulses[r])
    for case in np.unique(swerling):
        sel = covered & (swerling == case)
        if sel.any():
            pd[sel] = detection_probability(snr[sel], radars.pfa[r], pulses, int(case))
    return LookSet(times, path.pos, az, el, covered, snr, swerling, pd, revisit, pulses, extra,
                   true_m2)  # fmt: skip


def track_held(detected: np.ndarray) -> np.ndarray:
    """Whether a confirmed track is held after each look, per sortie: detected (S, T) ->
    (S, T), by the tracker's M-of-N confirmation and coast-deletion rule."""
    s, t = detected.shape
    held = np.zeros((s, t), bool)
    hits = np.zeros(s, int)
    first = np.full(s, -1)
    last = np.full(s, -1)
    confirmed = np.zeros(s, bool)
    for k in range(t):
        hit = detected[:, k]
        start = hit & (first < 0) & ~confirmed
        first = np.where(start, k, first)
        hits = np.where(hit & ~confirmed, hits + 1, hits)
        last = np.where(hit, k, last)
        newly = ~confirmed & (hits >= CONFIRM_HITS) & (k - first < CONFIRM_WINDOW)
        confirmed |= newly
        expired = ~confirmed & (first >= 0) & (k - first >= CONFIRM_WINDOW - 1) & ~newly
        lost = confirmed & (k - last > COAST_SCANS)
        reset = expired | lost
        confirmed &= ~reset
        hits = np.where(reset, 0, hits)
        first = np.where(reset, -1, first)
        held[:, k] = confirmed
    return held
