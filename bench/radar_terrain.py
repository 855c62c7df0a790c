"""Benchmark: terrain masking angles and a coverage mask over a 1000 x 1000 synthetic DEM.

Times Terrain.masking_angle_rad for 360 azimuths x 500 ranges, then coverage_mask for
4 altitudes (360 x 500 x 4), pinned to one core. Prints one JSON object. Target: < 2 s.

    python bench/radar_terrain.py  (or bench/radar.py for both radar benchmarks)
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import json  # noqa: E402
import platform  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from iadsim.geo.frames import MapFrame  # noqa: E402
from iadsim.geo.terrain import (  # noqa: E402
    Terrain,
    coverage_mask,
    range_bins_m,
    write_synthetic_dem,
)

LAT0_DEG, LON0_DEG = 41.0, 29.0
SIZE_KM, RESOLUTION_M = 200.0, 200.0  # 1000 x 1000 pixels
N_AZ, N_RANGE, MAX_RANGE_M = 360, 500, 100_000.0
ALTITUDES_M = np.array([50.0, 300.0, 1000.0, 5000.0])
MAST_M = 30.0  # antenna height above the terrain at the radar site


def landscape(x_m: np.ndarray, y_m: np.ndarray) -> np.ndarray:
    """Rolling hills plus a 900 m ridge 40 km east of the radar."""
    hills = 150.0 * (1.0 + np.sin(x_m / 7_000.0) * np.cos(y_m / 9_000.0))
    ridge = 900.0 * np.exp(-0.5 * ((x_m - 40_000.0) / 2_000.0) ** 2)
    return hills + ridge


def measure() -> dict:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    frame = MapFrame(LAT0_DEG, LON0_DEG)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench_dem.tif"
        t0 = time.perf_counter()
        write_synthetic_dem(path, LAT0_DEG, LON0_DEG, SIZE_KM, RESOLUTION_M, landscape)
        t1 = time.perf_counter()
        terrain = Terrain.from_geotiff(path, frame)
        t2 = time.perf_counter()
    site_m = float(terrain.elevation_m_at(0.0, 0.0, strict=True))
    radar_xyz = np.array([0.0, 0.0, site_m + MAST_M])
    azimuths_rad = np.deg2rad(np.arange(N_AZ) * 360.0 / N_AZ)
    ranges_m = range_bins_m(MAX_RANGE_M, N_RANGE)
    t3 = time.perf_counter()
    masking_rad = terrain.masking_angle_rad(radar_xyz, azimuths_rad, MAX_RANGE_M, N_RANGE)
    t4 = time.perf_counter()
    visible = coverage_mask(masking_rad, ranges_m, radar_xyz[2], ALTITUDES_M)
    t5 = time.perf_counter()
    total = t5 - t3
    return {
        "bench": "terrain_masking_coverage",
        "dem_shape": list(terrain.elevation_m.shape),
        "dem_resolution_m": round(terrain.resolution_m, 2),
        "grid": [len(ALTITUDES_M), N_AZ, N_RANGE],
        "max_range_m": MAX_RANGE_M,
        "radar_alt_m": round(float(radar_xyz[2]), 1),
        "write_dem_s": round(t1 - t0, 4),
        "load_dem_s": round(t2 - t1, 4),
        "masking_angle_s": round(t4 - t3, 4),
        "coverage_mask_s": round(t5 - t4, 4),
        "total_s": round(total, 4),
        "target_s": 2.0,
        "pass": total < 2.0,
        "visible_fraction_by_alt": [round(float(v), 4) for v in visible.mean(axis=(1, 2))],
        "cpu_cores_used": 1,
        "python": platform.python_version(),
        "numpy": np.__version__,
    }


def main() -> None:
    print(json.dumps(measure()))


if __name__ == "__main__":
    main()
