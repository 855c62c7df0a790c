"""Two-angle RCS tables: mean RCS per band over body-frame azimuth and elevation.

Body frame (aerospace convention, Stevens & Lewis, *Aircraft Control and Simulation*,
2nd ed., sec. 1.3): x forward through the nose, y out of the right wing, z down. The
aspect of a radar is the direction from the aircraft to the radar in that frame:

    azimuth   = atan2(d_y, d_x)      0 = nose, +90 deg = right beam, 180 = tail
    elevation = asin(-d_z)           +90 = radar straight above, -90 = straight below.

A table holds, per band, the mean RCS (dBsm) and the Swerling case on a regular grid of
cell centres (azimuth 0 ... 360 - step, elevation -90 ... +90). Between nodes the RCS is
interpolated bilinearly in dB (azimuth periodic): continuous, and without the overshoot
a higher-order interpolant would add next to a 30 dB specular spike. The Swerling case is
that of the nearest cell.

A table can be read from a CSV file (``band,az_deg,el_deg,rcs_dbsm[,swerling]``); it must
fill the grid, and a gap is a one-line error naming the file and the missing cell.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from iadsim.catalog.schema import BANDS
from iadsim.errors import ScenarioError


@dataclass(frozen=True)
class RcsTable:
    """Mean RCS per band over body-frame (azimuth, elevation) cells.

    dbsm, swerling: (len(bands), n_el, n_az); az_deg (n_az,) from 0 in equal steps;
    el_deg (n_el,) from -90 to +90 in equal steps. ``source`` says where it comes from
    and ``estimate`` whether it is one.
    """

    bands: tuple[str, ...]
    az_deg: np.ndarray
    el_deg: np.ndarray
    dbsm: np.ndarray
    swerling: np.ndarray
    source: str
    estimate: bool

    @property
    def step_az_deg(self) -> float:
        return float(self.az_deg[1] - self.az_deg[0])

    @property
    def step_el_deg(self) -> float:
        return float(self.el_deg[1] - self.el_deg[0])

    def band_row(self, band_idx) -> np.ndarray:
        """Row of this table for catalog band indices (into BANDS); Ka uses Ku."""
        lookup = np.array([self.bands.index(b) if b in self.bands else -1 for b in BANDS])
        rows = lookup[np.asarray(band_idx, int)]
        if np.any(rows < 0):
            raise ValueError(f"RCS table has no band for {np.asarray(BANDS)[rows < 0]}")
        return rows

    def rcs_dbsm(self, band_idx, az_rad, el_rad) -> np.ndarray:
        """Mean RCS (dBsm) at body aspects; arguments broadcast together."""
        band_idx, az_rad, el_rad = np.broadcast_arrays(band_idx, az_rad, el_rad)
        rows = self.band_row(band_idx)
        fa, fe = self._fractional_index(az_rad, el_rad)
        ia0 = np.floor(fa).astype(int)
        wa = fa - ia0
        ie0 = np.clip(np.floor(fe).astype(int), 0, len(self.el_deg) - 2)
        we = np.clip(fe - ie0, 0.0, 1.0)
        n_az = len(self.az_deg)
        ia0 %= n_az
        ia1 = (ia0 + 1) % n_az
        t = self.dbsm
        low = (1.0 - wa) * t[rows, ie0, ia0] + wa * t[rows, ie0, ia1]
        high = (1.0 - wa) * t[rows, ie0 + 1, ia0] + wa * t[rows, ie0 + 1, ia1]
        return (1.0 - we) * low + we * high

    def rcs_m2(self, band_idx, az_rad, el_rad) -> np.ndarray:
        """Mean RCS (m^2) at body aspects (see :meth:`rcs_dbsm`)."""
        return 10.0 ** (self.rcs_dbsm(band_idx, az_rad, el_rad) / 10.0)

    def swerling_at(self, band_idx, az_rad, el_rad) -> np.ndarray:
        """Swerling case of the nearest cell."""
        band_idx, az_rad, el_rad = np.broadcast_arrays(band_idx, az_rad, el_rad)
        fa, fe = self._fractional_index(az_rad, el_rad)
        ia = np.rint(fa).astype(int) % len(self.az_deg)
        ie = np.clip(np.rint(fe).astype(int), 0, len(self.el_deg) - 1)
        return self.swerling[self.band_row(band_idx), ie, ia]

    def _fractional_index(self, az_rad, el_rad):
        az = np.mod(np.rad2deg(np.asarray(az_rad, float)), 360.0)
        el = np.clip(np.rad2deg(np.asarray(el_rad, float)), -90.0, 90.0)
        return (az - self.az_deg[0]) / self.step_az_deg, (el - self.el_deg[0]) / self.step_el_deg


def table_grid(step_deg: float) -> tuple[np.ndarray, np.ndarray]:
    """Cell centres: azimuth 0 ... 360 - step, elevation -90 ... 90 (step must divide 90)."""
    n = 90.0 / step_deg
    if step_deg <= 0.0 or abs(n - round(n)) > 1e-9:
        raise ValueError(f"grid step {step_deg} deg must divide 90")
    n = int(round(n))
    return np.arange(4 * n) * step_deg, np.linspace(-90.0, 90.0, 2 * n + 1)


def load_rcs_table_csv(path: Path, field: str, default_swerling: int) -> RcsTable:
    """Read a CSV table ``band,az_deg,el_deg,rcs_dbsm[,swerling]`` that fills a regular
    grid (see module docstring). Every problem is a one-line :class:`ScenarioError` naming
    ``path`` and ``field`` (the scenario field that names the file)."""

    def fail(what: str) -> None:
        raise ScenarioError(f"{path}: {field}: {what}")

    if not path.is_file():
        fail("file not found")
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    need = {"band", "az_deg", "el_deg", "rcs_dbsm"}
    if not rows or not need <= set(rows[0]):
        fail(f"needs the columns {sorted(need)} (optional: swerling)")
    values: dict[tuple[str, float, float], tuple[float, int]] = {}
    for i, row in enumerate(rows, start=2):
        band = row["band"].strip()
        if band not in BANDS:
            fail(f"line {i}: band {band!r}; allowed: {list(BANDS)}")
        try:
            az, el, db = float(row["az_deg"]), float(row["el_deg"]), float(row["rcs_dbsm"])
            sw = int(row.get("swerling") or default_swerling)
        except ValueError:
            fail(f"line {i}: {dict(row)!r} is not numeric")
        if not (np.isfinite(db) and 0.0 <= az < 360.0 and -90.0 <= el <= 90.0):
            fail(f"line {i}: got az {az}, el {el}, rcs {db}; need finite rcs_dbsm, "
                 "0 <= az_deg < 360, -90 <= el_deg <= 90")  # fmt: skip
        if sw not in (0, 1, 2, 3, 4):
            fail(f"line {i}: swerling {sw}; allowed 0-4")
        values[(band, round(az, 6), round(el, 6))] = (db, sw)
    az_all = sorted({k[1] for k in values})
    step = az_all[1] - az_all[0] if len(az_all) > 1 else 0.0
    try:
        az_grid, el_grid = table_grid(step)
    except ValueError:
        fail(f"azimuths {az_all[:4]}... must step evenly by a divisor of 90 deg from 0")
    bands = tuple(b for b in BANDS if any(k[0] == b for k in values))
    dbsm = np.empty((len(bands), len(el_grid), len(az_grid)))
    swerling = np.empty(dbsm.shape, np.int8)
    for b, band in enumerate(bands):
        for e, el in enumerate(el_grid):
            for a, az in enumerate(az_grid):
                cell = values.get((band, round(az, 6), round(el, 6)))
                if cell is None:
                    fail(f"gap at band {band}, az_deg {az:g}, el_deg {el:g}: the table must fill "
                         f"the {step:g} deg grid (az 0..{360 - step:g}, el -90..90) of every band "
                         "it gives")  # fmt: skip
                dbsm[b, e, a], swerling[b, e, a] = cell
    return RcsTable(bands, az_grid, el_grid, dbsm, swerling, str(path), estimate=True)
