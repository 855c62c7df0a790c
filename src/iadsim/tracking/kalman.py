"""Batched constant-velocity Kalman filter (axis 0 = track).

State x = [x, y, z, vx, vy, vz] in the map frame (m, m/s). Process noise is the
continuous white-noise acceleration model with spectral density q (m^2/s^3):
Bar-Shalom, Li & Kirubarajan, *Estimation with Applications to Tracking and
Navigation*, 2001 (BLK), sec. 6.2.2, eq. 6.2.2-12. Predict and update are the standard
Kalman equations (BLK sec. 5.2.3). The measurement is the position in the map frame,
z = H x + w, H = [I 0], with the sensor's converted-measurement covariance R.

The public functions take and return track-first arrays (x (n, 6), P (n, 6, 6)), check their
inputs and raise ``ValueError`` naming the bad argument. The tracker's hot path calls the
unchecked ``_`` kernels, which work on *track-last* arrays (x (d, n), P (d, d, n)): NumPy is
slow on stacks of tiny matrices because its inner loops run over the 3 or 6 entries of a
row, while with the track axis last every operation is a long contiguous vector operation.
The kernels never call a batched LAPACK routine (~1 us per matrix): the 3x3 innovation
covariance is inverted in closed form (adjugate / determinant), and F P F' and K H P are
written out block by block.

The default implementations of the tracker's predictor and updater seams for this filter
are :class:`KalmanPredictor`, :class:`KalmanUpdater` and the state container
:class:`GaussianBank` (see :mod:`iadsim.tracking.protocols`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from iadsim.tracking import _validate

H = np.hstack([np.eye(3), np.zeros((3, 3))])
LOG_2PI_3 = 3.0 * math.log(2.0 * math.pi)
_I3 = np.arange(3)


# --- public, checked ------------------------------------------------------------------


def transition(dt: np.ndarray) -> np.ndarray:
    """F(dt) for each track: (n,) -> (n, 6, 6)."""
    dt = _validate.real_array("dt", np.atleast_1d(dt), (None,), "seconds")
    f = np.broadcast_to(np.eye(6), (len(dt), 6, 6)).copy()
    f[:, 0, 3] = f[:, 1, 4] = f[:, 2, 5] = dt
    return f


def process_noise(dt: np.ndarray, q) -> np.ndarray:
    """Continuous white-noise acceleration Q(dt) (BLK eq. 6.2.2-12): (n,) -> (n, 6, 6)."""
    dt = _validate.real_array("dt", np.atleast_1d(dt), (None,), "seconds")
    q = _check_q(q, len(dt))
    out = np.zeros((6, 6, len(dt)))
    _add_cwna(out, dt, q)
    return np.ascontiguousarray(out.transpose(2, 0, 1))


def predict(x: np.ndarray, p: np.ndarray, dt: np.ndarray, q) -> tuple[np.ndarray, np.ndarray]:
    """x (n, 6), P (n, 6, 6) -> predicted after dt (n,) >= 0: x = F x, P = F P F' + Q."""
    x, p = _validate.states(x, p)
    dt = _check_dt(dt, len(x))
    xt, pt = _predict(x.T, p.transpose(1, 2, 0), dt, _check_q(q, len(x)))
    return np.ascontiguousarray(xt.T), np.ascontiguousarray(pt.transpose(2, 0, 1))


def innovation(x: np.ndarray, p: np.ndarray, z: np.ndarray, r: np.ndarray):
    """Innovation nu = z - H x and its covariance S = H P H' + R for paired rows."""
    x, p = _validate.states(x, p)
    z, r = _validate.detections(z, r)
    _validate.same_length(x=x, z=z)
    return z - x[:, :3], p[:, :3, :3] + r


def update(x, p, z, r) -> tuple[np.ndarray, np.ndarray]:
    """Kalman update of paired (track, measurement) rows; position measurements z (n, 3).

    K = P H' S^-1, x += K nu, P -= K S K' (BLK eq. 5.2.3-11 to 5.2.3-15), symmetrised.
    """
    x, p = _validate.states(x, p)
    z, r = _validate.detections(z, r)
    _validate.same_length(x=x, z=z)
    xt, pt, _, _ = _update(x.T, p.transpose(1, 2, 0), z.T, r.transpose(1, 2, 0))
    return np.ascontiguousarray(xt.T), np.ascontiguousarray(pt.transpose(2, 0, 1))


def mahalanobis_sq(x: np.ndarray, p: np.ndarray, z: np.ndarray, r: np.ndarray) -> np.ndarray:
    """d^2 = nu' S^-1 nu for every (track, measurement) pair: (n,6),(n,6,6),(m,3),(m,3,3)->(n,m).

    Dense (all pairs); the tracker uses :func:`iadsim.tracking.associate.gate` instead.
    """
    x, p = _validate.states(x, p)
    z, r = _validate.detections(z, r)
    n, m = len(x), len(z)
    rows, cols = np.repeat(np.arange(n), m), np.tile(np.arange(m), n)
    d2, _ = pair_distance(x[:, :3], p[:, :3, :3], z, r, rows, cols)
    return d2.reshape(n, m)


