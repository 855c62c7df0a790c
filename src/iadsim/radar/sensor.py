"""A scanning radar that turns truth into detections, vectorised over radars x targets.

Per scan, for every (radar, target) pair:

1. geometry over the 4/3 effective earth (:func:`iadsim.geo.radar_geometry`), horizon
   masking, terrain masking when a DEM is loaded (:mod:`iadsim.geo.terrain`), elevation
   limits, the azimuth sector and the instrumented range;
2. single-pulse SNR = C sigma F^4 / R^4 from the calibrated loop constant
   (:mod:`iadsim.radar.calibration`), with sigma from the band- and aspect-dependent RCS,
   less the two-way atmospheric attenuation (:mod:`iadsim.radar.atmosphere`), times the
   surface multipath factor F^4 (:mod:`iadsim.radar.multipath`) and the gain of the
   radar's MTI / pulse-Doppler processing at the target's radial velocity
   (:mod:`iadsim.radar.doppler`), and with
   jammers or clutter in the scenario, reduced to the signal to interference-plus-noise
   ratio (:mod:`iadsim.radar.interference`);
3. Pd for noncoherent integration of the dwell's pulses for the target's Swerling case
   (:func:`iadsim.radar.detection.detection_probability`), one Bernoulli draw per pair
   (the draws of steps 3-5 are made by :func:`iadsim.sim.scan.detect` from the
   replication's counter-based stream; this module holds the deterministic parts);
4. measurement noise that shrinks with SNR: sigma_R = dR / sqrt(2 SNR) and
   sigma_angle = theta_3dB / sqrt(2 SNR) (Skolnik, *Introduction to Radar Systems*, 3rd
   ed., sec. 6.10, eqs. 6.40 and 6.43; Barton, *Radar System Analysis and Modeling*,
   2005, sec. 7), with SNR the integrated SNR of the dwell;
5. false alarms: Poisson(Pfa x resolution cells) noise crossings per scan (truth -1);
6. conversion to the map frame without the conversion bias
   (:func:`iadsim.geo.earth.debiased_polar_to_map`, unbiased converted measurements), with
   the linearised covariance J diag(sigma^2) J^T, J the exact Jacobian of the
   effective-earth conversion (Bar-Shalom, Li & Kirubarajan, *Estimation with
   Applications to Tracking and Navigation*, 2001, sec. 10.4, converted measurements).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.constants import c as SPEED_OF_LIGHT
from scipy.special import gammainccinv

from iadsim.geo.earth import (
    debiased_polar_to_map,
    effective_radius_m,
    polar_to_map_jacobian,
    radar_geometry,
)
from iadsim.radar.atmosphere import two_way_attenuation_db
from iadsim.radar.calibration import snr_from_loop_constant
from iadsim.radar.clutter import sir_db
from iadsim.radar.detection import detection_probability
from iadsim.radar.doppler import doppler_gain_db
from iadsim.radar.interference import interference_db
from iadsim.radar.multipath import propagation_factor_db
from iadsim.radar.rcs import aspect_angle_rad, rcs_m2, signature_rcs_m2


@dataclass
class RadarSet:
    """All radars of a scenario as arrays (axis 0 = radar)."""

    name: list[str]
    catalog_name: list[str]
    unit_index: np.ndarray
    freq_hz: np.ndarray
    xyz: np.ndarray
    band_idx: np.ndarray
    loop_constant: np.ndarray
    pfa: np.ndarray
    n_pulses: np.ndarray
    revisit_s: np.ndarray
    beamwidth_az_rad: np.ndarray
    beamwidth_el_rad: np.ndarray
    range_resolution_m: np.ndarray
    max_range_m: np.ndarray
    min_elevation_rad: np.ndarray
    max_elevation_rad: np.ndarray
    sector_center_rad: np.ndarray
    sector_half_width_rad: np.ndarray
    resolution_cells: np.ndarray
    precision: np.ndarray  # fire-control quality (engagement or multifunction radar)
    steerable: np.ndarray  # a sector face that turns (sector < 360 deg)
    slew_rate_rad_s: np.ndarray  # face slew rate (inf for a 360 deg radar)
    settle_s: np.ndarray  # face settling time after a slew
    # Low-altitude physics (:mod:`iadsim.radar.multipath`, :mod:`iadsim.radar.doppler`).
    antenna_height_m: np.ndarray  # above the site's surface
    site_elevation_m: np.ndarray  # surface height at the site (0 without a DEM)
    surface_on: np.ndarray  # bool: a reflecting surface (not free space)
    surface_eps: np.ndarray  # complex relative permittivity at the radar's frequency
    surface_roughness_m: np.ndarray
    vertical_pol: np.ndarray  # bool
    doppler_on: np.ndarray  # bool: the radar has MTI / pulse-Doppler figures
    prf_hz: np.ndarray  # (n, P), NaN pads a shorter stagger
    mti_pulses: np.ndarray
    notch_width_mps: np.ndarray

    def __len__(self) -> int:
        return len(self.name)

    def resolution_extent_m(self, radar: np.ndarray, range_m: np.ndarray) -> np.ndarray:
        """Largest extent of the resolution cell of radar(s) at a range: max(range
        resolution, range x the wider beamwidth), the cross-range cell width being range
        times beamwidth (Skolnik 3rd ed. sec. 1.5)."""
        beam = np.maximum(self.beamwidth_az_rad[radar], self.beamwidth_el_rad[radar])
        return np.maximum(self.range_resolution_m[radar], range_m * beam)


@dataclass
class Detections:
    """Detections of one scan batch (axis 0 = detection)."""

    radar: np.ndarray
    truth: np.ndarray
    range_m: np.ndarray
    azimuth_rad: np.ndarray
    elevation_rad: np.ndarray
    snr_db: np.ndarray
    xyz: np.ndarray
    cov: np.ndarray

    def __len__(self) -> int:
        return len(self.radar)

    def subset(self, mask: np.ndarray) -> Detections:
        return Detections(**{k: v[mask] for k, v in self.__dict__.items()})


def in_coverage(radars: RadarSet, idx: np.ndarray, geometry: dict, sector: bool = True):
    """(len(idx), n) mask: line of sight, instrumented range, elevation and, with ``sector``,
    the face's azimuth sector about its catalog or scenario centre (the engine applies each
    replication's own face pointing instead, :mod:`iadsim.sim.pointing`)."""
    covered = (
        geometry["visible"]
        & (geometry["range_m"] <= radars.max_range_m[idx, None])
        & (geometry["elevation_rad"] >= radars.min_elevation_rad[idx, None])
        & (geometry["elevation_rad"] <= radars.max_elevation_rad[idx, None])
    )
    if sector:
        covered &= in_face(geometry["azimuth_rad"], radars.sector_center_rad[idx, None],
                           radars.sector_half_width_rad[idx, None])  # fmt: skip
    return covered


