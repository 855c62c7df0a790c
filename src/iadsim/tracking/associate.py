"""Gating and data association: sparse chi-square gating, GNN and JPDA.

Gating (Blackman & Popoli, *Design and Analysis of Modern Tracking Systems*, 1999, sec. 6.3):
a detection j is a candidate for track i when d^2 = nu' S^-1 nu <= G, with S = H P H' + R
and G the chi-square quantile for 3 dof (P_G = 0.999 by default). Computing d^2 for all
n x m pairs costs O(n m); :func:`gate` first finds candidate pairs with a coarse Euclidean
gate, which is conservative because lambda_max(S) <= tr(P_pos) + max_j tr(R_j), so
|nu|^2 > G (tr(P_pos) + max tr R) implies d^2 > G:

- sort and sweep over a 2-D grid (default): detections counting-sorted by cell key (group,
  row, column) of a grid over the two axes where they spread most; each track's square
  [c - rho_i, c + rho_i] is a few runs of consecutive keys read from a table of cell
  starts, O(n + m + cells + pairs); one compiled (Numba) pass finds the candidates and
  computes their d^2 (closed-form 3x3 adjugate);
- if that leaves too many candidates (a dense pack of targets), a k-d tree
  (``scipy.spatial.cKDTree.query_ball_point`` with per-track radii), then d^2 for its pairs.

Groups (independent pictures in one tracker, see :mod:`iadsim.tracking.tracker`) are part of
the spatial index, the group being the grid key's leading part or a fourth k-d tree
coordinate, so no candidate pair ever joins two groups. Gated pairs come sorted by (track,
detection) whatever method found them.

GNN (Blackman & Popoli sec. 6.4): the gated pairs form a sparse bipartite graph. Pairs whose
track and detection have no other gated partner are assigned directly; the rest is split
into connected components (union-find); a component with a single track or a single
detection takes its cheapest pair, and a larger component is solved on its small dense cost
matrix by a compiled port of ``scipy.optimize.linear_sum_assignment`` (shortest augmenting
paths, Crouse, IEEE TAES 52(4), 2016). The objective is the one of the dense solver
(:func:`gnn_dense`, kept as the reference): the largest number of gated pairs, then the
least sum of d^2. It decomposes over components, so the sparse solution is the same, and a
component's pairs never depend on the rest of the picture.

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
from numba import njit
from scipy.optimize import linear_sum_assignment
from scipy.spatial import cKDTree
from scipy.stats import chi2

from iadsim import checks
from iadsim._arrays import equal_key_pairs, lookup
from iadsim.tracking.kalman import (
    LOG_2PI_3,
    _c,
    _d2,
    _gated_pairs,
    _s_inverse_parts,
    check_detections,
)

GATE_PROBABILITY = 0.999
GATE_D2 = float(chi2.ppf(GATE_PROBABILITY, df=3))
_BIG = 1e9  # the cost of a pair that is not gated, in a dense assignment
_GRID_PAIRS_PER_ITEM = 32


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
    xpos = checks.numbers("xpos", xpos, "finite predicted positions (m)", shape=(None, 3))
    ppos = checks.numbers("ppos", ppos, "finite predicted position covariances",
                          shape=(None, 3, 3))  # fmt: skip
    checks.same_length(xpos=xpos, ppos=ppos)
    z, r = check_detections(z, r)
    gate_d2 = checks.scalar("gate_d2", gate_d2, "a finite number > 0", _above_zero)
    checks.one_of("method", method, ("auto", "grid", "kdtree", "dense"))
    if (track_group is None) != (det_group is None):
        checks.fail("track_group, det_group", "given both or neither", "only one")
    if track_group is not None:
        allowed = "groups (integers)"
        track_group = checks.integers("track_group", track_group, allowed, shape=(len(xpos),))
        det_group = checks.integers("det_group", det_group, allowed, shape=(len(z),))
    return _gate(xpos, ppos, z, r, gate_d2, method, track_group, det_group)


def _dense_groups(track_group, det_group, n: int, m: int):
    """Groups renumbered 0 .. G-1 over the detections' groups: (track (n,), det (m,), G).

    A track whose group has no detection gets -1 (no candidates). None: one group."""
    if track_group is None:
        return np.zeros(n, np.int64), np.zeros(m, np.int64), 1
    ug, dg = np.unique(det_group, return_inverse=True)
    return lookup(ug, track_group), dg.ravel(), len(ug)


def _gate(xpos, ppos, z, r, gate_d2, method="auto", track_group=None, det_group=None):
    """:func:`gate` without the checks; xpos (n, >= 3) and ppos (n, >= 3, >= 3) may be whole
    states (only the position entries are read)."""
    n, m = len(xpos), len(z)
    if n == 0 or m == 0:
        e = np.zeros(0, np.int64)
        return e, e, np.zeros(0), np.zeros(0)
    tg, dg, n_groups = _dense_groups(track_group, det_group, n, m)
    x, p, z, r = _c(xpos), _c(ppos), _c(z), _c(r)
    if method in ("auto", "grid"):
        budget = _GRID_PAIRS_PER_ITEM * (n + m)
        rows, cols, d2, det, ok = _grid_gate(
            x, p, z, r, tg, dg, n_groups, float(gate_d2), method == "grid", budget
        )
        if ok:
            return rows, cols, d2, det
    if method == "dense":
        rows, cols = equal_key_pairs(tg, dg)  # tracks of group -1 pair with nothing
    else:
        tr_p = p[:, 0, 0] + p[:, 1, 1] + p[:, 2, 2]
        tr_r = float((r[:, 0, 0] + r[:, 1, 1] + r[:, 2, 2]).max())
        radius = np.sqrt(gate_d2 * (tr_p + tr_r)) * (1.0 + 1e-9) + 1e-6
        rows, cols = _kdtree(x[:, :3], radius, z, tg, dg, n_groups)
    return _gated_pairs(x, p, z, r, rows.astype(np.int64), cols.astype(np.int64), float(gate_d2))


@njit(cache=True)
def _cell(coord, low, inv_h, lowest, top):
    """floor((coord - low) / h) clipped to [lowest, top]."""
    return int(min(max(math.floor((coord - low) * inv_h), lowest), top))


@njit(cache=True)
def _grid_gate(x, p, z, r, tg, dg, n_groups, gate_d2, force, budget):
    """Grid sort and sweep (see the module docstring) fused with the chi-square test.

    Returns rows, cols, d^2, det S of the gated pairs sorted by (track, detection), and
    True; or empty arrays and False when the candidates exceed ``budget`` (unless
    ``force``). Detections are counting-sorted by cell key (group, row, column) of a grid
    over the two axes where they spread most, with square cells of side h = the mean
    detection spacing within a group, sqrt(area n_groups / m) (which balances the number of
    runs against the number of candidates), and at least twice the median gate radius. A
    track's square [c - rho, c + rho] crosses a few grid rows, and in each row its cells
    are one contiguous run of sorted detections; a track of group -1 has none.
    """
    n, m = x.shape[0], z.shape[0]
    tr_r = 0.0
    for j in range(m):
        tr_r = max(tr_r, r[j, 0, 0] + r[j, 1, 1] + r[j, 2, 2])
    radius = np.empty(n)
    for i in range(n):
        tr_p = p[i, 0, 0] + p[i, 1, 1] + p[i, 2, 2]
        radius[i] = math.sqrt(gate_d2 * (tr_p + tr_r)) * (1.0 + 1e-9) + 1e-6
    lows = np.empty(3)
    spread = np.empty(3)
    for c in range(3):
        lo, hi = z[0, c], z[0, c]
        for j in range(1, m):
            lo, hi = min(lo, z[j, c]), max(hi, z[j, c])
        lows[c], spread[c] = lo, hi - lo
    a = 0  # the two axes of largest spread (the lower index first on ties)
    for c in range(1, 3):
        if spread[c] > spread[a]:
            a = c
    b = 1 if a == 0 else 0
    for c in range(3):
        if c != a and spread[c] > spread[b]:
            b = c
    lo_a, lo_b = lows[a], lows[b]
    area = max(spread[a], 1.0) * max(spread[b], 1.0)
    median = np.partition(radius, n // 2)[n // 2]
    h = max(math.sqrt(area * n_groups / m), 2.0 * median, 1e-3)
    while (int(spread[a] // h) + 1) * (int(spread[b] // h) + 1) * n_groups > 4 * m + 64:
        h *= 2.0  # detections along a line: keep the cell table O(m)
    n_a = int(spread[a] // h) + 1
    n_b = int(spread[b] // h) + 1
    inv_h = 1.0 / h
    n_cells = n_groups * n_a * n_b
    # Counting sort of the detections by cell key; first[c] = sorted index of cell c's first.
    key = np.empty(m, np.int64)
    first = np.zeros(n_cells + 1, np.int64)
    for j in range(m):
        ca = _cell(z[j, a], lo_a, inv_h, 0, n_a - 1)
        cb = _cell(z[j, b], lo_b, inv_h, 0, n_b - 1)
        key[j] = (dg[j] * n_b + cb) * n_a + ca
        first[key[j] + 1] += 1
    for c in range(n_cells):
        first[c + 1] += first[c]
    fill = first[:-1].copy()
    order = np.empty(m, np.int64)
    for j in range(m):
        order[fill[key[j]]] = j
        fill[key[j]] += 1
    # Each track's cell runs: (row, a_lo, a_hi) per track, counted against the budget.
    bounds = np.empty((n, 4), np.int64)
    total = 0
    for i in range(n):
        xa, xb, rad = x[i, a], x[i, b], radius[i]
        a_lo = _cell(xa - rad, lo_a, inv_h, 0, n_a - 1)
        a_hi = _cell(xa + rad, lo_a, inv_h, -1, n_a - 1)
        b_lo = _cell(xb - rad, lo_b, inv_h, 0, n_b)
        b_hi = _cell(xb + rad, lo_b, inv_h, -1, n_b - 1)
        if tg[i] < 0 or a_hi < a_lo:
            b_hi = b_lo - 1
        base = max(tg[i], 0) * n_b
        bounds[i, 0], bounds[i, 1] = base + b_lo, base + b_hi
        bounds[i, 2], bounds[i, 3] = a_lo, a_hi
        for row in range(base + b_lo, base + b_hi + 1):
            total += first[row * n_a + a_hi + 1] - first[row * n_a + a_lo]
    rows = np.empty(total if (force or total <= budget) else 0, np.int64)
    if not force and total > budget:
        return rows, rows.copy(), np.empty(0), np.empty(0), False
    cols = np.empty(total, np.int64)
    d2s, dets = np.empty(total), np.empty(total)
    k = 0
    for i in range(n):
        start = k
        rad2 = radius[i] * radius[i]
        x0, x1, x2 = x[i, 0], x[i, 1], x[i, 2]
        for row in range(bounds[i, 0], bounds[i, 1] + 1):
            for s in range(first[row * n_a + bounds[i, 2]], first[row * n_a + bounds[i, 3] + 1]):
                j = order[s]
                u, v, w = z[j, 0] - x0, z[j, 1] - x1, z[j, 2] - x2
                if u * u + v * v + w * w > rad2:
                    continue
                a00, a01, a02, a11, a12, a22, det = _s_inverse_parts(p, r, i, j)
                d2 = _d2(a00, a01, a02, a11, a12, a22, det, u, v, w)
                if d2 > gate_d2:
                    continue
                q = k  # insertion into this track's pairs, kept sorted by detection
                while q > start and cols[q - 1] > j:
                    cols[q], d2s[q], dets[q] = cols[q - 1], d2s[q - 1], dets[q - 1]
                    q -= 1
                cols[q], d2s[q], dets[q] = j, d2, det
                rows[k] = i
                k += 1
    return rows[:k], cols[:k], d2s[:k], dets[:k], True


def _kdtree(xpos, radius, z, tg, dg, n_groups: int):
    """Candidate pairs from a k-d tree over the detections, one radius per track, sorted by
    (track, detection).

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


