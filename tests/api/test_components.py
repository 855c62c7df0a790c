"""Components: a plugin's assignment rule and trajectory kind named in a scenario are what
the run uses; an unknown name is one clear line; ``tracking:`` selects IMM and JPDA."""

import numpy as np
import pytest
from pyproj import Geod
from typer.testing import CliRunner

import iadsim
from iadsim.cli import app
from iadsim.components import _BUILTINS, BUILTIN_NAMES, installed
from iadsim.errors import ScenarioError

runner = CliRunner()


def test_builtin_names_agree_with_the_registries():
    for kind, names in BUILTIN_NAMES.items():
        assert tuple(_BUILTINS[kind]()) == names


def test_plugin_rule_and_kind_named_in_a_scenario_are_used(toy_plugin, two_units):
    assert "first_fit" in installed("assignment") and "dive" in installed("trajectory")
    two_units["doctrine"] = {"assignment": "first_fit"}
    two_units["threats"][0]["trajectory"] = "dive"
    r = iadsim.run(two_units)
    # the engine called the plugin's rule on pictures with several ready units
    assert toy_plugin.CALLS and all(w >= 2 for w, _ in toy_plugin.CALLS)
    assert r.summary["threats"] == 4 and r.events.num_rows > 0
    # the truth is the plugin's dive: the map frame is azimuthal equidistant about the
    # city, so the ground distance to it is the WGS84 geodesic distance (pyproj.Geod,
    # independent of the frame) minus speed x time; the altitude falls linearly to zero.
    th = r.raw.world.threats
    d0 = Geod(ellps="WGS84").inv(29.0, 42.0, 29.0, 41.0)[2]
    speed = float(np.linalg.norm(th.vel[0, 5]))
    flight = th.arrival_s[0] - th.launch_s[0]
    assert flight == pytest.approx(np.hypot(d0, 6000.0) / speed, rel=1e-6)
    k = 40
    frac = (k - th.launch_s[0]) / flight
    assert np.hypot(*th.pos[0, k, :2]) == pytest.approx(d0 * (1 - frac), rel=1e-4)
    assert th.pos[0, k, 2] == pytest.approx(6000.0 * (1 - frac), rel=1e-6)


def test_plugin_rule_through_the_api_components(toy_plugin, two_units):
    iadsim.run(two_units, components={"assignment": "first_fit"})
    assert toy_plugin.CALLS


@pytest.mark.parametrize(
    "where, value, field",
    [
        ("doctrine", {"assignment": "auction"}, "doctrine.assignment"),
        ("threat", {"trajectory": "teleport"}, "threats[0].trajectory"),
    ],
)
def test_unknown_component_is_one_line_listing_what_is_installed(
    toy_plugin, two_units, write_scenario, where, value, field
):
    if where == "doctrine":
        two_units["doctrine"] = value
    else:
        two_units["threats"][0].update(value)
    path = write_scenario(two_units)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert "\n" not in line and str(path) in line and field in line
    kind = "assignment" if where == "doctrine" else "trajectory"
    for name in installed(kind):  # built-ins and the installed plugin's
        assert repr(name) in line
    assert ("first_fit" if kind == "assignment" else "dive") in line
    with pytest.raises(ScenarioError, match=field.replace("[", r"\[").replace("]", r"\]")):
        iadsim.load_scenario(two_units)


def _count_calls(monkeypatch, cls, method):
    calls = []
    original = getattr(cls, method)

    def counted(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(cls, method, counted)
    return calls


def test_tracking_section_selects_imm_and_jpda(monkeypatch, two_units):
    from iadsim.tracking.associate import GNNAssociator, JPDAAssociator
    from iadsim.tracking.imm import ImmPredictor
    from iadsim.tracking.kalman import KalmanPredictor

    imm = _count_calls(monkeypatch, ImmPredictor, "predict")
    cv = _count_calls(monkeypatch, KalmanPredictor, "predict")
    jpda = _count_calls(monkeypatch, JPDAAssociator, "associate_gated")
    gnn = _count_calls(monkeypatch, GNNAssociator, "associate_gated")
    default = iadsim.run(two_units)
    assert cv and gnn and not imm and not jpda
    cv.clear(), gnn.clear()
    two_units["tracking"] = {"filter": "imm", "association": "jpda"}
    chosen = iadsim.run(two_units)
    assert imm and jpda and not cv  # tentative tracks are still associated by GNN
    assert chosen.tracks.num_rows > 0
    assert not default.events.equals(chosen.events)  # another tracker, another story


def test_tracking_m_of_n_is_checked(two_units):
    two_units["tracking"] = {"confirm_hits": 6, "confirm_window": 5}
    with pytest.raises(ScenarioError, match="tracking.confirm_window"):
        iadsim.load_scenario(two_units)


def test_a_sensor_model_passed_as_a_component_is_the_one_the_scans_call(two_units):
    import types

    from iadsim.radar import sensor

    calls = []

    def measure(*args, **kwargs):
        calls.append(1)
        return sensor.measure(*args, **kwargs)

    model = types.SimpleNamespace(**{n: getattr(sensor, n) for n in dir(sensor)
                                     if not n.startswith("__")})  # fmt: skip
    model.measure = measure
    two_units["duration_s"] = 60.0
    plain = iadsim.run(two_units)
    wrapped = iadsim.run(two_units, components={"sensor": model})
    assert calls and wrapped.raw.world.components.names["sensor"] == "<custom>"
    assert wrapped.events.equals(plain.events)  # the same model, wrapped