def in_face(azimuth_rad, centre_rad, half_width_rad) -> np.ndarray:
    """Whether azimuths lie within a face of given centre and half-width (broadcast)."""
    off_axis = np.mod(azimuth_rad - centre_rad + np.pi, 2.0 * np.pi) - np.pi
    return np.abs(off_axis) <= half_width_rad


def pair_snr_db(
    radars: RadarSet, idx, geometry: dict, target_xyz, target_vel, rcs_table_dbsm, k_factor,
    signatures=None,
) -> np.ndarray:  # fmt: skip
    """Single-pulse SNR (dB) of each (radar in idx, target) pair; shape (len(idx), n).

    SNR = C sigma / R^4 less the two-way clear-air attenuation of the path
    (:func:`iadsim.radar.atmosphere.two_way_attenuation_db`, ITU-R P.676 Annex 2).
    ``signatures``: per target a two-angle RCS table (:mod:`iadsim.radar.signature`) or
    None; given, sigma is read at the body-frame aspect of each radar
    (:func:`iadsim.radar.rcs.signature_rcs_m2`), else from the nose/beam/tail table.
    """
    to_radar = radars.xyz[idx, None, :] - target_xyz[None, :, :]
    if signatures is not None:
        sigma = signature_rcs_m2(rcs_table_dbsm, radars.band_idx[idx], target_vel, to_radar,
                                 signatures)  # fmt: skip
    else:
        aspect = aspect_angle_rad(target_vel[None, :, :], to_radar)
        sigma = rcs_m2(rcs_table_dbsm, radars.band_idx[idx], aspect)
    snr = snr_db_at(radars, idx, geometry, sigma, target_xyz[None, :, 2], k_factor)
    radial = range_rate_mps(radars.xyz[idx, None, :], target_xyz[None], target_vel[None], k_factor)
    return (
        snr
        + multipath_db(radars, idx, geometry, target_xyz[None, :, 2], k_factor)
        + doppler_db(radars, idx, radial)
    )