@njit(cache=True)
def _find(parent, i):
    while parent[i] != i:
        parent[i] = parent[parent[i]]  # path halving
        i = parent[i]
    return i


@njit(cache=True)
def _pair_labels(n, m, rows, cols, use):
    """Connected components of the bipartite gate graph of the pairs with ``use``: a label
    per pair (-1 where not used), components numbered 0, 1, ... in the order of their
    smallest track (union-find with path halving; Tarjan, J. ACM 22(2), 1975)."""
    parent = np.arange(n + m)
    for q in range(len(rows)):
        if use[q]:
            ra, rb = _find(parent, rows[q]), _find(parent, n + cols[q])
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    comp = np.full(n + m, -1, np.int64)
    label = np.full(len(rows), -1, np.int64)
    next_label = 0
    for q in range(len(rows)):  # pairs are sorted by track: first seen = smallest track
        if use[q]:
            root = _find(parent, rows[q])
            if comp[root] < 0:
                comp[root] = next_label
                next_label += 1
            label[q] = comp[root]
    return label


@njit(cache=True)
def _gnn_pairs(n, m, rows, cols, cost):
    """Sparse GNN (see the module docstring): a mask of the chosen pairs.

    Lone pairs (track and detection have no other gated partner) are chosen directly; a
    component with a single track or a single detection takes its cheapest pair (the first
    on ties); a larger component is solved by :func:`_lsap` on its dense matrix (tracks and
    detections in index order, pairs that are not gated at cost ``_BIG``), keeping only
    gated pairs: the largest number of gated pairs, then the least sum of costs.
    """
    k = len(rows)
    t_deg = np.zeros(n, np.int64)
    d_deg = np.zeros(m, np.int64)
    for q in range(k):
        t_deg[rows[q]] += 1
        d_deg[cols[q]] += 1
    rest = np.empty(k, np.bool_)
    for q in range(k):
        rest[q] = t_deg[rows[q]] > 1 or d_deg[cols[q]] > 1
    chosen = ~rest
    label = _pair_labels(n, m, rows, cols, rest)
    n_lab = label.max() + 1 if k else 0
    tracks_in = np.zeros(n_lab, np.int64)
    dets_in = np.zeros(n_lab, np.int64)
    seen_t = np.full(n, -1, np.int64)
    seen_d = np.full(m, -1, np.int64)
    best = np.full(n_lab, -1, np.int64)
    for q in range(k):
        c = label[q]
        if c < 0:
            continue
        if seen_t[rows[q]] != c:
            seen_t[rows[q]] = c
            tracks_in[c] += 1
        if seen_d[cols[q]] != c:
            seen_d[cols[q]] = c
            dets_in[c] += 1
        if best[c] < 0 or cost[q] < cost[best[c]]:
            best[c] = q
    # Pairs of the larger components, grouped by component (stable: by track within each).
    start = np.zeros(n_lab + 1, np.int64)
    for c in range(n_lab):
        if tracks_in[c] == 1 or dets_in[c] == 1:
            chosen[best[c]] = True
            tracks_in[c] = 0  # done
    for q in range(k):
        c = label[q]
        if c >= 0 and tracks_in[c] > 0:
            start[c + 1] += 1
    for c in range(n_lab):
        start[c + 1] += start[c]
    fill = start[:-1].copy()
    members = np.empty(start[n_lab], np.int64)
    for q in range(k):
        c = label[q]
        if c >= 0 and tracks_in[c] > 0:
            members[fill[c]] = q
            fill[c] += 1
    for c in range(n_lab):
        if tracks_in[c] == 0:
            continue
        part = members[start[c] : start[c + 1]]
        dets = np.unique(cols[part])
        mat = np.full((tracks_in[c], len(dets)), _BIG)
        which = np.full((tracks_in[c], len(dets)), -1, np.int64)
        t_local = -1
        last = -1
        for q in part:  # sorted by track: local track index increments with the track
            if rows[q] != last:
                last = rows[q]
                t_local += 1
            d_local = np.searchsorted(dets, cols[q])
            mat[t_local, d_local] = cost[q]
            which[t_local, d_local] = q
        a, b = _lsap(mat)
        for e in range(len(a)):
            if mat[a[e], b[e]] < _BIG:
                chosen[which[a[e], b[e]]] = True
    return chosen


