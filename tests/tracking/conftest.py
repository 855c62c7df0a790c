"""Shared test doubles for the tracker's seams."""

import numpy as np
import pytest

from iadsim.tracking.associate import Association


class NearestNeighbourAssociator:
    """Greedy nearest neighbour in Euclidean distance within 1 km: a custom associator that
    knows nothing of groups (a seam swap)."""

    def associate(self, x, p, z, r):
        n, m = len(x), len(z)
        rows, cols = [], []
        if n and m:
            d = np.linalg.norm(x[:, None, :3] - z[None], axis=2)
            for i, j in zip(*np.unravel_index(np.argsort(d, axis=None), d.shape), strict=True):
                if d[i, j] < 1000 and i not in rows and j not in cols:
                    rows.append(i)
                    cols.append(j)
        return Association.from_pairs(n, m, np.array(rows, int), np.array(cols, int))


@pytest.fixture
def nearest_neighbour():
    """The class of the greedy nearest-neighbour associator."""
    return NearestNeighbourAssociator
