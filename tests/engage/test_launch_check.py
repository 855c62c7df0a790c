"""Launch decisions agree with the flyout: a round launched in range at a target that keeps
its course reaches its closest approach.

The reference is independent of the envelope table the launch check reads: each launched
shot is flown whole with the engine's kernel (:func:`iadsim.engage.shots.fly_shots`),
midcourse uplink, loft, seeker homing and all, and the flown trajectory either ends at a
closest approach or runs out of energy or time.
"""

from types import SimpleNamespace

import numpy as np
import pytest

from iadsim.catalog import load_catalog
from iadsim.engage.airframe import from_catalog
from iadsim.engage.decide import feasible_types
from iadsim.engage.shots import fly_shots
from iadsim.sim.world import missile_envelope

LAUNCHER = np.zeros(3)


def _types(name, missile):
    speed = missile.max_target_speed_mps
    return SimpleNamespace(
        name=[name],
        envelopes=[missile_envelope(missile)],
        min_range_m=np.array([missile.min_range_km.value * 1e3]),
        min_alt_m=np.array([missile.min_altitude_m.value]),
        max_target_speed=np.array([speed.value if speed else np.inf]),
    )


def _level_grid(reach_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Level constant-velocity targets flying south past the launcher: start ranges out
    to 1.2 x the flown reach, altitudes 30 m - 28 km, speeds 250 - 1000 m/s (up to a
    Mach 3 ramjet cruise missile), passing abeam at 0, 0.2 and 0.5 of the start range
    (head-on to crossing)."""
    rows = []
    for frac in np.linspace(0.05, 1.2, 10):
        for alt in (30.0, 300.0, 2000.0, 6000.0, 12000.0, 20000.0, 28000.0):
            for speed in (250.0, 700.0, 1000.0):
                for offset in (0.0, 0.2, 0.5):
                    y = frac * reach_m + 20.0 * speed
                    rows.append((offset * frac * reach_m, y, alt, 0.0, -speed, 0.0))
    grid = np.array(rows)
    return grid[:, :3], grid[:, 3:]


@pytest.mark.parametrize("name", ["48N6E3", "9M96E2", "5V55R", "PAC-2-GEM-T", "PAC-3-MSE"])
def test_no_round_launched_in_range_runs_out_of_energy(name):
    missile = load_catalog().missiles[name]
    types = _types(name, missile)
    p0, v0 = _level_grid(types.envelopes[0].max_range_m)
    ok, t_int = feasible_types(LAUNCHER, p0, v0, types)
    ok, t_int = ok[:, 0], t_int[:, 0]
    assert ok.sum() >= 40  # the grid does reach into the envelope
    assert (~ok).sum() >= 40  # and out of it
    flown = fly_shots(from_catalog({name: missile}), 0, LAUNCHER, p0[ok], v0[ok], t_int[ok])
    spent = np.flatnonzero(flown.out_of_energy)
    assert len(spent) == 0, f"{name}: out of energy at {p0[ok][spent]} {v0[ok][spent]}"
    # And the shot reaches its target about when the launch check predicted.
    assert np.median(np.abs(flown.end_s - t_int[ok])) < 5.0
