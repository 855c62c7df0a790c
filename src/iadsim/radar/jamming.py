"""Noise jamming: jammer-to-signal and jammer-to-noise ratios and burn-through range.

All models are the standard "power in the radar's receiver bandwidth" link budgets for a
noise (barrage or spot) jammer, before any processing gain. Pulse compression and coherent
integration raise the signal but not the noise-like jamming, so subtract that gain (dB)
from a J/S computed here to get the post-processing value.

Notation (linear units, SI): Pt radar peak power, G radar main-beam gain, G_sl radar gain
toward a stand-off jammer (a sidelobe), sigma target RCS, ERP_j jammer effective radiated
power toward the radar, B_r radar receiver bandwidth, B_j jammer noise bandwidth,
L_r losses on the echo path (S proportional to 1/L_r), L_j losses on the jamming path
(J proportional to 1/L_j). A jammer narrower than the receiver puts all its power in
band, so the bandwidth ratio B_r/B_j is capped at 1 (Adamy, *EW 101*, Artech House 2001,
ch. 9).

Signal (radar equation, Skolnik, *Introduction to Radar Systems*, 3rd ed., eq. 2.1 with
losses) and jamming received through gain G_rx (one-way Friis link):

    S = Pt G^2 lambda^2 sigma / ((4 pi)^3 R_t^4 L_r)
    J = ERP_j G_rx lambda^2 / ((4 pi)^2 R_j^2 L_j) * min(B_r / B_j, 1)

Their ratio gives the self-screening (G_rx = G, R_j = R_t) and stand-off (G_rx = G_sl)
forms below; in dB with R in km they are Adamy's 71 + ERP_J - ERP_S + 20 log R - 10 log
sigma and 71 + ERP_J - ERP_S + 40 log R_T - 20 log R_J + G_S - G_M - 10 log sigma
(*EW 101*, ch. 9), 71 dB being 10 log10(4 pi 10^6). The self-screening burn-through is
Mahafza's cross-over range (*Radar Systems Analysis and Design Using MATLAB*, function
``ssj_req``) generalised to a required S/J.
"""

from __future__ import annotations

import numpy as np
from scipy.constants import k as BOLTZMANN_J_PER_K

from iadsim import checks

__all__ = [
    "BOLTZMANN_J_PER_K",
    "burn_through_range_m",
    "jammer_to_noise_db",
    "self_screening_jsr_db",
    "snr_with_jamming_db",
    "stand_off_burn_through_range_m",
    "stand_off_jsr_db",
]


def self_screening_jsr_db(
    range_m,
    radar_peak_power_w,
    radar_gain_db,
    rcs_m2,
    jammer_erp_w,
    jammer_bandwidth_hz,
    radar_bandwidth_hz,
    *,
    radar_loss_db=0.0,
    jammer_loss_db=0.0,
) -> np.ndarray:
    """J/S (dB) of a self-screening (escort-on-board) noise jammer.

    J/S = ERP_j 4 pi R^2 B_r L_r / (Pt G sigma B_j L_j), with B_r/B_j capped at 1
    (module docstring; Adamy, *EW 101*, 2001, ch. 9, self-protection jamming).
    J/S grows as R^2: the echo falls as R^-4, the jamming only as R^-2.
    """
    rng = checks.positive("range_m", range_m, "m")
    pt, gain, rcs, erp, band, losses = _radar_and_jammer(
        radar_peak_power_w, radar_gain_db, rcs_m2, jammer_erp_w, jammer_bandwidth_hz,
        radar_bandwidth_hz, radar_loss_db, jammer_loss_db,
    )  # fmt: skip
    jsr = erp * 4.0 * np.pi * rng**2 * band * losses / (pt * gain * rcs)
    return _linear_to_db(jsr)


def stand_off_jsr_db(
    target_range_m,
    jammer_range_m,
    radar_peak_power_w,
    radar_gain_db,
    rcs_m2,
    jammer_erp_w,
    jammer_bandwidth_hz,
    radar_bandwidth_hz,
    sidelobe_gain_db,
    *,
    radar_loss_db=0.0,
    jammer_loss_db=0.0,
) -> np.ndarray:
    """J/S (dB) of a stand-off noise jammer entering through the radar's sidelobes.

    J/S = ERP_j G_sl 4 pi R_t^4 B_r L_r / (Pt G^2 sigma R_j^2 B_j L_j), with B_r/B_j
    capped at 1 (module docstring; Adamy, *EW 101*, 2001, ch. 9, remote jamming:
    J/S = 71 + ERP_J - ERP_S + 40 log R_T - 20 log R_J + G_S - G_M - 10 log sigma).
    ``sidelobe_gain_db`` is the radar's receive gain toward the jammer (dBi, may be < 0);
    pass the main-beam gain for a jammer inside the beam.
    """
    r_t = checks.positive("target_range_m", target_range_m, "m")
    r_j = checks.positive("jammer_range_m", jammer_range_m, "m")
    pt, gain, rcs, erp, band, losses = _radar_and_jammer(
        radar_peak_power_w, radar_gain_db, rcs_m2, jammer_erp_w, jammer_bandwidth_hz,
        radar_bandwidth_hz, radar_loss_db, jammer_loss_db,
    )  # fmt: skip
    g_sl = _db_to_linear(
        checks.numbers("sidelobe_gain_db", sidelobe_gain_db, "finite numbers (dBi)")
    )
    jsr = erp * g_sl * 4.0 * np.pi * r_t**4 * band * losses / (pt * gain**2 * rcs * r_j**2)
    return _linear_to_db(jsr)