# --- unchecked kernels (track-last layout) ------------------------------------------------

_UNIQUE = ((0, 0), (0, 1), (0, 2), (1, 1), (1, 2), (2, 2))


def _adjugate(a, b, c, d, e, f):
    """adj(S) entries and det(S) of symmetric 3x3 S = [[a, b, c], [b, d, e], [c, e, f]]."""
    a00 = d * f - e * e
    a01 = c * e - b * f
    a02 = b * e - c * d
    a11 = a * f - c * c
    a12 = b * c - a * e
    a22 = a * d - b * b
    return (a00, a01, a02, a11, a12, a22), a * a00 + b * a01 + c * a02


def _quad(adj, u, v, w):
    """nu' adj nu for nu = (u, v, w)."""
    a00, a01, a02, a11, a12, a22 = adj
    return a00 * u * u + a11 * v * v + a22 * w * w + 2.0 * (a01 * u * v + a02 * u * w + a12 * v * w)


def pair_distance(xpos, ppos, z, r, rows, cols) -> tuple[np.ndarray, np.ndarray]:
    """d^2 = nu' S^-1 nu and det S for the pairs (rows[k], cols[k]).

    xpos (n, 3), ppos (n, 3, 3) predicted positions and covariances (any strides), z (m, 3),
    r (m, 3, 3); returns (k,) arrays. Only the 6 unique entries of S are gathered.
    """
    s = [ppos[:, i, j][rows] + r[:, i, j][cols] for i, j in _UNIQUE]
    adj, det = _adjugate(*s)
    nu = [z[:, i][cols] - xpos[:, i][rows] for i in range(3)]
    return _quad(adj, *nu) / det, det


def _predict(xt, pt, dt, q) -> tuple[np.ndarray, np.ndarray]:
    """CV prediction, track-last, block by block: F = [[I, dt I], [0, I]]; x (6, n), P (6, 6, n)."""
    x_new = xt.copy()
    x_new[:3] += dt * xt[3:]
    ppp, ppv, pvp, pvv = pt[:3, :3], pt[:3, 3:], pt[3:, :3], pt[3:, 3:]
    dpvv = dt * pvv
    p_new = np.empty_like(pt)
    p_new[:3, :3] = ppp + dt * (ppv + pvp + dpvv)
    p_new[:3, 3:] = ppv + dpvv
    p_new[3:, :3] = pvp + dpvv
    p_new[3:, 3:] = pvv
    _add_cwna(p_new, dt, q)
    return x_new, p_new


def _add_cwna(pt: np.ndarray, dt: np.ndarray, q) -> None:
    """Add the CWNA process noise q [[dt^3/3, dt^2/2], [dt^2/2, dt]] per axis, in place (6,6,n)."""
    qdt = q * dt
    pp, pv = qdt * dt * dt / 3.0, qdt * dt / 2.0
    for i in range(3):
        pt[i, i] += pp
        pt[i, i + 3] += pv
        pt[i + 3, i] += pv
        pt[i + 3, i + 3] += qdt


def _update(xt, pt, zt, rt, stats: bool = True):
    """Kalman update, track-last, for any state whose first 3 entries are the position.

    x (d, k), P (d, d, k), z (3, k), R (3, 3, k) -> x, P, d^2 (k,), log N(nu; 0, S) (k,)
    (the last two None when ``stats`` is False).
    K = P H' S^-1, x += K nu, P -= K H P (BLK eq. 5.2.3-11 to 5.2.3-15), symmetrised.
    """
    iu = _IU3
    a, b, c, d, e, f = pt[iu] + rt[iu]  # unique entries of S = H P H' + R, (6, k)
    sinv = np.stack([d * f - e * e, c * e - b * f, b * e - c * d,
                     a * f - c * c, b * c - a * e, a * d - b * b])  # fmt: skip
    det = a * sinv[0] + b * sinv[1] + c * sinv[2]
    sinv /= det
    sinv = sinv[_SYM3].reshape(3, 3, -1)  # S^-1, (3, 3, k)
    nu = zt - xt[:3]
    # einsum runs each contraction as one C loop over the track axis, without temporaries.
    gain = np.einsum("dlk,ljk->djk", pt[:, :3], sinv)  # K = P H' S^-1, (d, 3, k)
    x_new = xt + np.einsum("djk,jk->dk", gain, nu)
    p_new = pt - np.einsum("djk,jek->dek", gain, pt[:3])  # P - K H P
    dim = len(xt)
    low = _LOWER.get(dim) or _LOWER.setdefault(dim, np.tril_indices(dim, -1))
    p_new[low] = p_new[low[1], low[0]]  # exact symmetry: copy the upper triangle down
    if not stats:
        return x_new, p_new, None, None
    d2 = np.einsum("jk,jk->k", nu, np.einsum("ijk,jk->ik", sinv, nu))
    loglik = -0.5 * (d2 + np.log(det) + LOG_2PI_3)
    return x_new, p_new, d2, loglik


