"""Every trajectory kind builds from a scenario into the engine's threat truth."""

import numpy as np
import pytest

from iadsim.catalog import load_catalog
from iadsim.scenario import load_scenario
from iadsim.sim.world import build_world
from iadsim.truth.kinds import KINDS

LOITER = {
    "name": "drone", "type": "TB2", "trajectory": "loiter", "loiter_s": 300.0,
    "route": [{"lat_deg": 41.3, "lon_deg": 29.0, "alt_m": 3000.0},
              {"lat_deg": 41.2, "lon_deg": 29.0, "alt_m": 3000.0}],
    "aim": {"lat_deg": 41.0, "lon_deg": 29.0},
}  # fmt: skip
TF = {
    "name": "cm", "type": "Kalibr-3M14", "count": 2, "spacing_s": 10.0,
    "trajectory": "terrain_following", "height_agl_m": 30.0,
    "route": [{"lat_deg": 41.5, "lon_deg": 29.0, "alt_m": 100.0},
              {"lat_deg": 41.0, "lon_deg": 29.0, "alt_m": 100.0}],
}  # fmt: skip
BALLISTIC = {
    "name": "srbm", "type": "Iskander-M",
    "launch": {"lat_deg": 43.55, "lon_deg": 30.30}, "aim": {"lat_deg": 41.01, "lon_deg": 28.98},
    "apogee_m": 50_000.0,
}  # fmt: skip


@pytest.mark.parametrize("group", [LOITER, TF, BALLISTIC], ids=["loiter", "tf", "ballistic"])
def test_kind_builds_into_threat_truth(group, minimal_scenario, write_scenario):
    minimal_scenario["duration_s"] = 2000.0
    minimal_scenario["threats"] = [group]
    catalog = load_catalog()
    scenario = load_scenario(write_scenario(minimal_scenario), catalog)
    world = build_world(scenario, catalog)
    th = world.threats
    n = group.get("count", 1)
    assert th.pos.shape == (n, len(world.times), 3) and th.vel.shape == th.pos.shape
    assert np.all(np.isfinite(th.pos)) and np.all(th.arrival_s > th.launch_s)
    # Each member ends at the aim / last waypoint, at ground level for the strikers.
    end = th.pos[:, -1]
    aim = group.get("aim", group.get("route", [{}])[-1])
    ax, ay = world.frame.to_map(aim["lat_deg"], aim["lon_deg"])
    np.testing.assert_allclose(end[:, :2], np.broadcast_to([ax, ay], (n, 2)), atol=5.0)
    if group is TF:
        np.testing.assert_allclose(th.pos[:, 1:-1, 2], 30.0)  # no DEM: above sea level
    if group is LOITER:
        # The orbit keeps the drone within one turn diameter of the loiter point for 300 s.
        assert th.arrival_s[0] > 300.0 + 22_000.0 / 36.5


def test_registry_names_every_scenario_kind():
    # The scenario accepts the built-in names (and installed plugins', tests/api).
    from iadsim.components import BUILTIN_NAMES

    assert set(BUILTIN_NAMES["trajectory"]) == set(KINDS)