@njit(cache=True)
def _lsap(cost):
    """Minimum-cost assignment of a dense (r, c) matrix: every row of the smaller side is
    assigned. Shortest augmenting paths with dual variables (Crouse, "On implementing 2D
    rectangular assignment algorithms", IEEE TAES 52(4), 2016), as a line-by-line port of
    ``scipy.optimize.linear_sum_assignment`` (``rectangular_lsap.cpp``), ties included.
    Returns (row indices, column indices) sorted by row.
    """
    transpose = cost.shape[1] < cost.shape[0]
    c = np.ascontiguousarray(cost.T) if transpose else cost
    nr, nc = c.shape
    u = np.zeros(nr)
    v = np.zeros(nc)
    short = np.empty(nc)
    path = np.full(nc, -1, np.int64)
    col4row = np.full(nr, -1, np.int64)
    row4col = np.full(nc, -1, np.int64)
    sr = np.zeros(nr, np.bool_)
    sc = np.zeros(nc, np.bool_)
    remaining = np.empty(nc, np.int64)
    for cur in range(nr):
        min_val = 0.0
        i = cur
        n_rem = nc
        for it in range(nc):
            remaining[it] = nc - it - 1
        sr[:] = False
        sc[:] = False
        short[:] = np.inf
        sink = -1
        while sink == -1:
            index = -1
            lowest = np.inf
            sr[i] = True
            for it in range(n_rem):
                j = remaining[it]
                red = min_val + c[i, j] - u[i] - v[j]
                if red < short[j]:
                    path[j] = i
                    short[j] = red
                if short[j] < lowest or (short[j] == lowest and row4col[j] == -1):
                    lowest = short[j]
                    index = it
            min_val = lowest
            j = remaining[index]
            if row4col[j] == -1:
                sink = j
            else:
                i = row4col[j]
            sc[j] = True
            n_rem -= 1
            remaining[index] = remaining[n_rem]
        u[cur] += min_val
        for r in range(nr):
            if sr[r] and r != cur:
                u[r] += min_val - short[col4row[r]]
        for j in range(nc):
            if sc[j]:
                v[j] -= min_val - short[j]
        j = sink
        while True:
            r = path[j]
            row4col[j] = r
            col4row[r], j = j, col4row[r]
            if r == cur:
                break
    if transpose:
        order = np.argsort(col4row)
        return col4row[order], order
    return np.arange(nr), col4row


