"""Surface clutter at low grazing angles, to first order, as a penalty on SNR.

A target at range R shares its range cell with the surface there. With the constant-gamma
reflectivity sigma0 = gamma sin(psi) and the pulse-limited cell area
A = R (c tau / 2) theta_az sec(psi), the clutter RCS in the cell is sigma0 A, and with the
sensor's loop constant C (single-pulse SNR = C sigma / R^4, :mod:`iadsim.radar.calibration`)
the clutter-to-noise ratio is CNR = C sigma0 A / R^4. Doppler processing (MTI, pulse
Doppler) suppresses clutter by an improvement factor I, leaving
SIR = S / (N + C / I) (Skolnik, *Introduction to Radar Systems*, 3rd ed., sec. 7.2 for the
surface-clutter radar equation and ch. 3 for the MTI improvement factor).

First-order simplifications: the clutter cell is taken at full main-beam gain and
propagation factor (pass ``pattern_loss_db`` when the beam is raised above the surface),
and the pulse-limited area holds at low grazing angles, while the cell's ground length
(c tau / 2) sec(psi) is shorter than the beam's footprint R theta_el / sin(psi), i.e.
tan(psi) < 2 R theta_el / (c tau).
"""

from __future__ import annotations

import numpy as np

from iadsim import checks
from iadsim.geo.earth import effective_radius_m

# Typical gamma (dB) at 10 GHz, as compiled in the MathWorks ``surfacegamma`` function:
# farmland, wooded hills and flatland from Nathanson, Reilly & Cohen, *Radar Design
# Principles*, 2nd ed., 1999; the others from Long, *Radar Reflectivity of Land and Sea*,
# 3rd ed., 2001. Scale to other frequencies with :func:`gamma_at_frequency_db`.
TYPICAL_GAMMA_DB = {
    "flatland": -20.0,
    "farmland": -15.0,
    "woods": -15.0,
    "wooded_hills": -10.0,
    "metropolitan": 0.0,
    "rugged_mountains": 0.0,
    "sea_state_3": -40.0,
    "sea_state_5": -30.0,
}


def grazing_angle_rad(radar_alt_m, target_ground_range_m, k_factor=4.0 / 3.0) -> np.ndarray:
    """Grazing angle (rad) of the radar's ray at a surface point ``target_ground_range_m`` away.

    Straight rays over a smooth sphere of radius a_e = k Re (:mod:`iadsim.geo.earth`): in
    the triangle earth centre / radar (at a_e + h) / surface point (at a_e, central angle
    d / a_e), the law of cosines at the surface point gives

        sin psi = ((a_e + h)^2 - a_e^2 - R^2) / (2 a_e R),

    R the slant range. For h << R << a_e this is the familiar psi ~ h/R - R/(2 a_e)
    (Long, *Radar Reflectivity of Land and Sea*, 3rd ed., 2001; Skolnik,
    *Introduction to Radar Systems*, 3rd ed., sec. 8.3). It is 90 deg below the radar,
    0 at the radar horizon and negative beyond it, where the surface is shadowed.
    """
    h = checks.non_negative("radar_alt_m", radar_alt_m, "m")
    d = checks.numbers(
        "target_ground_range_m", target_ground_range_m, "finite numbers >= 0 (m)", lambda a: a >= 0
    )
    k = checks.positive("k_factor", k_factor)
    a_e = effective_radius_m(k)
    r1 = a_e + h
    theta = d / a_e
    # 2 r1 a_e (1 - cos theta) written with sin^2 to keep precision at short range.
    slant = np.sqrt(h**2 + 4.0 * r1 * a_e * np.sin(theta / 2.0) ** 2)
    safe = np.where(slant > 0.0, slant, 1.0)
    sin_psi = (h * (2.0 * a_e + h) - slant**2) / (2.0 * a_e * safe)
    return np.where(slant > 0.0, np.arcsin(np.clip(sin_psi, -1.0, 1.0)), np.pi / 2.0)


def constant_gamma_sigma0(grazing_rad, gamma_db) -> np.ndarray:
    """Surface reflectivity sigma0 (m^2/m^2, linear) = gamma sin(psi); 0 where psi <= 0.

    Constant-gamma model (Nathanson, Reilly & Cohen, *Radar Design Principles*, 2nd ed.,
    1999, land-clutter chapter; Long, *Radar Reflectivity of Land and Sea*, 3rd ed., 2001).
    See :data:`TYPICAL_GAMMA_DB` for gamma by terrain.
    """
    psi = checks.numbers(
        "grazing_rad",
        grazing_rad,
        "finite numbers in [-pi/2, pi/2] (rad)",
        lambda a: np.abs(a) <= np.pi / 2,
    )
    gamma = 10.0 ** (checks.numbers("gamma_db", gamma_db, "finite numbers (dB)") / 10.0)
    return gamma * np.sin(np.maximum(psi, 0.0))


def gamma_at_frequency_db(gamma_10ghz_db, freq_hz) -> np.ndarray:
    """gamma (dB) at ``freq_hz`` from its 10 GHz value: gamma + 5 log10(f / 10 GHz).

    sigma0 proportional to sqrt(f) (Barton, "Land clutter models for radar design and
    analysis", Proc. IEEE 73(2), 1985; the scaling used with :data:`TYPICAL_GAMMA_DB` by
    MathWorks ``surfacegamma``).
    """
    gamma = checks.numbers("gamma_10ghz_db", gamma_10ghz_db, "finite numbers (dB)")
    f = checks.positive("freq_hz", freq_hz, "Hz")
    return gamma + 5.0 * np.log10(f / 10e9)


