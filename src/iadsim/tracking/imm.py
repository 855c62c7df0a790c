"""Interacting multiple model (IMM) filter, batched over tracks: constant velocity (CV) +
constant acceleration (CA).

Why CV + CA rather than CV + coordinated turn (CT): the measurement is a 3-D position and
the manoeuvres that matter here are 3-D (a terminal-phase missile pulls up, dives or weaves;
an aircraft breaks in any plane). A CT model with the turn rate in the state turns only in
the horizontal plane and needs an EKF; the CA model is linear, so each mode-matched filter is
an exact Kalman filter and the whole IMM is a few batched array operations. CA with a
white-noise jerk follows a 5 g turn whose acceleration vector rotates at omega = a / v
(~0.2 rad/s at 250 m/s), which is what the tests check.

Both modes share one 9-dimensional state [x, y, z, vx, vy, vz, ax, ay, az], stored track-last
(x (9, 2, n), P (9, 9, 2, n), mode probabilities (2, n)), so that mixing, prediction and
combination are long vector operations over the track axis; the mode-matched updates use
the compiled Kalman update of :mod:`iadsim.tracking.kalman` on the (mode, pair) rows:

- mode 0, CV: x += dt v, process noise is the continuous white-noise acceleration model
  with density ``q_cv`` (BLK sec. 6.2.2). The CV mode carries the acceleration entries only
  so that the modes can be mixed: F resets them to a zero mean with spread
  ``cv_accel_sigma_mps2`` and no correlation with position or velocity, so they never
  touch the CV estimate. Padding with zero mean *and zero variance* instead would hand the
  CA mode an acceleration variance that shrinks at every mixing and leave it unable to pick
  up a manoeuvre (the "unbiased mixing" of models of different state dimension: Granström,
  Willett & Bar-Shalom, "Systematic approach to IMM mixing for unequal dimension states",
  IEEE TAES 51(4), 2015);
- mode 1, CA: x += dt v + dt^2/2 a, v += dt a, with the continuous Wiener-process
  acceleration (white-noise jerk) model of density ``q_ca`` (BLK sec. 6.2.3).

Mode switching is a continuous-time Markov chain with mean sojourn times ``sojourn_s``
(so the transition matrix depends on each track's dt):
p_01 = a/(a+b) (1 - exp(-(a+b) dt)), p_10 = b/(a+b) (1 - exp(-(a+b) dt)), a = 1/tau_0,
b = 1/tau_1.

One cycle (Blom & Bar-Shalom, "The interacting multiple model algorithm for systems with
Markovian switching coefficients", IEEE TAC 33(8), 1988; Bar-Shalom, Li & Kirubarajan 2001
(BLK), sec. 11.6.6): (1) mixing probabilities mu_{i|j} = p_ij mu_i / c_j, c_j = sum_i p_ij mu_i;
(2) mixed initial conditions x0_j, P0_j; (3) mode-matched prediction and update;
(4) mode probability update mu_j ∝ c_j Lambda_j; (5) combination x = sum mu_j x_j,
P = sum mu_j (P_j + (x_j - x)(x_j - x)'). :class:`ImmPredictor` does (1)-(3 predict) and
stores c_j as the predicted mode probabilities; :class:`ImmUpdater` does (3 update)-(4);
:meth:`ImmBank.mean_cov` does (5).

Soft (JPDA) associations: with association probabilities beta_k (beta_0 for "none") computed
from the combined prediction, mode j's likelihood is Lambda_j = beta_0 + sum_k beta_k
N_jk / N_k, where N_jk = N(nu_jk; 0, S_jk) and N_k = sum_j c_j N_jk, and mode j is updated
with the mode-conditioned weights beta_k N_jk / (N_k Lambda_j) (the IMM-PDA combination;
Bar-Shalom, Willett & Tian, *Tracking and Data Fusion*, 2011, sec. on IMM-PDAF). For a hard
association this reduces to the standard IMM. Mode probabilities are floored at 1e-6 so a
mode is never locked out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iadsim.tracking.kalman import _c, _update_pairs, mixture_moments, take_last

N_MODES = 2
DIM = 9
MU_FLOOR = 1e-6


@dataclass
class ImmBank:
    """Per-track mode states x (9, 2, n), covariances p (9, 9, 2, n), probabilities mu (2, n)."""

    x: np.ndarray
    p: np.ndarray
    mu: np.ndarray

    def __len__(self) -> int:
        return self.x.shape[-1]

    def mean_cov(self) -> tuple[np.ndarray, np.ndarray]:
        """IMM combination step (5) for the 6 kinematic states: (n, 6), (n, 6, 6)."""
        return self._combined(self.mu)

    def gate_mean_cov(self) -> tuple[np.ndarray, np.ndarray]:
        """Combined mean and a covariance that covers every mode's gate, for association.

        The combined covariance is dominated by the likely mode, so at the onset of a
        manoeuvre (CV likely, CA barely) it would gate out the very detections that make the
        CA mode likely. Gating with the unweighted sum over modes of P_j + (x_j - x)(x_j - x)'
        (>= each mode's own term) keeps every mode's detections (the union of the mode gates
        that Blackman & Popoli 1999, sec. 6.3, advise for IMM trackers, made Gaussian).
        """
        return self._combined(np.ones((N_MODES, 1)))

    def _combined(self, spread_weight) -> tuple[np.ndarray, np.ndarray]:
        """Probability-weighted mean and sum over modes of spread_weight[m] (P_m + d_m d_m')."""
        xs, ps, mu = self.x[:6], self.p[:6, :6], self.mu
        x = sum(mu[m] * xs[:, m] for m in range(N_MODES))
        p = np.zeros((6, 6, len(self)))
        for m in range(N_MODES):
            d = xs[:, m] - x
            p += spread_weight[m] * (ps[:, :, m] + d[:, None] * d[None, :])
        return x.T, p.transpose(2, 0, 1)

    def take(self, index) -> ImmBank:
        return ImmBank(
            take_last(self.x, index), take_last(self.p, index), take_last(self.mu, index)
        )

    def concat(self, other: ImmBank) -> ImmBank:
        return ImmBank(
            np.concatenate([self.x, other.x], axis=-1),
            np.concatenate([self.p, other.p], axis=-1),
            np.concatenate([self.mu, other.mu], axis=-1),
        )


@dataclass
class ImmModel:
    """Parameters of the CV + CA IMM; also builds banks from 6-state Gaussians."""

    q_cv: float = 4.0  # m^2/s^3: ~2 m/s^2 of random acceleration while not manoeuvring
    q_ca: float = 400.0  # m^2/s^5: white-noise jerk, ~20 m/s^3 over a second
    sojourn_s: tuple[float, float] = (30.0, 10.0)  # mean time in CV, in CA
    initial_mu: tuple[float, float] = (0.8, 0.2)
    initial_accel_sigma_mps2: float = 30.0
    cv_accel_sigma_mps2: float = 30.0  # the CV mode's acceleration: zero mean, this spread

    def bank_from_gaussian(self, x: np.ndarray, p: np.ndarray) -> ImmBank:
        """From track-first x (k, 6), p (k, 6, 6): both modes at x, zero acceleration."""
        k = len(x)
        xm = np.zeros((DIM, N_MODES, k))
        xm[:6] = x.T[:, None, :]
        pm = np.zeros((DIM, DIM, N_MODES, k))
        pm[:6, :6] = p.transpose(1, 2, 0)[:, :, None, :]
        for i in range(6, 9):
            pm[i, i, 0] = self.cv_accel_sigma_mps2**2
            pm[i, i, 1] = self.initial_accel_sigma_mps2**2
        mu = np.repeat(np.asarray(self.initial_mu, float)[:, None], k, axis=1)
        return ImmBank(xm, pm, mu)

    def switching(self, dt: np.ndarray) -> np.ndarray:
        """Mode transition matrices pi[i, j, t] = P(mode j now | mode i before): (n,) -> (2,2,n)."""
        a, b = 1.0 / self.sojourn_s[0], 1.0 / self.sojourn_s[1]
        leave = 1.0 - np.exp(-(a + b) * dt)
        p01, p10 = a / (a + b) * leave, b / (a + b) * leave
        return np.array([[1.0 - p01, p01], [p10, 1.0 - p10]])

    def coefficients(self, dt: np.ndarray) -> tuple[np.ndarray, ...]:
        """Block entries of F per mode, (2, n) each: F = [[I, a01, a02], [0, I, a12], [0, 0, a22]]
        in 3x3 blocks (position, velocity, acceleration); CV zeroes the acceleration."""
        zero, one = np.zeros_like(dt), np.ones_like(dt)
        return (
            np.stack([dt, dt]),
            np.stack([zero, dt * dt / 2.0]),
            np.stack([zero, dt]),
            np.stack([zero, one]),
        )

    def add_process_noise(self, p: np.ndarray, dt: np.ndarray) -> None:
        """Add Q per mode in place, p (9, 9, 2, n): CWNA (BLK sec. 6.2.2) for CV, white-noise
        jerk (BLK sec. 6.2.3) for CA."""
        d1, d2, d3, d4, d5 = dt, dt**2, dt**3, dt**4, dt**5
        cv = {(0, 0): d3 / 3, (0, 1): d2 / 2, (1, 1): d1}
        ca = {
            (0, 0): d5 / 20, (0, 1): d4 / 8, (0, 2): d3 / 6,
            (1, 1): d3 / 3, (1, 2): d2 / 2, (2, 2): d1,
        }  # fmt: skip
        for mode, blocks, dens in ((0, cv, self.q_cv), (1, ca, self.q_ca)):
            for (bi, bj), val in blocks.items():
                for a in range(3):
                    p[3 * bi + a, 3 * bj + a, mode] += dens * val
                    if bi != bj:
                        p[3 * bj + a, 3 * bi + a, mode] += dens * val
        for a in range(6, 9):  # CV: acceleration is a fresh zero-mean variable each step
            p[a, a, 0] += self.cv_accel_sigma_mps2**2


def _block_rows(b: np.ndarray, a01, a02, a12, a22) -> np.ndarray:
    """F applied to the block rows of b (3 blocks along axis 0)."""
    out = np.empty_like(b)
    out[0] = b[0] + a01 * b[1] + a02 * b[2]
    out[1] = b[1] + a12 * b[2]
    out[2] = a22 * b[2]
    return out


@dataclass
class ImmPredictor:
    """IMM steps (1)-(3): mixing, then mode-matched prediction; mu becomes c_j."""

    model: ImmModel

    def predict(self, bank: ImmBank, dt: np.ndarray) -> ImmBank:
        n = len(bank)
        pi = self.model.switching(dt)  # (i, j, n)
        c = np.einsum("ijn,in->jn", pi, bank.mu)
        w = pi * bank.mu[:, None, :] / c[None, :, :]  # mu_{i|j}
        x0 = np.zeros_like(bank.x)
        for i in range(N_MODES):
            for j in range(N_MODES):
                x0[:, j] += w[i, j] * bank.x[:, i]
        p0 = np.zeros_like(bank.p)
        for i in range(N_MODES):
            for j in range(N_MODES):
                d = bank.x[:, i] - x0[:, j]
                p0[:, :, j] += w[i, j] * (bank.p[:, :, i] + d[:, None] * d[None, :])
        coef = self.model.coefficients(dt)
        x = _block_rows(x0.reshape(3, 3, N_MODES, n), *coef).reshape(DIM, N_MODES, n)
        fp = _block_rows(p0.reshape(3, 3, 3, 3, N_MODES, n), *coef)
        fpf = _block_rows(fp.transpose(2, 3, 0, 1, 4, 5), *coef).transpose(2, 3, 0, 1, 4, 5)
        p = np.ascontiguousarray(fpf).reshape(DIM, DIM, N_MODES, n)
        self.model.add_process_noise(p, dt)
        return ImmBank(x, p, c)


@dataclass
class ImmUpdater:
    """IMM steps (3 update)-(4) for hard (GNN) or soft (JPDA) associations."""

    def update(self, bank: ImmBank, assoc, z: np.ndarray, r: np.ndarray) -> ImmBank:
        rows, cols = assoc.track, assoc.det
        k = len(rows)
        if k == 0:
            return bank
        d, m, n = bank.x.shape
        # Mode-matched Kalman updates of every (mode, pair), track-first for the kernel.
        xs = np.ascontiguousarray(np.take(bank.x, rows, axis=2).reshape(d, m * k).T)
        ps = np.take(bank.p, rows, axis=3).reshape(d, d, m * k).transpose(2, 0, 1)
        ps = np.ascontiguousarray(ps)
        flat = np.arange(m * k)
        loglik = np.empty(m * k)
        _update_pairs(xs, ps, _c(z), _c(r), flat, np.tile(np.asarray(cols, np.int64), m), flat,
                      xs, ps, loglik)  # fmt: skip
        loglik = loglik.reshape(m, k)
        c = bank.mu
        # rho_jk = N_jk / N_k, N_k = sum_j c_j N_jk (in logs: no underflow).
        log_cn = np.log(np.maximum(np.take(c, rows, axis=1), 1e-300)) + loglik
        top = log_cn.max(axis=0)
        log_nk = top + np.log(np.exp(log_cn - top).sum(axis=0))
        rho = np.exp(loglik - log_nk)
        weighted = assoc.weight * rho  # (m, k)
        lam = np.stack([assoc.miss + np.bincount(rows, weighted[j], n) for j in range(m)])
        mu = c * lam
        mu = np.maximum(mu / mu.sum(axis=0), MU_FLOOR)
        mu /= mu.sum(axis=0)
        if assoc.hard:  # the predictor's fresh output: reuse its arrays
            bank.x[:, :, rows] = xs.T.reshape(d, m, k)
            bank.p[:, :, :, rows] = ps.transpose(1, 2, 0).reshape(d, d, m, k)
            bank.mu = mu
            return bank
        # Mode-conditioned association weights; a mode whose Lambda vanished keeps beta.
        good = lam > 1e-12
        safe = np.where(good, lam, 1.0)
        w = np.where(good[:, rows], weighted / safe[:, rows], assoc.weight)
        w0 = np.where(good, assoc.miss / safe, assoc.miss)
        flat_rows = (np.arange(m)[:, None] * n + rows[None, :]).ravel()
        x, p = mixture_moments(
            bank.x.reshape(d, m * n).T, bank.p.reshape(d, d, m * n).transpose(2, 0, 1),
            flat_rows, xs, ps, w.ravel(), w0.ravel(),
        )  # fmt: skip
        x = np.ascontiguousarray(x.T).reshape(d, m, n)
        return ImmBank(x, np.ascontiguousarray(p.transpose(1, 2, 0)).reshape(d, d, m, n), mu)