# --- GNN ----------------------------------------------------------------------------------


def gnn(n: int, m: int, rows, cols, cost) -> tuple[np.ndarray, np.ndarray]:
    """Sparse GNN on gated pairs (rows, cols, cost): the assigned (track, detection) pairs.

    Each component of the gate graph is solved on its own (see the module docstring), so
    the pairs of independent groups of tracks never influence one another.
    """
    rows = np.asarray(rows, np.int64)
    cols = np.asarray(cols, np.int64)
    cost = np.asarray(cost, float)
    if len(rows) == 0:
        return rows, cols
    key = rows * m + cols
    if not (key[1:] > key[:-1]).all():  # the kernel wants pairs sorted by (track, detection)
        order = np.argsort(key, kind="stable")
        rows, cols, cost = rows[order], cols[order], cost[order]
    chosen = _gnn_pairs(n, m, rows, cols, cost)
    return rows[chosen], cols[chosen]


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
            use = np.zeros(len(rows), bool)
            use[rest] = True
            label = _pair_labels(n, m, rows.astype(np.int64), cols.astype(np.int64), use)[rest]
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
        pr, pc = gnn(len(miss), int(cols.max()) + 1, rows[part], cols[part], c)
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
    p = checks.scalar("gate_probability", probability, "a probability 0 < P_G < 1", _open_unit)
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
        gated = _gate(x, p, z, r, self._gate_d2, self.gating, track_group, det_group)
        return self.associate_gated(len(x), len(z), *gated)

    def associate_gated(self, n: int, m: int, rows, cols, d2, det) -> Association:
        """The association from already gated pairs (sorted by track, d^2 <= the gate)."""
        if self.gating == "dense":
            mat = np.full((n, m), np.inf)
            mat[rows, cols] = d2
            a, b = gnn_dense(mat, self._gate_d2)
        else:
            a, b = gnn(n, m, rows, cols, d2)
        return Association.from_pairs(n, m, a, b)