def clutter_cell_area_m2(
    range_m, range_resolution_m, azimuth_beamwidth_rad, grazing_rad
) -> np.ndarray:
    """Pulse-limited surface clutter cell area (m^2): A = R (c tau / 2) theta_az sec(psi).

    Skolnik, *Introduction to Radar Systems*, 3rd ed., sec. 7.2 (low grazing angle).
    ``range_resolution_m`` is c tau / 2 (after pulse compression, c tau_c / 2).
    """
    rng = checks.non_negative("range_m", range_m, "m")
    res = checks.positive("range_resolution_m", range_resolution_m, "m")
    beam = checks.numbers(
        "azimuth_beamwidth_rad",
        azimuth_beamwidth_rad,
        "finite numbers in (0, 2 pi] (rad)",
        lambda a: (a > 0.0) & (a <= 2.0 * np.pi),
    )
    psi = checks.numbers(
        "grazing_rad",
        grazing_rad,
        "finite numbers in (-pi/2, pi/2) (rad); the pulse-limited cell needs cos(psi) > 0",
        lambda a: np.abs(a) < np.pi / 2,
    )
    return rng * res * beam / np.cos(psi)


def clutter_to_noise_db(
    loop_constant,
    range_m,
    grazing_rad,
    gamma_db,
    range_resolution_m,
    azimuth_beamwidth_rad,
    *,
    pattern_loss_db=0.0,
) -> np.ndarray:
    """Single-pulse clutter-to-noise ratio (dB) of the surface cell at the target's range.

    CNR = C sigma0 A / (R^4 L_p): the sensor's radar equation SNR = C sigma / R^4
    (:mod:`iadsim.radar.calibration`) with sigma the clutter RCS sigma0 A of the
    pulse-limited cell (:func:`clutter_cell_area_m2`, :func:`constant_gamma_sigma0`;
    Skolnik, *Introduction to Radar Systems*, 3rd ed., sec. 7.2). ``pattern_loss_db`` is
    the two-way antenna-pattern loss toward the surface relative to the beam axis. Shadowed
    cells (psi <= 0) give -inf.
    """
    c = checks.positive("loop_constant", loop_constant, "m^2")
    rng = checks.positive("range_m", range_m, "m")
    loss = checks.non_negative("pattern_loss_db", pattern_loss_db, "dB")
    sigma0 = constant_gamma_sigma0(grazing_rad, gamma_db)
    area = clutter_cell_area_m2(rng, range_resolution_m, azimuth_beamwidth_rad, grazing_rad)
    cnr = c * sigma0 * area / rng**4 / 10.0 ** (loss / 10.0)
    with np.errstate(divide="ignore"):
        return 10.0 * np.log10(cnr)


def sir_db(snr_db, cnr_db, improvement_db, *, jnr_db=-np.inf) -> np.ndarray:
    """Signal to interference (noise + residual clutter + jamming) ratio, dB.

    SIR = S / (N + C / I + J) = SNR / (1 + CNR / I + JNR), with I the MTI or Doppler
    clutter improvement factor (Skolnik, *Introduction to Radar Systems*, 3rd ed., ch. 3).
    ``cnr_db`` and ``jnr_db`` may be -inf (none).
    """
    snr = checks.numbers("snr_db", snr_db, "finite numbers (dB)")
    cnr = _db_or_none("cnr_db", cnr_db)
    imp = checks.non_negative("improvement_db", improvement_db, "dB")
    jnr = _db_or_none("jnr_db", jnr_db)
    interference = 1.0 + 10.0 ** ((cnr - imp) / 10.0) + 10.0 ** (jnr / 10.0)
    return snr - 10.0 * np.log10(interference)


def clutter_in_beam(
    target_elevation_rad,
    radar_alt_m,
    target_ground_range_m,
    elevation_beamwidth_rad,
    k_factor=4.0 / 3.0,
) -> np.ndarray:
    """True where the surface at the target's ground range lies inside the beam.

    The beam is centred on the target; the surface point at the same ground range is seen
    at elevation el_s (negative, below the horizontal, same effective-earth geometry as
    :func:`grazing_angle_rad`). Clutter competes, to first order, when
    el_target - el_s <= theta_el / 2 and the point is not beyond the radar horizon.
    """
    el_t = checks.numbers(
        "target_elevation_rad",
        target_elevation_rad,
        "finite numbers in [-pi/2, pi/2] (rad)",
        lambda a: np.abs(a) <= np.pi / 2,
    )
    beam = checks.numbers(
        "elevation_beamwidth_rad",
        elevation_beamwidth_rad,
        "finite numbers in (0, pi] (rad)",
        lambda a: (a > 0.0) & (a <= np.pi),
    )
    psi = grazing_angle_rad(radar_alt_m, target_ground_range_m, k_factor)
    theta = np.asarray(target_ground_range_m, float) / effective_radius_m(np.asarray(k_factor))
    # Angles of the triangle: the depression below the radar's horizontal is psi + theta.
    el_surface = -(psi + theta)
    return (psi > 0.0) & (el_t - el_surface <= beam / 2.0)


def _db_or_none(name: str, value) -> np.ndarray:
    """A ratio in dB that may be -inf (no such interference), never NaN or +inf."""
    return checks.numbers(
        name, value, "numbers or -inf (dB), not NaN or +inf", lambda a: a < np.inf,
        allow_inf=True,
    )  # fmt: skip
