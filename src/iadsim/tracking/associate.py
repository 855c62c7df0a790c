"""Gating and data association: sparse chi-square gating, GNN and JPDA.

Gating (Blackman & Popoli, *Design and Analysis of Modern Tracking Systems*, 1999, sec. 6.3):
a detection j is a candidate for track i when d^2 = nu' S^-1 nu <= G, with S = H P H' + R
and G the chi-square quantile for 3 dof (P_G = 0.999 by default). Computing d^2 for all
n x m pairs costs O(n m); :func:`gate` first finds candidate pairs with a coarse Euclidean
gate, which is conservative because lambda_max(S) <= tr(P_pos) + max_j tr(R_j), so
|nu|^2 > G (tr(P_pos) + max tr R) implies d^2 > G:

- sort and sweep over a 2-D grid (default): detections sorted by cell (row, column) of a
  grid over the two axes where they spread most; each track's square [c - rho_i, c + rho_i]
  is a few runs of consecutive keys read from a table of cell starts, O(n + m log m + pairs);
- if that leaves too many candidates (a dense pack of targets), a k-d tree
  (``scipy.spatial.cKDTree.query_ball_point`` with per-track radii).

d^2 is then computed only for the candidate pairs (closed-form 3x3 adjugate).

GNN (Blackman & Popoli sec. 6.4): the gated pairs form a sparse bipartite graph. Pairs whose
track and detection have no other gated partner are assigned directly; the rest is split
into connected components (``scipy.sparse.csgraph.connected_components``); a component with
a single track or a single detection takes its cheapest pair, and larger components are
solved with ``scipy.optimize.linear_sum_assignment`` on their small dense cost matrix. The
objective is the one of the dense solver that the tracker used before (and that
:func:`gnn_dense` keeps as a reference): the largest number of gated pairs, then the least
sum of d^2. It decomposes over components, so the sparse solution is the same.

JPDA (Bar-Shalom & Fortmann, *Tracking and Data Association*, 1988, ch. 9; Blackman & Popoli
sec. 6.6; Bar-Shalom, Willett & Tian, *Tracking and Data Fusion*, 2011): within a cluster
(connected component) a feasible joint event gives each track at most one gated detection
and each detection at most one track. With detection probability P_D, gate probability P_G
and clutter spatial density lambda (false alarms per m^3), the parametric JPDA event
probability is

    P(theta | Z)  ∝  prod_{t -> j in theta} P_D N(nu_tj; 0, S_tj) / lambda
                     * prod_{t undetected in theta} (1 - P_D P_G)

and beta_tj is the sum over events that contain t -> j, beta_t0 over events that leave t
undetected. A cluster with one track is the PDAF, computed in closed form for all such
clusters at once. Larger clusters are enumerated exactly when prod_t (1 + gated detections
of t) <= ``max_hypotheses`` (default 10 000); a cluster above that cap is resolved by GNN
(hard assignment) instead, which is the documented fallback rule. A detection whose
summed association probability over tracks is >= 0.5 is "claimed" and does not start a
new track.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree
from scipy.stats import chi2

from iadsim.tracking import _validate
from iadsim.tracking.kalman import _UNIQUE, LOG_2PI_3, _adjugate, _quad

GATE_PROBABILITY = 0.999
GATE_D2 = float(chi2.ppf(GATE_PROBABILITY, df=3))
_BIG = 1e9
_GRID_PAIRS_PER_ITEM = 32
_SMALL = 4096  # "auto" takes all pairs below this many: cheaper than building the grid


@dataclass
class Association:
    """Result of associating one scan: weighted (track, detection) pairs.

    - ``track``, ``det`` (k,): the pairs; ``weight`` (k,): association probability
      beta (1 for a hard GNN pair);
    - ``miss`` (n,): probability that no detection is the track's (beta_0; 1 for a track
      with no pair); for every track ``miss + sum(weight of its pairs) == 1``;
    - ``claimed`` (m,): the detection is explained by an existing track (no new track);
    - ``hard``: every track has at most one pair, of weight 1.
    """

    track: np.ndarray
    det: np.ndarray
    weight: np.ndarray
    miss: np.ndarray
    claimed: np.ndarray
    hard: bool

    @classmethod
    def from_pairs(cls, n: int, m: int, rows: np.ndarray, cols: np.ndarray) -> Association:
        miss = np.ones(n)
        miss[rows] = 0.0
        claimed = np.zeros(m, bool)
        claimed[cols] = True
        return cls(rows, cols, np.ones(len(rows)), miss, claimed, True)

    @classmethod
    def combine(cls, n: int, m: int, parts) -> Association:
        """Merge associations of disjoint track subsets: parts of (tracks, dets, assoc), where
        ``tracks`` (n_i,) and ``dets`` (m_i,) map the part's indices to the full ones."""
        miss = np.ones(n)
        claimed = np.zeros(m, bool)
        track, det, weight = [np.zeros(0, int)], [np.zeros(0, int)], [np.zeros(0)]
        hard = True
        for tracks, dets, a in parts:
            track.append(tracks[a.track])
            det.append(dets[a.det])
            weight.append(a.weight)
            miss[tracks] = a.miss
            claimed[dets[a.claimed]] = True
            hard &= a.hard
        return cls(np.concatenate(track), np.concatenate(det), np.concatenate(weight), miss,
                   claimed, hard)  # fmt: skip

    def hit_detection(self, threshold: float = 0.5) -> np.ndarray:
        """Per track, the detection it most likely produced if 1 - beta_0 >= threshold, else -1."""
        n = len(self.miss)
        out = np.full(n, -1)
        if self.hard:
            out[self.track] = self.det
            return out
        order = np.lexsort((-self.weight, self.track))
        rows = self.track[order]
        first = np.ones(len(rows), bool)
        first[1:] = rows[1:] != rows[:-1]
        best_rows, best_det = rows[first], self.det[order][first]
        ok = 1.0 - self.miss[best_rows] >= threshold
        out[best_rows[ok]] = best_det[ok]
        return out


