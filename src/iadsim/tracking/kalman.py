"""Batched constant-velocity Kalman filter (axis 0 = track).

State x = [x, y, z, vx, vy, vz] in the map frame (m, m/s). Process noise is the
continuous white-noise acceleration model with spectral density q (m^2/s^3):
Bar-Shalom, Li & Kirubarajan, *Estimation with Applications to Tracking and
Navigation*, 2001 (BLK), sec. 6.2.2, eq. 6.2.2-12. Predict and update are the standard
Kalman equations (BLK sec. 5.2.3). The measurement is the position in the map frame,
z = H x + w, H = [I 0], with the sensor's converted-measurement covariance R.

The public functions take and return track-first arrays (x (n, 6), P (n, 6, 6)), check their
inputs and raise ``ValueError`` naming the bad argument. The tracker's hot path calls the
unchecked ``_`` kernels: Numba-compiled loops over the tracks (or over the (track,
detection) pairs), each track's 6 + 36 numbers contiguous in memory, written out block by
block (F P F' in 3x3 blocks; the 3x3 innovation covariance inverted in closed form by
adjugate / determinant), with no temporary arrays. A NumPy version of the same algebra
spends its time in per-call overhead and in passes over (6, 6, n) temporaries.

The default implementations of the tracker's predictor and updater seams for this filter
are :class:`KalmanPredictor`, :class:`KalmanUpdater` and the state container
:class:`GaussianBank` (see :mod:`iadsim.tracking.protocols`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit

from iadsim import checks

H = np.hstack([np.eye(3), np.zeros((3, 3))])
LOG_2PI_3 = 3.0 * math.log(2.0 * math.pi)


# --- public, checked ------------------------------------------------------------------


def check_states(x, p) -> tuple[np.ndarray, np.ndarray]:
    """Track states x (n, 6) and their covariances p (n, 6, 6), checked."""
    x = checks.numbers("x", x, "finite track states [x, y, z, vx, vy, vz] (m, m/s)", shape=_N6)
    p = checks.numbers("p", p, "finite state covariances", shape=_N66)
    checks.same_length(x=x, p=p)
    return x, p


def check_detections(z, r) -> tuple[np.ndarray, np.ndarray]:
    """Measured positions z (m, 3) and their covariances r (m, 3, 3), checked."""
    z = checks.numbers("z", z, "finite measured positions in the map frame (m)", shape=_N3)
    r = checks.numbers("r", r, "finite measurement covariances (m^2)", shape=_N33)
    checks.same_length(z=z, r=r)
    return z, r


_N3, _N33, _N6, _N66 = (None, 3), (None, 3, 3), (None, 6), (None, 6, 6)


def transition(dt: np.ndarray) -> np.ndarray:
    """F(dt) for each track: (n,) -> (n, 6, 6)."""
    dt = checks.numbers("dt", np.atleast_1d(dt), "finite time steps (s)", shape=(None,))
    f = np.broadcast_to(np.eye(6), (len(dt), 6, 6)).copy()
    f[:, 0, 3] = f[:, 1, 4] = f[:, 2, 5] = dt
    return f


def process_noise(dt: np.ndarray, q) -> np.ndarray:
    """Continuous white-noise acceleration Q(dt) (BLK eq. 6.2.2-12): (n,) -> (n, 6, 6)."""
    dt = checks.numbers("dt", np.atleast_1d(dt), "finite time steps (s)", shape=(None,))
    q = _check_q(q, len(dt))
    out = np.zeros((len(dt), 6, 6))
    qdt = q * dt
    for i in range(3):
        out[:, i, i] = qdt * dt * dt / 3.0
        out[:, i, i + 3] = out[:, i + 3, i] = qdt * dt / 2.0
        out[:, i + 3, i + 3] = qdt
    return out


def predict(x: np.ndarray, p: np.ndarray, dt: np.ndarray, q) -> tuple[np.ndarray, np.ndarray]:
    """x (n, 6), P (n, 6, 6) -> predicted after dt (n,) >= 0: x = F x, P = F P F' + Q."""
    x, p = check_states(x, p)
    dt = np.array(_check_dt(dt, len(x)), float)  # a writable copy: one kernel signature
    q = np.atleast_1d(_check_q(q, len(x))).astype(float)
    return _predict(np.ascontiguousarray(x), np.ascontiguousarray(p), dt, q)


def update(x, p, z, r) -> tuple[np.ndarray, np.ndarray]:
    """Kalman update of paired (track, measurement) rows; position measurements z (n, 3).

    K = P H' S^-1, x += K nu, P -= K H P (BLK eq. 5.2.3-11 to 5.2.3-15), symmetrised.
    """
    x, p = check_states(x, p)
    z, r = check_detections(z, r)
    n = checks.same_length(x=x, z=z)
    x, p = np.array(x, float, order="C"), np.array(p, float, order="C")
    pairs = np.arange(n)
    _update_pairs(x, p, _c(z), _c(r), pairs, pairs, pairs, x, p, np.empty(n))
    return x, p


