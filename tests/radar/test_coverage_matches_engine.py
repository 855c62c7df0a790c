"""Coverage and the engine's scans see a target flying straight in the same way."""

import numpy as np
import pytest

from iadsim.catalog import load_catalog
from iadsim.geo.earth import radar_geometry
from iadsim.radar import sensor
from iadsim.radar.coverage import compute_coverage
from iadsim.scenario.schema import Scenario
from iadsim.sim.world import build_world

K = 4.0 / 3.0
SCENARIO = {
    "name": "coverage vs engine",
    "duration_s": 2000.0,
    "defended_assets": [{"name": "Site", "lat_deg": 41.2, "lon_deg": 29.0}],
    "fire_units": [{"name": "S", "system": "S-400", "lat_deg": 41.2, "lon_deg": 29.0,
                    "mast_height_m": 25.0}],
    "threats": [{"name": "f", "type": "F-35A",
                 "route": [{"lat_deg": 42.8, "lon_deg": 29.0, "alt_m": 10000.0},
                           {"lat_deg": 41.6, "lon_deg": 29.0, "alt_m": 10000.0}]}],
}  # fmt: skip


@pytest.fixture(scope="module")
def world():
    return build_world(Scenario.model_validate(SCENARIO), load_catalog())


def test_range_rate_is_the_time_derivative_of_the_measured_slant_range():
    # Independent check: a central finite difference of radar_geometry's slant range along
    # the target's straight-line motion in the map frame.
    radar = np.array([0.0, 0.0, 25.0])
    pos = np.array([[3e3, 120e3, 10e3], [-50e3, 20e3, 300.0], [10e3, 250e3, 15e3]])
    vel = np.array([[0.0, -270.0, 0.0], [120.0, 200.0, -30.0], [-250.0, -80.0, 40.0]])
    dt = 1e-3
    ahead = radar_geometry(radar, pos + vel * dt, K)["range_m"]
    behind = radar_geometry(radar, pos - vel * dt, K)["range_m"]
    expected = (ahead - behind) / (2 * dt)
    got = sensor.range_rate_mps(radar, pos, vel, K)
    assert got == pytest.approx(expected, abs=1e-4)


def test_coverage_pd_half_range_is_where_the_engine_scan_reaches_pd_half(world):
    # The F-35A flies nose-on at 10 km towards the 91N6E. The engine's scan (aspect from
    # its velocity, Doppler of its range rate) crosses Pd 0.5 where `iadsim coverage`
    # puts the nose-aspect Pd 0.5 range at 10 km (ground-range grid 250 m).
    radars, th = world.radars, world.threats
    r = next(i for i, n in enumerate(radars.name) if n.endswith("91N6E"))
    cov = compute_coverage(world, load_catalog(), ["F-35A"], ["nose"], [10_000.0],
                           pds=(0.5,), n_azimuths=4)[(r, "F-35A", "nose", 0.5)]  # fmt: skip
    predicted_m = float(cov.range_m[0, 0])  # due north
    ks = np.arange(len(world.times))
    flying = (th.launch_s[0] <= world.times) & (world.times < th.arrival_s[0])
    ks = ks[flying]
    pos, vel = th.pos[0, ks], th.vel[0, ks]
    looks = sensor.scan_looks(radars, np.array([r]), pos, vel,
                              np.repeat(th.rcs_dbsm[:1], len(ks), 0),
                              np.repeat(th.swerling[:1], len(ks)), K)  # fmt: skip
    ground = radar_geometry(radars.xyz[r], pos, K)["ground_m"]
    outer = ground[looks.pd[0] >= 0.5].max()
    assert 60e3 < predicted_m < 140e3
    assert outer == pytest.approx(predicted_m, abs=1.0e3)
