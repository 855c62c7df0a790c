"""Scenario files: schema, loading and validation."""

from iadsim.scenario.loader import check_scenario, load_scenario, require_threats, with_alternative
from iadsim.scenario.schema import Scenario

__all__ = [
    "Scenario",
    "check_scenario",
    "load_scenario",
    "require_threats",
    "with_alternative",
]
