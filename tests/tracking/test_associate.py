"""Gating and association: sparse == dense, JPDA against brute-force enumeration."""

import itertools
import math

import numpy as np
import pytest

from iadsim.tracking.associate import (
    GATE_D2,
    Association,
    GNNAssociator,
    JPDAAssociator,
    gate,
    gnn,
    gnn_dense,
    jpda,
)
from iadsim.tracking.kalman import mahalanobis_sq


def random_case(rng, n, m, scale):
    """Tracks scattered over a box, half the detections near tracks, the rest clutter."""
    x = rng.uniform(0, scale, (n, 3))
    a = rng.normal(size=(n, 3, 3)) * rng.uniform(1, scale / 20, (n, 1, 1))
    p = a @ a.transpose(0, 2, 1) + np.eye(3)
    near = min(n, m // 2)
    z = np.vstack(
        [x[:near] + rng.normal(0, scale / 40, (near, 3)), rng.uniform(0, scale, (m - near, 3))]
    )
    b = rng.normal(size=(m, 3, 3)) * rng.uniform(1, scale / 50)
    r = b @ b.transpose(0, 2, 1) + np.eye(3)
    return x, p, z, r


def pairs_list(rows, cols):
    return list(zip(np.asarray(rows).tolist(), np.asarray(cols).tolist(), strict=True))


def pairs(rows, cols):
    return set(pairs_list(rows, cols))


@pytest.mark.parametrize("method", ["grid", "kdtree", "auto"])
def test_sparse_gating_finds_exactly_the_dense_gated_pairs(method):
    rng = np.random.default_rng(11)
    for _ in range(60):
        n, m = int(rng.integers(0, 50)), int(rng.integers(0, 50))
        x, p, z, r = random_case(rng, n, m, 10 ** rng.uniform(2, 5))
        ref = gate(x, p, z, r, method="dense")
        got = gate(x, p, z, r, method=method)
        assert pairs(got[0], got[1]) == pairs(ref[0], ref[1])
        if len(ref[0]):
            d2_ref = dict(zip(pairs_list(ref[0], ref[1]), ref[2], strict=True))
            for i, j, d2 in zip(got[0].tolist(), got[1].tolist(), got[2], strict=True):
                assert d2 == pytest.approx(d2_ref[i, j], rel=1e-9)


def test_gated_distances_match_the_dense_mahalanobis_formula():
    rng = np.random.default_rng(12)
    x, p, z, r = random_case(rng, 20, 25, 1000.0)
    x6 = np.hstack([x, np.zeros((20, 3))])
    p6 = np.zeros((20, 6, 6))
    p6[:, :3, :3] = p
    p6[:, 3:, 3:] = np.eye(3)
    dense = mahalanobis_sq(x6, p6, z, r)
    rows, cols, d2, _ = gate(x, p, z, r)
    np.testing.assert_allclose(d2, dense[rows, cols], rtol=1e-9)
    assert np.all(dense[rows, cols] <= GATE_D2)
    assert np.sum(dense <= GATE_D2) == len(rows)


def test_sparse_gnn_gives_the_dense_assignment_on_random_cases():
    rng = np.random.default_rng(13)
    for _ in range(150):
        n, m = int(rng.integers(0, 40)), int(rng.integers(0, 40))
        x, p, z, r = random_case(rng, n, m, 3000.0)
        rows, cols, d2, _ = gate(x, p, z, r)
        sparse = gnn(n, m, rows, cols, d2)
        mat = np.full((n, m), np.inf)
        mat[rows, cols] = d2
        dense = gnn_dense(mat)
        assert pairs(*sparse) == pairs(*dense)


def test_gnn_associator_sparse_and_dense_modes_agree():
    rng = np.random.default_rng(14)
    x, p, z, r = random_case(rng, 200, 220, 20000.0)
    x6 = np.hstack([x, np.zeros((200, 3))])
    p6 = np.zeros((200, 6, 6))
    p6[:, :3, :3] = p
    a = GNNAssociator().associate(x6, p6, z, r)
    b = GNNAssociator(gating="dense").associate(x6, p6, z, r)
    assert pairs(a.track, a.det) == pairs(b.track, b.det)
    assert a.hard and np.array_equal(a.claimed, b.claimed)


def brute_force_jpda(n_tracks, lik, miss_lik):
    """beta[t, j] by enumerating every assignment of tracks to detections or to nothing.

    lik: dict (t, j) -> likelihood ratio of gated pairs; miss_lik: (1 - Pd Pg)."""
    dets = sorted({j for _, j in lik})
    beta = {key: 0.0 for key in lik}
    beta0 = np.zeros(n_tracks)
    total = 0.0
    options = [[None] + [j for j in dets if (t, j) in lik] for t in range(n_tracks)]
    for event in itertools.product(*options):
        used = [j for j in event if j is not None]
        if len(used) != len(set(used)):
            continue
        w = math.prod(miss_lik if j is None else lik[t, j] for t, j in enumerate(event))
        total += w
        for t, j in enumerate(event):
            if j is None:
                beta0[t] += w
            else:
                beta[t, j] += w
    return {k: v / total for k, v in beta.items()}, beta0 / total


def test_jpda_matches_brute_force_enumeration():
    # Three tracks sharing four detections (one cluster) plus a lone track (PDAF).
    rng = np.random.default_rng(15)
    gated = [(0, 0), (0, 1), (1, 1), (1, 2), (2, 2), (2, 3), (0, 3), (3, 4), (3, 5)]
    rows = np.array([t for t, _ in gated])
    cols = np.array([j for _, j in gated])
    loglik = rng.normal(0.0, 1.5, len(gated))
    log_miss = math.log(1 - 0.9 * 0.999)
    assoc = jpda(4, 6, rows, cols, loglik, log_miss)
    lik = {key: math.exp(v) for key, v in zip(gated, loglik, strict=True)}
    beta, beta0 = brute_force_jpda(4, lik, math.exp(log_miss))
    got = dict(zip(pairs_list(assoc.track, assoc.det), assoc.weight, strict=True))
    for key, value in beta.items():
        assert got.get(key, 0.0) == pytest.approx(value, abs=1e-12)
    np.testing.assert_allclose(assoc.miss, beta0, atol=1e-12)
    # Every track's probabilities add up to one.
    totals = np.bincount(assoc.track, weights=assoc.weight, minlength=4) + assoc.miss
    np.testing.assert_allclose(totals, 1.0)
    assert not assoc.hard


def test_jpda_falls_back_to_gnn_above_the_hypothesis_cap():
    gated = [(t, j) for t in range(4) for j in range(4)]
    rows = np.array([t for t, _ in gated])
    cols = np.array([j for _, j in gated])
    cost = np.array([0.0 if t == j else 5.0 for t, j in gated])
    loglik = -cost
    # (1 + 4)^4 = 625 joint-event bound: above a cap of 100 the cluster is solved by GNN.
    capped = jpda(4, 4, rows, cols, loglik, -3.0, cost, max_hypotheses=100)
    assert pairs(capped.track[capped.weight > 0], capped.det[capped.weight > 0]) == {
        (0, 0),
        (1, 1),
        (2, 2),
        (3, 3),
    }
    np.testing.assert_array_equal(capped.miss, 0.0)
    exact = jpda(4, 4, rows, cols, loglik, -3.0, cost, max_hypotheses=1000)
    assert (exact.weight < 1).all() and (exact.weight > 0).all()


def test_jpda_associator_on_two_close_tracks_shares_the_middle_detection():
    x = np.zeros((2, 6))
    x[1, 0] = 100.0
    p = np.broadcast_to(np.eye(6) * 50.0**2, (2, 6, 6)).copy()
    z = np.array([[0.0, 0, 0], [50.0, 0, 0], [100.0, 0, 0]])
    r = np.broadcast_to(np.eye(3) * 10.0**2, (3, 3, 3)).copy()
    a = JPDAAssociator(detection_probability=0.9, clutter_density=1e-9).associate(x, p, z, r)
    w = {(t, j): v for t, j, v in zip(a.track, a.det, a.weight, strict=True)}
    assert w[0, 0] > w[0, 1] > w[0, 2] and w[1, 2] > w[1, 1] > w[1, 0]
    assert w[0, 1] == pytest.approx(w[1, 1])  # symmetric geometry
    assert a.claimed.all()
    assert a.hit_detection().tolist() == [0, 2]


def test_association_from_pairs_and_combine():
    a = Association.from_pairs(3, 4, np.array([0, 2]), np.array([3, 1]))
    assert a.hard and a.miss.tolist() == [0, 1, 0] and a.claimed.tolist() == [0, 1, 0, 1]
    assert a.hit_detection().tolist() == [3, -1, 1]
    b = Association.combine(
        5, 6, [(np.array([1, 3, 4]), np.array([0, 2, 4, 5]), a)]
    )  # tracks 1, 3, 4; detections 0, 2, 4, 5
    assert b.track.tolist() == [1, 4] and b.det.tolist() == [5, 2]
    assert b.miss.tolist() == [1, 0, 1, 1, 0]


def test_gate_rejects_bad_input():
    x, p = np.zeros((2, 3)), np.broadcast_to(np.eye(3), (2, 3, 3))
    z, r = np.zeros((1, 3)), np.eye(3)[None]
    with pytest.raises(ValueError, match="xpos"):
        gate(np.zeros((2, 2)), p, z, r)
    with pytest.raises(ValueError, match="of one length along axis 0"):
        gate(x, p[:1], z, r)
    with pytest.raises(ValueError, match="z"):
        gate(x, p, np.array([[np.nan, 0, 0]]), r)
    with pytest.raises(ValueError, match="method"):
        gate(x, p, z, r, method="octree")
    with pytest.raises(ValueError, match="detection_probability"):
        JPDAAssociator(detection_probability=1.5)


def test_pair_labels_give_the_scipy_components():
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    from iadsim.tracking.associate import _pair_labels

    rng = np.random.default_rng(16)
    for _ in range(200):
        n, m, e = int(rng.integers(1, 100)), int(rng.integers(1, 100)), int(rng.integers(0, 300))
        rows, cols = np.sort(rng.integers(0, n, e)), rng.integers(0, m, e)
        use = rng.random(e) < 0.8
        ours = _pair_labels(n, m, rows, cols, use)
        assert (ours[~use] == -1).all()
        u, v = rows[use], n + cols[use]
        ref = connected_components(coo_matrix((np.ones(len(u)), (u, v)), shape=(n + m,) * 2),
                                   directed=False)[1][u]  # fmt: skip
        # Same partition of the used pairs, components numbered by their smallest track.
        assert len(set(zip(ours[use].tolist(), ref.tolist(), strict=True))) == len(set(ref))
        assert ours[use].max(initial=-1) + 1 == len(set(ref.tolist()))
        first_track = [rows[use][ours[use] == c].min() for c in range(len(set(ref.tolist())))]
        assert first_track == sorted(first_track)
    chain = np.arange(999)  # a long chain: track i - detection i - track i + 1 ...
    rows, cols = np.repeat(chain, 2)[1:], np.repeat(chain, 2)[:-1]
    rows, cols = np.concatenate([[0], rows]), np.concatenate([[0], cols])
    assert (_pair_labels(1000, 999, rows, cols, np.ones(len(rows), bool)) == 0).all()


@pytest.mark.parametrize("integer_costs", [False, True])
def test_lsap_kernel_gives_scipys_assignment(integer_costs):
    # The compiled solver is a port of scipy's (Crouse 2016): same assignment, ties included.
    from scipy.optimize import linear_sum_assignment

    from iadsim.tracking.associate import _lsap

    rng = np.random.default_rng(17)
    for _ in range(300):
        shape = tuple(int(v) for v in rng.integers(1, 12, 2))
        cost = rng.integers(0, 4, shape).astype(float) if integer_costs else rng.random(shape)
        cost[rng.random(shape) < 0.3] = 1e9  # pairs outside the gate, as GNN builds them
        want = linear_sum_assignment(cost)
        got = _lsap(cost)
        assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])


def test_sparse_gnn_on_dense_packs_gives_the_dense_assignment():
    # Tracks packed within a few gate widths: large components, solved by the compiled LSA.
    rng = np.random.default_rng(18)
    sizes = []
    for _ in range(40):
        n, m = int(rng.integers(5, 40)), int(rng.integers(5, 40))
        x, p, z, r = random_case(rng, n, m, 400.0)
        rows, cols, d2, _ = gate(x, p, z, r)
        sparse = gnn(n, m, rows, cols, d2)
        mat = np.full((n, m), np.inf)
        mat[rows, cols] = d2
        assert pairs(*sparse) == pairs(*gnn_dense(mat))
        sizes.append(len(sparse[0]))
    assert max(sizes) >= 10