# --- gating -------------------------------------------------------------------------------


def gate(
    xpos, ppos, z, r, gate_d2: float = GATE_D2, method: str = "auto", track_group=None,
    det_group=None,
):  # fmt: skip
    """Gated (track, detection) pairs: rows, cols, d^2 and det S, each (k,), sorted by
    (track, detection).

    xpos (n, 3) predicted positions, ppos (n, 3, 3) their covariances, z (m, 3), r (m, 3, 3).
    ``method``: "auto" (grid sort and sweep, k-d tree if it finds too many candidates),
    "grid", "kdtree", or "dense" (all pairs, the reference). ``track_group`` (n,) and
    ``det_group`` (m,) integers (default: all one group): only pairs of one group are gated.
    """
    xpos = _validate.real_array("xpos", xpos, (None, 3), "predicted positions, m")
    ppos = _validate.real_array("ppos", ppos, (None, 3, 3), "predicted position covariances")
    _validate.same_length(xpos=xpos, ppos=ppos)
    z, r = _validate.detections(z, r)
    gate_d2 = _validate.scalar("gate_d2", gate_d2, 0.0, low_open=True)
    if method not in ("auto", "grid", "kdtree", "dense"):
        raise ValueError(f"method: got {method!r}; expected 'auto', 'grid', 'kdtree' or 'dense'")
    if (track_group is None) != (det_group is None):
        raise ValueError("track_group, det_group: give both or neither")
    if track_group is not None:
        track_group = _validate.integer_array("track_group", track_group, len(xpos))
        det_group = _validate.integer_array("det_group", det_group, len(z))
    return _gate(xpos, ppos, z, r, gate_d2, method, track_group, det_group)