def burn_through_range_m(
    required_sjr_db,
    radar_peak_power_w,
    radar_gain_db,
    rcs_m2,
    jammer_erp_w,
    jammer_bandwidth_hz,
    radar_bandwidth_hz,
    *,
    radar_loss_db=0.0,
    jammer_loss_db=0.0,
) -> np.ndarray:
    """Self-screening burn-through range (m): inside it S/J >= the required S/J.

    Setting S/J = Pt G sigma B_j L_j / (4 pi ERP_j R^2 B_r L_r) equal to (S/J)_req gives

        R_bt = sqrt(Pt G sigma B_j L_j / (4 pi ERP_j B_r L_r (S/J)_req))

    (Mahafza's cross-over range for (S/J)_req = 1; Adamy, *EW 101*, 2001, ch. 9). A larger
    required S/J means a shorter burn-through range. ERP_j = 0 gives infinity.
    """
    sjr = _db_to_linear(checks.numbers("required_sjr_db", required_sjr_db, "finite numbers (dB)"))
    pt, gain, rcs, erp, band, losses = _radar_and_jammer(
        radar_peak_power_w, radar_gain_db, rcs_m2, jammer_erp_w, jammer_bandwidth_hz,
        radar_bandwidth_hz, radar_loss_db, jammer_loss_db,
    )  # fmt: skip
    with np.errstate(divide="ignore"):
        r2 = pt * gain * rcs / (4.0 * np.pi * erp * band * losses * sjr)
    return np.sqrt(r2)


def stand_off_burn_through_range_m(
    required_sjr_db,
    jammer_range_m,
    radar_peak_power_w,
    radar_gain_db,
    rcs_m2,
    jammer_erp_w,
    jammer_bandwidth_hz,
    radar_bandwidth_hz,
    sidelobe_gain_db,
    *,
    radar_loss_db=0.0,
    jammer_loss_db=0.0,
) -> np.ndarray:
    """Target range (m) inside which S/J >= the required S/J against a stand-off jammer.

    Solving the stand-off J/S (see :func:`stand_off_jsr_db`) for R_t:

        R_t^4 = Pt G^2 sigma R_j^2 B_j L_j / (4 pi ERP_j G_sl B_r L_r (S/J)_req)

    (Adamy, *EW 101*, 2001, ch. 9). The jammer stays at ``jammer_range_m``.
    """
    sjr = _db_to_linear(checks.numbers("required_sjr_db", required_sjr_db, "finite numbers (dB)"))
    r_j = checks.positive("jammer_range_m", jammer_range_m, "m")
    pt, gain, rcs, erp, band, losses = _radar_and_jammer(
        radar_peak_power_w, radar_gain_db, rcs_m2, jammer_erp_w, jammer_bandwidth_hz,
        radar_bandwidth_hz, radar_loss_db, jammer_loss_db,
    )  # fmt: skip
    g_sl = _db_to_linear(
        checks.numbers("sidelobe_gain_db", sidelobe_gain_db, "finite numbers (dBi)")
    )
    with np.errstate(divide="ignore"):
        r4 = pt * gain**2 * rcs * r_j**2 / (4.0 * np.pi * erp * g_sl * band * losses * sjr)
    return r4**0.25


