"""Write examples/valley_dem.tif: a synthetic DEM for examples/terrain_following.yaml.

An east-west ridge 900 m high between 41.15 and 41.35 deg N, cut by a north-south valley
(floor at 0 m, 3 km wide, 300 m flanks) along 28.90 deg E; flat ground at 0 m elsewhere.
WGS84 geographic, 0.002 deg pixels (~170 x 220 m), int16 metres, deflate-compressed.
Run: ``python examples/make_valley_dem.py`` (deterministic; the file is committed).
"""

from pathlib import Path

import numpy as np
import rasterio
from rasterio.transform import from_origin

WEST, NORTH, STEP = 28.70, 41.80, 0.002
N_ROWS, N_COLS = 450, 300  # 40.90-41.80 N, 28.70-29.30 E


def valley_dem() -> np.ndarray:
    lat = NORTH - STEP * (np.arange(N_ROWS) + 0.5)
    lon = WEST + STEP * (np.arange(N_COLS) + 0.5)
    lon_g, lat_g = np.meshgrid(lon, lat)
    # Ridge: smooth shoulders (cosine ramps 3 km wide) on a 900 m plateau.
    dist_in = np.minimum(lat_g - 41.15, 41.35 - lat_g) * 111_000.0
    ridge = 900.0 * np.clip(0.5 - 0.5 * np.cos(np.pi * np.clip(dist_in / 3000.0, 0, 1)), 0, 1)
    ridge = np.where(dist_in > 0.0, ridge, 0.0)
    # Valley: floor 1.5 km either side of 28.90 E, walls over the next 300 m.
    off = np.abs(lon_g - 28.90) * 111_000.0 * np.cos(np.radians(41.3))
    wall = np.clip((off - 1500.0) / 300.0, 0.0, 1.0)
    return np.round(ridge * wall).astype(np.int16)


def main() -> None:
    path = Path(__file__).with_name("valley_dem.tif")
    with rasterio.open(
        path, "w", driver="GTiff", height=N_ROWS, width=N_COLS, count=1, dtype="int16",
        crs="EPSG:4326", transform=from_origin(WEST, NORTH, STEP, STEP), compress="deflate",
    ) as ds:  # fmt: skip
        ds.write(valley_dem(), 1)
    print(f"wrote {path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
