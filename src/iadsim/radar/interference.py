"""Interference at each radar: noise jamming and surface clutter, per (radar, target) pair.

The detection decision uses the signal to interference-plus-noise ratio
SINR = SNR / (1 + CNR / I + JNR) (Skolnik, *Introduction to Radar Systems*, 3rd ed., ch. 3;
:func:`iadsim.radar.clutter.sir_db`), noise jamming being treated as added noise:

* a self-screening jammer rides on its target, so it enters the main beam
  (:func:`iadsim.radar.jamming.jammer_to_noise_db`);
* a stand-off jammer enters the main beam when it lies within half a beamwidth of the
  target, otherwise a sidelobe at SIDELOBE_LEVEL_DB below the main beam, and only when
  it is above the radar's horizon;
* surface clutter (constant-gamma) competes when the surface at the target's range lies
  within the beam (:func:`iadsim.radar.clutter.clutter_in_beam`), reduced by the MTI or
  Doppler improvement factor I.

Radar figures that the catalog does not give are derived or assumed (docs/models.md): the
antenna gain from the beamwidths, G = 26,000 / (theta_az theta_el) with beamwidths in
degrees (the practical-aperture rule, Stimson, *Introduction to Airborne Radar*, 2nd ed.,
1998, ch. 9), the receiver bandwidth B = c / (2 dR), and a system noise temperature of
SYSTEM_TEMPERATURE_K.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.constants import c as SPEED_OF_LIGHT

from iadsim.geo.earth import radar_geometry
from iadsim.radar.clutter import (
    clutter_in_beam,
    clutter_to_noise_db,
    gamma_at_frequency_db,
    grazing_angle_rad,
)
from iadsim.radar.jamming import jammer_to_noise_db

SIDELOBE_LEVEL_DB = -30.0
SYSTEM_TEMPERATURE_K = 500.0


@dataclass
class Environment:
    """Jammers and clutter of a scenario, as arrays."""

    jammer_xyz: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))
    jammer_erp_w: np.ndarray = field(default_factory=lambda: np.zeros(0))
    jammer_bandwidth_hz: np.ndarray = field(default_factory=lambda: np.zeros(0))
    # One gamma for every radar, or one per radar of the scenario (NaN: no surface clutter
    # at that site); None: no clutter.
    clutter_gamma_db: float | np.ndarray | None = None
    clutter_improvement_db: float = 0.0


def clutter_gamma_of(env: Environment, idx: np.ndarray) -> np.ndarray | None:
    """Clutter gamma (dB at 10 GHz) of the radars ``idx``, NaN where none; None for none."""
    if env.clutter_gamma_db is None:
        return None
    gamma = np.asarray(env.clutter_gamma_db, float)
    return gamma[idx] if gamma.ndim else np.full(len(idx), float(gamma))


def antenna_gain_db(beamwidth_az_rad, beamwidth_el_rad) -> np.ndarray:
    """G = 26,000 / (theta_az theta_el), beamwidths in degrees (module docstring)."""
    return 10.0 * np.log10(26_000.0 / (np.rad2deg(beamwidth_az_rad) * np.rad2deg(beamwidth_el_rad)))


def receiver_bandwidth_hz(range_resolution_m) -> np.ndarray:
    """Matched bandwidth of the range resolution, B = c / (2 dR)."""
    return SPEED_OF_LIGHT / (2.0 * np.asarray(range_resolution_m, float))


def interference_db(
    radars,
    idx: np.ndarray,
    geometry: dict,
    ssj_erp_w: np.ndarray,
    ssj_bandwidth_hz: np.ndarray,
    env: Environment,
    k_factor: float,
) -> tuple[np.ndarray, np.ndarray]:
    """(JNR, CNR) in dB for each (radar in idx, target) pair; -inf where there is none."""
    shape = geometry["range_m"].shape
    wavelength = SPEED_OF_LIGHT / radars.freq_hz[idx, None]
    gain = antenna_gain_db(radars.beamwidth_az_rad[idx], radars.beamwidth_el_rad[idx])[:, None]
    bandwidth = receiver_bandwidth_hz(radars.range_resolution_m[idx])[:, None]
    jam = np.zeros(shape)
    has_ssj = ssj_erp_w > 0.0
    if has_ssj.any():
        jnr = jammer_to_noise_db(
            np.maximum(geometry["range_m"][:, has_ssj], 1.0),
            ssj_erp_w[None, has_ssj],
            ssj_bandwidth_hz[None, has_ssj],
            gain,
            wavelength,
            SYSTEM_TEMPERATURE_K,
            radar_bandwidth_hz=bandwidth,
        )
        jam[:, has_ssj] += 10.0 ** (jnr / 10.0)
    for j in range(len(env.jammer_erp_w)):
        to_jammer = radar_geometry(radars.xyz[idx], env.jammer_xyz[j], k_factor)
        main = (
            np.abs(
                np.angle(np.exp(1j * (geometry["azimuth_rad"] - to_jammer["azimuth_rad"][:, None])))
            )
            <= radars.beamwidth_az_rad[idx, None] / 2.0
        ) & (
            np.abs(geometry["elevation_rad"] - to_jammer["elevation_rad"][:, None])
            <= radars.beamwidth_el_rad[idx, None] / 2.0
        )
        jnr = jammer_to_noise_db(
            np.maximum(to_jammer["range_m"][:, None], 1.0),
            env.jammer_erp_w[j],
            env.jammer_bandwidth_hz[j],
            gain + np.where(main, 0.0, SIDELOBE_LEVEL_DB),
            wavelength,
            SYSTEM_TEMPERATURE_K,
            radar_bandwidth_hz=bandwidth,
        )
        jam += np.where(to_jammer["visible"][:, None], 10.0 ** (jnr / 10.0), 0.0)
    with np.errstate(divide="ignore"):
        jnr_db = 10.0 * np.log10(jam)
    cnr_db = np.full(shape, -np.inf)
    gamma_db = clutter_gamma_of(env, idx)
    if gamma_db is not None:
        radar_alt = np.broadcast_to(radars.xyz[idx, None, 2], shape)
        ground = geometry["ground_m"]
        has_surface = np.broadcast_to(np.isfinite(gamma_db)[:, None], shape)
        in_beam = has_surface & clutter_in_beam(
            geometry["elevation_rad"], radar_alt, ground,
            np.broadcast_to(radars.beamwidth_el_rad[idx, None], shape), k_factor,
        )  # fmt: skip
        if in_beam.any():
            psi = grazing_angle_rad(radar_alt[in_beam], ground[in_beam], k_factor)
            gamma = gamma_at_frequency_db(
                np.broadcast_to(gamma_db[:, None], shape)[in_beam],
                np.broadcast_to(radars.freq_hz[idx, None], shape)[in_beam],
            )
            cnr_db[in_beam] = clutter_to_noise_db(
                np.broadcast_to(radars.loop_constant[idx, None], shape)[in_beam],
                np.maximum(geometry["range_m"][in_beam], 1.0),
                np.maximum(psi, 1e-6),
                gamma,
                np.broadcast_to(radars.range_resolution_m[idx, None], shape)[in_beam],
                np.broadcast_to(radars.beamwidth_az_rad[idx, None], shape)[in_beam],
            )
    return jnr_db, cnr_db