def jammer_to_noise_db(
    jammer_range_m,
    jammer_erp_w,
    jammer_bandwidth_hz,
    radar_gain_db,
    wavelength_m,
    system_temperature_k,
    *,
    radar_bandwidth_hz=None,
    loss_db=0.0,
) -> np.ndarray:
    """J/N (dB) of a noise jammer at the radar receiver (one-way link).

    J/N = ERP_j G_r lambda^2 / ((4 pi)^2 R_j^2 k T_s B_j L): the jammer's power density
    ERP_j / (4 pi R_j^2) times the effective aperture G_r lambda^2 / (4 pi), the in-band
    fraction B_r / B_j, over the noise power k T_s B_r (Skolnik, *Introduction to Radar
    Systems*, 3rd ed., sec. 1.2 for G = 4 pi A_e / lambda^2 and sec. 2.3 for N = k T_s B;
    Adamy, *EW 101*, 2001, ch. 9). ``radar_gain_db`` is the receive gain toward the
    jammer (main beam for a self-screening jammer, a sidelobe for a stand-off one). If
    ``radar_bandwidth_hz`` is given and exceeds B_j, the whole jammer power is in band and
    B_r replaces B_j.
    """
    r_j = checks.positive("jammer_range_m", jammer_range_m, "m")
    erp = checks.non_negative("jammer_erp_w", jammer_erp_w, "W")
    b_j = checks.positive("jammer_bandwidth_hz", jammer_bandwidth_hz, "Hz")
    gain = _db_to_linear(checks.numbers("radar_gain_db", radar_gain_db, "finite numbers (dBi)"))
    lam = checks.positive("wavelength_m", wavelength_m, "m")
    t_s = checks.positive("system_temperature_k", system_temperature_k, "K")
    loss = _db_to_linear(checks.non_negative("loss_db", loss_db, "dB"))
    if radar_bandwidth_hz is not None:
        b_r = checks.positive("radar_bandwidth_hz", radar_bandwidth_hz, "Hz")
        b_j = np.maximum(b_j, b_r)
    jnr = erp * gain * lam**2 / ((4.0 * np.pi) ** 2 * r_j**2 * BOLTZMANN_J_PER_K * t_s * b_j * loss)
    return _linear_to_db(jnr)


def snr_with_jamming_db(snr_db, jnr_db) -> np.ndarray:
    """Signal to interference-plus-noise ratio (dB): S / (N + J) = SNR / (1 + J/N).

    Noise jamming adds to thermal noise (Richards, Scheer & Holm, *Principles of Modern
    Radar: Basic Principles*, 2010, ch. 2). ``jnr_db`` may be -inf (no jammer).
    """
    snr = checks.numbers("snr_db", snr_db, "finite numbers (dB)")
    jnr = checks.numbers(
        "jnr_db", jnr_db, "numbers or -inf (dB), not NaN or +inf", _not_plus_inf, allow_inf=True
    )
    return snr - 10.0 * np.log10(1.0 + 10.0 ** (jnr / 10.0))


def _radar_and_jammer(
    radar_peak_power_w, radar_gain_db, rcs_m2, jammer_erp_w, jammer_bandwidth_hz,
    radar_bandwidth_hz, radar_loss_db, jammer_loss_db,
):  # fmt: skip
    """The checked terms every J/S and burn-through equation shares: Pt (W), G (linear),
    sigma (m^2), ERP_j (W), min(B_r/B_j, 1) and L_r/L_j (linear)."""
    pt = checks.positive("radar_peak_power_w", radar_peak_power_w, "W")
    gain = _db_to_linear(checks.numbers("radar_gain_db", radar_gain_db, "finite numbers (dBi)"))
    rcs = checks.positive("rcs_m2", rcs_m2, "m^2")
    erp = checks.non_negative("jammer_erp_w", jammer_erp_w, "W")
    band = _bandwidth_fraction(jammer_bandwidth_hz, radar_bandwidth_hz)
    return pt, gain, rcs, erp, band, _loss_ratio(radar_loss_db, jammer_loss_db)


def _bandwidth_fraction(jammer_bandwidth_hz, radar_bandwidth_hz) -> np.ndarray:
    """Fraction of the jammer's noise inside the radar passband, min(B_r / B_j, 1)."""
    b_j = checks.positive("jammer_bandwidth_hz", jammer_bandwidth_hz, "Hz")
    b_r = checks.positive("radar_bandwidth_hz", radar_bandwidth_hz, "Hz")
    return np.minimum(b_r / b_j, 1.0)


def _loss_ratio(radar_loss_db, jammer_loss_db) -> np.ndarray:
    """L_r / L_j: echo-path losses raise J/S, jamming-path losses lower it."""
    l_r = checks.non_negative("radar_loss_db", radar_loss_db, "dB")
    l_j = checks.non_negative("jammer_loss_db", jammer_loss_db, "dB")
    return _db_to_linear(l_r - l_j)


def _db_to_linear(x_db):
    return 10.0 ** (np.asarray(x_db, float) / 10.0)


def _linear_to_db(x):
    with np.errstate(divide="ignore"):
        return 10.0 * np.log10(x)


def _not_plus_inf(a):
    return a < np.inf