_IU3 = (np.array([0, 0, 0, 1, 1, 2]), np.array([0, 1, 2, 1, 2, 2]))
_SYM3 = [0, 1, 2, 1, 3, 4, 2, 4, 5]
_LOWER: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def mixture_moments(x0, p0, rows, xk, pk, w, w0):
    """Moment-match a per-track mixture, track-last: track i has weight w0[i] on
    (x0[:, i], p0[:, :, i]) and, for each pair k with rows[k] == i, weight w[k] on
    (xk[:, k], pk[:, :, k]); the weights of a track sum to 1.

    x = x0 + sum_k w_k d_k, P = w0 P0 + sum_k w_k (P_k + d_k d_k') - (x - x0)(x - x0)',
    d_k = x_k - x0 (the PDA / JPDA combination, Bar-Shalom & Fortmann 1988, sec. 6.4;
    written about x0 so that large map coordinates do not cancel). Returns new arrays.
    """
    dim, n = x0.shape
    d = xk - np.take(x0, rows, axis=1)
    shift = np.stack([np.bincount(rows, weights=w * d[i], minlength=n) for i in range(dim)])
    spread = w * (pk + d[:, None, :] * d[None, :, :])
    acc = np.stack(
        [np.bincount(rows, weights=v, minlength=n) for v in spread.reshape(dim * dim, -1)]
    ).reshape(dim, dim, n)
    p = p0 * w0 + acc - shift[:, None, :] * shift[None, :, :]
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
    dt = _validate.dt_array(dt, n)
    if (dt < 0).any():
        raise ValueError(f"dt: got {dt[dt < 0][0]!r} s; prediction needs dt >= 0")
    return dt


def _check_q(q, n: int):
    q = np.asarray(q, float)
    if q.ndim > 1 or (q.ndim == 1 and len(q) != n) or not np.isfinite(q).all() or (q < 0).any():
        raise ValueError(f"q: got {q!r}; expected a finite spectral density >= 0 (m^2/s^3)")
    return q


# --- seam implementations ---------------------------------------------------------------


@dataclass
class GaussianBank:
    """One Gaussian per track, stored track-last: xt (6, n), pt (6, 6, n). The CV filter's
    state container; :meth:`mean_cov` gives the track-first views x (n, 6), P (n, 6, 6)."""

    xt: np.ndarray
    pt: np.ndarray

    def __len__(self) -> int:
        return self.xt.shape[1]

    def mean_cov(self) -> tuple[np.ndarray, np.ndarray]:
        return self.xt.T, self.pt.transpose(2, 0, 1)

    def take(self, index) -> GaussianBank:
        return GaussianBank(take_last(self.xt, index), take_last(self.pt, index))

    def concat(self, other: GaussianBank) -> GaussianBank:
        return GaussianBank(
            np.concatenate([self.xt, other.xt], axis=1), np.concatenate([self.pt, other.pt], axis=2)
        )

    @classmethod
    def from_gaussian(cls, x: np.ndarray, p: np.ndarray) -> GaussianBank:
        """From track-first x (n, 6), p (n, 6, 6)."""
        return cls(np.ascontiguousarray(x.T), np.ascontiguousarray(p.transpose(1, 2, 0)))


@dataclass
class KalmanPredictor:
    """CV prediction with CWNA process noise q (m^2/s^3)."""

    q: float = 400.0

    def predict(self, bank: GaussianBank, dt: np.ndarray) -> GaussianBank:
        return GaussianBank(*_predict(bank.xt, bank.pt, dt, self.q))


@dataclass
class KalmanUpdater:
    """Kalman update for hard (GNN) associations, PDA/JPDA mixture update for soft ones.

    ``bank`` is the predictor's fresh output; a hard update writes into its arrays.
    """

    def update(self, bank: GaussianBank, assoc, z: np.ndarray, r: np.ndarray) -> GaussianBank:
        rows, cols = assoc.track, assoc.det
        if len(rows) == 0:
            return bank
        order = np.argsort(rows, kind="stable")  # gather and scatter in memory order
        rows, cols = rows[order], cols[order]
        zt, rt = np.take(z.T, cols, axis=1), np.take(r.transpose(1, 2, 0), cols, axis=2)
        x_k, p_k, _, _ = _update(
            np.take(bank.xt, rows, 1), np.take(bank.pt, rows, 2), zt, rt, stats=False
        )
        if assoc.hard:
            bank.xt[:, rows], bank.pt[:, :, rows] = x_k, p_k
            return bank
        return GaussianBank(
            *mixture_moments(bank.xt, bank.pt, rows, x_k, p_k, assoc.weight[order], assoc.miss)
        )
