"""How well N looks at a given SNR pin down a cell's mean RCS: the Cramer-Rao bound.

A look is one dwell of n pulses, square-law detected and averaged, in unit noise:
y = (1/n) sum_i |a + w_i|^2 with |a|^2 = S = c sigma, the RCS sigma drawn once per dwell
(Swerling 1 / 3: scan to scan) from a chi-square law with 2 m degrees of freedom about the
cell's mean (m = 1 exponential, Swerling 1; m = 2, Swerling 3), w_i unit complex noise.

* Swerling 1, one pulse: y is exponential with mean 1 + S_bar. The Fisher information of
  an exponential's mean mu from N looks is N / mu^2, so the Cramer-Rao bound on the mean
  RCS relative to itself is (Kay, *Fundamentals of Statistical Signal Processing:
  Estimation Theory*, 1993, ch. 3, Theorem 3.1, the scalar Cramer-Rao lower bound, applied
  to the exponential density p(y; mu) = exp(-y / mu) / mu):

      var(sigma_hat) / sigma_bar^2 >= (1 + 1/S_bar)^2 / N,

  attained by the sample mean, sigma_hat = (mean(y) - 1) / c (an efficient estimator).
* In general the sample-mean estimator, efficient in the cases above, has per look

      var / sigma_bar^2 = 1/m_eff + (2 / S_bar + 1 / S_bar^2) / n,

  (the RCS fluctuation var = S_bar^2 / m plus the noise terms of the n averaged pulses),
  which for m = 1, n = 1 is the bound above, and at high SNR the bound 1 / (m N) for the
  scale of a chi-square (gamma) law of known shape m (Theorem 3.1 again). Swerling 2 and
  4 decorrelate pulse to pulse, m_eff = m n; Swerling 0 (steady) has 1/m = 0.

Looks at different SNRs combine by adding their information (inverse variances), the bound
for independent observations (Kay eq. 3.21). A cell counts as learned to +-tol dB when the
one-sigma relative error e of its mean-RCS estimate satisfies 10 log10(1 + e) <= tol.
"""

from __future__ import annotations

import numpy as np

_SHAPE = {0: np.inf, 1: 1.0, 2: 1.0, 3: 2.0, 4: 2.0}


def look_information(snr_db, n_pulses, swerling) -> np.ndarray:
    """Information one look carries about the mean RCS, in units of 1/sigma_bar^2 (the
    inverse of the relative variance of its sample-mean estimate; module docstring)."""
    s = 10.0 ** (np.asarray(snr_db, float) / 10.0)
    n = np.asarray(n_pulses, float)
    case = np.asarray(swerling, int)
    m = np.choose(case, [_SHAPE[k] for k in range(5)])
    m_eff = np.where((case == 2) | (case == 4), m * n, m)
    # 1 / (1/m + (2/S + 1/S^2)/n), written to stay finite (0) at S = 0.
    return n * s**2 / (n * s**2 / m_eff + 2.0 * s + 1.0)


def crb_relative_std(information) -> np.ndarray:
    """One-sigma relative error of the mean-RCS estimate from summed information (inf: none)."""
    info = np.asarray(information, float)
    return np.where(info > 0.0, 1.0 / np.sqrt(np.where(info > 0.0, info, 1.0)), np.inf)


def error_db(relative_error) -> np.ndarray:
    """The relative error as the dB span it puts on the estimate, 10 log10(1 + e)."""
    return 10.0 * np.log10(1.0 + np.asarray(relative_error, float))


def cell_solid_angle_sr(az_edges_deg, el_edges_deg) -> np.ndarray:
    """Solid angle (n_el, n_az) of body-frame (az, el) cells: d_az (sin el_hi - sin el_lo)."""
    d_az = np.deg2rad(np.diff(az_edges_deg))
    d_sin = np.diff(np.sin(np.deg2rad(el_edges_deg)))
    return d_sin[:, None] * d_az[None, :]


def cell_index(az_rad, el_rad, cell_deg: float) -> tuple[np.ndarray, np.ndarray]:
    """(el row, az column) of body aspects in a grid of cell_deg cells from az 0, el -90."""
    n_az, n_el = int(round(360.0 / cell_deg)), int(round(180.0 / cell_deg))
    col = np.floor(np.mod(np.rad2deg(az_rad), 360.0) / cell_deg).astype(int) % n_az
    row = np.clip(np.floor((np.rad2deg(el_rad) + 90.0) / cell_deg).astype(int), 0, n_el - 1)
    return row, col


def accumulate(row, col, weights, cell_deg: float) -> np.ndarray:
    """Sum ``weights`` (looks) into the (n_el, n_az) cell grid."""
    n_az, n_el = int(round(360.0 / cell_deg)), int(round(180.0 / cell_deg))
    flat = np.bincount(np.ravel(row * n_az + col), np.ravel(weights), minlength=n_el * n_az)
    return flat.reshape(n_el, n_az)
