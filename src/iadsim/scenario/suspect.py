"""Warnings for scenarios that are valid but probably not what the author meant.

These are not errors (a study may mean a threat that never launches), so the CLI prints
each once on stderr and carries on.
"""

from __future__ import annotations

import math

from pyproj import Geod

from iadsim.catalog import CatalogFile
from iadsim.scenario.schema import Scenario

_GEOD = Geod(ellps="WGS84")
# Apogee of a ballistic arc over ground range R, flat earth and no drag:
# h = R tan(theta) / 4 for launch elevation theta (Zipfel, *Modeling and Simulation of
# Aerospace Vehicle Dynamics*, 2nd ed., sec. 8.1; any textbook projectile range formula
# R = v^2 sin(2 theta) / g with h = v^2 sin^2(theta) / (2 g)). The minimum-energy arc
# (theta = 45 deg) gives h = R/4; depressed arcs of real quasi-ballistic missiles reach
# R/10 (Iskander: ~50 km apogee over 500 km) and lofted tests ~2.5 R (Hwasong-15, 2017:
# 4,475 km apogee over 950 km, theta ~87 deg). Outside theta in [5.7, 88] deg: implausible.
_LOW_THETA_DEG = math.degrees(math.atan(0.4))  # h = R/10
_HIGH_THETA_DEG = 88.0


def apogee_bounds_m(ground_range_m: float) -> tuple[float, float]:
    """Plausible apogee range (m) for a ballistic flight over ``ground_range_m``."""
    low = ground_range_m * math.tan(math.radians(_LOW_THETA_DEG)) / 4.0
    high = ground_range_m * math.tan(math.radians(_HIGH_THETA_DEG)) / 4.0
    return low, high


def suspect_warnings(scenario: Scenario, catalog: CatalogFile, file: str) -> list[str]:
    """One line per suspect setting: ``file: field: what is odd``."""
    out: list[str] = []
    end = scenario.duration_s
    for i, group in enumerate(scenario.threats):
        where = f"{file}: threats[{i}]"
        last = group.launch_time_s + (group.count - 1) * group.spacing_s
        if group.launch_time_s >= end:
            out.append(
                f"{where}.launch_time_s: {group.launch_time_s:g} s is at or after the end of "
                f"the run (duration_s {end:g} s); the {group.count} threat(s) of "
                f"{group.name!r} never fly"
            )
        elif last >= end:
            late = sum(
                1 for k in range(group.count) if group.launch_time_s + k * group.spacing_s >= end
            )
            out.append(
                f"{where}.spacing_s: {late} of {group.count} threats of {group.name!r} launch "
                f"at or after the end of the run (duration_s {end:g} s)"
            )
        if group.apogee_m is not None and group.launch is not None and group.aim is not None:
            _, _, dist = _GEOD.inv(
                group.launch.lon_deg, group.launch.lat_deg, group.aim.lon_deg, group.aim.lat_deg
            )
            low, high = apogee_bounds_m(dist)
            if not low <= group.apogee_m <= high:
                threat = catalog.threats.get(group.type)
                typical = (
                    f"; the catalog's {group.type} apogee is "
                    f"{threat.cruise_altitude_m.value / 1e3:g} km"
                    if threat is not None and threat.threat_class == "ballistic_missile"
                    else ""
                )
                out.append(
                    f"{where}.apogee_m: {group.apogee_m:g} m is implausible for a "
                    f"{dist / 1e3:.0f} km ballistic flight (expected "
                    f"{low / 1e3:.0f}-{high / 1e3:.0f} km: launch elevation "
                    f"{_LOW_THETA_DEG:.0f}-{_HIGH_THETA_DEG:.0f} deg){typical}"
                )
    return out
