"""Monostatic radar range equation in signal-to-noise form.

The single-pulse signal-to-noise ratio at the output of a filter matched to a
pulse of width ``tau`` is

    SNR = Pt tau G^2 lambda^2 sigma / ((4 pi)^3 k Ts R^4 L)

Richards, *Fundamentals of Radar Signal Processing*, 2nd ed. (McGraw-Hill, 2014),
eq. (2.84) with the noise bandwidth of the matched filter set to ``B = 1/tau``;
the same equation (same defaults) is implemented by MATLAB's ``radareqsnr`` and
``radareqrng``.  Everything is in SI units; only ``*_db`` arguments are in dB.

Both functions broadcast their arguments like NumPy ufuncs.
"""

from __future__ import annotations

import numpy as np
from scipy.constants import k as BOLTZMANN_J_PER_K

from iadsim import checks

__all__ = ["BOLTZMANN_J_PER_K", "radar_max_range_m", "radar_snr_db"]

_FOUR_PI_CUBED = (4.0 * np.pi) ** 3


def radar_snr_db(
    wavelength_m,
    range_m,
    peak_power_w,
    pulse_width_s,
    gain_db,
    rcs_m2=1.0,
    system_temp_k=290.0,
    losses_db=0.0,
):
    """Single-pulse matched-filter SNR in dB of a monostatic radar.

    SNR = Pt tau G^2 lambda^2 sigma / ((4 pi)^3 k Ts R^4 L)
    (Richards, Fundamentals of Radar Signal Processing, 2nd ed., eq. (2.84), B = 1/tau).

    Parameters
    ----------
    wavelength_m : carrier wavelength lambda [m], > 0.
    range_m : radar-to-target range R [m], > 0.
    peak_power_w : transmitted peak power Pt [W], > 0.
    pulse_width_s : pulse width tau [s], > 0.
    gain_db : antenna gain G [dB], used on transmit and receive.
    rcs_m2 : radar cross section sigma [m^2], > 0.
    system_temp_k : system noise temperature Ts [K], > 0.
    losses_db : total system losses L [dB].

    Returns
    -------
    SNR in dB (NumPy array, or NumPy scalar for scalar inputs).
    """
    wavelength_m = checks.positive("wavelength_m", wavelength_m)
    range_m = checks.positive("range_m", range_m)
    peak_power_w = checks.positive("peak_power_w", peak_power_w)
    pulse_width_s = checks.positive("pulse_width_s", pulse_width_s)
    gain = _db_to_ratio("gain_db", gain_db)
    rcs_m2 = checks.positive("rcs_m2", rcs_m2)
    system_temp_k = checks.positive("system_temp_k", system_temp_k)
    losses = _db_to_ratio("losses_db", losses_db)

    signal_energy = peak_power_w * pulse_width_s * gain**2 * wavelength_m**2 * rcs_m2
    noise_energy = _FOUR_PI_CUBED * BOLTZMANN_J_PER_K * system_temp_k * range_m**4 * losses
    return _ratio_to_db(signal_energy / noise_energy)


def radar_max_range_m(
    wavelength_m,
    snr_db,
    peak_power_w,
    pulse_width_s,
    gain_db,
    rcs_m2=1.0,
    system_temp_k=290.0,
    losses_db=0.0,
):
    """Range [m] at which a monostatic radar reaches the given single-pulse SNR.

    R = [Pt tau G^2 lambda^2 sigma / ((4 pi)^3 k Ts L SNR)]^(1/4), the inverse of
    :func:`radar_snr_db` (Richards, Fundamentals of Radar Signal Processing, 2nd ed.,
    eq. (2.84) solved for R; MATLAB ``radareqrng``).

    Parameters are those of :func:`radar_snr_db`, with ``snr_db`` (the required SNR
    in dB, finite) in place of ``range_m``.
    """
    wavelength_m = checks.positive("wavelength_m", wavelength_m)
    snr = _db_to_ratio("snr_db", snr_db)
    peak_power_w = checks.positive("peak_power_w", peak_power_w)
    pulse_width_s = checks.positive("pulse_width_s", pulse_width_s)
    gain = _db_to_ratio("gain_db", gain_db)
    rcs_m2 = checks.positive("rcs_m2", rcs_m2)
    system_temp_k = checks.positive("system_temp_k", system_temp_k)
    losses = _db_to_ratio("losses_db", losses_db)

    signal_energy = peak_power_w * pulse_width_s * gain**2 * wavelength_m**2 * rcs_m2
    noise_energy = _FOUR_PI_CUBED * BOLTZMANN_J_PER_K * system_temp_k * losses * snr
    return _scalar_if_0d((signal_energy / noise_energy) ** 0.25)


def _db_to_ratio(name, value_db):
    """Power ratio of a finite dB value."""
    return 10.0 ** (checks.decibels(name, value_db) / 10.0)


def _ratio_to_db(ratio):
    return _scalar_if_0d(10.0 * np.log10(ratio))


def _scalar_if_0d(array):
    return array[()] if np.ndim(array) == 0 else array