def range_rate_mps(radar_xyz, target_xyz, target_vel, k_factor) -> np.ndarray:
    """dR/dt (m/s, > 0 opening) of the slant range R of :func:`iadsim.geo.radar_geometry`
    for a target moving at ``target_vel`` (map frame, m/s): the radial velocity whose
    Doppler the radar sees, on the same k Re sphere as the range it measures.

    With r_i = a_e + h_i, theta = d / a_e and R^2 = r1^2 + r2^2 - 2 r1 r2 cos theta
    (law of cosines, Skolnik 3rd ed. sec. 8.4 geometry), dR/dt = (r1 r2 sin theta / (a_e
    R)) dd/dt + ((r2 - r1 cos theta) / R) dh2/dt: the velocity's component along the ray
    at the target, whose depression there is the elevation at the radar plus theta (a
    flat-map dot product would miss the earth's curve, and the MTI response changes by
    several dB per m/s at S band). Arrays (..., 3) broadcast together.
    """
    radar_xyz, target_xyz, target_vel = np.broadcast_arrays(
        np.asarray(radar_xyz, float), np.asarray(target_xyz, float),
        np.asarray(target_vel, float),
    )  # fmt: skip
    a_e = effective_radius_m(k_factor)
    dx = target_xyz[..., 0] - radar_xyz[..., 0]
    dy = target_xyz[..., 1] - radar_xyz[..., 1]
    ground = np.hypot(dx, dy)
    ground_rate = (dx * target_vel[..., 0] + dy * target_vel[..., 1]) / np.maximum(ground, 1e-9)
    theta = ground / a_e
    r1 = a_e + radar_xyz[..., 2]
    r2 = a_e + target_xyz[..., 2]
    slant = np.sqrt(np.maximum(r1**2 + r2**2 - 2.0 * r1 * r2 * np.cos(theta), 1.0))
    return (
        r1 * r2 * np.sin(theta) / (a_e * slant) * ground_rate
        + (r2 - r1 * np.cos(theta)) / slant * target_vel[..., 2]
    )


REFLECTED_SKIP_BEAMWIDTHS = 1.2


def multipath_db(radars: RadarSet, idx, geometry: dict, target_alt_m, k_factor) -> np.ndarray:
    """Two-way pattern-propagation factor 40 log10 F (dB) of each (radar in idx, target) pair
    over the site's surface (:func:`iadsim.radar.multipath.propagation_factor_db`); 0 where
    the site is free space. The reflecting surface is a smooth k Re sphere at the site's
    surface height; the antenna is the radar's Gaussian elevation beam, steered to the
    target but not below the lowest beam's axis.
    """
    shape = geometry["range_m"].shape
    out = np.zeros(shape)
    lowest_axis = radars.min_elevation_rad[idx] + radars.beamwidth_el_rad[idx] / 2.0
    el = geometry["elevation_rad"]
    # Above max(lowest axis, 0) + REFLECTED_SKIP_BEAMWIDTHS beamwidths the beam is on the
    # target and the reflected ray, at depression > elevation, arrives more than 2.4
    # beamwidths off axis: its voltage is below 3.4e-4 and F^4 within 0.01 dB of 1.
    top = np.maximum(lowest_axis, 0.0) + REFLECTED_SKIP_BEAMWIDTHS * radars.beamwidth_el_rad[idx]
    on = radars.surface_on[idx, None] & (el <= top[:, None])
    if not on.any():
        return out

    def pairs(a):
        return np.broadcast_to(a, shape)[on]

    out[on] = propagation_factor_db(
        pairs(radars.antenna_height_m[idx, None]),
        pairs(np.asarray(target_alt_m) - radars.site_elevation_m[idx, None]),
        pairs(geometry["ground_m"]),
        pairs(radars.freq_hz[idx, None]),
        pairs(radars.surface_eps[idx, None]),
        pairs(radars.vertical_pol[idx, None]),
        pairs(radars.surface_roughness_m[idx, None]),
        k_factor,
        beamwidth_rad=pairs(radars.beamwidth_el_rad[idx, None]),
        beam_axis_rad=pairs(np.maximum(el, lowest_axis[:, None])),
        target_elevation_rad=pairs(el),
    )
    return out


