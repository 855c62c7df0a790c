"""Air density and speed of sound for the flyout: the ICAO standard atmosphere, tabulated.

Density and speed of sound come from :mod:`ambiance` (ICAO Standard Atmosphere 1993,
identical to the US Standard Atmosphere 1976 below 32 km), sampled every 100 m up to 81 km;
density is interpolated in log density, so the hot flyout loop costs one ``numpy.interp``
per quantity per step. Above 81 km the density decays with the 81 km scale height and the
speed of sound is held; below 0 m both are held at sea level.
"""

from __future__ import annotations

import numpy as np
from ambiance import Atmosphere

_TOP_M = 81_000.0
_GRID_M = np.arange(0.0, _TOP_M + 1.0, 100.0)
_LOG_RHO = np.log(Atmosphere(_GRID_M).density)
_SOUND_MPS = np.asarray(Atmosphere(_GRID_M).speed_of_sound, float)
_SCALE_TOP_M = 100.0 / (_LOG_RHO[-2] - _LOG_RHO[-1])


def density_kg_m3(altitude_m) -> np.ndarray:
    """ISA air density (kg/m^3) at geometric altitude(s) (m)."""
    h = np.asarray(altitude_m, float)
    inside = np.interp(np.clip(h, 0.0, _TOP_M), _GRID_M, _LOG_RHO)
    above = _LOG_RHO[-1] - (h - _TOP_M) / _SCALE_TOP_M
    return np.exp(np.where(h > _TOP_M, above, inside))


def speed_of_sound_mps(altitude_m) -> np.ndarray:
    """ISA speed of sound (m/s) at geometric altitude(s) (m)."""
    return np.interp(np.clip(np.asarray(altitude_m, float), 0.0, _TOP_M), _GRID_M, _SOUND_MPS)