@dataclass
class JPDAAssociator:
    """Chi-square gate + exact JPDA per cluster (GNN above ``max_hypotheses`` events)."""

    detection_probability: float = 0.9
    clutter_density: float = 1e-12  # false alarms per m^3 near the tracks
    gate_probability: float = GATE_PROBABILITY
    max_hypotheses: int = 10_000
    gating = "auto"
    supports_groups = True

    def __post_init__(self) -> None:
        checks.scalar("detection_probability", self.detection_probability,
                      "a probability 0 < P_D <= 1", _half_open_unit)  # fmt: skip
        checks.scalar("clutter_density", self.clutter_density, "a finite density > 0 (m^-3)",
                      _above_zero)  # fmt: skip
        self._gate_d2 = _gate_threshold(self.gate_probability)

    def associate(self, x, p, z, r, track_group=None, det_group=None) -> Association:
        """As :meth:`GNNAssociator.associate`; clusters never join two groups."""
        gated = _gate(x, p, z, r, self._gate_d2, self.gating, track_group, det_group)
        return self.associate_gated(len(x), len(z), *gated)

    def associate_gated(self, n: int, m: int, rows, cols, d2, det) -> Association:
        """The association from already gated pairs (sorted by track, d^2 <= the gate)."""
        pd = self.detection_probability
        loglik = math.log(pd / self.clutter_density) - 0.5 * (d2 + np.log(det) + LOG_2PI_3)
        log_miss = math.log(max(1.0 - pd * self.gate_probability, 1e-300))
        return jpda(n, m, rows, cols, loglik, log_miss, d2, self.max_hypotheses)