def doppler_db(radars: RadarSet, idx, radial_velocity_mps) -> np.ndarray:
    """SNR change (dB) of MTI / pulse-Doppler processing for each (radar in idx, target) pair
    at the target's radial velocity (:func:`iadsim.radar.doppler.doppler_gain_db`); 0 for a
    radar without Doppler figures."""
    v = np.asarray(radial_velocity_mps, float)
    wavelength = SPEED_OF_LIGHT / radars.freq_hz[idx, None]
    gain = doppler_gain_db(
        v, wavelength, radars.prf_hz[idx][:, None, :], radars.mti_pulses[idx, None],
        radars.notch_width_mps[idx, None],
    )  # fmt: skip
    return np.where(radars.doppler_on[idx, None], gain, 0.0)


def snr_db_at(radars: RadarSet, idx, geometry: dict, sigma_m2, target_alt_m, k_factor):
    """Single-pulse SNR (dB) for given RCS at the geometry's ranges, with atmosphere loss."""
    rng_m = np.maximum(geometry["range_m"], 1.0)
    snr = snr_from_loop_constant(radars.loop_constant[idx, None], sigma_m2, rng_m)
    loss_db = two_way_attenuation_db(
        radars.freq_hz[idx, None],
        rng_m,
        geometry["elevation_rad"],
        radars.xyz[idx, None, 2],
        np.maximum(target_alt_m, 0.0),
        k_factor=k_factor,
    )
    return 10.0 * np.log10(np.maximum(snr, 1e-30)) - loss_db


@dataclass
class Looks:
    """One scan's deterministic part for each (radar in ``idx``, target) pair, shape (d, n):
    in coverage (line of sight, range, elevation, sector, terrain), Pd, true polar position
    and SINR. The random draws (detection, noise, false alarms) are made by
    :func:`iadsim.sim.scan.detect`, the one random path of a scan."""

    idx: np.ndarray
    covered: np.ndarray
    pd: np.ndarray
    range_m: np.ndarray
    azimuth_rad: np.ndarray
    elevation_rad: np.ndarray
    snr_db: np.ndarray


def scan_looks(
    radars, idx, target_xyz, target_vel, rcs_table_dbsm, swerling, k_factor, terrain=None,
    jamming=None, sector=True, signatures=None,
) -> Looks:  # fmt: skip
    """Steps 1-3 of the module docstring without the draws: coverage, SINR and Pd
    (``sector`` False: every azimuth, for a caller that applies the faces' pointing).
    ``signatures``: optional per-target two-angle RCS tables (see :func:`pair_snr_db`)."""
    idx = np.asarray(idx, int)
    n = len(target_xyz)
    if n == 0 or len(idx) == 0:
        z = np.zeros((len(idx), n))
        return Looks(idx, z.astype(bool), z, z, z, z, z)
    geometry = radar_geometry(radars.xyz[idx, None, :], target_xyz[None, :, :], k_factor)
    covered = in_coverage(radars, idx, geometry, sector)
    if terrain is not None and covered.any():
        rows, cols = np.nonzero(covered)
        covered[rows, cols] = terrain.line_of_sight(
            radars.xyz[idx[rows]], target_xyz[cols], k_factor
        )
    # SINR only for the targets some radar can see (most of a raid is not yet in view).
    seen = np.flatnonzero(covered.any(axis=0))
    snr_db = np.full(covered.shape, -np.inf)
    if len(seen):
        sub = {key: value[:, seen] for key, value in geometry.items()}
        sig = None if signatures is None else [signatures[j] for j in seen]
        snr_seen = pair_snr_db(radars, idx, sub, target_xyz[seen], target_vel[seen],
                               rcs_table_dbsm[seen], k_factor, sig)  # fmt: skip
        if jamming is not None:  # detect and measure on the signal to interference-plus-noise
            env, erp, band = jamming
            jnr_db, cnr_db = interference_db(radars, idx, sub, erp[seen], band[seen], env,
                                             k_factor)  # fmt: skip
            snr_seen = sir_db(snr_seen, cnr_db, env.clutter_improvement_db, jnr_db=jnr_db)
        snr_db[:, seen] = snr_seen
    pd = np.zeros_like(snr_db)
    n_pulses = radars.n_pulses[idx]
    for case in np.unique(swerling):
        for pulses in np.unique(n_pulses):
            block = (n_pulses == pulses)[:, None] & (swerling == case)[None, :] & covered
            if block.any():
                pfa = np.broadcast_to(radars.pfa[idx, None], snr_db.shape)[block]
                pd[block] = detection_probability(snr_db[block], pfa, int(pulses), int(case))
    return Looks(
        idx, covered, pd, geometry["range_m"], geometry["azimuth_rad"],
        geometry["elevation_rad"], snr_db,
    )  # fmt: skip


