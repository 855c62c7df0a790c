"""Issue 13: a sweep cannot ask for an exploding number of values; ``range`` expands as
written in decimal."""

import time

import numpy as np
import pytest

from iadsim.catalog import load_catalog
from iadsim.scenario import Scenario
from iadsim.study.plan import expand_variants

BAD_RANGES = {
    "a billion billion steps": ({"start": 0, "stop": 1e9, "step": 1e-9}, "sweep.range.step",
                                "about 1e18 values; at most 1,000"),
    "one value too many": ({"start": 0, "stop": 1000, "step": 1}, "sweep.range.step",
                           "1,001 values; at most 1,000"),
    "a step that underflows": ({"start": 0, "stop": 1e300, "step": 1e-300}, "sweep.range.step",
                               "about 1e600 values"),
    "zero step": ({"start": 0, "stop": 1, "step": 0}, "sweep.range.step", "greater than 0"),
    "negative step": ({"start": 0, "stop": 1, "step": -1}, "sweep.range.step", "greater than 0"),
    "NaN start": ({"start": float("nan"), "stop": 1, "step": 1}, "sweep.range.start",
                  "finite number"),
    "infinite stop": ({"start": 0, "stop": float("inf"), "step": 1}, "sweep.range.stop",
                      "finite number"),
    "stop before start": ({"start": 2, "stop": 1, "step": 1}, "sweep.range.stop",
                          "must be >= start (2)"),
}  # fmt: skip


@pytest.mark.parametrize("label", BAD_RANGES)
def test_an_exploding_or_broken_sweep_range_is_rejected_before_a_study_starts(
    label, minimal_scenario, write_scenario, one_line, tmp_path
):
    bad, field, needle = BAD_RANGES[label]
    minimal_scenario["sweep"] = {"parameter": "threats[0].spacing_s", "range": bad}
    path = write_scenario(minimal_scenario)
    out = tmp_path / "study"
    t0 = time.perf_counter()
    line = one_line(["study", str(path), "-n", "2", "--workers", "1", "--out", str(out)])
    assert time.perf_counter() - t0 < 1.0
    assert str(path) in line and f"{field}: got " in line and needle in line, line
    assert not out.exists()


def test_a_sweep_list_is_bounded_too(minimal_scenario, write_scenario, one_line):
    minimal_scenario["sweep"] = {"parameter": "threats[0].spacing_s",
                                 "values": [float(v) for v in range(1, 1002)]}  # fmt: skip
    line = one_line(["validate", str(write_scenario(minimal_scenario))])
    assert "sweep.values: got <list of 1001 items>; " in line and "at most 1000 items" in line


@pytest.mark.parametrize(
    "sweep",
    [{"parameter": "threats[0].spacing_s"},
     {"parameter": "threats[0].spacing_s", "values": [1.0],
      "range": {"start": 1, "stop": 2, "step": 1}}],
    ids=["neither", "both"],
)  # fmt: skip
def test_a_sweep_gives_values_or_a_range(sweep, minimal_scenario, write_scenario, one_line):
    minimal_scenario["sweep"] = sweep
    line = one_line(["validate", str(write_scenario(minimal_scenario))])
    assert "sweep: got " in line and "give either `values`" in line, line


def test_alternatives_times_sweep_values_are_bounded(minimal_scenario, write_scenario, one_line):
    units = minimal_scenario["fire_units"]
    minimal_scenario["alternatives"] = [{"name": f"a{i}", "fire_units": units} for i in range(2)]
    minimal_scenario["sweep"] = {"parameter": "threats[0].spacing_s",
                                 "range": {"start": 1, "stop": 1000, "step": 1}}  # fmt: skip
    t0 = time.perf_counter()
    line = one_line(["validate", str(write_scenario(minimal_scenario))])
    assert time.perf_counter() - t0 < 1.0
    assert "sweep: got '3 alternatives x 1000 sweep values'" in line, line
    assert "at most 2,000 variants" in line


@pytest.mark.parametrize(
    "start, stop, step, expected",
    [(1.0, 2.0, 0.1, np.round(np.linspace(1.0, 2.0, 11), 12)),  # 1.0, 1.1, ..., 2.0
     (0.1, 0.3, 0.1, [0.1, 0.2, 0.3]),  # 0.3 / 0.1 is 2.9999999999999996 in binary
     (4, 16, 4, [4.0, 8.0, 12.0, 16.0]),
     (4, 15, 4, [4.0, 8.0, 12.0]),  # stop is included only when a step lands on it
     (5, 5, 1, [5.0])],
)  # fmt: skip
def test_a_range_gives_the_decimal_values_as_written(start, stop, step, expected,
                                                     minimal_scenario):  # fmt: skip
    minimal_scenario["sweep"] = {"parameter": "threats[0].spacing_s",
                                 "range": {"start": start, "stop": stop, "step": step}}  # fmt: skip
    sweep = Scenario.model_validate(minimal_scenario).sweep
    assert sweep.points() == list(expected)  # exactly: the shortest decimals, as typed


def test_a_study_runs_a_range_sweep_like_the_same_values_listed(minimal_scenario):
    catalog = load_catalog()
    minimal_scenario["sweep"] = {"parameter": "threats[0].count",
                                 "range": {"start": 1, "stop": 3, "step": 1}}  # fmt: skip
    ranged = expand_variants(Scenario.model_validate(minimal_scenario), catalog, "s.yaml")
    minimal_scenario["sweep"] = {"parameter": "threats[0].count", "values": [1, 2, 3]}
    listed = expand_variants(Scenario.model_validate(minimal_scenario), catalog, "s.yaml")
    assert [v.sweep_value for v in ranged] == [1.0, 2.0, 3.0]
    assert [v.scenario for v in ranged] == [v.scenario for v in listed]
    assert [v.scenario["threats"][0]["count"] for v in ranged] == [1, 2, 3]


def test_a_fractional_range_value_for_a_count_names_the_range(
    minimal_scenario, write_scenario, one_line
):
    minimal_scenario["sweep"] = {"parameter": "threats[0].count",
                                 "range": {"start": 1, "stop": 2, "step": 0.5}}  # fmt: skip
    line = one_line(["validate", str(write_scenario(minimal_scenario))])
    assert "sweep.range (value 1): got 1.5; threats[0].count takes whole numbers" in line, line
