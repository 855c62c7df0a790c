"""Track-to-track fusion: covariance intersection against hand computations and its
consistency theorem, association of local tracks, fusion of several pictures."""

import numpy as np
import pytest

from iadsim.tracking.fusion import associate_tracks, covariance_intersection, fuse_pictures


def test_symmetric_pair_gives_the_hand_computed_intersection():
    # P_a = diag(1, 4), P_b = diag(4, 1): by symmetry w = 1/2 and
    # P = (diag(1, 1/4) / 2 + diag(1/4, 1) / 2)^-1 = 1.6 I.
    xa, xb = np.array([[0.0, 0.0]]), np.array([[2.0, 2.0]])
    pa, pb = np.diag([1.0, 4.0])[None], np.diag([4.0, 1.0])[None]
    x, p, w = covariance_intersection(xa, pa, xb, pb)
    assert w[0] == pytest.approx(0.5, abs=1e-6)
    assert np.allclose(p[0], 1.6 * np.eye(2), atol=1e-6)
    # x = P (w Pa^-1 xa + (1 - w) Pb^-1 xb) = 1.6 * 0.5 * (0, 0) + 1.6 * 0.5 * (0.5, 2).
    assert np.allclose(x[0], [0.4, 1.6], atol=1e-6)


def test_one_dimension_keeps_the_better_estimate():
    # In one dimension 1/P = w/a + (1 - w)/b is largest at the smaller variance's end.
    x, p, w = covariance_intersection(np.array([[3.0]]), np.array([[[2.0]]]),
                                      np.array([[5.0]]), np.array([[[0.5]]]))  # fmt: skip
    assert w[0] == 0.0 and p[0, 0, 0] == pytest.approx(0.5) and x[0, 0] == pytest.approx(5.0)


def test_weight_minimises_the_trace():
    rng = np.random.default_rng(1)
    a = rng.normal(size=(20, 6, 6))
    b = rng.normal(size=(20, 6, 6))
    pa = a @ a.transpose(0, 2, 1) + 0.1 * np.eye(6)
    pb = b @ b.transpose(0, 2, 1) + 0.1 * np.eye(6)
    _, p, w = covariance_intersection(rng.normal(size=(20, 6)), pa, rng.normal(size=(20, 6)), pb)
    grid = np.linspace(0.0, 1.0, 2001)
    for k in range(20):
        ia, ib = np.linalg.inv(pa[k]), np.linalg.inv(pb[k])
        traces = [np.trace(np.linalg.inv(g * ia + (1 - g) * ib)) for g in grid]
        assert np.trace(p[k]) <= min(traces) + 1e-9


def test_intersection_is_consistent_whatever_the_correlation():
    # Julier & Uhlmann (1997): for any cross-covariance the true error covariance of the
    # fused estimate, K_a Pa K_a' + K_a Pab K_b' + K_b Pba K_a' + K_b Pb K_b', stays below P.
    rng = np.random.default_rng(7)
    for _ in range(50):
        m = rng.normal(size=(6, 6))
        joint = m @ m.T + 0.05 * np.eye(6)  # errors of a (first 3) and b (last 3), correlated
        pa, pb, pab = joint[:3, :3], joint[3:, 3:], joint[:3, 3:]
        _, p, w = covariance_intersection(np.zeros((1, 3)), pa[None], np.zeros((1, 3)), pb[None])
        ka = p[0] @ (w[0] * np.linalg.inv(pa))
        kb = p[0] @ ((1 - w[0]) * np.linalg.inv(pb))
        true = ka @ pa @ ka.T + ka @ pab @ kb.T + kb @ pab.T @ ka.T + kb @ pb @ kb.T
        assert np.linalg.eigvalsh(p[0] - true).min() > -1e-9


def _local_tracks(truth, sigma, rng):
    """Local estimates of the truth states with errors drawn from their covariance."""
    std = np.array([sigma] * 3 + [sigma / 10] * 3)
    x = truth + rng.normal(0.0, 1.0, truth.shape) * std
    return x, np.broadcast_to(np.diag(std**2), (len(truth), 6, 6)).copy()


def test_local_tracks_of_the_same_objects_are_associated_within_groups():
    rng = np.random.default_rng(3)
    truth = np.column_stack([rng.uniform(0, 100e3, (12, 3)), rng.uniform(-300, 300, (12, 3))])
    xa, pa = _local_tracks(truth, 100.0, rng)
    order = rng.permutation(12)
    xb, pb = _local_tracks(truth[order], 100.0, rng)
    # Group 0: objects 0-5, group 1: objects 6-11 (the same sky in another replication).
    ga, gb = (np.arange(12) >= 6).astype(int), (order >= 6).astype(int)
    rows, cols = associate_tracks(xa, pa, ga, xb, pb, gb)
    pairs = sorted(zip(rows.tolist(), order[cols].tolist(), strict=True))
    assert pairs == [(i, i) for i in range(12)]
    # Co-located tracks of different groups never pair.
    rows, cols = associate_tracks(xa, pa, np.zeros(12, int), xa, pa, np.ones(12, int))
    assert len(rows) == 0


def test_three_pictures_fuse_into_one_track_per_object():
    rng = np.random.default_rng(4)
    truth = np.array([[10e3, 5e3, 3e3, 200.0, 0.0, 0.0], [60e3, 40e3, 1e3, -250.0, 0.0, 0.0]])
    parts = [_local_tracks(truth, 80.0, rng) for _ in range(3)]
    # The third picture also holds an object the others do not see.
    extra = np.array([[150e3, 150e3, 5e3, 0.0, 100.0, 0.0]])
    x = np.concatenate([parts[0][0], parts[1][0], parts[2][0], extra])
    p = np.concatenate([parts[0][1], parts[1][1], parts[2][1], parts[2][1][:1]])
    rank = np.array([0, 0, 1, 1, 2, 2, 2])
    fused = fuse_pictures(x, p, np.zeros(7, int), rank)
    assert len(fused.x) == 3
    assert sorted(fused.member_row.tolist()) == [0, 0, 0, 1, 1, 1, 2]
    assert fused.anchor.tolist()[:2] == [0, 1] and fused.anchor[2] == 6
    for row in (0, 1):  # the fused estimate is at least as certain as each local one
        assert np.trace(fused.p[row]) <= np.trace(p[0]) + 1e-6
        assert np.linalg.norm(fused.x[row, :3] - truth[row, :3]) < 300.0


def test_mismatched_shapes_are_rejected():
    with pytest.raises(ValueError):
        covariance_intersection(np.zeros((2, 3)), np.eye(3)[None].repeat(2, 0),
                                np.zeros((3, 3)), np.eye(3)[None].repeat(3, 0))  # fmt: skip
    with pytest.raises(ValueError):
        covariance_intersection(np.zeros((1, 3)), np.eye(2)[None], np.zeros((1, 3)),
                                np.eye(3)[None])  # fmt: skip