def measure(radars, radar, truth, rng_m, az, el, snr_db, k_factor, noise) -> Detections:
    """Add SNR-dependent noise to true polar positions and convert to the map frame.

    ``noise`` (m, 3): standard normal draws for range, azimuth and elevation.
    """
    snr_integrated = 10.0 ** (snr_db / 10.0) * radars.n_pulses[radar]
    spread = np.sqrt(2.0 * np.maximum(snr_integrated, 1.0))
    sig_r = radars.range_resolution_m[radar] / spread
    sig_az = radars.beamwidth_az_rad[radar] / spread
    sig_el = radars.beamwidth_el_rad[radar] / spread
    rng_m = np.maximum(rng_m + sig_r * noise[:, 0], 1.0)
    az = az + sig_az * noise[:, 1]
    el = el + sig_el * noise[:, 2]
    xyz = debiased_polar_to_map(radars.xyz[radar], rng_m, az, el, sig_az, sig_el, k_factor)
    cov = polar_covariance(radars.xyz[radar, 2], rng_m, az, el, sig_r, sig_az, sig_el, k_factor)
    return Detections(
        radar=radar,
        truth=truth,
        range_m=rng_m,
        azimuth_rad=az,
        elevation_rad=el,
        snr_db=snr_db,
        xyz=xyz,
        cov=cov,
    )


def false_alarm_mean(radars: RadarSet, idx) -> np.ndarray:
    """Expected noise crossings per scan, Pfa x resolution cells, of the radars ``idx``."""
    return radars.pfa[idx] * radars.resolution_cells[idx]


def false_alarm_cells(radars: RadarSet, radar, u, centre_rad=None):
    """Polar position and SNR of false alarms of the radars ``radar`` (m,), placed by
    uniforms ``u`` (m, 3) in range, azimuth sector (about ``centre_rad`` (m,) when given, the
    face's current pointing) and elevation span. The amplitude of a
    noise crossing sits just above the threshold, so its SNR is taken as the threshold over
    the noise, T / n (dB), where T = gammainccinv(n, Pfa)."""
    rng_m = u[:, 0] * radars.max_range_m[radar]
    centre = radars.sector_center_rad[radar] if centre_rad is None else centre_rad
    az = centre + (2.0 * u[:, 1] - 1.0) * radars.sector_half_width_rad[radar]
    el = radars.min_elevation_rad[radar] + u[:, 2] * (
        radars.max_elevation_rad[radar] - radars.min_elevation_rad[radar]
    )
    # One threshold per radar (a handful), not one special-function call per false alarm.
    n = radars.n_pulses
    snr_db = (10.0 * np.log10(gammainccinv(n, radars.pfa) / n))[radar]
    return rng_m, az, el, snr_db


def polar_covariance(radar_alt_m, rng_m, az, el, sig_r, sig_az, sig_el, k_factor) -> np.ndarray:
    """Map-frame covariance J diag(s^2) J^T of (range, azimuth, elevation) measurements.

    J is the exact Jacobian of the effective-earth conversion
    (:func:`iadsim.geo.earth.polar_to_map_jacobian`). Shapes (m,) -> (m, 3, 3).
    """
    jac = polar_to_map_jacobian(radar_alt_m, rng_m, az, el, k_factor)
    scaled = jac * np.stack([sig_r, sig_az, sig_el], axis=-1)[:, None, :] ** 2
    return scaled @ np.swapaxes(jac, 1, 2)
