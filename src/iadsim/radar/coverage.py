"""Radar coverage: how far each radar detects a target type, and what limits it.

For a radar, a target's RCS (band, aspect), Swerling case and altitude, walk outward in
ground range from the radar (past the cone of silence above the radar's maximum
elevation) and find the first range where any condition fails:

* ``energy``: single-pulse SNR = C sigma / R^4 less the two-way atmospheric loss falls
  below the SNR that the dwell needs for the wanted Pd at the radar's operating Pfa
  (exact, :func:`iadsim.radar.detection.required_snr_db`);
* ``horizon``: the straight ray over the k Re effective earth is cut by the earth;
* ``terrain``: the target's elevation angle drops below the terrain masking angle on
  that azimuth (DEM, :meth:`iadsim.geo.terrain.Terrain.masking_angle_rad`);
* ``instrumented``: slant range beyond the radar's instrumented range;
* ``elevation``: the target is below the radar's lowest beam;
* ``multipath``: the SNR with the surface's pattern-propagation factor F^4
  (:func:`iadsim.radar.sensor.multipath_db`) falls short for good: beyond the outermost
  lobe where it still reaches the threshold (a target flying in is first seen there);
* ``doppler``: as ``multipath`` with the gain of the radar's MTI / pulse-Doppler
  processing at the target's radial speed (:func:`iadsim.radar.sensor.doppler_db`): a
  beam-aspect (crossing) target sits in the clutter notch.

The detection range is the smallest of these ranges and the limiting factor its name
(the classic coverage-diagram construction, Blake, *Radar Range-Performance Analysis*,
1980, ch. 6; Skolnik, *Introduction to Radar Systems*, 3rd ed., sec. 8.4).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iadsim._arrays import first_failure_index, reach_before_failure
from iadsim.geo.earth import effective_radius_m, radar_geometry
from iadsim.radar.detection import required_snr_db
from iadsim.radar.sensor import RadarSet, doppler_db, multipath_db, range_rate_mps, snr_db_at

LIMITS = ("energy", "horizon", "terrain", "instrumented", "elevation", "multipath", "doppler")
GROUND_STEP_M = 250.0


@dataclass
class CoverageResult:
    """Detection range per (altitude, azimuth) for one radar and one target/aspect/Pd."""

    azimuths_rad: np.ndarray  # (Z,)
    altitudes_m: np.ndarray  # (A,)
    range_m: np.ndarray  # (A, Z) ground range of detection; 0 outside the sector
    limit: np.ndarray  # (A, Z) index into LIMITS; -1 outside the sector
    horizon_m: np.ndarray  # (A,) smooth-earth horizon ground range


def ground_grid(radars: RadarSet, r: int) -> np.ndarray:
    """Ground ranges searched for radar r: out to just beyond its instrumented range."""
    top = radars.max_range_m[r] * 1.02
    return np.arange(GROUND_STEP_M, top + GROUND_STEP_M, GROUND_STEP_M)


def detection_coverage(
    radars: RadarSet,
    r: int,
    sigma_m2: float,
    swerling: int,
    pd: float,
    altitudes_m,
    azimuths_rad,
    k_factor: float,
    masking_rad: np.ndarray | None = None,
    radial_speed_mps: float | None = None,
) -> CoverageResult:
    """Coverage of radar r against a target of RCS sigma_m2 (see module docstring).

    sigma_m2: a number, or a callable giving the RCS (A, G) at the aspect's body elevations
    (A, G) in radians (a two-angle table read along the aspect's azimuth).
    masking_rad: optional (Z, G) terrain masking angles on ``azimuths_rad`` x
    :func:`ground_grid` (from the DEM), None for the smooth earth. radial_speed_mps: the
    target's speed in level flight along the radar's bearing (its speed nose- or tail-on,
    0 at beam aspect); its Doppler is that of the range rate on the k Re sphere
    (:func:`iadsim.radar.sensor.range_rate_mps`), as in the engine. None leaves Doppler
    processing out.
    """
    alts = np.atleast_1d(np.asarray(altitudes_m, float))
    az = np.atleast_1d(np.asarray(azimuths_rad, float))
    ground = ground_grid(radars, r)
    # On the smooth earth the geometry does not depend on azimuth: lay the points due north.
    pts = np.stack(
        np.broadcast_arrays(radars.xyz[r, 0], radars.xyz[r, 1] + ground[None, :], alts[:, None]),
        axis=-1,
    )
    geometry = radar_geometry(radars.xyz[r], pts, k_factor)  # (A, G)
    idx = np.array([r])
    if callable(sigma_m2):  # body elevation: minus the ray's depression at the target
        ground_angle = geometry["ground_m"] / effective_radius_m(k_factor)
        sigma_m2 = sigma_m2(-(geometry["elevation_rad"] + ground_angle)).reshape(1, -1)
    flat = {k: v.reshape(1, -1) for k, v in geometry.items()}
    snr_db = snr_db_at(radars, idx, flat, sigma_m2, pts[..., 2].reshape(1, -1), k_factor)
    snr_db = snr_db.reshape(geometry["range_m"].shape)
    need_db = float(required_snr_db(pd, radars.pfa[r], int(radars.n_pulses[r]), int(swerling)))
    el = geometry["elevation_rad"]
    with_multipath = snr_db + multipath_db(
        radars, idx, flat, pts[..., 2].reshape(1, -1), k_factor
    ).reshape(snr_db.shape)
    with_doppler = with_multipath
    if radial_speed_mps is not None:
        # Flying level straight at the radar (towards -y from points laid due north).
        vel = np.broadcast_to([0.0, -radial_speed_mps, 0.0], pts.shape)
        radial = range_rate_mps(radars.xyz[r], pts, vel, k_factor)
        with_doppler = with_multipath + doppler_db(radars, idx, radial.reshape(1, -1)).reshape(
            snr_db.shape
        )
    smooth_ok = np.stack(
        [
            snr_db >= need_db,
            geometry["visible"],
            np.ones_like(el, bool),  # terrain: filled per azimuth below
            geometry["range_m"] <= radars.max_range_m[r],
            el >= radars.min_elevation_rad[r],
            _seen_further_out(with_multipath >= need_db),
            _seen_further_out(with_doppler >= need_db),
        ]
    )  # (L, A, G)
    above_cone = el <= radars.max_elevation_rad[r]
    ok = np.broadcast_to(smooth_ok[:, :, None, :], (len(LIMITS), len(alts), len(az), len(ground)))
    ok = ok.copy()
    if masking_rad is not None:
        ok[LIMITS.index("terrain")] = el[:, None, :] >= masking_rad[None, :, :]
    start = np.argmax(above_cone, axis=1)  # first ground index outside the cone of silence
    first_fail = first_failure_index(ok, start[None, :, None])  # (L, A, Z)
    first_fail = np.where(above_cone.any(axis=1)[None, :, None], first_fail, 0)
    reach = reach_before_failure(ground, first_fail)
    limit = np.argmin(reach, axis=0)
    rng = np.min(reach, axis=0)
    off_axis = np.angle(np.exp(1j * (az - radars.sector_center_rad[r])))
    in_sector = np.abs(off_axis) <= radars.sector_half_width_rad[r] + 1e-9
    horizon = np.array([_horizon_ground(geometry["visible"][a], ground) for a in range(len(alts))])
    return CoverageResult(
        azimuths_rad=az,
        altitudes_m=alts,
        range_m=np.where(in_sector[None, :], rng, 0.0),
        limit=np.where(in_sector[None, :], limit, -1),
        horizon_m=horizon,
    )


def _seen_further_out(ok: np.ndarray) -> np.ndarray:
    """True at a ground range where the condition still holds there or anywhere further out
    (the target, lobing in and out of view, is first seen at the outermost lobe)."""
    return np.flip(np.logical_or.accumulate(np.flip(ok, axis=-1), axis=-1), axis=-1)


def _horizon_ground(visible: np.ndarray, ground: np.ndarray) -> float:
    """Largest ground range still above the horizon (the grid end if never cut)."""
    cut = np.flatnonzero(~visible)
    return float(ground[cut[0] - 1]) if len(cut) and cut[0] > 0 else float(ground[-1])


def compute_coverage(
    world,
    catalog,
    targets: list[str],
    aspects: list[str],
    altitudes_m,
    pds=(0.5, 0.9),
    n_azimuths: int = 360,
    two_angle: bool = False,
) -> dict[tuple, CoverageResult]:
    """Coverage of every radar of the world for each target x aspect x Pd.

    Returns {(radar index, target, aspect, pd): CoverageResult}. With a DEM in the world
    the terrain masking angles are computed once per radar and shared. ``two_angle``: read
    the RCS from the target's two-angle table (:mod:`iadsim.radar.signature`, where one
    exists) at the aspect's body azimuth (nose 0, beam 90, tail 180 deg) and the body
    elevation of each point, instead of the nose/beam/tail figure.
    """
    from iadsim.radar.signature import threat_table

    radars = world.radars
    k_factor = world.scenario.earth.k_factor
    az = np.deg2rad(np.arange(n_azimuths) * 360.0 / n_azimuths)
    results = {}
    for r in range(len(radars)):
        masking = None
        if world.terrain is not None:
            ground = ground_grid(radars, r)
            masking = world.terrain.masking_angle_rad(
                radars.xyz[r], az, ground[-1], n_range=len(ground), k_factor=k_factor
            )
        for target in targets:
            threat = catalog.threats[target]
            table = threat_table(catalog, target) if two_angle else None
            coarse = _coarse_table_dbsm(threat)
            for aspect in aspects:
                # The aspect names the body azimuth of the radar; the body elevation is the
                # ray's depression at each point, as the engine sees it (a target flying in
                # at altitude is seen from below the nose, not on it).
                if table is not None:
                    sigma = _table_along(table, radars.band_idx[r], _ASPECT_AZ_RAD[aspect])
                else:
                    sigma = _coarse_along(coarse, radars.band_idx[r], _ASPECT_AZ_RAD[aspect])
                radial = 0.0 if aspect == "beam" else threat.speed_mps.value
                for pd in pds:
                    results[(r, target, aspect, pd)] = detection_coverage(
                        radars, r, sigma, threat.swerling, pd, altitudes_m, az, k_factor, masking,
                        radial_speed_mps=radial,
                    )  # fmt: skip
    return results


_ASPECT_AZ_RAD = {"nose": 0.0, "beam": np.pi / 2, "tail": np.pi}


def _table_along(table, band_idx: int, az_rad: float):
    """RCS of a two-angle table along one body azimuth, as a function of body elevation."""
    return lambda el_rad: table.rcs_m2(band_idx, az_rad, el_rad)


def _coarse_table_dbsm(threat) -> np.ndarray:
    """The catalog's nose/beam/tail RCS (dBsm) of a threat type, (len(BANDS), 3), as the
    engine holds it (:mod:`iadsim.sim.world`)."""
    from iadsim.catalog import BANDS

    return np.array([[getattr(threat.rcs_dbsm.value[b], a) for a in ("nose", "beam", "tail")]
                     for b in BANDS])  # fmt: skip


def _coarse_along(table_dbsm: np.ndarray, band_idx: int, az_rad: float):
    """RCS of the nose/beam/tail table along one body azimuth, as a function of body
    elevation: interpolated over the angle off the nose, as the engine reads it
    (:func:`iadsim.radar.rcs.body_rcs_m2`)."""
    from iadsim.radar.rcs import body_rcs_m2

    return lambda el_rad: body_rcs_m2(table_dbsm, band_idx, az_rad, el_rad)