def mahalanobis_sq(x: np.ndarray, p: np.ndarray, z: np.ndarray, r: np.ndarray) -> np.ndarray:
    """d^2 = nu' S^-1 nu for every (track, measurement) pair: (n,6),(n,6,6),(m,3),(m,3,3)->(n,m).

    Dense (all pairs); the tracker uses :func:`iadsim.tracking.associate.gate` instead.
    """
    x, p = check_states(x, p)
    z, r = check_detections(z, r)
    n, m = len(x), len(z)
    rows, cols = np.repeat(np.arange(n), m), np.tile(np.arange(m), n)
    d2, _ = pair_distance(x[:, :3], p[:, :3, :3], z, r, rows, cols)
    return d2.reshape(n, m)


def pair_distance(xpos, ppos, z, r, rows, cols) -> tuple[np.ndarray, np.ndarray]:
    """d^2 = nu' S^-1 nu and det S for the pairs (rows[k], cols[k]).

    xpos (n, >= 3), ppos (n, >= 3, >= 3) predicted positions (first 3 entries) and their
    covariances, z (m, 3), r (m, 3, 3); returns (k,) arrays.
    """
    rows, cols = np.asarray(rows, np.int64), np.asarray(cols, np.int64)
    _, _, d2, det = _gated_pairs(_c(xpos), _c(ppos), _c(z), _c(r), rows, cols, np.inf)
    return d2, det


def _c(a: np.ndarray) -> np.ndarray:
    """C-contiguous float64 (one compiled signature per kernel)."""
    return np.ascontiguousarray(a, dtype=np.float64)


# --- compiled kernels (track-first, unchecked) ---------------------------------------------


@njit(cache=True, inline="always")
def _s_inverse_parts(p, r, i, j):
    """Unique entries of adj(S) and det S for S = P_pos[i] + R[j] (3x3 symmetric)."""
    a = p[i, 0, 0] + r[j, 0, 0]
    b = p[i, 0, 1] + r[j, 0, 1]
    c = p[i, 0, 2] + r[j, 0, 2]
    d = p[i, 1, 1] + r[j, 1, 1]
    e = p[i, 1, 2] + r[j, 1, 2]
    f = p[i, 2, 2] + r[j, 2, 2]
    a00 = d * f - e * e
    a01 = c * e - b * f
    a02 = b * e - c * d
    a11 = a * f - c * c
    a12 = b * c - a * e
    a22 = a * d - b * b
    return a00, a01, a02, a11, a12, a22, a * a00 + b * a01 + c * a02


@njit(cache=True, inline="always")
def _d2(a00, a01, a02, a11, a12, a22, det, u, v, w):
    """nu' S^-1 nu = nu' adj(S) nu / det S for nu = (u, v, w)."""
    quad = a00 * u * u + a11 * v * v + a22 * w * w + 2.0 * (a01 * u * v + a02 * u * w + a12 * v * w)
    return quad / det


@njit(cache=True)
def _gated_pairs(x, p, z, r, rows, cols, gate_d2):
    """The pairs (rows[k], cols[k]) with d^2 = nu' S^-1 nu <= gate_d2, in their order:
    rows, cols, d^2, det S (x (n, >= 3), P (n, >= 3, >= 3): only the position is read)."""
    k = len(rows)
    keep = np.empty(k, np.int64)
    d2s, dets = np.empty(k), np.empty(k)
    n_ok = 0
    for q in range(k):
        i, j = rows[q], cols[q]
        a00, a01, a02, a11, a12, a22, det = _s_inverse_parts(p, r, i, j)
        d2 = _d2(a00, a01, a02, a11, a12, a22, det,
                 z[j, 0] - x[i, 0], z[j, 1] - x[i, 1], z[j, 2] - x[i, 2])  # fmt: skip
        if d2 <= gate_d2:
            keep[n_ok], d2s[n_ok], dets[n_ok] = q, d2, det
            n_ok += 1
    keep = keep[:n_ok]
    return rows[keep], cols[keep], d2s[:n_ok], dets[:n_ok]


