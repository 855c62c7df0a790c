"""Issue 13: output that reads: names never cut, legends by type and fate, sector radars as
sectors, and summary metrics by class and by defended asset value."""

import math

import numpy as np
import pytest
from rich.console import Console

import iadsim.cli as cli
from iadsim.catalog import load_catalog
from iadsim.report.plot import FATE_STYLE, coverage_outline, engagement_figure
from iadsim.report.summary import summarize
from iadsim.scenario.schema import Scenario
from iadsim.sim.engine import run
from iadsim.sim.world import build_world

LONG = "F-16-Block70-with-a-long-name"


def _run(data):
    return run(build_world(Scenario.model_validate(data), load_catalog()), data["seed"])


def test_run_table_never_cuts_a_threat_name(monkeypatch):
    console = Console(width=50, record=True)
    monkeypatch.setattr(cli, "console", console)
    summary = {
        "scenario": "s", "seed": 1, "threats": 3, "killed": 1, "leaked": 2,
        "by_threat_type": {LONG: {"threats": 3, "killed": 1, "leaked": 2}},
        "assets_lost": ["City"], "asset_value_lost": 5.0, "asset_value_total": 5.0,
        "by_threat_class": {"aircraft": {"threats": 3, "killed": 1, "leaked": 2}},
        "interceptors_fired": {"PAC-3-MSE": 2}, "interceptor_cost_usd": 8e6,
    }  # fmt: skip
    cli._print_summary(summary, "out")
    text = console.export_text()
    assert LONG in text and "…" not in text and "..." not in text


def test_coverage_outline_of_a_sector_radar_is_a_wedge():
    # sector centred east (90 deg), 120 deg wide: edges at azimuth 30 and 150 deg
    x, y = coverage_outline(np.array([0.0, 0.0]), 1000.0, math.radians(90), math.radians(60))
    assert (x[0], y[0]) == (0.0, 0.0) and (x[-1], y[-1]) == (0.0, 0.0)  # from the radar
    az = np.degrees(np.arctan2(x[1:-1], y[1:-1]))
    assert az.min() == pytest.approx(30.0) and az.max() == pytest.approx(150.0)
    np.testing.assert_allclose(np.hypot(x[1:-1], y[1:-1]), 1000.0)
    cx, cy = coverage_outline(np.array([0.0, 0.0]), 1000.0, 0.0, math.pi)  # a full circle
    np.testing.assert_allclose(np.hypot(cx, cy), 1000.0)


@pytest.fixture(scope="module")
def no_defence_result():
    # a fire unit with no missiles: every cruise missile reaches the city (its aim point)
    data = {
        "name": "open city", "seed": 4, "duration_s": 900.0, "time_step_s": 2.0,
        "defended_assets": [{"name": "City", "lat_deg": 41.0, "lon_deg": 29.0, "value": 5.0},
                            {"name": "Port", "lat_deg": 41.3, "lon_deg": 29.6, "value": 2.0}],
        "fire_units": [{"name": "P1", "system": "Patriot", "lat_deg": 41.1, "lon_deg": 29.0,
                        "loadout": {"PAC-3-MSE": 0}, "sector_center_deg": 0.0}],
        "threats": [
            {"name": "cm", "type": "Kalibr-3M14", "count": 2, "spacing_s": 10.0,
             "route": [{"lat_deg": 41.9, "lon_deg": 29.0, "alt_m": 100.0},
                       {"lat_deg": 41.0, "lon_deg": 29.0, "alt_m": 100.0}]},
            {"name": "f16", "type": "F-16-Block70", "count": 1,
             "route": [{"lat_deg": 41.9, "lon_deg": 29.6, "alt_m": 5000.0},
                       {"lat_deg": 41.5, "lon_deg": 29.6, "alt_m": 5000.0}]},
        ],
    }  # fmt: skip
    return _run(data)


def test_summary_counts_asset_value_lost_and_leakers_by_class(no_defence_result):
    s = summarize(no_defence_result, "x.yaml")
    assert s["leaked"] == 3  # nothing was fired
    # the two missiles aim at City (value 5); the aircraft leaks to its release point
    # 45 km from the Port and destroys nothing
    assert s["assets_lost"] == ["City"] and s["asset_value_lost"] == 5.0
    assert s["asset_value_total"] == 7.0
    assert s["by_threat_class"] == {
        "aircraft": {"threats": 1, "killed": 0, "leaked": 1},
        "cruise_missile": {"threats": 2, "killed": 0, "leaked": 2},
    }
    assert s["no_leak_by_class"] == {"aircraft": False, "cruise_missile": False}


def test_engagement_plot_has_legends_by_type_and_fate_and_draws_sectors(no_defence_result):
    fig = engagement_figure(no_defence_result)
    ax = fig.axes[0]
    labels = {t.get_text() for legend in [*ax.artists, ax.get_legend()]
              for t in legend.get_texts()}  # fmt: skip
    assert {"Kalibr-3M14 (2)", "F-16-Block70 (1)"} <= labels
    assert {f"threat {fate}" for fate in FATE_STYLE} <= labels and "leak" in labels
    # the leaked tracks are dashed; the radar's coverage is a wedge from the radar
    styles = {line.get_linestyle() for line in ax.lines}
    assert "--" in styles
    coverage = [ln for ln in ax.lines if ln.get_linestyle() == "-."]
    (radar,) = coverage
    x, y = radar.get_xdata(), radar.get_ydata()
    assert (x[0], y[0]) == (x[-1], y[-1]) and len(x) < 181 + 1
