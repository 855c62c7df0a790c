"""Fighters that fly a mission and react to a launch at them (issue 12), on the shipped
example examples/fighter_mission.yaml, seed 7: the same raid turning away vs holding
course."""

from pathlib import Path

import numpy as np
import pytest

from iadsim.catalog.loader import load_catalog
from iadsim.scenario.loader import load_scenario
from iadsim.sim.engine import run
from iadsim.sim.world import build_world
from iadsim.truth.evasion import TURN_AWAY, evasion_track

EXAMPLE = Path(__file__).parents[2] / "examples" / "fighter_mission.yaml"


def _run(reaction):
    s = load_scenario(EXAMPLE)
    groups = [g.model_copy(update={"reaction": reaction}) for g in s.threats]
    world = build_world(s.model_copy(update={"threats": groups}), load_catalog())
    result = run(world, s.seed)
    return world, result, result.events.to_table(world.frame).to_pylist()


@pytest.fixture(scope="module")
def both():
    return _run("turn_away"), _run("none")


def _of(events, kind):
    return [e for e in events if e["kind"] == kind]


def test_a_warned_fighter_turns_away_and_aborts_its_release(both):
    (world, result, events), _ = both
    th = world.threats
    evades = _of(events, "evade")
    assert evades, "the battery launched at no fighter"
    launches = {e["entity_id"]: e["time_s"] for e in _of(events, "launch")}
    released = {e["entity_id"] for e in _of(events, "release")}
    for e in evades:  # the turn starts the catalog's reaction delay after the launch
        i = th.ids.index(e["entity_id"])
        assert e["time_s"] == pytest.approx(launches[e["other_id"]] + th.reaction_delay_s[i])
        if e["time_s"] < th.release_s[i]:
            assert e["entity_id"] not in released  # mission aborted: no weapon
    # The evading truth is the closed-form reaction (truth/evasion.py) from its start.
    i = th.ids.index(evades[0]["entity_id"])
    ks = int(round(evades[0]["time_s"] / world.scenario.time_step_s))
    v = th.vel[i, ks]
    pos, _, _ = evasion_track(th.pos[i, ks], np.arctan2(v[1], v[0]),
                              world.radars.xyz[world.units.fc_radar[0], :2], TURN_AWAY,
                              th.speed_mps[i], th.max_accel_g[i], th.evade_hold_s[i],
                              th.home_xyz[i], np.array([30.0]))  # fmt: skip
    leak = [e for e in _of(events, "leak") if e["entity_id"] == th.ids[i]]
    assert leak, "the evading fighter should get home"
    assert pos[0, 2] == pytest.approx(th.pos[i, ks, 2])  # a level turn


def test_turning_away_survives_the_long_range_shot_more_often(both):
    (world, turned, _), (_, held, held_events) = both
    fighters = np.array([c == "aircraft" for c in world.threats.threat_class])
    assert turned.killed[fighters].sum() < held.killed[fighters].sum()
    assert _of(held_events, "evade") == []
