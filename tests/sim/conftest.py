"""Shared scenarios of the engine tests."""

import copy

import pytest

# One S-400 battalion emplaced facing north; one F-16 comes from the south-south-east at
# 8 km altitude, seen steadily by the 360-degree 91N6E long before it reaches the site
# (about 1,100 s after launch: the run covers its arrival).
THREAT_FROM_BEHIND = {
    "name": "threat from behind",
    "seed": 2,
    "duration_s": 1300.0,
    "defended_assets": [{"name": "Site", "lat_deg": 39.9, "lon_deg": 32.8, "value": 10}],
    "fire_units": [{"name": "S400", "system": "S-400", "lat_deg": 39.9, "lon_deg": 32.8,
                    "sector_center_deg": 0.0}],
    "threats": [{"name": "behind", "type": "F-16-Block70", "count": 1,
                 "route": [{"lat_deg": 37.6, "lon_deg": 33.9, "alt_m": 8000.0},
                           {"lat_deg": 39.9, "lon_deg": 32.8, "alt_m": 8000.0}]}],
}  # fmt: skip


@pytest.fixture
def threat_from_behind() -> dict:
    """A fresh copy of THREAT_FROM_BEHIND, for a test to change."""
    return copy.deepcopy(THREAT_FROM_BEHIND)
