"""Kill assessment at closest approach.

A warhead can only kill inside its lethal radius; inside it the single-shot kill
probability from the catalog applies (the "cookie-cutter" lethality model, Ball,
*The Fundamentals of Aircraft Combat Survivability Analysis and Design*, 2nd ed., 2003,
sec. 5.4). Returns ``"kill"``, ``"survived"`` (warhead functioned, target survived) or
``"miss"`` (outside the lethal radius).
"""

from __future__ import annotations

import numpy as np


def kill_outcome(miss_m: float, lethal_radius_m: float, pk: float, rng: np.random.Generator) -> str:
    """Cookie-cutter kill assessment for one intercept (see module docstring)."""
    if miss_m > lethal_radius_m:
        return "miss"
    return "kill" if rng.random() < pk else "survived"
