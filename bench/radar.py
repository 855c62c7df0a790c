"""Radar benchmarks in one JSON object: detection-probability throughput and a terrain
coverage map (360 azimuths x 500 ranges x 4 altitudes over a 1000 x 1000 DEM).

Targets (issue 3), one core: exact Swerling 0 Pd with 10 pulses >= 2x faster than
scipy.stats.ncx2.sf on the same 1e6 inputs (agreeing to 1e-6), closed-form cases at
>= 20 million evaluations per second, the coverage map in under 2 s.

    python bench/radar.py
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import radar_pd
import radar_terrain

from iadsim.catalog import load_catalog
from iadsim.geo.terrain import write_synthetic_dem
from iadsim.radar.coverage import compute_coverage, ground_grid
from iadsim.scenario import load_scenario
from iadsim.sim.world import build_world

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "s400_vs_f35_detection.yaml"


def full_coverage() -> dict:
    """The whole coverage computation of `iadsim coverage` (energy, horizon, terrain, limits)
    for the example's two S-400 radars, 360 azimuths x 4 altitudes, over a 1000 x 1000 DEM."""
    catalog = load_catalog()
    scenario = load_scenario(EXAMPLE, catalog)
    with tempfile.TemporaryDirectory() as tmp:
        dem = Path(tmp) / "dem.tif"
        write_synthetic_dem(dem, 41.2, 29.0, 200.0, 200.0, radar_terrain.landscape)
        world = build_world(scenario, catalog, dem=dem)
    t0 = time.perf_counter()
    compute_coverage(world, catalog, ["F-35A"], ["nose"], radar_terrain.ALTITUDES_M, pds=(0.5,))
    seconds = time.perf_counter() - t0
    return {
        "radars": len(world.radars),
        "grid_per_radar": [
            len(radar_terrain.ALTITUDES_M),
            360,
            int(len(ground_grid(world.radars, 0))),
        ],
        "seconds": round(seconds, 3),
    }


def main() -> None:
    pd = radar_pd.measure()
    coverage = radar_terrain.measure()
    full = full_coverage()
    print(
        json.dumps(
            {
                "pd": pd,
                "coverage_map": coverage,
                "full_coverage_command_compute": full,
                "targets_met": {
                    "swerling0_2x_ncx2": pd["speedup_vs_ncx2"] >= 2.0,
                    "agree_1e-6": pd["max_abs_diff"] <= 1e-6,
                    "closed_form_20M_per_s": min(
                        pd["swerling1_evals_per_s"], pd["swerling2_evals_per_s"]
                    )
                    >= 20e6,
                    "coverage_under_2s": coverage["total_s"] < 2.0,
                },
            }
        )
    )


if __name__ == "__main__":
    main()