@njit(cache=True)
def _predict_into(x, p, dt, q, xo, po):
    """CV prediction block by block: F = [[I, dt I], [0, I]], P = F P F' + Q (CWNA, q (1,) or
    (n,)); x (n, 6), P (n, 6, 6) into xo, po (may be x, p)."""
    one_q = q.shape[0] == 1
    for k in range(x.shape[0]):
        t = dt[k]
        qk = q[0] if one_q else q[k]
        for a in range(3):
            xo[k, a] = x[k, a] + t * x[k, a + 3]
            xo[k, a + 3] = x[k, a + 3]
        for i in range(3):
            for j in range(3):
                ppp, ppv = p[k, i, j], p[k, i, j + 3]
                pvp, pvv = p[k, i + 3, j], p[k, i + 3, j + 3]
                dpvv = t * pvv
                po[k, i, j] = ppp + t * (ppv + pvp + dpvv)
                po[k, i, j + 3] = ppv + dpvv
                po[k, i + 3, j] = pvp + dpvv
                po[k, i + 3, j + 3] = pvv
        qdt = qk * t
        pp, pv = qdt * t * t / 3.0, qdt * t / 2.0
        for i in range(3):
            po[k, i, i] += pp
            po[k, i, i + 3] += pv
            po[k, i + 3, i] += pv
            po[k, i + 3, i + 3] += qdt


def _predict(x, p, dt, q) -> tuple[np.ndarray, np.ndarray]:
    """CV prediction into new arrays (x, p C-contiguous track-first; q an array (1,) or (n,))."""
    xo, po = np.empty_like(x), np.empty_like(p)
    _predict_into(x, p, dt, q, xo, po)
    return xo, po


@njit(cache=True)
def _update_pairs(x, p, z, r, rows, cols, dst, xo, po, loglik):
    """Kalman update of track rows[k] with detection cols[k], written to row dst[k] of xo, po
    (which may be x, p themselves when every track has at most one pair).

    Any state dimension d >= 3 whose first 3 entries are the position: x (n, d), P (n, d, d),
    z (m, 3), R (m, 3, 3). K = P H' S^-1, x += K nu, P -= K H P (BLK eq. 5.2.3-11 to
    5.2.3-15), then the lower triangle copied from the upper one (exact symmetry);
    loglik[k] = log N(nu; 0, S). The CV filter's d = 6 is compiled with the dimension known
    (unrolled loops, twice as fast).
    """
    dim = x.shape[1]
    gain = np.empty((dim, 3))
    xn = np.empty(dim)
    pn = np.empty((dim, dim))
    if dim == 6:
        for k in range(len(rows)):
            loglik[k] = _update_one(x, p, z, r, rows[k], cols[k], dst[k], xo, po, gain, xn, pn, 6)
    else:
        for k in range(len(rows)):
            loglik[k] = _update_one(x, p, z, r, rows[k], cols[k], dst[k], xo, po, gain, xn, pn,
                                    dim)  # fmt: skip


@njit(cache=True, inline="always")
def _update_one(x, p, z, r, i, j, o, xo, po, gain, xn, pn, dim):
    """One pair of :func:`_update_pairs` (inlined, so a literal ``dim`` unrolls the loops)."""
    a00, a01, a02, a11, a12, a22, det = _s_inverse_parts(p, r, i, j)
    s00, s01, s02 = a00 / det, a01 / det, a02 / det
    s11, s12, s22 = a11 / det, a12 / det, a22 / det
    u, v, w = z[j, 0] - x[i, 0], z[j, 1] - x[i, 1], z[j, 2] - x[i, 2]
    for a in range(dim):
        pa0, pa1, pa2 = p[i, a, 0], p[i, a, 1], p[i, a, 2]
        g0 = pa0 * s00 + pa1 * s01 + pa2 * s02
        g1 = pa0 * s01 + pa1 * s11 + pa2 * s12
        g2 = pa0 * s02 + pa1 * s12 + pa2 * s22
        gain[a, 0], gain[a, 1], gain[a, 2] = g0, g1, g2
        xn[a] = x[i, a] + (g0 * u + g1 * v + g2 * w)
    for a in range(dim):
        g0, g1, g2 = gain[a, 0], gain[a, 1], gain[a, 2]
        for b in range(a, dim):
            pn[a, b] = p[i, a, b] - (g0 * p[i, 0, b] + g1 * p[i, 1, b] + g2 * p[i, 2, b])
    for a in range(dim):
        xo[o, a] = xn[a]
        for b in range(a, dim):
            po[o, a, b] = pn[a, b]
            po[o, b, a] = pn[a, b]
    t0 = s00 * u + s01 * v + s02 * w
    t1 = s01 * u + s11 * v + s12 * w
    t2 = s02 * u + s12 * v + s22 * w
    return -0.5 * ((u * t0 + v * t1 + w * t2) + math.log(det) + LOG_2PI_3)


