"""One Kalman predict/update step against a hand computation."""

import numpy as np
import pytest

from iadsim.tracking import kalman


def test_predict_update_by_hand():
    # x = [0,0,0, 10,0,0], P = diag(100 I, 25 I), dt = 1 s, q = 0.
    # Predict: position variance 100 + 25 = 125, position-velocity covariance 25.
    # Update with z = [12, 1, -1], R = 25 I: position gain 125/150, velocity gain 25/150.
    x = np.array([[0.0, 0.0, 0.0, 10.0, 0.0, 0.0]])
    p = np.diag([100.0] * 3 + [25.0] * 3)[None]
    xp, pp = kalman.predict(x, p, np.array([1.0]), 0.0)
    np.testing.assert_allclose(xp[0], [10, 0, 0, 10, 0, 0])
    assert pp[0, 0, 0] == pytest.approx(125.0)
    assert pp[0, 0, 3] == pytest.approx(25.0)
    z = np.array([[12.0, 1.0, -1.0]])
    r = (np.eye(3) * 25.0)[None]
    xu, pu = kalman.update(xp, pp, z, r)
    kp, kv = 125.0 / 150.0, 25.0 / 150.0
    np.testing.assert_allclose(xu[0, :3], [10 + kp * 2, kp * 1, -kp * 1])
    np.testing.assert_allclose(xu[0, 3:], [10 + kv * 2, kv * 1, -kv * 1])
    assert pu[0, 0, 0] == pytest.approx(125.0 * (1 - kp))
    assert pu[0, 3, 3] == pytest.approx(25.0 - 25.0 * 25.0 / 150.0)
    assert pu[0, 0, 3] == pytest.approx(25.0 * (1 - kp))


def test_process_noise_is_the_continuous_white_noise_acceleration_model():
    # Bar-Shalom, Li & Kirubarajan (2001) eq. 6.2.2-12: q [[dt^3/3, dt^2/2], [dt^2/2, dt]].
    q, dt = 7.0, 2.0
    mat = kalman.process_noise(np.array([dt]), q)[0]
    for axis in range(3):
        assert mat[axis, axis] == pytest.approx(q * dt**3 / 3)
        assert mat[axis, axis + 3] == pytest.approx(q * dt**2 / 2)
        assert mat[axis + 3, axis + 3] == pytest.approx(q * dt)
    assert mat[0, 1] == 0.0


def test_mahalanobis_matches_direct_formula():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 6))
    a = rng.normal(size=(2, 6, 6))
    p = a @ a.transpose(0, 2, 1) + np.eye(6)
    z = rng.normal(size=(3, 3))
    r = np.broadcast_to(np.eye(3) * 0.5, (3, 3, 3))
    d2 = kalman.mahalanobis_sq(x, p, z, r)
    for i in range(2):
        for j in range(3):
            nu = z[j] - x[i, :3]
            s = p[i, :3, :3] + r[j]
            assert d2[i, j] == pytest.approx(nu @ np.linalg.inv(s) @ nu)


def test_batched_kernels_agree_with_textbook_matrices():
    # Random tracks, random dt: F P F' + Q and the gain form against explicit matrices.
    rng = np.random.default_rng(2)
    n = 5
    x = rng.normal(size=(n, 6)) * 100
    a = rng.normal(size=(n, 6, 6))
    p = a @ a.transpose(0, 2, 1) + np.eye(6)
    dt = rng.uniform(0, 3, n)
    xp, pp = kalman.predict(x, p, dt, 30.0)
    f, q = kalman.transition(dt), kalman.process_noise(dt, 30.0)
    np.testing.assert_allclose(xp, np.einsum("nij,nj->ni", f, x))
    np.testing.assert_allclose(pp, f @ p @ f.transpose(0, 2, 1) + q, rtol=1e-12, atol=1e-9)
    z = rng.normal(size=(n, 3)) * 100
    b = rng.normal(size=(n, 3, 3))
    r = b @ b.transpose(0, 2, 1) + np.eye(3)
    xu, pu = kalman.update(xp, pp, z, r)
    for i in range(n):
        s = kalman.H @ pp[i] @ kalman.H.T + r[i]
        k = pp[i] @ kalman.H.T @ np.linalg.inv(s)
        np.testing.assert_allclose(xu[i], xp[i] + k @ (z[i] - xp[i, :3]), rtol=1e-9)
        np.testing.assert_allclose(pu[i], (np.eye(6) - k @ kalman.H) @ pp[i], atol=1e-8)


def test_largest_eigenvalue_closed_form():
    from iadsim.tracking.management import _max_eig_sym3

    rng = np.random.default_rng(4)
    a = rng.normal(size=(50, 3, 3))
    s = a @ a.transpose(0, 2, 1)
    s[0] = np.eye(3) * 7.0  # repeated eigenvalue (p = 0 branch)
    np.testing.assert_allclose(_max_eig_sym3(s), np.linalg.eigvalsh(s)[:, -1], rtol=1e-9)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: kalman.predict(np.zeros((2, 5)), np.zeros((2, 6, 6)), [1, 1], 1.0), "x"),
        (
            lambda: kalman.predict(np.zeros((2, 6)), np.zeros((3, 6, 6)), [1, 1], 1.0),
            "of one length along axis 0",
        ),
        (lambda: kalman.predict(np.full((1, 6), np.nan), np.zeros((1, 6, 6)), [1], 1.0), "x"),
        (lambda: kalman.predict(np.zeros((1, 6)), np.zeros((1, 6, 6)), [-1], 1.0), "dt"),
        (lambda: kalman.predict(np.zeros((1, 6)), np.zeros((1, 6, 6)), [1], -1.0), "q"),
        (
            lambda: kalman.update(
                np.zeros((1, 6)),
                np.eye(6)[None],
                np.zeros((2, 3)),
                np.broadcast_to(np.eye(3), (2, 3, 3)),
            ),
            "of one length along axis 0",
        ),  # fmt: skip
        (
            lambda: kalman.update(
                np.zeros((1, 6)), np.eye(6)[None], np.zeros((1, 3)), np.full((1, 3, 3), np.nan)
            ),
            "r",
        ),  # fmt: skip
    ],
)
def test_bad_input_names_the_argument(call, name):
    with pytest.raises(ValueError, match=name):
        call()
