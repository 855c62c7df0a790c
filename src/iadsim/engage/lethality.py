"""Kill assessment at closest approach: kill probability from the end-game miss distance.

Blast-fragmentation warheads: the Carleton damage function, P_k(r) = P_k0 exp(-r^2 / R_L^2),
with P_k0 the catalog kill probability at zero miss (warhead and fuze) and R_L the catalog
lethal radius (Przemieniecki, *Mathematical Methods in Defense Analyses*, 3rd ed., 2000,
sec. 4.4, the Carleton function for a point target; Ball, *The Fundamentals of Aircraft
Combat Survivability Analysis and Design*, 2nd ed., 2003, ch. 5). Hit-to-kill rounds kill
only by a body-to-body hit: P_k = P_k0 when the miss is within the lethal radius (the
target's half-size plus the missile's, with its lethality enhancer), else 0 (a cookie-cutter
damage function, Przemieniecki sec. 4.2). The miss itself comes from the guidance loop
(:mod:`iadsim.engage.flyout`). Returns ``"kill"``, ``"survived"`` (the warhead functioned
within reach, the target survived) or ``"miss"`` (beyond three lethal radii, where the
Carleton P_k < 1.3e-4 P_k0, or a hit-to-kill round's miss outside its radius).
"""

from __future__ import annotations

import numpy as np

MISS_BEYOND_RADII = 3.0


def kill_probability(miss_m, lethal_radius_m, pk, hit_to_kill=False) -> np.ndarray:
    """P_k at miss distance r: Carleton P_k0 exp(-r^2 / R_L^2), or for hit-to-kill
    P_k0 where r <= R_L and 0 beyond (module docstring)."""
    r = np.asarray(miss_m, float)
    radius = np.asarray(lethal_radius_m, float)
    carleton = np.asarray(pk, float) * np.exp(-((r / radius) ** 2))
    body_hit = np.where(r <= radius, np.asarray(pk, float), 0.0)
    return np.where(hit_to_kill, body_hit, carleton)


def kill_outcome(miss_m: float, lethal_radius_m: float, pk: float, u: float,
                 hit_to_kill: bool = False) -> str:  # fmt: skip
    """The outcome of one intercept (see module docstring), given a uniform draw u in [0, 1)."""
    reach = lethal_radius_m if hit_to_kill else MISS_BEYOND_RADII * lethal_radius_m
    if miss_m > reach:
        return "miss"
    p = kill_probability(miss_m, lethal_radius_m, pk, hit_to_kill)
    return "kill" if u < p else "survived"