def mixture_moments(x0, p0, rows, xk, pk, w, w0):
    """Moment-match a per-track mixture: track i has weight w0[i] on (x0[i], p0[i]) and, for
    each pair k with rows[k] == i, weight w[k] on (xk[k], pk[k]); the weights of a track sum
    to 1. x0 (n, d), p0 (n, d, d), xk (k, d), pk (k, d, d) (any strides).

    x = x0 + sum_k w_k d_k, P = w0 P0 + sum_k w_k (P_k + d_k d_k') - (x - x0)(x - x0)',
    d_k = x_k - x0 (the PDA / JPDA combination, Bar-Shalom & Fortmann 1988, sec. 6.4;
    written about x0 so that large map coordinates do not cancel). Returns new arrays.
    """
    n, dim = x0.shape
    d = xk - x0[rows]
    shift = np.stack([np.bincount(rows, weights=w * d[:, i], minlength=n) for i in range(dim)], 1)
    spread = (w[:, None, None] * (pk + d[:, :, None] * d[:, None, :])).reshape(len(w), dim * dim)
    acc = np.stack(
        [np.bincount(rows, weights=spread[:, i], minlength=n) for i in range(dim * dim)], 1
    ).reshape(n, dim, dim)
    p = p0 * w0[:, None, None] + acc - shift[:, :, None] * shift[:, None, :]
    return x0 + shift, p


def take_last(a: np.ndarray, index) -> np.ndarray:
    """``a[..., index]`` as a C-contiguous array (index: integer array or boolean mask).

    Plain fancy indexing on the last axis returns a track-first memory layout under a
    transposed view, which makes every later vector operation strided (~4x slower).
    """
    index = np.asarray(index)
    if index.dtype == bool:
        return np.compress(index, a, axis=-1)
    return np.take(a, index, axis=-1)


def _check_dt(dt, n: int) -> np.ndarray:
    """Time steps >= 0: one for all n tracks or one per track."""
    dt = checks.numbers("dt", dt, "finite time steps >= 0 (s)", _at_least_zero)
    if dt.ndim > 1 or dt.size not in (1, n):
        checks.fail("dt", f"one time step or {n} (one per track)", f"shape {dt.shape}")
    return np.broadcast_to(dt.reshape(-1), (n,))


def _check_q(q, n: int):
    allowed = "finite spectral densities >= 0 (m^2/s^3)"
    shape = () if np.ndim(q) == 0 else (n,)
    return checks.numbers("q", q, allowed, _at_least_zero, shape=shape)


def _at_least_zero(a):
    return a >= 0.0


# --- seam implementations ---------------------------------------------------------------


@dataclass
class GaussianBank:
    """One Gaussian per track, track-first and C-contiguous: x (n, 6), p (n, 6, 6). The CV
    filter's state container; :meth:`mean_cov` returns its own arrays."""

    x: np.ndarray
    p: np.ndarray

    def __len__(self) -> int:
        return len(self.x)

    def mean_cov(self) -> tuple[np.ndarray, np.ndarray]:
        return self.x, self.p

    def take(self, index) -> GaussianBank:
        index = np.asarray(index)
        if index.dtype == bool:
            return GaussianBank(self.x[index], self.p[index])
        return GaussianBank(np.take(self.x, index, 0), np.take(self.p, index, 0))

    def concat(self, other: GaussianBank) -> GaussianBank:
        return GaussianBank(np.concatenate([self.x, other.x]), np.concatenate([self.p, other.p]))

    @classmethod
    def from_gaussian(cls, x: np.ndarray, p: np.ndarray) -> GaussianBank:
        """From track-first x (n, 6), p (n, 6, 6)."""
        return cls(_c(x), _c(p))


@dataclass
class KalmanPredictor:
    """CV prediction with CWNA process noise q (m^2/s^3)."""

    q: float = 400.0

    def predict(self, bank: GaussianBank, dt: np.ndarray) -> GaussianBank:
        return GaussianBank(*_predict(bank.x, bank.p, dt, np.array([float(self.q)])))


@dataclass
class KalmanUpdater:
    """Kalman update for hard (GNN) associations, PDA/JPDA mixture update for soft ones.

    ``bank`` is the predictor's fresh output; a hard update writes into its arrays.
    """

    def update(self, bank: GaussianBank, assoc, z: np.ndarray, r: np.ndarray) -> GaussianBank:
        rows, cols = assoc.track, assoc.det
        k = len(rows)
        if k == 0:
            return bank
        rows, cols = np.asarray(rows, np.int64), np.asarray(cols, np.int64)
        z, r = _c(z), _c(r)
        if assoc.hard:  # in place: each track has at most one pair
            _update_pairs(bank.x, bank.p, z, r, rows, cols, rows, bank.x, bank.p, np.empty(k))
            return bank
        x_k, p_k = np.empty((k, 6)), np.empty((k, 6, 6))
        _update_pairs(bank.x, bank.p, z, r, rows, cols, np.arange(k), x_k, p_k, np.empty(k))
        return GaussianBank(
            *mixture_moments(bank.x, bank.p, rows, x_k, p_k, assoc.weight, assoc.miss)
        )
