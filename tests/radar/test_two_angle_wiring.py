"""The sensor and coverage read the two-angle RCS tables when asked, at the body aspect."""

import numpy as np
import pytest

from iadsim.catalog import BANDS, load_catalog
from iadsim.radar.coverage import detection_coverage
from iadsim.radar.rcs import velocity_body_aspect_rad
from iadsim.radar.sensor import pair_snr_db, snr_db_at
from iadsim.radar.signature import threat_table
from iadsim.scenario.schema import Scenario
from iadsim.sim.world import build_world

SCENARIO = {
    "name": "wiring",
    "duration_s": 60.0,
    "defended_assets": [{"name": "Site", "lat_deg": 41.0, "lon_deg": 29.0}],
    "fire_units": [{"name": "S", "system": "S-400", "lat_deg": 41.0, "lon_deg": 29.0}],
    "threats": [{"name": "f", "type": "F-35A",
                 "route": [{"lat_deg": 42.0, "lon_deg": 29.0, "alt_m": 9000.0},
                           {"lat_deg": 41.1, "lon_deg": 29.0, "alt_m": 9000.0}]}],
}  # fmt: skip


@pytest.fixture(scope="module")
def setup():
    catalog = load_catalog()
    world = build_world(Scenario.model_validate(SCENARIO), catalog)
    return catalog, world


def test_velocity_aspect_of_level_flight():
    # Heading north, radar dead ahead at the same height: the nose (0, 0); radar to the
    # east and below by 45 deg: right beam, el -45.
    az, el = velocity_body_aspect_rad(np.array([0.0, 250.0, 0.0]), np.array([0.0, 1e5, 0.0]))
    assert az == pytest.approx(0.0, abs=1e-12) and el == pytest.approx(0.0, abs=1e-12)
    az, el = velocity_body_aspect_rad(np.array([0.0, 250.0, 0.0]), np.array([1.0, 0.0, -1.0]))
    assert np.rad2deg(az) == pytest.approx(90.0) and np.rad2deg(el) == pytest.approx(-45.0)


def test_sensor_snr_uses_the_table_at_the_body_aspect(setup):
    catalog, world = setup
    radars = world.radars
    table = threat_table(catalog, "F-35A")
    idx = np.array([0])
    # Target heading north at the radar's height, 100 km south of it: nose-on, el 0.
    target = np.array([[radars.xyz[0, 0], radars.xyz[0, 1] - 1e5, radars.xyz[0, 2]]])
    vel = np.array([[0.0, 270.0, 0.0]])
    from iadsim.geo.earth import radar_geometry

    geometry = radar_geometry(radars.xyz[idx, None, :], target[None], 4 / 3)
    coarse = world.threats.rcs_dbsm[:1]
    got = pair_snr_db(radars, idx, geometry, target, vel, coarse, 4 / 3, [table])
    band = radars.band_idx[0]
    node = table.dbsm[list(table.bands).index(BANDS[band]), 45, 0]  # el 0, az 0
    # Without tables the old nose/beam/tail model; the propagation, Doppler and range
    # terms are the same, so the SNRs differ by the RCS difference alone.
    old = pair_snr_db(radars, idx, geometry, target, vel, coarse, 4 / 3)
    nose = coarse[0, band, 0]
    assert got - old == pytest.approx(node - nose)
    free = snr_db_at(radars, idx, geometry, 10 ** (nose / 10), target[None, :, 2], 4 / 3)
    assert old <= free + 1e-9  # multipath beyond the horizon and the MTI only take away


def test_coverage_with_a_constant_table_equals_the_scalar_rcs(setup):
    _, world = setup
    sigma = 0.01
    az = np.deg2rad([0.0, 90.0])
    scalar = detection_coverage(world.radars, 0, sigma, 1, 0.5, [500.0, 9000.0], az, 4 / 3)
    table = detection_coverage(world.radars, 0, lambda el: np.full(np.shape(el), sigma), 1, 0.5,
                               [500.0, 9000.0], az, 4 / 3)  # fmt: skip
    assert np.array_equal(scalar.range_m, table.range_m)
    # More RCS seen from below (a table rising with depression) never shortens the reach.
    lifted = detection_coverage(world.radars, 0, lambda el: sigma * (1 + 100 * np.abs(el)), 1,
                                0.5, [500.0, 9000.0], az, 4 / 3)  # fmt: skip
    assert np.all(lifted.range_m >= scalar.range_m)
