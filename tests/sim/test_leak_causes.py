"""Leak causes: the first failed link of the chain, on scenarios whose cause is known."""

import pytest

from iadsim.catalog import load_catalog
from iadsim.report.leak_causes import CAUSES
from iadsim.report.summary import summarize
from iadsim.scenario.schema import Scenario
from iadsim.sim.engine import run
from iadsim.sim.world import build_world


def _summary(threat_from_behind: dict, unit_update: dict) -> dict:
    threat_from_behind["fire_units"][0] |= unit_update
    world = build_world(Scenario.model_validate(threat_from_behind), load_catalog())
    return summarize(run(world, seed=2), "test")


@pytest.mark.parametrize(
    ("unit_update", "cause"),
    [
        # Patriot's only radar faces north: nothing ever tracks the F-16.
        ({"system": "Patriot"}, "no_track"),
        # The S-400 tracks it, turns its face and sees it, but has no rounds to fire.
        ({"loadout": {"48N6E3": 0, "40N6E": 0, "9M96E2": 0}}, "no_channel"),
    ],
)
def test_known_leak_causes(unit_update, cause, threat_from_behind):
    # the F-16 flies at the site from the south-south-east; the battalion faces north
    summary = _summary(threat_from_behind, unit_update)
    assert summary["leaked"] == 1
    assert summary["leak_cause_by_threat"] == {"behind-1": cause}
    assert summary["leak_causes"] == {c: int(c == cause) for c in CAUSES}


def test_every_leak_has_one_cause_in_the_city_example():
    from iadsim.scenario import load_scenario

    catalog = load_catalog()
    scenario = load_scenario("examples/city_defense_s400.yaml", catalog)
    summary = summarize(run(build_world(scenario, catalog), seed=7), "x")
    assert sum(summary["leak_causes"].values()) == summary["leaked"]
    assert set(summary["leak_cause_by_threat"].values()) <= set(CAUSES)
