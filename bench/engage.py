"""Engagement benchmarks, one JSON object: vectorised flyout throughput and WTA solve time.

Target (issue 5): >= 100,000 missile-steps per second per core for the flyout; the
assignment of 100 threats x 50 fire channels timed for the exact and greedy solvers.

    python bench/engage.py
"""

from __future__ import annotations

import copy
import json
import time

import numpy as np

from iadsim.catalog import load_catalog
from iadsim.engage import flyout
from iadsim.engage.airframe import from_catalog
from iadsim.engage.assign import assign

N_MISSILES, N_STEPS, STEP_S = 10_000, 200, 0.05


def flyout_rate() -> dict:
    rng = np.random.default_rng(1)
    missiles = flyout.Interceptors()
    targets = np.column_stack(
        [rng.uniform(-50e3, 50e3, N_MISSILES), rng.uniform(20e3, 80e3, N_MISSILES),
         rng.uniform(100.0, 15e3, N_MISSILES)]
    )  # fmt: skip
    heading = targets / np.linalg.norm(targets, axis=-1, keepdims=True)
    airframes = from_catalog(load_catalog().missiles)  # every catalog type, mixed
    missiles.launch(
        pos=np.zeros((N_MISSILES, 3)), vel=heading * 300.0, launch_s=np.zeros(N_MISSILES),
        max_flight_s=np.full(N_MISSILES, 300.0), target=np.zeros(N_MISSILES, int),
        missile_type=np.arange(N_MISSILES) % len(airframes), unit=np.zeros(N_MISSILES, int),
        track_key=np.zeros(N_MISSILES, int),
    )  # fmt: skip
    idx = np.arange(N_MISSILES)
    tvel = np.tile([0.0, -250.0, 0.0], (N_MISSILES, 1))
    # Load the compiled kernel outside the timing (one step of a throw-away copy).
    flyout.step(copy.deepcopy(missiles), idx[:1], 0.0, STEP_S, targets[:1], tvel[:1], airframes)
    t0 = time.perf_counter()
    for k in range(N_STEPS):
        flyout.step(missiles, idx, k * STEP_S, STEP_S, targets + tvel * k * STEP_S, tvel,
                    airframes)  # fmt: skip
    seconds = time.perf_counter() - t0
    return {
        "missiles": N_MISSILES,
        "steps": N_STEPS,
        "seconds": round(seconds, 3),
        "missile_steps_per_s": round(N_MISSILES * N_STEPS / seconds),
        "target_per_s": 100_000,
    }


def assignment_time() -> dict:
    rng = np.random.default_rng(2024)
    pk = rng.uniform(0.3, 0.9, (50, 100))
    value = rng.integers(1, 11, 100).astype(float)
    out = {}
    for method in ("optimal", "greedy"):
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            result = assign(pk, value, np.ones(50, int), method=method)
            times.append(time.perf_counter() - t0)
        out[method] = {"median_s": float(np.median(times)), "expected_value": result.expected_value}
    return {"threats": 100, "fire_channels": 50, **out}


def main() -> None:
    print(json.dumps({"flyout": flyout_rate(), "assignment": assignment_time()}))


if __name__ == "__main__":
    main()