def _dense_groups(track_group, det_group, n: int, m: int):
    """Groups renumbered 0 .. G-1 over the detections' groups: (track (n,), det (m,), G).

    A track whose group has no detection gets -1 (no candidates). None: one group."""
    if track_group is None:
        return np.zeros(n, np.int64), np.zeros(m, np.int64), 1
    ug, dg = np.unique(det_group, return_inverse=True)
    pos = np.minimum(np.searchsorted(ug, track_group), len(ug) - 1)
    tg = np.where(ug[pos] == track_group, pos, -1)
    return tg, dg.ravel(), len(ug)


def _gate(xpos, ppos, z, r, gate_d2, method="auto", track_group=None, det_group=None):
    n, m = len(xpos), len(z)
    if n == 0 or m == 0:
        e = np.zeros(0, int)
        return e, e, np.zeros(0), np.zeros(0)
    tg, dg, n_groups = _dense_groups(track_group, det_group, n, m)
    if method == "dense" or (method == "auto" and n * m <= _SMALL):
        if n_groups == 1 and tg.min() == 0:
            rows, cols = np.repeat(np.arange(n), m), np.tile(np.arange(m), n)
        else:
            rows, cols = _same_group(tg, dg, n_groups)
        nu = [z[:, i][cols] - xpos[:, i][rows] for i in range(3)]
    else:
        tr_p = ppos[:, 0, 0] + ppos[:, 1, 1] + ppos[:, 2, 2]
        tr_r = float((r[:, 0, 0] + r[:, 1, 1] + r[:, 2, 2]).max())
        radius = np.sqrt(gate_d2 * (tr_p + tr_r)) * (1.0 + 1e-9) + 1e-6
        cand = None
        if method != "kdtree":
            cand = _grid(xpos, radius, z, method == "grid", tg, dg, n_groups)
        rows, cols = cand if cand is not None else _kdtree(xpos, radius, z, tg, dg, n_groups)
        nu = [z[:, i][cols] - xpos[:, i][rows] for i in range(3)]
        near = np.flatnonzero(nu[0] ** 2 + nu[1] ** 2 + nu[2] ** 2 <= radius[rows] ** 2)
        rows, cols, nu = rows[near], cols[near], [v[near] for v in nu]
    adj, det = _adjugate(*(ppos[:, i, j][rows] + r[:, i, j][cols] for i, j in _UNIQUE))
    d2 = _quad(adj, *nu) / det
    ok = np.flatnonzero(d2 <= gate_d2)
    rows, cols, d2, det = rows[ok], cols[ok], d2[ok], det[ok]
    key = rows * m + cols  # one canonical order, whatever found the candidates
    if len(key) > 1 and not (key[1:] > key[:-1]).all():
        order = np.argsort(key)
        rows, cols, d2, det = rows[order], cols[order], d2[order], det[order]
    return rows, cols, d2, det


