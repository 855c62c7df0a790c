"""Target radar cross section by band and aspect.

The catalog gives RCS in dBsm per band (VHF ... Ku) at three aspects: nose (0 deg),
beam (90 deg) and tail (180 deg). Between them we interpolate linearly in dB over the
aspect angle, a common first-order model of the aspect dependence (Skolnik,
*Introduction to Radar Systems*, 3rd ed., sec. 2.7, fig. 2.16 shows the strong but
smoothed-over-angle variation that such tables summarise).
"""

from __future__ import annotations

import numpy as np

from iadsim.catalog.schema import ASPECTS, BANDS

_ASPECT_ANGLES_RAD = np.deg2rad([0.0, 90.0, 180.0])


def band_index(band: str) -> int:
    """Index into BANDS; Ka-band radars use the Ku column (the nearest tabulated band)."""
    return BANDS.index("Ku" if band == "Ka" else band)


def aspect_angle_rad(target_vel, target_to_radar) -> np.ndarray:
    """Angle between the target's velocity and its line of sight to the radar (0 = nose-on).

    target_vel, target_to_radar: (..., 3). A target with zero velocity is seen at beam.
    """
    v = np.asarray(target_vel, float)
    los = np.asarray(target_to_radar, float)
    vn = np.linalg.norm(v, axis=-1)
    ln = np.linalg.norm(los, axis=-1)
    cos = np.sum(v * los, axis=-1) / np.where(vn * ln > 0.0, vn * ln, 1.0)
    return np.where(vn * ln > 0.0, np.arccos(np.clip(cos, -1.0, 1.0)), np.pi / 2)


def rcs_m2(table_dbsm: np.ndarray, band_idx, aspect_rad) -> np.ndarray:
    """Mean RCS (m^2) of each target at each radar's band and aspect.

    table_dbsm: (n_targets, len(BANDS), len(ASPECTS)); band_idx: (n_radars,) ints;
    aspect_rad: (n_radars, n_targets). Returns (n_radars, n_targets).
    """
    tab = np.asarray(table_dbsm, float)[None, :, :, :]  # (1, n, bands, aspects)
    per_band = np.take_along_axis(tab, np.asarray(band_idx)[:, None, None, None], axis=2)[
        :, :, 0, :
    ]  # (r, n, aspects)
    a = np.clip(np.asarray(aspect_rad, float), 0.0, np.pi)
    return _between_aspects(per_band, a)


def _between_aspects(per_band, angle_rad) -> np.ndarray:
    """RCS (m^2) at ``angle_rad`` off the nose, interpolated in dBsm between the table's
    nose/beam/tail figures ``per_band`` (..., aspects) of the radar's band."""
    a = angle_rad
    upper = np.clip(np.searchsorted(_ASPECT_ANGLES_RAD, a, side="right"), 1, len(ASPECTS) - 1)
    lower = upper - 1
    w = (a - _ASPECT_ANGLES_RAD[lower]) / (_ASPECT_ANGLES_RAD[upper] - _ASPECT_ANGLES_RAD[lower])
    lo = np.take_along_axis(per_band, lower[..., None], axis=-1)[..., 0]
    hi = np.take_along_axis(per_band, upper[..., None], axis=-1)[..., 0]
    return 10.0 ** (((1.0 - w) * lo + w * hi) / 10.0)


def nose_angle_rad(body_az_rad, body_el_rad) -> np.ndarray:
    """Angle between the body x axis (nose) and a body-frame aspect (az, el)."""
    cos = np.cos(np.asarray(body_el_rad, float)) * np.cos(np.asarray(body_az_rad, float))
    return np.arccos(np.clip(cos, -1.0, 1.0))


def body_rcs_m2(table_dbsm, band_idx, body_az_rad, body_el_rad, signature=None) -> np.ndarray:
    """Mean RCS (m^2) at body-frame aspects (az, el) for catalog band indices.

    ``signature``: a two-angle :class:`iadsim.radar.rcs_table.RcsTable`; without one, the
    coarse nose/beam/tail table ``table_dbsm`` (len(BANDS), len(ASPECTS)) of one target
    type is used at the angle off the nose. Arguments broadcast together.
    """
    band_idx, az, el = np.broadcast_arrays(np.asarray(band_idx, int), body_az_rad, body_el_rad)
    if signature is not None:
        return signature.rcs_m2(band_idx, az, el)
    per_band = np.asarray(table_dbsm, float)[band_idx]  # (..., aspects)
    a = nose_angle_rad(az, el)
    return _between_aspects(per_band, a)


def velocity_body_aspect_rad(target_vel, target_to_radar):
    """Body-frame (az, el) of the radar for targets flying along their velocity with wings
    level (heading and pitch from the velocity, zero bank and angle of attack: the engine's
    waypoint truth has no attitude of its own). Shapes (..., 3) -> (...), (...)."""
    from iadsim.truth.attitude import body_aspect_rad

    v = np.asarray(target_vel, float)
    heading = np.arctan2(v[..., 0], v[..., 1])
    pitch = np.arctan2(v[..., 2], np.hypot(v[..., 0], v[..., 1]))
    return body_aspect_rad(target_to_radar, heading, pitch, np.zeros_like(heading))


def signature_rcs_m2(table_dbsm, band_idx, target_vel, target_to_radar, signatures):
    """Mean RCS (m^2), shape (n_radars, n_targets), from each target's two-angle table
    (``signatures[j]``; None: its coarse table ``table_dbsm[j]``) at the body aspect of each
    radar. table_dbsm (n, bands, aspects); band_idx (n_radars,); target_vel (n, 3);
    target_to_radar (n_radars, n, 3)."""
    az, el = velocity_body_aspect_rad(np.asarray(target_vel)[None, :, :], target_to_radar)
    band = np.broadcast_to(np.asarray(band_idx, int)[:, None], az.shape)
    sigma = np.empty(az.shape)
    for table in {id(s): s for s in signatures}.values():
        cols = np.flatnonzero([s is table for s in signatures])
        if table is None:  # coarse tables may differ per target: one call per target
            for j in cols:
                sigma[:, j] = body_rcs_m2(table_dbsm[j], band[:, j], az[:, j], el[:, j])
        else:
            sigma[:, cols] = table.rcs_m2(band[:, cols], az[:, cols], el[:, cols])
    return sigma
