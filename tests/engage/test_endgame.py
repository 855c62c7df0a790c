"""End-game Monte Carlo: manoeuvre and geometry change the per-shot kill probability.

Zarchan (*Tactical and Strategic Missile Guidance*, 6th ed., ch. 4 and 6): a weaving target
drives a lagged PN loop to a miss of the order of n_T T^2 (several metres for a 5 g weave
and T = 0.3 s) where a straight one leaves only the noise-driven miss; a crossing shot
arrives later and slower, with less lift to answer the weave. Same key (common random
numbers) in every case.
"""

import numpy as np
import pytest

from iadsim.catalog import load_catalog
from iadsim.engage.airframe import from_catalog
from iadsim.engage.endgame import fly_end_game
from iadsim.sim.world import missile_envelope

SHOTS = 60


def _pk(name, **kw):
    cat = load_catalog()
    missile = cat.missiles[name]
    air = from_catalog({name: missile})
    return fly_end_game(air, 0, missile_envelope(missile), missile.lethal_radius_m.value,
                        missile.pk.value, missile.warhead == "hit_to_kill", shots=SHOTS,
                        key=20261203, **kw)  # fmt: skip


@pytest.mark.parametrize("name", ["48N6E3", "PAC-3-MSE"])
def test_weave_and_crossing_lower_the_kill_probability(name):
    straight = _pk(name)
    weave = _pk(name, weave_g=5.0)
    crossing = _pk(name, geometry="crossing", weave_g=5.0)
    assert np.isfinite(straight.miss_m).all()
    # The straight target's miss is noise-driven: small against the lethal radius.
    assert np.median(straight.miss_m) < np.median(weave.miss_m)
    assert weave.mean_pk < straight.mean_pk
    assert crossing.mean_pk < weave.mean_pk
