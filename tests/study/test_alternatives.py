"""Alternatives replace the fire units and, when they say so, the network fusion."""

from pathlib import Path

from iadsim.catalog import load_catalog
from iadsim.scenario import load_scenario
from iadsim.scenario.loader import with_alternative
from iadsim.study.plan import expand_variants

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "networked_vs_autonomous.yaml"


def test_an_alternative_can_switch_to_track_fusion():
    catalog = load_catalog()
    scenario = load_scenario(EXAMPLE, catalog)
    variants = {v.alternative: v.scenario for v in expand_variants(scenario, catalog, "f")}
    assert variants["baseline"]["network_fusion"] == "measurement"
    assert variants["autonomous"]["network_fusion"] == "measurement"  # not set: inherited
    assert variants["track-fusion"]["network_fusion"] == "track"
    assert with_alternative(scenario, "track-fusion").network_fusion == "track"
    assert with_alternative(scenario, "autonomous").network_fusion == "measurement"
