"""Doppler processing: MTI canceller response, blind speeds and the clutter notch.

A target closing at radial velocity v_r has Doppler f_d = 2 v_r / lambda (Skolnik,
*Introduction to Radar Systems*, 3rd ed., 2001, eq. 3.3). A radar that rejects surface
clutter by its Doppler passes the target through:

* an n-pulse binomial MTI canceller (n - 1 cascaded delay-line cancellers), power response
  |H(f_d)|^2 = (2 sin(pi f_d / PRF))^(2 (n - 1)) (Skolnik 3rd ed., sec. 3.2, eqs. 3.8-3.9;
  Richards, *Fundamentals of Radar Signal Processing*, 2005, sec. 5.2). Normalised by the
  canceller's noise power gain sum_k C(n-1, k)^2 = C(2(n-1), n-1), it is the change of the
  target's SNR: 1 averaged over all Doppler frequencies, 0 at the blind speeds
  v_n = n lambda PRF / 2 (Skolnik eq. 3.10);
* a clutter notch: Doppler cells within half the notch width of zero apparent Doppler (the
  Doppler folded into (-PRF/2, PRF/2]) are blanked (zero-velocity filter / clutter map; a
  pulse-Doppler radar blanks the clutter's filters, Richards sec. 5.3).

With several PRFs (dwell-to-dwell stagger) each PRF carries an equal share of the dwell's
energy and the target's SNR is the mean of the per-PRF gains, which fills the blind speeds
of one PRF with the others (Skolnik 3rd ed., sec. 3.4, staggered PRFs).
"""

from __future__ import annotations

import numpy as np
from scipy.special import comb

GAIN_FLOOR = 1e-6  # -60 dB: a target in a blind speed or the notch is below any threshold


def doppler_frequency_hz(radial_velocity_mps, wavelength_m) -> np.ndarray:
    """f_d = 2 v_r / lambda (Skolnik 3rd ed., eq. 3.3); v_r > 0 closing or opening alike."""
    return 2.0 * np.asarray(radial_velocity_mps, float) / np.asarray(wavelength_m, float)


def blind_speeds_mps(wavelength_m, prf_hz, n) -> np.ndarray:
    """The n-th blind speed v_n = n lambda PRF / 2 (Skolnik 3rd ed., eq. 3.10)."""
    return np.asarray(n) * np.asarray(wavelength_m, float) * np.asarray(prf_hz, float) / 2.0


def canceller_gain(doppler_hz, prf_hz, n_pulses) -> np.ndarray:
    """SNR gain of an n-pulse binomial canceller, (2 sin(pi f_d / PRF))^(2(n-1)) divided by
    its noise gain C(2(n-1), n-1) (module docstring). n <= 1: no canceller, gain 1."""
    m = np.maximum(np.asarray(n_pulses, int) - 1, 0)
    x = (2.0 * np.sin(np.pi * np.asarray(doppler_hz, float) / np.asarray(prf_hz, float))) ** 2
    return x**m / comb(2 * m, m)


def notch_pass(doppler_hz, prf_hz, notch_width_hz) -> np.ndarray:
    """1 where the apparent Doppler (folded into (-PRF/2, PRF/2]) lies outside the clutter
    notch of full width ``notch_width_hz`` around zero, else 0 (module docstring)."""
    prf = np.asarray(prf_hz, float)
    folded = np.asarray(doppler_hz, float) - prf * np.round(np.asarray(doppler_hz, float) / prf)
    return (np.abs(folded) >= np.asarray(notch_width_hz, float) / 2.0).astype(float)


def doppler_gain(radial_velocity_mps, wavelength_m, prfs_hz, n_pulses, notch_width_mps):
    """Mean over the PRFs of canceller gain x notch pass: the SNR factor of Doppler processing.

    ``prfs_hz`` (..., P): the PRFs of the stagger along the last axis (NaN pads a shorter
    stagger); the other arguments broadcast against ``radial_velocity_mps`` (...). Floored
    at GAIN_FLOOR.
    """
    fd = doppler_frequency_hz(radial_velocity_mps, wavelength_m)[..., None]
    prfs = np.asarray(prfs_hz, float)
    notch_hz = doppler_frequency_hz(notch_width_mps, wavelength_m)[..., None]
    valid = np.isfinite(prfs)
    safe = np.where(valid, prfs, 1.0)
    per_prf = canceller_gain(fd, safe, np.asarray(n_pulses)[..., None]) * notch_pass(
        fd, safe, notch_hz
    )
    per_prf = np.where(valid, per_prf, 0.0)
    gain = per_prf.sum(axis=-1) / np.maximum(valid.sum(axis=-1), 1)
    return np.maximum(gain, GAIN_FLOOR)


def doppler_gain_db(radial_velocity_mps, wavelength_m, prfs_hz, n_pulses, notch_width_mps):
    """:func:`doppler_gain` in dB."""
    return 10.0 * np.log10(
        doppler_gain(radial_velocity_mps, wavelength_m, prfs_hz, n_pulses, notch_width_mps)
    )