def two_stage(first, second, x, p, z, r, firm, track_group=None, det_group=None):
    """``first`` associates the ``firm`` tracks (mask (n,)) with all detections, then
    ``second`` the other tracks with the detections ``first`` left unclaimed, from one
    gating pass over all tracks (the gated pairs of a track do not depend on the other
    tracks, so each stage sees exactly the pairs its own gating would find).

    Both associators need ``associate_gated`` (the built-in ones); see
    :meth:`iadsim.tracking.tracker.Tracker._associate` for why two stages.
    """
    n, m = len(x), len(z)
    g1, g2 = first._gate_d2, second._gate_d2
    rows, cols, d2, det = _gate(x, p, z, r, max(g1, g2), first.gating, track_group, det_group)
    in_first = firm[rows] & (d2 <= g1)
    a1 = first.associate_gated(n, m, rows[in_first], cols[in_first], d2[in_first],
                               det[in_first])  # fmt: skip
    claimed = np.asarray(a1.claimed, bool)
    in_second = ~firm[rows] & ~claimed[cols] & (d2 <= g2)
    a2 = second.associate_gated(n, m, rows[in_second], cols[in_second], d2[in_second],
                                det[in_second])  # fmt: skip
    return Association(
        np.concatenate([a1.track, a2.track]),
        np.concatenate([a1.det, a2.det]),
        np.concatenate([a1.weight, a2.weight]),
        np.where(firm, a1.miss, a2.miss),
        claimed | a2.claimed,
        a1.hard and a2.hard,
    )


def _above_zero(x):
    return x > 0.0


def _open_unit(x):
    return 0.0 < x < 1.0


def _half_open_unit(x):
    return 0.0 < x <= 1.0
