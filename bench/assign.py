"""Weapon-target assignment solve time: 100 threats x 50 fire channels, one shot each.

Prints one JSON object: median wall time of 5 solves and expected value destroyed for
``method="optimal"`` (linear assignment) and ``method="greedy"`` (maximum marginal return).
Run: ``python bench/assign.py``.
"""

from __future__ import annotations

import json
import platform
import statistics
import time

import numpy as np

from iadsim.engage.assign import assign

N_THREATS = 100
N_CHANNELS = 50
REPEATS = 5
SEED = 2024


def main() -> None:
    rng = np.random.default_rng(SEED)
    pk = rng.uniform(0.3, 0.9, size=(N_CHANNELS, N_THREATS))
    value = rng.integers(1, 11, size=N_THREATS).astype(float)
    capacity = np.ones(N_CHANNELS, dtype=int)
    demand = np.ones(N_THREATS, dtype=int)
    report = {
        "n_threats": N_THREATS,
        "n_fire_channels": N_CHANNELS,
        "capacity": 1,
        "demand": 1,
        "seed": SEED,
        "repeats": REPEATS,
        "python": platform.python_version(),
    }
    for method in ("optimal", "greedy"):
        times = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            result = assign(pk, value, capacity, demand, method=method)
            times.append(time.perf_counter() - start)
        report[method] = {
            "median_s": statistics.median(times),
            "expected_value": result.expected_value,
            "shots": int(result.shots.sum()),
        }
    report["greedy_over_optimal"] = (
        report["greedy"]["expected_value"] / report["optimal"]["expected_value"]
    )
    print(json.dumps(report))


if __name__ == "__main__":
    main()
