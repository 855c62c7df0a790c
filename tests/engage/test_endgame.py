"""End-game Monte Carlo: manoeuvre and geometry change the per-shot kill probability.

Zarchan (*Tactical and Strategic Missile Guidance*, 6th ed., ch. 4 and 6): a weaving target
drives a lagged PN loop to a miss of the order of n_T T^2 (metres for a 9 g weave
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


WEAVE = {"weave_g": 9.0, "weave_period_s": 2.0}


@pytest.mark.parametrize("name", ["48N6E3", "PAC-3-MSE"])
def test_weave_raises_the_miss(name):
    straight, weave = _pk(name), _pk(name, **WEAVE)
    assert np.isfinite(straight.miss_m).all()
    # The lagged loop answers the weave late: a larger miss than the noise alone leaves.
    assert np.median(straight.miss_m) < np.median(weave.miss_m)


def test_blast_fragmentation_pk_falls_for_weave():
    # (Crossing at 20 km, the 48N6E3's noise-driven miss is no larger than head-on: its
    # glint dominates and does not depend on the geometry; the crossing penalty shows in the
    # hit-to-kill round below and in the envelope.)
    straight = _pk("48N6E3")
    assert _pk("48N6E3", **WEAVE).mean_pk < straight.mean_pk


def test_hit_to_kill_loses_the_crossing_weaver():
    # A body hit needs the miss inside 1.5 m: the weaving target crossing the line of sight
    # pushes the PAC-3 MSE's miss past it, head-on it stays inside.
    head_on = _pk("PAC-3-MSE", **WEAVE)
    crossing = _pk("PAC-3-MSE", geometry="crossing", **WEAVE)
    assert crossing.mean_pk < head_on.mean_pk


def test_docs_end_game_table_is_rerun():
    assert end_game_table() in DOCS.read_text(), "rerun python -m iadsim.engage.endgame"