def _runs(counts: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Concatenated ranges start[i] .. start[i] + counts[i] - 1."""
    total = int(counts.sum())
    return np.arange(total) + np.repeat(start - (np.cumsum(counts) - counts), counts)


def _same_group(tg, dg, n_groups):
    """Every (track, detection) pair of one group: detections counting-sorted by group."""
    order = np.argsort(dg, kind="stable")
    first = np.zeros(n_groups + 1, np.int64)
    np.cumsum(np.bincount(dg, minlength=n_groups), out=first[1:])
    has = tg >= 0
    g = np.where(has, tg, 0)
    counts = np.where(has, first[g + 1] - first[g], 0)
    rows = np.repeat(np.arange(len(tg)), counts)
    return rows, order[_runs(counts, first[g])]


def _grid(xpos, radius, z, force: bool, tg, dg, n_groups: int):
    """Candidate pairs from detections sorted into the rows of a 2-D grid (sort and sweep).

    The two axes where the detections spread most span a grid of square cells of side h;
    detections are sorted by cell key (group, row, column), with a table of each cell's
    first index, so a track only ever meets detections of its own group (``tg`` (n,),
    ``dg`` (m,) in 0 .. n_groups - 1; a track of group -1 meets none). A track's square
    [c - rho, c + rho] crosses a few grid rows, and in each row its cells are one
    contiguous run of sorted keys, read from the table. h is the mean detection spacing
    within a group, sqrt(area n_groups / m) (which balances the number of runs against the
    number of candidates), and at least twice the median gate radius. Returns None when
    the candidates exceed a budget of ``_GRID_PAIRS_PER_ITEM * (n + m)`` (dense scenes:
    the caller uses the k-d tree).
    """
    cols3 = [z[:, i] for i in range(3)]
    lows = [c.min() for c in cols3]
    spread = [c.max() - low for c, low in zip(cols3, lows, strict=True)]
    a, b = sorted(range(3), key=lambda i: -spread[i])[:2]
    lo_a, lo_b = lows[a], lows[b]
    area = max(spread[a], 1.0) * max(spread[b], 1.0)
    mid = len(radius) // 2
    median = float(np.partition(radius, mid)[mid])  # (upper) median, without np.median's cost
    h = max(np.sqrt(area * n_groups / len(z)), 2.0 * median, 1e-3)
    while (int(spread[a] // h) + 1) * (int(spread[b] // h) + 1) * n_groups > 4 * len(z) + 64:
        h *= 2.0  # detections along a line: keep the cell table O(m)
    n_a = int(spread[a] // h) + 1
    n_b = int(spread[b] // h) + 1
    inv_h = 1.0 / h
    ca = np.minimum(np.floor((cols3[a] - lo_a) * inv_h), n_a - 1).astype(np.int64)
    cb = np.minimum(np.floor((cols3[b] - lo_b) * inv_h), n_b - 1).astype(np.int64)
    key = (dg * n_b + cb) * n_a + ca
    n_cells = n_groups * n_a * n_b
    order = np.argsort(key, kind="stable")
    # First sorted index of every cell (a counting table: no binary search per query).
    first = np.zeros(n_cells + 1, np.int64)
    np.cumsum(np.bincount(key, minlength=n_cells), out=first[1:])

    def cell(coord, low, top, lowest):  # floor((coord - low) / h) clipped to [lowest, top]
        return np.minimum(np.maximum(np.floor((coord - low) * inv_h), lowest), top).astype(np.int64)

    xa, xb = xpos[:, a], xpos[:, b]
    a_lo, a_hi = cell(xa - radius, lo_a, n_a - 1, 0), cell(xa + radius, lo_a, n_a - 1, -1)
    b_lo, b_hi = cell(xb - radius, lo_b, n_b, 0), cell(xb + radius, lo_b, n_b - 1, -1)
    n_rows = np.where((a_hi >= a_lo) & (tg >= 0), np.maximum(b_hi - b_lo + 1, 0), 0)
    base = np.maximum(tg, 0) * n_b  # the group's first grid row in the key
    if n_rows.max(initial=0) == 1 and n_rows.min() == 1:  # the common case: one row each
        track, row = np.arange(len(xpos)), base + b_lo
        start, stop = first[row * n_a + a_lo], first[row * n_a + a_hi + 1]
    else:
        track = np.repeat(np.arange(len(xpos)), n_rows)
        row = b_lo[track] + np.arange(len(track)) - np.repeat(np.cumsum(n_rows) - n_rows, n_rows)
        row += base[track]
        start = first[row * n_a + a_lo[track]]
        stop = first[row * n_a + a_hi[track] + 1]
    counts = stop - start
    total = int(counts.sum())
    if not force and total > _GRID_PAIRS_PER_ITEM * (len(xpos) + len(z)):
        return None
    rows = np.repeat(track, counts)
    return rows, order[_runs(counts, start)]


def _kdtree(xpos, radius, z, tg, dg, n_groups: int):
    """Candidate pairs from a k-d tree over the detections, one radius per track.

    With several groups the tree is built on group-separated coordinates: a fourth
    coordinate g * gap, with the gap wider than every gate radius, so no ball reaches
    another group (and same-group distances are unchanged: the fourth coordinates are equal).
    """
    if n_groups > 1 or (tg < 0).any():
        gap = 2.0 * float(radius.max()) + 1.0
        z = np.column_stack([z, dg * gap])
        xpos = np.column_stack([xpos, tg * gap])
    hits = cKDTree(z).query_ball_point(xpos, radius, return_sorted=True)
    counts = np.fromiter((len(h) for h in hits), int, len(hits))
    rows = np.repeat(np.arange(len(xpos)), counts)
    cols = np.fromiter((j for h in hits for j in h), int, int(counts.sum()))
    return rows, cols


def _components(rows: np.ndarray, cols: np.ndarray):
    """Connected components of the bipartite gate graph given by its pairs.

    Returns (tracks, track_label, dets, det_label, pair_label): the distinct tracks and
    detections of the pairs with their component labels (0 .. L-1), and each pair's label.
    """
    ut, ri = np.unique(rows, return_inverse=True)
    ud, ci = np.unique(cols, return_inverse=True)
    nt = len(ut)
    labels = _union_find(nt + len(ud), ri, nt + ci)
    return ut, labels[:nt], ud, labels[nt:], labels[ri]


def _union_find(n_nodes: int, u: np.ndarray, v: np.ndarray, max_rounds: int = 64) -> np.ndarray:
    """Component labels 0 .. L-1 of an undirected graph with edges (u, v), vectorised.

    Hook-and-compress (the pattern of Shiloach & Vishkin, "An O(log n) parallel connectivity
    algorithm", J. Algorithms 3, 1982): every round hooks the root of each edge's larger end
    under the smaller root, then pointer jumping flattens the trees; it ends when every edge
    joins one root. Gate graphs have tiny components, so it takes a few rounds of small array
    operations, far cheaper than building a sparse matrix for
    ``scipy.sparse.csgraph.connected_components``, which remains the fallback.
    """
    parent = np.arange(n_nodes)
    for _ in range(max_rounds):
        pu, pv = parent[u], parent[v]
        split = pu != pv
        if not split.any():
            return np.unique(parent, return_inverse=True)[1]
        low = np.minimum(pu[split], pv[split])
        np.minimum.at(parent, pu[split], low)
        np.minimum.at(parent, pv[split], low)
        while True:
            grand = parent[parent]
            if np.array_equal(grand, parent):
                break
            parent = grand
    graph = coo_matrix((np.ones(len(u)), (u, v)), shape=(n_nodes, n_nodes))
    return connected_components(graph, directed=False)[1]


# --- GNN ----------------------------------------------------------------------------------


def gnn(n: int, m: int, rows, cols, cost, track_group=None) -> tuple[np.ndarray, np.ndarray]:
    """Sparse GNN on gated pairs (rows, cols, cost): the assigned (track, detection) pairs.

    ``track_group`` (n,): the tracks' groups when the pairs never join two groups; the
    dense solves are then batched within each group, exactly as in that group's own call.
    """
    rows, cols, cost = np.asarray(rows), np.asarray(cols), np.asarray(cost, float)
    if len(rows) == 0:
        return rows, cols
    track_deg = np.bincount(rows, minlength=n)
    det_deg = np.bincount(cols, minlength=m)
    lone = (track_deg[rows] == 1) & (det_deg[cols] == 1)
    out_r, out_c = [rows[lone]], [cols[lone]]
    rest = np.flatnonzero(~lone)
    if len(rest):
        r_, c_, k_ = rows[rest], cols[rest], cost[rest]
        ut, lab_t, ud, lab_d, label = _components(r_, c_)
        n_labels = int(label.max()) + 1
        tracks_in = np.bincount(lab_t, minlength=n_labels)
        dets_in = np.bincount(lab_d, minlength=n_labels)
        is_star = ((tracks_in == 1) | (dets_in == 1))[label]
        # Stars: the cheapest pair of each component.
        s = np.flatnonzero(is_star)
        order = s[np.lexsort((k_[s], label[s]))]
        first = np.ones(len(order), bool)
        first[1:] = label[order][1:] != label[order][:-1]
        out_r.append(r_[order[first]])
        out_c.append(c_[order[first]])
        # Larger components: dense LSA on block-diagonal batches of whole components.
        big = np.flatnonzero(~is_star)
        if len(big):
            tg = None if track_group is None else np.asarray(track_group)[ut]
            a, b = _lsa_batched(ut, lab_t, ud, lab_d, r_[big], c_[big], k_[big], tg)
            out_r.append(a)
            out_c.append(b)
    return np.concatenate(out_r), np.concatenate(out_c)


def _lsa_batched(ut, lab_t, ud, lab_d, rows, cols, cost, group=None, batch: int = 48):
    """Solve many components with few ``linear_sum_assignment`` calls.

    Tracks and detections are ranked by (component, index), so each component occupies a
    contiguous block of ranks on both sides; consecutive components are packed into one
    block-diagonal matrix of about ``batch`` tracks, with every pair outside a component's
    gated pairs at the same huge cost. The objective (most gated pairs, then least cost)
    decomposes over the blocks, so the batched solution is the per-component one.
    With ``group`` (the group of each track of ``ut``), components are ranked by (group,
    component) and a batch never spans two groups: each group's matrices are the ones its
    own call would build.
    """
    if group is not None:
        n_lab = int(lab_t.max()) + 1
        comp_group = np.zeros(n_lab, np.int64)
        comp_group[lab_t] = group
        perm = np.lexsort((np.arange(n_lab), comp_group))
        relabel = np.empty(n_lab, np.int64)
        relabel[perm] = np.arange(n_lab)
        lab_t, lab_d, comp_group = relabel[lab_t], relabel[lab_d], comp_group[perm]
    order_t = np.argsort(lab_t, kind="stable")
    order_d = np.argsort(lab_d, kind="stable")
    rank_t = np.empty_like(order_t)
    rank_t[order_t] = np.arange(len(order_t))
    rank_d = np.empty_like(order_d)
    rank_d[order_d] = np.arange(len(order_d))
    ti = rank_t[np.searchsorted(ut, rows)]
    di = rank_d[np.searchsorted(ud, cols)]
    sorted_lab = lab_t[order_t]
    first_t = np.searchsorted(sorted_lab, sorted_lab)  # rank of each component's first track
    if group is None:
        chunk = first_t[ti] // batch
    else:  # ranks counted from the group's first track; a new batch at each group
        sg = comp_group[sorted_lab]
        chunk_sorted = (first_t - np.searchsorted(sg, sg)) // batch
        cut = np.ones(len(sg), bool)
        cut[1:] = (sg[1:] != sg[:-1]) | (chunk_sorted[1:] != chunk_sorted[:-1])
        chunk = (np.cumsum(cut) - 1)[ti]
    order = np.argsort(chunk, kind="stable")
    bounds = np.flatnonzero(np.diff(chunk[order])) + 1
    track_of, det_of = ut[order_t], ud[order_d]
    out_r, out_c = [], []
    for part in np.split(order, bounds):
        t0, d0 = ti[part].min(), di[part].min()
        mat = np.full((ti[part].max() - t0 + 1, di[part].max() - d0 + 1), _BIG)
        mat[ti[part] - t0, di[part] - d0] = cost[part]
        a, b = linear_sum_assignment(mat)
        ok = mat[a, b] < _BIG
        out_r.append(track_of[a[ok] + t0])
        out_c.append(det_of[b[ok] + d0])
    return np.concatenate(out_r), np.concatenate(out_c)


def _lsa(rows, cols, cost):
    """Dense assignment of one component (gated pairs only, others cost _BIG)."""
    ut, li = np.unique(rows, return_inverse=True)
    ud, lj = np.unique(cols, return_inverse=True)
    mat = np.full((len(ut), len(ud)), _BIG)
    mat[li, lj] = cost
    a, b = linear_sum_assignment(mat)
    ok = mat[a, b] < _BIG
    return ut[a[ok]], ud[b[ok]]


def gnn_dense(cost_matrix: np.ndarray, gate_d2: float = GATE_D2):
    """Reference GNN on a dense (n, m) cost matrix: LSA with gated-out pairs at a huge cost."""
    cost = np.where(cost_matrix <= gate_d2, cost_matrix, _BIG)
    rows, cols = linear_sum_assignment(cost)
    ok = cost[rows, cols] < _BIG
    return rows[ok], cols[ok]


# --- JPDA ---------------------------------------------------------------------------------


def jpda(
    n: int,
    m: int,
    rows,
    cols,
    loglik,
    log_miss: float,
    cost=None,
    max_hypotheses: int = 10_000,
) -> Association:
    """Exact JPDA association probabilities per cluster (see module docstring).

    ``loglik`` (k,): log(P_D N(nu; 0, S) / lambda) of each gated pair; ``log_miss``:
    log(1 - P_D P_G). ``cost`` (k,) is the GNN cost used for clusters above the cap.
    """
    rows, cols, loglik = np.asarray(rows), np.asarray(cols), np.asarray(loglik, float)
    weight = np.zeros(len(rows))
    miss = np.ones(n)
    if len(rows):
        det_deg = np.bincount(cols, minlength=m)
        shared = np.bincount(rows, weights=(det_deg[cols] > 1), minlength=n)
        solo = shared[rows] == 0  # the track's cluster has no other track: PDAF
        _pdaf(rows, loglik, log_miss, solo, weight, miss)
        rest = np.flatnonzero(~solo)
        if len(rest):
            label = _components(rows[rest], cols[rest])[4]
            order = np.argsort(label, kind="stable")
            rest = rest[order]
            bounds = np.flatnonzero(np.diff(label[order])) + 1
            for part in np.split(rest, bounds):
                _cluster(part, rows, cols, loglik, log_miss, cost, max_hypotheses, weight, miss)
    claimed = np.bincount(cols, weights=weight, minlength=m) >= 0.5
    keep = weight > 0
    return Association(rows[keep], cols[keep], weight[keep], miss, claimed, False)


def _pdaf(rows, loglik, log_miss, solo, weight, miss) -> None:
    """Closed-form PDAF weights for the pairs of single-track clusters, in place."""
    idx = np.flatnonzero(solo)
    if len(idx) == 0:
        return
    r_, ll = rows[idx], loglik[idx]
    top = np.full(len(miss), log_miss)
    np.maximum.at(top, r_, ll)
    e = np.exp(ll - top[r_])
    total = np.exp(log_miss - top)
    np.add.at(total, r_, e)
    weight[idx] = e / total[r_]
    tracks = np.unique(r_)
    miss[tracks] = np.exp(log_miss - top[tracks]) / total[tracks]


def _cluster(part, rows, cols, loglik, log_miss, cost, max_hypotheses, weight, miss) -> None:
    """Exact JPDA over one cluster's pairs ``part`` (indices into rows/cols), in place."""
    part = part[np.lexsort((cols[part], rows[part]))]
    tracks, first, deg = np.unique(rows[part], return_index=True, return_counts=True)
    n_events_bound = math.prod(int(d) + 1 for d in deg)
    if n_events_bound > max_hypotheses:
        c = cost[part] if cost is not None else -loglik[part]
        pr, pc = _lsa(rows[part], cols[part], c)
        base = int(cols[part].max()) + 1
        weight[part] = np.isin(rows[part] * base + cols[part], pr * base + pc)
        miss[tracks] = 1.0
        miss[pr] = 0.0
        return
    # Every combination of one option per track: option 0 = undetected, o > 0 = pair o - 1.
    n_t = len(tracks)
    grids = np.indices(tuple(int(d) + 1 for d in deg)).reshape(n_t, -1).T  # (E, T)
    pair = np.where(grids > 0, first[None, :] + grids - 1, -1)  # index into part
    det = np.where(pair >= 0, cols[part][np.maximum(pair, 0)], -1 - np.arange(n_t))
    dets_sorted = np.sort(det, axis=1)
    feasible = ~(dets_sorted[:, 1:] == dets_sorted[:, :-1]).any(axis=1)
    pair = pair[feasible]
    ll = np.where(pair >= 0, loglik[part][np.maximum(pair, 0)], log_miss).sum(axis=1)
    prob = np.exp(ll - ll.max())
    prob /= prob.sum()
    chosen = pair >= 0
    weight[part] = np.bincount(pair[chosen], weights=np.broadcast_to(
        prob[:, None], pair.shape)[chosen], minlength=len(part))  # fmt: skip
    miss[tracks] = (prob[:, None] * ~chosen).sum(axis=0)


# --- seam implementations -------------------------------------------------------------------


def _gate_threshold(probability) -> float:
    p = _validate.scalar("gate_probability", probability, 0.0, low_open=True)
    if p >= 1.0:
        raise ValueError(f"gate_probability: got {probability!r}; expected 0 < P_G < 1")
    return float(chi2.ppf(p, df=3))


@dataclass
class GNNAssociator:
    """Chi-square gate + global nearest neighbour (the tracker's default associator).

    ``gating``: "auto" | "grid" | "kdtree" | "dense" (see :func:`gate`); "dense" also
    solves one dense assignment over all tracks and detections (the O(n m) reference).
    """

    gate_probability: float = GATE_PROBABILITY
    gating: str = "auto"
    supports_groups = True  # associate() takes track_group / det_group

    def __post_init__(self) -> None:
        self._gate_d2 = _gate_threshold(self.gate_probability)

    def associate(self, x, p, z, r, track_group=None, det_group=None) -> Association:
        """Associate detections z (m, 3), r (m, 3, 3) with tracks x (n, 6), p (n, 6, 6);
        with ``track_group`` (n,) and ``det_group`` (m,), only within each group."""
        n, m = len(x), len(z)
        g = self._gate_d2
        rows, cols, d2, _ = _gate(
            x[:, :3], p[:, :3, :3], z, r, g, self.gating, track_group, det_group
        )
        if self.gating == "dense":
            mat = np.full((n, m), np.inf)
            mat[rows, cols] = d2
            a, b = gnn_dense(mat, g)
        else:
            a, b = gnn(n, m, rows, cols, d2, track_group)
        return Association.from_pairs(n, m, a, b)


@dataclass
class JPDAAssociator:
    """Chi-square gate + exact JPDA per cluster (GNN above ``max_hypotheses`` events)."""

    detection_probability: float = 0.9
    clutter_density: float = 1e-12  # false alarms per m^3 near the tracks
    gate_probability: float = GATE_PROBABILITY
    max_hypotheses: int = 10_000
    supports_groups = True

    def __post_init__(self) -> None:
        pd = _validate.scalar("detection_probability", self.detection_probability, 0.0, True)
        if pd > 1.0:
            raise ValueError(f"detection_probability: got {pd!r}; expected 0 < P_D <= 1")
        _validate.scalar("clutter_density", self.clutter_density, 0.0, low_open=True)
        self._gate_d2 = _gate_threshold(self.gate_probability)

    def associate(self, x, p, z, r, track_group=None, det_group=None) -> Association:
        """As :meth:`GNNAssociator.associate`; clusters never join two groups."""
        n, m = len(x), len(z)
        g = self._gate_d2
        rows, cols, d2, det = _gate(x[:, :3], p[:, :3, :3], z, r, g, "auto", track_group,
                                    det_group)  # fmt: skip
        pd = self.detection_probability
        loglik = math.log(pd / self.clutter_density) - 0.5 * (d2 + np.log(det) + LOG_2PI_3)
        log_miss = math.log(max(1.0 - pd * self.gate_probability, 1e-300))
        return jpda(n, m, rows, cols, loglik, log_miss, d2, self.max_hypotheses)
