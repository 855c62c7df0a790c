"""Heightmap tiles of a run's DEM for the viewer's globe (Cesium terrain, offline).

The viewer's ``Cesium.CustomHeightmapTerrainProvider`` asks for tile (x, y, level) of
Cesium's ``GeographicTilingScheme``: 2 x 1 tiles at level 0 over the WGS84 lon/lat
rectangle, each level splitting every tile in four; y counts from the north. A tile is a
``HEIGHTMAP_SIZE`` x ``HEIGHTMAP_SIZE`` grid of heights (m) whose edge rows and columns lie
on the tile's edges, row-major from the north-west corner (Cesium ``HeightmapTerrainData``
layout), sampled from the DEM by the same bilinear interpolation the simulation uses
(:meth:`iadsim.geo.terrain.Terrain.elevation_m_at_geodetic`), 0 m outside the DEM.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from iadsim.geo.frames import MapFrame
from iadsim.geo.terrain import Terrain

HEIGHTMAP_SIZE = 65
MAX_LEVEL = 22  # ~4 cm between samples at the equator: far below any DEM's pixel


def tile_rectangle_deg(x: int, y: int, level: int) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) degrees of tile (x, y, level), or None for no such tile."""
    if not 0 <= level <= MAX_LEVEL:
        return None
    nx, ny = 2 ** (level + 1), 2**level
    if not (0 <= x < nx and 0 <= y < ny):
        return None
    dlon, dlat = 360.0 / nx, 180.0 / ny
    west, north = -180.0 + x * dlon, 90.0 - y * dlat
    return west, north - dlat, west + dlon, north


def tile_grid_deg(x: int, y: int, level: int) -> tuple[np.ndarray, np.ndarray]:
    """(lat, lon) degrees of the tile's sample grid, each (HEIGHTMAP_SIZE, HEIGHTMAP_SIZE),
    row 0 on the north edge and column 0 on the west edge."""
    rect = tile_rectangle_deg(x, y, level)
    if rect is None:
        raise ValueError(f"no tile ({x}, {y}) at level {level}")
    west, south, east, north = rect
    f = np.linspace(0.0, 1.0, HEIGHTMAP_SIZE)
    lon = west + f * (east - west)
    lat = north - f * (north - south)
    lon_g, lat_g = np.meshgrid(lon, lat)
    return lat_g, lon_g


class DemTiles:
    """Heightmap tiles cut from one DEM (read once, kept in memory)."""

    def __init__(self, dem: str | Path) -> None:
        self.path = Path(dem)
        probe = Terrain.from_geotiff(self.path, MapFrame(0.0, 0.0))
        s, w, n, e = probe.bounds_deg
        self.bounds_deg = {"south": s, "west": w, "north": n, "east": e}
        # The map frame at the DEM centre: only the lat/lon -> pixel path is used here.
        self.terrain = Terrain.from_geotiff(self.path, MapFrame((s + n) / 2, (w + e) / 2))

    def heights_m(self, x: int, y: int, level: int) -> np.ndarray | None:
        """The tile's float32 heights (HEIGHTMAP_SIZE, HEIGHTMAP_SIZE), None for no tile."""
        rect = tile_rectangle_deg(x, y, level)
        if rect is None:
            return None
        west, south, east, north = rect
        b = self.bounds_deg
        if east < b["west"] or west > b["east"] or north < b["south"] or south > b["north"]:
            return np.zeros((HEIGHTMAP_SIZE, HEIGHTMAP_SIZE), np.float32)
        lat, lon = tile_grid_deg(x, y, level)
        return self.terrain.elevation_m_at_geodetic(lat, lon).astype(np.float32)
