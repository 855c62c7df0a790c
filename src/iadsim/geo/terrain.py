"""Terrain: a digital elevation model (DEM), terrain masking and radar coverage over it.

Elevations come from a GeoTIFF read with rasterio and are sampled at map coordinates
(:class:`~iadsim.geo.frames.MapFrame`) by bilinear interpolation between pixel centres.

Line of sight is a path-profile analysis (ITU-R P.526-15 sec. 4 and P.452-17 sec. 4.5 /
annex 2: the terrain profile along the great-circle path is compared with the ray) over
an effective earth of radius a_e = k * Re, where refraction is folded into a_e and rays
are straight (Skolnik, *Introduction to Radar Systems*, 3rd ed., sec. 8.4; the same model
as :mod:`iadsim.geo.earth`). Coverage maps use the classic radial viewshed: along each
azimuth, a point is masked iff its elevation angle seen from the radar is below the
running maximum elevation angle of the terrain at shorter ranges (the "terrain masking
angle"; Skolnik 3rd ed. sec. 8.4 and e.g. Franklin & Ray, *Higher isn't necessarily
better: visibility algorithms and experiments*, 1994).

Conventions and assumptions:

* Altitudes of radars and targets are above the WGS84 ellipsoid; DEM elevations are taken
  to be on the same datum (geoid = ellipsoid). DEMs such as SRTM or Copernicus are
  orthometric (EGM96/EGM2008), so heights here can be off by the geoid undulation
  (|N| < ~110 m worldwide, usually a few tens of metres).
* Ground distance between two points is their map distance, as in :mod:`iadsim.geo.earth`.
* Nodata pixels and points outside the DEM read as 0 m (sea level) unless ``strict``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import rasterio
import rasterio.errors
from affine import Affine
from pyproj import CRS, Transformer
from rasterio.transform import from_origin

from iadsim import checks
from iadsim.errors import ScenarioError
from iadsim.geo.earth import effective_radius_m
from iadsim.geo.frames import MapFrame

DEFAULT_K_FACTOR = 4.0 / 3.0
MAX_PROFILE_SAMPLES = 2048
"""Cap on the number of terrain samples along one line-of-sight path."""
MAX_SAMPLES_PER_BIN = 8
"""Cap on the terrain samples per range bin in :meth:`Terrain.masking_angle_rad`."""
_CHUNK_POINTS = 1_000_000
_WGS84 = CRS.from_epsg(4326)


# --- curved-earth geometry -----------------------------------------------------------------


def elevation_angle_rad(radar_alt_m, ground_m, alt_m, k_factor: float = DEFAULT_K_FACTOR):
    """Elevation angle above the radar's local horizontal of a point at ground distance
    ``ground_m`` and altitude ``alt_m``, straight rays over a sphere of radius a_e = k Re.

    With theta = ground / a_e, r1 = a_e + h_radar, r2 = a_e + h: the point sits at
    (r2 sin theta, r2 cos theta - r1) in the radar's horizontal/vertical plane, so
    el = atan2(r2 cos theta - r1, r2 sin theta) (same triangle as earth.radar_geometry).
    Arrays broadcast.
    """
    a_e = effective_radius_m(k_factor)
    theta = np.asarray(ground_m, float) / a_e
    r1 = a_e + np.asarray(radar_alt_m, float)
    r2 = a_e + np.asarray(alt_m, float)
    return np.arctan2(r2 * np.cos(theta) - r1, r2 * np.sin(theta))


def ray_height_m(radar_alt_m, target_alt_m, ground_m, s_m, k_factor: float = DEFAULT_K_FACTOR):
    """Height above the effective earth of the straight radar-target ray at ground distance
    ``s_m`` (0 <= s <= ground) from the radar.

    In polar coordinates about the earth centre, the line through (0, r1) and (theta, r2)
    is r(phi) = r1 r2 sin(theta) / (r1 sin(phi) + r2 sin(theta - phi)), phi = s / a_e
    (ITU-R P.526 / P.452 path-profile geometry with straight rays over a k Re earth).
    Arrays broadcast.
    """
    a_e = effective_radius_m(k_factor)
    theta = np.asarray(ground_m, float) / a_e
    phi = np.asarray(s_m, float) / a_e
    r1 = a_e + np.asarray(radar_alt_m, float)
    r2 = a_e + np.asarray(target_alt_m, float)
    sin_theta = np.sin(theta)
    ok = sin_theta > 1e-15
    safe = np.where(ok, sin_theta, 1.0)
    # sin(phi)/sin(theta) -> t = phi/theta as theta -> 0 (a vertical ray).
    t = np.divide(phi, theta, out=np.zeros(np.broadcast(phi, theta).shape), where=theta > 0)
    w_target = np.where(ok, np.sin(phi) / safe, t)
    w_radar = np.where(ok, np.sin(theta - phi) / safe, 1.0 - t)
    return r1 * r2 / (r1 * w_target + r2 * w_radar) - a_e


def range_bins_m(max_range_m: float, n_range: int) -> np.ndarray:
    """Ground ranges of the masking grid: step, 2 step, ..., max_range (step = max/n)."""
    checks.integer("n_range", n_range, "an integer >= 1", lambda n: n >= 1)
    checks.scalar("max_range_m", max_range_m, "a finite range > 0 (m)", lambda r: r > 0)
    return max_range_m / n_range * np.arange(1, n_range + 1)


def coverage_mask(
    masking_rad, ranges_m, radar_alt_m: float, altitudes_m, k_factor: float = DEFAULT_K_FACTOR
) -> np.ndarray:
    """Visibility on an (altitude, azimuth, range) grid from a terrain masking-angle grid.

    masking_rad: (n_az, n_range) from :meth:`Terrain.masking_angle_rad`; ranges_m its range
    bins; altitudes_m (n_alt,) above the ellipsoid. A point is visible iff its elevation
    angle is >= the masking angle at its azimuth and range. Returns bool (n_alt, n_az, n_range).
    """
    masking_rad = np.asarray(masking_rad, float)
    alts = np.atleast_1d(np.asarray(altitudes_m, float))
    el = elevation_angle_rad(
        radar_alt_m, np.asarray(ranges_m, float)[None, :], alts[:, None], k_factor
    )
    return el[:, None, :] >= masking_rad[None, :, :]


# --- the DEM -------------------------------------------------------------------------------


class Terrain:
    """A DEM sampled at map coordinates.

    elevation_m: 2-D array (rows north->south as in the raster), NaN where nodata.
    transform: affine pixel (col, row) -> DEM CRS (x, y), GDAL convention (pixel corners).
    crs: the DEM's CRS (anything pyproj accepts). frame: the scenario map frame.
    source: file name used in error messages.
    """

    def __init__(
        self,
        elevation_m: np.ndarray,
        transform: Affine,
        crs,
        frame: MapFrame,
        source: str = "<DEM array>",
    ) -> None:
        self.source = str(source)
        elevation = np.asarray(elevation_m, dtype=np.float32)
        if elevation.ndim != 2 or elevation.size == 0:
            raise ScenarioError(f"{self.source}: DEM must be a non-empty 2-D raster")
        elevation = np.where(np.isfinite(elevation), elevation, np.float32(np.nan))
        if np.isnan(elevation).all():
            raise ScenarioError(
                f"{self.source}: DEM holds only nodata values; "
                "a DEM with at least one valid elevation is required"
            )
        if crs is None:
            raise ScenarioError(f"{self.source}: DEM has no CRS; a georeferenced DEM is required")
        self.elevation_m = elevation
        self.transform = Affine(*tuple(transform)[:6])
        self.crs = CRS.from_user_input(crs)
        self.frame = frame
        self._inverse = ~self.transform
        # Cached geodetic (WGS84 lon/lat) <-> DEM CRS transformers; None when the DEM is
        # already WGS84 geographic.
        if self.crs.equals(_WGS84, ignore_axis_order=True):
            self._to_dem = self._from_dem = None
        else:
            self._to_dem = Transformer.from_crs(_WGS84, self.crs, always_xy=True)
            self._from_dem = Transformer.from_crs(self.crs, _WGS84, always_xy=True)
        self.bounds_deg = self._geodetic_bounds()
        self.resolution_m = self._resolution_m()

    @classmethod
    def from_geotiff(cls, path, frame: MapFrame) -> Terrain:
        """Read band 1 of a GeoTIFF (or any GDAL raster) with its transform, CRS and nodata."""
        path = Path(path)
        if not path.is_file():
            raise ScenarioError(f"{path}: DEM file not found; give the path of an existing GeoTIFF")
        try:
            with rasterio.open(path) as ds:
                if ds.crs is None:
                    raise ScenarioError(
                        f"{path}: DEM has no CRS; a georeferenced GeoTIFF "
                        "(e.g. EPSG:4326 or a UTM zone) is required"
                    )
                band = ds.read(1, masked=True)
                transform, crs = ds.transform, ds.crs
        except rasterio.errors.RasterioError as exc:
            raise ScenarioError(
                f"{path}: cannot read DEM ({exc}); a GeoTIFF readable by GDAL is required"
            ) from exc
        elevation = np.ma.filled(band.astype(np.float32), np.nan)
        return cls(elevation, transform, crs.to_wkt(), frame, source=str(path))

    # --- sampling ----------------------------------------------------------------------------

    def _pixel(self, x_m, y_m) -> tuple[np.ndarray, np.ndarray]:
        """Map (x, y) -> fractional (col, row) in the raster (0 at the outer pixel edge)."""
        lat, lon = self.frame.to_geodetic(x_m, y_m)
        return self._pixel_geodetic(lat, lon)

    def _pixel_geodetic(self, lat, lon) -> tuple[np.ndarray, np.ndarray]:
        """WGS84 (lat, lon) degrees -> fractional (col, row) in the raster."""
        if self._to_dem is None:
            ex, ey = lon, lat
        else:
            ex, ey = self._to_dem.transform(lon, lat)
        a, b, c, d, e, f = tuple(self._inverse)[:6]
        ex, ey = np.asarray(ex, float), np.asarray(ey, float)
        return a * ex + b * ey + c, d * ex + e * ey + f

    def _bilinear(self, col, row) -> tuple[np.ndarray, np.ndarray]:
        """Bilinear interpolation between pixel centres; returns (value, inside extent).

        Nodata neighbours are dropped and the weights renormalised; NaN where all four
        are nodata. Between the outermost pixel centres and the raster edge the edge
        values are extended.
        """
        n_rows, n_cols = self.elevation_m.shape
        inside = (col >= 0.0) & (col <= n_cols) & (row >= 0.0) & (row <= n_rows)
        c = np.clip(np.nan_to_num(col - 0.5), 0.0, n_cols - 1.0)
        r = np.clip(np.nan_to_num(row - 0.5), 0.0, n_rows - 1.0)
        c0 = np.minimum(np.floor(c).astype(np.intp), max(n_cols - 2, 0))
        r0 = np.minimum(np.floor(r).astype(np.intp), max(n_rows - 2, 0))
        c1 = np.minimum(c0 + 1, n_cols - 1)
        r1 = np.minimum(r0 + 1, n_rows - 1)
        fc, fr = c - c0, r - r0
        z = self.elevation_m
        total = np.zeros(c.shape)
        weight = np.zeros(c.shape)
        for rr, cc, w in (
            (r0, c0, (1 - fr) * (1 - fc)),
            (r0, c1, (1 - fr) * fc),
            (r1, c0, fr * (1 - fc)),
            (r1, c1, fr * fc),
        ):
            v = z[rr, cc].astype(float)
            valid = ~np.isnan(v)
            total += np.where(valid, w * v, 0.0)
            weight += np.where(valid, w, 0.0)
        value = np.divide(total, weight, out=np.full(c.shape, np.nan), where=weight > 1e-12)
        return value, inside

    def _describe(self, x_m, y_m) -> str:
        lat, lon = self.frame.to_geodetic(x_m, y_m)
        s, w, n, e = self.bounds_deg
        return (
            f"{float(lat):.5f},{float(lon):.5f}; DEM bounds lat {s:.4f} to {n:.4f}, "
            f"lon {w:.4f} to {e:.4f}"
        )

    def elevation_m_at(self, x_m, y_m, strict: bool = False) -> np.ndarray:
        """Terrain elevation (m) at map coordinates; arrays broadcast.

        Nodata and points outside the DEM give 0 m (sea level), or raise ScenarioError
        when ``strict``.
        """
        x_m, y_m = np.broadcast_arrays(np.asarray(x_m, float), np.asarray(y_m, float))
        value, inside = self._bilinear(*self._pixel(x_m, y_m))
        good = inside & ~np.isnan(value)
        if strict and not good.all():
            i = np.flatnonzero(~good.ravel())[0]
            what = "is outside" if not inside.ravel()[i] else "has no data at"
            raise ScenarioError(
                f"{self.source}: a terrain sample {what} the DEM at "
                f"{self._describe(x_m.ravel()[i], y_m.ravel()[i])}; "
                "use a DEM that covers the whole scenario area"
            )
        return np.where(good, value, 0.0)

    def elevation_m_at_geodetic(self, lat_deg, lon_deg) -> np.ndarray:
        """Terrain elevation (m) at WGS84 (lat, lon) degrees, bilinear as
        :meth:`elevation_m_at`; nodata and points outside the DEM give 0 m. Arrays broadcast."""
        lat, lon = np.broadcast_arrays(np.asarray(lat_deg, float), np.asarray(lon_deg, float))
        value, inside = self._bilinear(*self._pixel_geodetic(lat, lon))
        return np.where(inside & ~np.isnan(value), value, 0.0)

    def covers(self, x_m, y_m) -> np.ndarray:
        """True where (x, y) lies inside the DEM extent and has a valid elevation."""
        x_m, y_m = np.broadcast_arrays(np.asarray(x_m, float), np.asarray(y_m, float))
        value, inside = self._bilinear(*self._pixel(x_m, y_m))
        return inside & ~np.isnan(value)

    def require_covers(self, x_m, y_m, what: str) -> None:
        """Raise ScenarioError naming the DEM file if any (x, y) is not covered.

        ``what`` names the object, e.g. "radar 'P1'".
        """
        ok = np.atleast_1d(self.covers(x_m, y_m))
        if ok.all():
            return
        x_b, y_b = (np.atleast_1d(a).ravel() for a in np.broadcast_arrays(x_m, y_m))
        i = np.flatnonzero(~ok.ravel())[0]
        extra = f" ({int((~ok).sum())} points)" if ok.size > 1 else ""
        raise ScenarioError(
            f"{self.source}: DEM does not cover the {what}{extra} at "
            f"{self._describe(x_b[i], y_b[i])}; use a DEM that covers every site and path"
        )

    # --- line of sight -----------------------------------------------------------------------

    def line_of_sight(
        self,
        radar_xyz,
        target_xyz,
        k_factor: float = DEFAULT_K_FACTOR,
        n_samples: int | None = None,
        strict: bool = False,
    ) -> np.ndarray:
        """True where the straight ray radar -> target clears the terrain (not masked).

        radar_xyz, target_xyz: (..., 3) [x_east_m, y_north_m, alt_m] broadcast together
        (one radar and many targets, or pairs). The terrain profile is sampled at
        ``n_samples`` points strictly between the ends, evenly along the ground track
        (default: about one per DEM pixel on the longest path, capped at
        MAX_PROFILE_SAMPLES); the ray is masked if the terrain is above the ray's height
        over the k Re earth at any of them (ITU-R P.526 path profile; Skolnik 3rd ed. 8.4).
        """
        radar_xyz = np.asarray(radar_xyz, float)
        target_xyz = np.asarray(target_xyz, float)
        shape = np.broadcast_shapes(radar_xyz.shape, target_xyz.shape)
        if shape[-1] != 3:
            checks.fail("radar_xyz, target_xyz", "arrays with a last axis of length 3",
                        f"shapes {radar_xyz.shape} and {target_xyz.shape}")  # fmt: skip
        radar = np.broadcast_to(radar_xyz, shape).reshape(-1, 3)
        target = np.broadcast_to(target_xyz, shape).reshape(-1, 3)
        ground = np.hypot(target[:, 0] - radar[:, 0], target[:, 1] - radar[:, 1])
        if n_samples is None:
            longest = float(ground.max()) if ground.size else 0.0
            n_samples = int(np.ceil(longest / self.resolution_m)) - 1
            n_samples = int(np.clip(n_samples, 1, MAX_PROFILE_SAMPLES))
        visible = np.ones(len(ground), dtype=bool)
        if n_samples < 1:
            return visible.reshape(shape[:-1])
        t = np.arange(1, n_samples + 1) / (n_samples + 1.0)
        chunk = max(1, _CHUNK_POINTS // n_samples)
        for lo in range(0, len(ground), chunk):
            sl = slice(lo, lo + chunk)
            r, g, tg = radar[sl], ground[sl], target[sl]
            x = r[:, :1] + t * (tg[:, :1] - r[:, :1])
            y = r[:, 1:2] + t * (tg[:, 1:2] - r[:, 1:2])
            terrain = self.elevation_m_at(x, y, strict=strict)
            ray = ray_height_m(r[:, 2:3], tg[:, 2:3], g[:, None], t * g[:, None], k_factor)
            visible[sl] = ~(terrain > ray).any(axis=1)
        return visible.reshape(shape[:-1])

    def masking_angle_rad(
        self,
        radar_xyz,
        azimuths_rad,
        max_range_m: float,
        n_range: int = 500,
        k_factor: float = DEFAULT_K_FACTOR,
        samples_per_bin: int | None = None,
        strict: bool = False,
    ) -> np.ndarray:
        """Terrain masking elevation angle on an azimuth x ground-range grid.

        Returns M of shape (n_az, n_range): M[i, j] is the largest elevation angle (seen
        from the radar over the k Re earth) of the terrain at ground ranges 0 < s < r_j on
        azimuth i, with r_j = range_bins_m(max_range_m, n_range)[j]. A target at azimuth i,
        ground range r_j and elevation angle el is masked iff el < M[i, j] (radial
        viewshed; Skolnik 3rd ed. 8.4); :func:`coverage_mask` applies this to altitudes.
        Terrain is sampled ``samples_per_bin`` times per range step (default: about one
        per DEM pixel, capped at MAX_SAMPLES_PER_BIN). Azimuths are clockwise from north.
        """
        radar_xyz = np.asarray(radar_xyz, float)
        az = np.atleast_1d(np.asarray(azimuths_rad, float))
        step = range_bins_m(max_range_m, n_range)[0]
        if samples_per_bin is None:
            samples_per_bin = int(np.ceil(step / self.resolution_m - 0.05))
            samples_per_bin = int(np.clip(samples_per_bin, 1, MAX_SAMPLES_PER_BIN))
        m = int(samples_per_bin)
        # Fine samples s_k = k step / m, k = 0 .. n_range m - 1; bin j holds s in [j, j+1) step.
        s = np.arange(n_range * m) * (step / m)
        x = radar_xyz[0] + np.sin(az)[:, None] * s
        y = radar_xyz[1] + np.cos(az)[:, None] * s
        terrain = self.elevation_m_at(x, y, strict=strict)
        angle = elevation_angle_rad(radar_xyz[2], s, terrain, k_factor)
        angle[:, 0] = -np.pi / 2.0  # the radar's own site does not mask
        per_bin = angle.reshape(len(az), n_range, m).max(axis=2)
        return np.maximum.accumulate(per_bin, axis=1)

    # --- helpers -----------------------------------------------------------------------------

    def _geodetic_bounds(self) -> tuple[float, float, float, float]:
        """(south, west, north, east) of the DEM extent in degrees."""
        n_rows, n_cols = self.elevation_m.shape
        cols = np.array([0.0, n_cols, 0.0, n_cols])
        rows = np.array([0.0, 0.0, n_rows, n_rows])
        a, b, c, d, e, f = tuple(self.transform)[:6]
        ex, ey = a * cols + b * rows + c, d * cols + e * rows + f
        if self._from_dem is None:
            lon, lat = ex, ey
        else:
            left, right = float(ex.min()), float(ex.max())
            bottom, top = float(ey.min()), float(ey.max())
            w, s_, e_, n_ = self._from_dem.transform_bounds(left, bottom, right, top, 21)
            return s_, w, n_, e_
        return float(lat.min()), float(lon.min()), float(lat.max()), float(lon.max())

    def _resolution_m(self) -> float:
        """Smaller pixel side (m, in the map frame) at the DEM centre."""
        n_rows, n_cols = self.elevation_m.shape
        cols = np.array([n_cols / 2, n_cols / 2 + 1, n_cols / 2])
        rows = np.array([n_rows / 2, n_rows / 2, n_rows / 2 + 1])
        a, b, c, d, e, f = tuple(self.transform)[:6]
        ex, ey = a * cols + b * rows + c, d * cols + e * rows + f
        lon, lat = (ex, ey) if self._from_dem is None else self._from_dem.transform(ex, ey)
        x, y = self.frame.to_map(lat, lon)
        sides = np.hypot(x[1:] - x[0], y[1:] - y[0])
        return float(max(sides.min(), 1e-3))


def write_synthetic_dem(
    path,
    lat0: float,
    lon0: float,
    size_km: float,
    resolution_m: float,
    elevation_fn: Callable[[np.ndarray, np.ndarray], np.ndarray],
    nodata: float | None = None,
) -> Path:
    """Write a square EPSG:4326 GeoTIFF centred on (lat0, lon0) for tests and examples.

    The grid has about ``size_km * 1000 / resolution_m`` pixels a side, each about
    ``resolution_m`` across at the centre. ``elevation_fn(x_m, y_m)`` gives the elevation
    at pixel centres, with x east and y north in the MapFrame about (lat0, lon0), so a
    scenario using that frame sees the function in its own map coordinates. Returns the path.
    """
    path = Path(path)
    frame = MapFrame(lat0, lon0)
    n = max(1, round(size_km * 1000.0 / resolution_m))
    lat_n, _ = frame.to_geodetic(0.0, resolution_m)
    _, lon_e = frame.to_geodetic(resolution_m, 0.0)
    dlat, dlon = float(lat_n) - lat0, float(lon_e) - lon0
    west, north = lon0 - n / 2 * dlon, lat0 + n / 2 * dlat
    with warnings.catch_warnings():  # rasterio 1.4 + affine 2.4 warn inside from_origin
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        transform = from_origin(west, north, dlon, dlat)
    centres = np.arange(n) + 0.5
    lon = west + centres * dlon
    lat = north - centres * dlat
    lon_grid, lat_grid = np.meshgrid(lon, lat)
    x, y = frame.to_map(lat_grid, lon_grid)
    z = np.broadcast_to(np.asarray(elevation_fn(x, y), dtype=np.float32), (n, n))
    profile = {
        "driver": "GTiff",
        "height": n,
        "width": n,
        "count": 1,
        "dtype": "float32",
        "crs": "EPSG:4326",
        "transform": transform,
        "nodata": nodata,
        "tiled": n >= 256,
        "compress": "deflate",
    }
    if n >= 256:
        profile.update(blockxsize=256, blockysize=256)
    with rasterio.open(path, "w", **profile) as ds:
        ds.write(z, 1)
    return path
