"""The part of the engine's world that the exposure analysis needs: the scenario's radars
(calibrated exactly as the engine builds them), terrain, jamming/clutter and the map frame.

It reuses :mod:`iadsim.sim.world`'s builders, without the threat truth and the missile
envelopes (seconds of flyout that the analysis never reads).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from iadsim.geo import MapFrame


@dataclass
class SensorWorld:
    scenario: object
    frame: MapFrame
    radars: object  # iadsim.radar.sensor.RadarSet
    terrain: object | None
    environment: object | None


@dataclass
class _Facing:
    """Stand-in for the threat truth that :func:`iadsim.sim.world._build_radars` reads to
    face sector radars: the radars face the flights' mean start point."""

    pos: np.ndarray  # (n, 1, 3)

    def __len__(self) -> int:
        return len(self.pos)


@dataclass
class _MissileNames:
    name: list


def sensor_world(scenario, catalog, scenario_dir: Path | None = None, dem=None) -> SensorWorld:
    """Radars, terrain and environment of ``scenario`` in its map frame."""
    from iadsim.sim import world as sim_world

    first = scenario.defended_assets[0]
    frame = MapFrame(first.lat_deg, first.lon_deg)
    names = sorted({m for u in scenario.fire_units for m in catalog.systems[u.system].missiles})
    units, _, _ = sim_world._build_units(scenario, catalog, frame, _MissileNames(names))
    terrain = sim_world.load_terrain(scenario, scenario_dir, frame, dem)
    starts = [f.route[0] for f in scenario.flights]
    x, y = frame.to_map([w.lat_deg for w in starts], [w.lon_deg for w in starts])
    pos = np.stack([np.atleast_1d(x), np.atleast_1d(y), [w.alt_m for w in starts]], -1)
    radars = sim_world._build_radars(scenario, catalog, frame, units, _Facing(pos[:, None, :]),
                                     terrain)  # fmt: skip
    return SensorWorld(scenario, frame, radars, terrain,
                       sim_world.radar_environment(scenario, frame, radars))  # fmt: skip
