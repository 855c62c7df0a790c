"""Track-to-track fusion: association of local tracks and covariance intersection.

When fire units share tracks rather than measurements (``network_fusion: track``), each
unit keeps its own picture from its own radars and the network's picture is built from
the local tracks every tick:

- association (Bar-Shalom, "On the track-to-track correlation problem", IEEE Trans.
  Automatic Control 26(2), 1981; Bar-Shalom, Willett & Tian, *Tracking and Data Fusion*,
  2011, sec. 9.3): tracks a and b are the same object when the difference of their states
  passes the chi-square test d^2 = (x_a - x_b)' (P_a + P_b)^-1 (x_a - x_b) <= G (6 degrees
  of freedom, P_G = 0.999), the cross-covariance of the two estimates being unknown and
  left out; candidate pairs come from the tracker's sparse position gate (the position
  part of d^2 never exceeds the full d^2, so no pair is lost), and pairs are assigned by
  the tracker's GNN (:func:`iadsim.tracking.associate.gnn`);
- fusion of an associated pair by covariance intersection (Julier & Uhlmann, "A
  non-divergent estimation algorithm in the presence of unknown correlations", American
  Control Conference 1997): P^-1 = w P_a^-1 + (1 - w) P_b^-1, x = P (w P_a^-1 x_a +
  (1 - w) P_b^-1 x_b), with w in [0, 1] minimising trace(P). It is consistent whatever the
  (unknown) correlation between the two local tracks, which share the target's process
  noise and possibly common radars, where the Kalman-style combination would be
  overconfident.

Several local pictures are fused one after the other (the fused picture of the first two
with the third, and so on).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import chi2

from iadsim import checks
from iadsim.tracking.associate import gate, gnn

T2T_GATE_D2 = float(chi2.ppf(0.999, df=6))
_GOLDEN = (np.sqrt(5.0) - 1.0) / 2.0
_CI_ITERATIONS = 40  # golden-section steps: the bracket shrinks to 0.618^40 ~ 4e-9


def covariance_intersection(xa, pa, xb, pb) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fuse estimates (xa, pa) and (xb, pb) (batches (k, d), (k, d, d)) by covariance
    intersection with the trace-minimising weight (module docstring).

    Returns (x, p, w). The trace of P(w) is convex in w (Julier & Uhlmann 1997), so a
    golden-section search on [0, 1] finds its minimum.
    """
    xa = checks.numbers("xa", xa, "finite estimates", shape=(None, None))
    xb = checks.numbers("xb", xb, "finite estimates", shape=xa.shape)
    k, d = xa.shape
    pa = checks.numbers("pa", pa, "finite covariances", shape=(k, d, d))
    pb = checks.numbers("pb", pb, "finite covariances", shape=(k, d, d))
    ia, ib = np.linalg.inv(pa), np.linalg.inv(pb)

    def trace(w):
        info = w[:, None, None] * ia + (1.0 - w)[:, None, None] * ib
        return np.trace(np.linalg.inv(info), axis1=1, axis2=2)

    lo, hi = np.zeros(len(xa)), np.ones(len(xa))
    for _ in range(_CI_ITERATIONS):
        c = hi - _GOLDEN * (hi - lo)
        d = lo + _GOLDEN * (hi - lo)
        left = trace(c) <= trace(d)
        hi = np.where(left, d, hi)
        lo = np.where(left, lo, c)
    w = 0.5 * (lo + hi)
    # The ends (one estimate dominates) are candidates too: the search brackets an interior.
    for end in (0.0, 1.0):
        at_end = np.full(len(xa), end)
        w = np.where(trace(at_end) < trace(w), at_end, w)
    info = w[:, None, None] * ia + (1.0 - w)[:, None, None] * ib
    p = np.linalg.inv(info)
    weighted = w[:, None] * np.einsum("kij,kj->ki", ia, xa) + (1.0 - w)[:, None] * np.einsum(
        "kij,kj->ki", ib, xb
    )
    x = np.einsum("kij,kj->ki", p, weighted)
    return x, 0.5 * (p + np.swapaxes(p, 1, 2)), w


def associate_tracks(xa, pa, ga, xb, pb, gb, gate_d2: float = T2T_GATE_D2):
    """Pairs (rows of a, rows of b) of the same object, one-to-one, within groups ga / gb
    (module docstring). States (n, 6) [position, velocity], covariances (n, 6, 6)."""
    xa, xb = np.asarray(xa, float), np.asarray(xb, float)
    pa, pb = np.asarray(pa, float), np.asarray(pb, float)
    rows, cols, _, _ = gate(
        xa[:, :3], pa[:, :3, :3], xb[:, :3], pb[:, :3, :3], gate_d2,
        track_group=np.asarray(ga), det_group=np.asarray(gb),
    )  # fmt: skip
    if len(rows) == 0:
        return rows, cols
    diff = xa[rows] - xb[cols]
    d2 = np.einsum("ki,ki->k", diff, np.linalg.solve(pa[rows] + pb[cols], diff[..., None])[..., 0])
    keep = d2 <= gate_d2
    return gnn(len(xa), len(xb), rows[keep], cols[keep], d2[keep])


@dataclass
class FusedPicture:
    """Network pictures fused from local tracks (axis 0 = fused track); ``members`` maps
    every local track row that went into a fused track to its row (``member_row``)."""

    x: np.ndarray
    p: np.ndarray
    group: np.ndarray  # network picture group
    anchor: np.ndarray  # local track row that names the fused track (first picture's)
    member: np.ndarray  # local track rows ...
    member_row: np.ndarray  # ... and the fused row each belongs to


def fuse_pictures(x, p, network_group, rank) -> FusedPicture:
    """Fuse local tracks (x (n, 6), p (n, 6, 6)) into their network pictures.

    ``network_group`` (n,) is the fused picture each local track belongs to and ``rank``
    (n,) its local picture's order within the network: rank 0 starts the fused picture,
    the next ranks are associated with it and fused by covariance intersection one after
    the other; a local track without a partner joins as it is.
    """
    network_group, rank = np.asarray(network_group), np.asarray(rank)
    first = np.flatnonzero(rank == 0)
    fx, fp, fg = x[first], p[first], network_group[first]
    anchor = first.copy()
    member, member_row = [first], [np.arange(len(first))]
    for level in range(1, int(rank.max(initial=0)) + 1):
        rows = np.flatnonzero(rank == level)
        a, b = associate_tracks(fx, fp, fg, x[rows], p[rows], network_group[rows])
        if len(a):
            fx[a], fp[a], _ = covariance_intersection(fx[a], fp[a], x[rows[b]], p[rows[b]])
        alone = np.setdiff1d(np.arange(len(rows)), b)
        new_rows = len(fx) + np.arange(len(alone))
        fx = np.concatenate([fx, x[rows[alone]]])
        fp = np.concatenate([fp, p[rows[alone]]])
        fg = np.concatenate([fg, network_group[rows[alone]]])
        anchor = np.concatenate([anchor, rows[alone]])
        member += [rows[b], rows[alone]]
        member_row += [a, new_rows]
    return FusedPicture(fx, fp, fg, anchor, np.concatenate(member), np.concatenate(member_row))
