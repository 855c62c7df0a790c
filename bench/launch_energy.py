"""How often a round launched in range runs out of energy, one JSON object.

Runs the example scenarios (each with the given seeds) and counts, per launched round,
how its flight ended; a round "ran out of energy" when the flyout ended it below the
useful speed ("missile out of energy"). Rounds whose target turned (velocity direction
changed by more than 2 deg between launch and the end of the flight) are counted apart:
the launch check predicts the intercept on the target's current course.

    python bench/launch_energy.py [SEEDS]
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from iadsim.catalog import load_catalog
from iadsim.scenario import load_scenario
from iadsim.sim.engine import run
from iadsim.sim.world import build_world

EXAMPLES = ("city_defense_patriot", "city_defense_s300", "city_defense_s400",
            "turkey_air_defense_choice")  # fmt: skip
ROOT = Path(__file__).resolve().parents[1]


def _turned(world, threat: int, k0: int, k1: int) -> bool:
    v = world.threats.vel[threat, k0 : k1 + 1]
    speed = np.linalg.norm(v, axis=-1)
    moving = speed > 1.0
    if moving.sum() < 2:
        return False
    u = v[moving] / speed[moving, None]
    return bool(np.min(u @ u[0]) < np.cos(np.deg2rad(2.0)))


def measure(name: str, seeds) -> dict:
    path = ROOT / "examples" / f"{name}.yaml"
    catalog = load_catalog()
    world = build_world(load_scenario(path, catalog), catalog, scenario_dir=path.parent)
    counts: Counter = Counter()
    dt = world.times[1] - world.times[0]
    for seed in seeds:
        result = run(world, seed)
        cols = result.events._cols
        launch = {}
        for t, kind, who, other, detail in zip(
            cols["time_s"],
            cols["kind"],
            cols["entity_id"],
            cols["other_id"],
            cols["detail"],
            strict=True,
        ):
            if kind == "launch":
                launch[who] = t
            elif kind == "miss" and detail == "missile out of energy" and who in launch:
                threat = world.threats.ids.index(other) if other in world.threats.ids else -1
                turned = threat >= 0 and _turned(world, threat, int(launch[who] / dt), int(t / dt))
                counts["out_of_energy_target_turned" if turned else "out_of_energy_straight"] += 1
        counts["launched"] += len(launch)
    launched = max(counts["launched"], 1)
    return {**counts, "rate_straight": round(counts["out_of_energy_straight"] / launched, 4)}


def main() -> None:
    seeds = [int(s) for s in sys.argv[1].split(",")] if len(sys.argv) > 1 else [1, 2, 3]
    print(json.dumps({name: measure(name, seeds) for name in EXAMPLES}, indent=1))


if __name__ == "__main__":
    main()
