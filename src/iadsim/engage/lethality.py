"""Kill assessment at closest approach: kill probability falls with miss distance.

The warhead's kill probability at miss distance r follows the Carleton damage function,
P_k(r) = P_k0 exp(-r^2 / R_L^2), with P_k0 the catalog single-shot Pk (a hit or a
near-miss) and R_L the catalog lethal radius (Przemieniecki, *Mathematical Methods in
Defense Analyses*, 3rd ed., 2000, sec. 4.4, the Carleton function for a point target;
Ball, *The Fundamentals of Aircraft Combat Survivability Analysis and Design*, 2nd ed.,
2003, ch. 5). Returns ``"kill"``, ``"survived"`` (the warhead functioned within reach,
the target survived) or ``"miss"`` (beyond three lethal radii, where P_k < 1.3e-4 P_k0).
"""

from __future__ import annotations

import numpy as np

MISS_BEYOND_RADII = 3.0


def kill_probability(miss_m, lethal_radius_m, pk) -> np.ndarray:
    """Carleton damage function P_k(r) = P_k0 exp(-r^2 / R_L^2) (module docstring)."""
    r = np.asarray(miss_m, float)
    return np.asarray(pk, float) * np.exp(-((r / np.asarray(lethal_radius_m, float)) ** 2))


def kill_outcome(miss_m: float, lethal_radius_m: float, pk: float, u: float) -> str:
    """The outcome of one intercept (see module docstring), given a uniform draw u in [0, 1)."""
    if miss_m > MISS_BEYOND_RADII * lethal_radius_m:
        return "miss"
    return "kill" if u < kill_probability(miss_m, lethal_radius_m, pk) else "survived"
