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


def test_flight_ends_agree_with_the_event_log_and_give_no_energy():
    """Interceptors.end (what leak_causes reads) says what the event log says of each
    missile's end, in a city raid where some missiles run out of energy."""
    import numpy as np

    from iadsim.engage.flyout import FlightEnd
    from iadsim.scenario import load_scenario
    from iadsim.sim.engine import run_batch

    catalog = load_catalog()
    scenario = load_scenario("examples/city_defense_patriot.yaml", catalog)
    world = build_world(scenario, catalog)
    [result] = run_batch(world, [np.random.SeedSequence(5, spawn_key=(0,))],
                         record_detections=False, record_paths=False)  # fmt: skip
    cols = result.events._cols
    last = {}
    for kind, who, detail in zip(cols["kind"], cols["entity_id"], cols["detail"], strict=True):
        if kind in ("intercept", "miss"):
            last[who] = detail
    expected = {"missile out of energy": FlightEnd.OUT_OF_ENERGY,
                "flight time exceeded": FlightEnd.OUT_OF_TIME,
                "target destroyed": FlightEnd.TARGET_GONE,
                "target reached its aim point": FlightEnd.TARGET_GONE,
                "false track": FlightEnd.FALSE_TRACK,
                "target survived": FlightEnd.CLOSEST_APPROACH}  # fmt: skip
    for name, end in zip(result.interceptor_names, result.interceptors.end, strict=True):
        detail = last.get(name)
        if detail is None:
            assert end == FlightEnd.FLYING, name
        elif detail.startswith("miss_m="):  # the kill event follows its intercept
            assert end == FlightEnd.CLOSEST_APPROACH, (name, detail)
        else:
            assert end == expected[detail], (name, detail)
    # The check covers more than one kind of end (a run of only kills would prove little).
    assert len(set(result.interceptors.end[result.interceptors.end != FlightEnd.FLYING])) >= 2
