"""End-game Monte Carlo: manoeuvre and geometry change the per-shot kill probability.

Zarchan (*Tactical and Strategic Missile Guidance*, 6th ed., ch. 4 and 6): a weaving target
drives a lagged PN loop to a miss of the order of n_T T^2 (several metres for a 5 g weave
and T = 0.3 s) where a straight one leaves only the noise-driven miss; a crossing shot
turns harder onto a moving line of sight and ends with a larger miss. Same key (common random
numbers) in every case.
"""

from pathlib import Path

import numpy as np
import pytest

from iadsim.engage.endgame import catalog_end_game, end_game_table

DOCS = Path(__file__).resolve().parents[2] / "docs" / "models.md"


def _pk(name, **kw):
    return catalog_end_game(name, **kw)


@pytest.mark.parametrize("name", ["48N6E3", "PAC-3-MSE"])
def test_weave_and_crossing_lower_the_kill_probability(name):
    straight = _pk(name)
    weave = _pk(name, weave_g=5.0)
    crossing = _pk(name, geometry="crossing")
    assert np.isfinite(straight.miss_m).all()
    # The weave drives the lagged loop to a larger miss (order n_T T^2) than the noise alone.
    assert np.median(straight.miss_m) < np.median(weave.miss_m)
    assert weave.mean_pk < straight.mean_pk
    assert np.median(straight.miss_m) < np.median(crossing.miss_m)


def test_crossing_lowers_the_hit_to_kill_pk():
    # A body hit needs the miss inside 1.5 m: the crossing shot's larger miss loses it,
    # where a 20 m blast-fragmentation radius hardly notices a few metres more.
    assert _pk("PAC-3-MSE", geometry="crossing").mean_pk < _pk("PAC-3-MSE").mean_pk


def test_docs_end_game_table_is_rerun():
    assert end_game_table() in DOCS.read_text(), "rerun python -m iadsim.engage.endgame"
