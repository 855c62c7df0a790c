"""Doctrine: shoot-look-shoot against salvo fire, assignment methods, bad doctrine input."""

import copy

import pytest
from typer.testing import CliRunner

from iadsim.catalog import load_catalog
from iadsim.cli import app
from iadsim.report.summary import summarize
from iadsim.scenario import load_scenario
from iadsim.scenario.schema import Scenario
from iadsim.sim.engine import run
from iadsim.sim.world import build_world

runner = CliRunner()
EXAMPLE = "examples/city_defense_patriot.yaml"


def _summary(mutate) -> dict:
    catalog = load_catalog()
    base = load_scenario(EXAMPLE, catalog).model_dump()
    mutate(base)
    world = build_world(Scenario.model_validate(base), catalog)
    return summarize(run(world, seed=11), EXAMPLE)


def _fired(summary) -> int:
    return sum(summary["interceptors_fired"].values())


def test_shoot_look_shoot_fires_fewer_missiles_than_salvo_fire():
    # Against the six ballistic missiles alone, so magazines and channels do not saturate:
    # looking before a second shot saves missiles and may let one through.
    def sls(d):
        d["threats"] = [t for t in d["threats"] if t["name"] == "srbm"]
        d["doctrine"] = {"mode": "shoot-look-shoot", "salvo_size": 1}

    def salvo(d):
        d["threats"] = [t for t in d["threats"] if t["name"] == "srbm"]
        d["doctrine"] = {"mode": "shoot-shoot", "salvo_size": 2}

    look = _summary(sls)
    volley = _summary(salvo)
    assert _fired(look) < _fired(volley)
    assert look["killed"] / _fired(look) > volley["killed"] / _fired(volley)


def test_greedy_and_optimal_assignment_both_run():
    def greedy(d):
        d["doctrine"] = {"assignment": "greedy"}

    s = _summary(greedy)
    assert s["killed"] > 0 and s["cost_exchange"] > 0


def test_hold_fire_below_value_spares_unthreatening_tracks():
    def hold(d):
        d["doctrine"] = {"hold_fire_below_value": 1e9}

    assert _fired(_summary(hold)) == 0


@pytest.mark.parametrize(
    "doctrine, field",
    [
        ({"by_class": {"hovercraft": {"salvo_size": 2}}}, "doctrine.by_class.hovercraft"),
        ({"salvo_size": -1}, "doctrine.salvo_size"),
        ({"mode": "spray-and-pray"}, "doctrine.mode"),
        ({"assignment": "random"}, "doctrine.assignment"),
        ({"kill_assessment_delay_s": -2}, "doctrine.kill_assessment_delay_s"),
    ],
)
def test_bad_doctrine_is_rejected(doctrine, field, minimal_scenario, write_scenario, tmp_path):
    data = copy.deepcopy(minimal_scenario)
    data["doctrine"] = doctrine
    path = write_scenario(data)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert field in result.stderr and str(path) in result.stderr
