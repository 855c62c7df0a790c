"""Batched constant-velocity Kalman filter (axis 0 = track).

State x = [x, y, z, vx, vy, vz] in the map frame (m, m/s). Process noise is the
continuous white-noise acceleration model with spectral density q (m^2/s^3):
Bar-Shalom, Li & Kirubarajan, *Estimation with Applications to Tracking and
Navigation*, 2001, sec. 6.2.2, eq. 6.2.2-12. Predict and update are the standard
Kalman equations (ibid. sec. 5.2.3), written in Joseph form for the covariance.
"""

from __future__ import annotations

import numpy as np

H = np.hstack([np.eye(3), np.zeros((3, 3))])


def transition(dt: np.ndarray) -> np.ndarray:
    """F(dt) for each track: (n,) -> (n, 6, 6)."""
    dt = np.asarray(dt, float)
    f = np.broadcast_to(np.eye(6), (len(dt), 6, 6)).copy()
    f[:, 0, 3] = f[:, 1, 4] = f[:, 2, 5] = dt
    return f


def process_noise(dt: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Continuous white-noise acceleration Q(dt) (BLK eq. 6.2.2-12): (n,) -> (n, 6, 6)."""
    dt = np.asarray(dt, float)
    q = np.broadcast_to(np.asarray(q, float), dt.shape)
    block = (
        np.stack(
            [
                np.stack([dt**3 / 3.0, dt**2 / 2.0], axis=-1),
                np.stack([dt**2 / 2.0, dt], axis=-1),
            ],
            axis=-2,
        )
        * q[:, None, None]
    )
    out = np.zeros((len(dt), 6, 6))
    for axis in range(3):
        out[:, axis::3, axis::3] = block
    return out


def predict(x: np.ndarray, p: np.ndarray, dt: np.ndarray, q) -> tuple[np.ndarray, np.ndarray]:
    """x (n, 6), P (n, 6, 6) -> predicted after dt (n,): x = F x, P = F P F' + Q."""
    f = transition(dt)
    x_new = np.einsum("nij,nj->ni", f, x)
    p_new = f @ p @ np.swapaxes(f, 1, 2) + process_noise(dt, q)
    return x_new, p_new


def innovation(x: np.ndarray, p: np.ndarray, z: np.ndarray, r: np.ndarray):
    """Innovation nu = z - H x and its covariance S = H P H' + R for paired rows."""
    nu = z - x[:, :3]
    s = p[:, :3, :3] + r
    return nu, s


def update(x, p, z, r) -> tuple[np.ndarray, np.ndarray]:
    """Kalman update of paired (track, measurement) rows; position measurements z (n, 3).

    K = P H' S^-1, x += K nu, P = (I - K H) P (I - K H)' + K R K' (Joseph form).
    """
    nu, s = innovation(x, p, z, r)
    gain = np.linalg.solve(s, p[:, :3, :]).swapaxes(1, 2)  # (P H')' = H P, S symmetric
    x_new = x + np.einsum("nij,nj->ni", gain, nu)
    i_kh = np.eye(6) - gain @ H
    p_new = i_kh @ p @ np.swapaxes(i_kh, 1, 2) + gain @ r @ np.swapaxes(gain, 1, 2)
    return x_new, p_new


def mahalanobis_sq(x: np.ndarray, p: np.ndarray, z: np.ndarray, r: np.ndarray) -> np.ndarray:
    """d^2 = nu' S^-1 nu for every (track, measurement) pair: (n,6),(n,6,6),(m,3),(m,3,3)->(n,m)."""
    nu = z[None, :, :] - x[:, None, :3]
    s = p[:, None, :3, :3] + r[None, :, :, :]
    sol = np.linalg.solve(s, nu[..., None])[..., 0]
    return np.sum(nu * sol, axis=-1)
