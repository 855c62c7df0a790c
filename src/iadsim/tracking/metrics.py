"""Multi-target tracking performance metrics: OSPA and GOSPA between point sets.

Both metrics compare a set of true positions ``truth_xyz`` (n, 3) with a set of
estimated positions ``track_xyz`` (m, 3), in metres, through the cut-off distance
d^(c)(x, y) = min(|x - y|, c). The optimal assignment is solved with
``scipy.optimize.linear_sum_assignment`` on the (n, m) matrix of d^(c)^p.

Every function returns a dict of four floats. ``localisation``, ``missed`` and
``false`` are *p-th power contributions* (units m^p, not rooted), so that always

    distance = (localisation + missed + false) ** (1 / p)

This is the convention of Stone Soup's ``GOSPAMetric.compute_gospa_metric``
(``stonesoup/metricgenerator/ospametric.py``), applied to OSPA as well.

References
----------
Schuhmacher, Vo & Vo, "A consistent metric for performance evaluation of
multi-object filters", IEEE Trans. Signal Processing 56(8), 2008, Sec. III.
Rahmathullah, García-Fernández & Svensson, "Generalized optimal sub-pattern
assignment metric", FUSION 2017 (arXiv:1601.05585), Definition 1 and Proposition 1.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment

from iadsim import checks

__all__ = ["gospa", "ospa"]


def ospa(truth_xyz, track_xyz, c: float, p: float = 1) -> dict[str, float]:
    """OSPA distance d̄_p^(c) of Schuhmacher, Vo & Vo (2008), Sec. III.

    With n = |truth|, m = |track| and N = max(n, m)::

        distance = ( (1/N) [ min_pi sum_i d^(c)(x_i, y_pi(i))^p + c^p |n - m| ] )^(1/p)

    where pi runs over the injections from the smaller set into the larger one.
    OSPA is normalised by N, so 0 <= distance <= c; it is 0 when both sets are empty.

    Returned keys (p-th powers; ``distance**p == localisation + missed + false``):

    - ``distance``: d̄_p^(c), metres.
    - ``localisation``: (1/N) sum over the min(n, m) assigned pairs of d^(c)^p,
      cut-off pairs included at c^p; Schuhmacher's e_loc is ``localisation**(1/p)``.
    - ``missed``: c^p (n - m) / N if there are more truths than tracks, else 0.
    - ``false``: c^p (m - n) / N if there are more tracks than truths, else 0.
      Schuhmacher's cardinality error e_card is ``(missed + false)**(1/p)``;
      at most one of the two is non-zero.

    Parameters
    ----------
    truth_xyz, track_xyz : array_like, shapes (n, 3) and (m, 3), metres; n or m may be 0.
    c : cut-off distance in metres, finite and > 0.
    p : order, finite and >= 1.
    """
    truth, track, c, p = _check(truth_xyz, track_xyz, c, p)
    n, m = len(truth), len(track)
    big = max(n, m)
    if big == 0:
        return _result(0.0, 0.0, 0.0, p)
    cost = _clipped_distance(truth, track, c) ** p
    rows, cols = linear_sum_assignment(cost)
    cp = c**p
    return _result(
        cost[rows, cols].sum() / big,
        cp * max(n - m, 0) / big,
        cp * max(m - n, 0) / big,
        p,
    )


def gospa(truth_xyz, track_xyz, c: float, p: float = 1, alpha: float = 2) -> dict[str, float]:
    """GOSPA distance d_p^(c,alpha) of Rahmathullah, García-Fernández & Svensson (2017).

    Definition 1 (n = |truth|, m = |track|, pi over injections of the smaller set)::

        distance = ( min_pi sum_i d^(c)(x_i, y_pi(i))^p + (c^p / alpha) |n - m| )^(1/p)

    Unlike OSPA it is *not* normalised by max(n, m). For alpha = 2, Proposition 1
    rewrites it over assignment sets gamma of (truth, track) pairs::

        distance = ( min_gamma sum_{(i,j) in gamma} d(x_i, y_j)^p
                     + (c^p / 2) (n - |gamma|) + (c^p / 2) (m - |gamma|) )^(1/p)

    Returned keys (p-th powers; ``distance**p == localisation + missed + false``):

    - ``distance``: d_p^(c,alpha), metres.
    - alpha == 2 (Stone Soup's convention): an assigned pair with d >= c counts as
      one missed truth plus one false track. ``localisation`` is the sum of d^p over
      assigned pairs with d < c; ``missed`` = (c^p/2) * (number of unassigned
      truths); ``false`` = (c^p/2) * (number of unassigned tracks).
    - alpha < 2 (the paper reads missed/false only for alpha = 2): ``localisation`` is
      the sum of d^(c)^p over the min(n, m) assigned pairs, cut-off pairs included at
      c^p; ``missed`` = (c^p/alpha) max(n - m, 0); ``false`` = (c^p/alpha) max(m - n, 0).

    Note: Stone Soup (``GOSPAMetric``) takes (tracks, truths) and reports ``false`` = 0
    when the truth set is empty; here ``false`` = m c^p / 2 so the parts always add up.

    Parameters
    ----------
    truth_xyz, track_xyz : array_like, shapes (n, 3) and (m, 3), metres; n or m may be 0.
    c : cut-off distance in metres, finite and > 0.
    p : order, finite and >= 1.
    alpha : cardinality-mismatch parameter, 0 < alpha <= 2.
    """
    truth, track, c, p = _check(truth_xyz, track_xyz, c, p)
    alpha = checks.scalar("alpha", alpha, "a number with 0 < alpha <= 2", lambda a: 0.0 < a <= 2.0)
    n, m = len(truth), len(track)
    clipped = _clipped_distance(truth, track, c)
    rows, cols = linear_sum_assignment(clipped**p)
    pair_dist = clipped[rows, cols]
    pair_cost = pair_dist**p
    cp = c**p
    if alpha == 2.0:
        inside = pair_dist < c  # a localised pair; a cut-off pair is missed + false
        n_pairs = int(np.count_nonzero(inside))
        return _result(pair_cost[inside].sum(), cp / 2 * (n - n_pairs), cp / 2 * (m - n_pairs), p)
    return _result(pair_cost.sum(), cp / alpha * max(n - m, 0), cp / alpha * max(m - n, 0), p)


def _clipped_distance(truth: np.ndarray, track: np.ndarray, c: float) -> np.ndarray:
    """d^(c) = min(|x_i - y_j|, c) for every (truth i, track j) pair: (n,3), (m,3) -> (n,m)."""
    dist = np.linalg.norm(truth[:, None, :] - track[None, :, :], axis=-1)
    return np.minimum(dist, c)


def _result(loc: float, missed: float, false: float, p: float) -> dict[str, float]:
    return {
        "distance": float((loc + missed + false) ** (1.0 / p)),
        "localisation": float(loc),
        "missed": float(missed),
        "false": float(false),
    }


def _check(truth_xyz, track_xyz, c, p) -> tuple[np.ndarray, np.ndarray, float, float]:
    truth = checks.numbers("truth_xyz", truth_xyz, "finite positions (m)", shape=(None, 3))
    track = checks.numbers("track_xyz", track_xyz, "finite positions (m)", shape=(None, 3))
    c = checks.scalar("c", c, "a finite cut-off distance > 0 (m)", lambda x: x > 0.0)
    p = checks.scalar("p", p, "a finite order p >= 1", lambda x: x >= 1.0)
    try:
        c**p
    except OverflowError:
        checks.fail("c, p", "such that c**p is a finite float", f"c={c!r}, p={p!r}")
    return truth, track, c, p
