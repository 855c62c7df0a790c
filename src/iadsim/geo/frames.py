"""The scenario's map frame: azimuthal equidistant projection about a scenario origin.

The engine works in map coordinates (x east, y north, metres) plus altitude above the
ellipsoid. The azimuthal equidistant projection (Snyder, *Map Projections: A Working
Manual*, USGS PP 1395, 1987, ch. 25) keeps distances and bearings from the origin true,
which suits a defended area a few hundred kilometres across; radar geometry over the
curved earth is handled separately in :mod:`iadsim.geo.earth`.
"""

from __future__ import annotations

import numpy as np
from pyproj import Transformer


class MapFrame:
    """Geodetic (WGS84) <-> local map (x east, y north) in metres about an origin."""

    def __init__(self, origin_lat_deg: float, origin_lon_deg: float) -> None:
        self.origin_lat_deg = float(origin_lat_deg)
        self.origin_lon_deg = float(origin_lon_deg)
        proj = (
            f"+proj=aeqd +lat_0={self.origin_lat_deg} +lon_0={self.origin_lon_deg} "
            "+x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
        )
        self._forward = Transformer.from_crs("EPSG:4326", proj, always_xy=True)
        self._inverse = Transformer.from_crs(proj, "EPSG:4326", always_xy=True)

    def to_map(self, lat_deg, lon_deg) -> tuple[np.ndarray, np.ndarray]:
        """Geodetic degrees -> map (x, y) metres. Arrays broadcast."""
        x, y = self._forward.transform(np.asarray(lon_deg, float), np.asarray(lat_deg, float))
        return np.asarray(x), np.asarray(y)

    def to_geodetic(self, x_m, y_m) -> tuple[np.ndarray, np.ndarray]:
        """Map (x, y) metres -> geodetic (lat_deg, lon_deg)."""
        lon, lat = self._inverse.transform(np.asarray(x_m, float), np.asarray(y_m, float))
        return np.asarray(lat), np.asarray(lon)
