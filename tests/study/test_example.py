"""examples/turkey_air_defense_choice.yaml: valid, and its alternatives are what it says."""

from pathlib import Path

from iadsim.catalog import load_catalog
from iadsim.scenario import Scenario, load_scenario
from iadsim.sim.world import build_world
from iadsim.study import expand_variants

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "turkey_air_defense_choice.yaml"


def test_turkey_example_variants():
    catalog = load_catalog()
    scenario = load_scenario(EXAMPLE, catalog)
    variants = expand_variants(scenario, catalog, str(EXAMPLE))
    names = [v.alternative for v in variants]
    assert names == ["baseline", "S-300PMU", "Patriot", "Patriot networked",
                     "S-400 x2 autonomous"]  # fmt: skip
    worlds = {v.alternative: build_world(Scenario.model_validate(v.scenario), catalog)
              for v in variants}  # fmt: skip
    assert worlds["baseline"].units.system == ["S-400"]
    assert worlds["S-300PMU"].units.system == ["S-300PMU"]
    # Networked Patriot: two batteries, one shared picture; autonomous S-400: two pictures.
    assert worlds["Patriot networked"].units.system == ["Patriot", "Patriot"]
    assert len(worlds["Patriot networked"].picture_names) == 1
    assert len(worlds["Patriot"].picture_names) == 2
    assert worlds["S-400 x2 autonomous"].units.system == ["S-400", "S-400"]
    assert len(worlds["S-400 x2 autonomous"].picture_names) == 2
    # The same raid for every alternative; short enough for a tiny study in CI.
    assert len({len(w.threats) for w in worlds.values()}) == 1
    assert scenario.duration_s <= 600
