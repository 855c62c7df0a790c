"""The pieces the engine wires, named in one object: :class:`Components`.

A run's components are the tracker factory (filter, association, initiation, deletion),
the threat evaluation, the weapon-target assignment rule, the trajectory builders by kind
and the sensor model. Their defaults come from the scenario (``tracking:``,
``doctrine.assignment``, each threat group's ``trajectory``); a notebook may replace any of
them (``iadsim.run(..., components={"assignment": my_rule})``).

Third-party components register through Python entry points, group ``iadsim.components``,
named ``KIND.NAME`` (KIND one of :data:`KINDS`), e.g. in a plugin's ``pyproject.toml``::

    [project.entry-points."iadsim.components"]
    "assignment.first_fit" = "my_plugin:first_fit"
    "trajectory.zigzag" = "my_plugin:zigzag"

after which ``doctrine: {assignment: first_fit}`` and ``trajectory: zigzag`` are valid in a
scenario. Built-in names are found without reading the entry points (no start-up cost).

Calling conventions (the built-ins follow them):

* assignment rule: ``rule(pk (W, T), value (T,), capacity (W,)) -> shots (W, T)`` integers,
  at most ``capacity[i]`` shots per weapon and one per target (:mod:`iadsim.engage.assign`);
* trajectory kind: ``kind(group, entry, frame, terrain, elapsed (n, K+1)) ->
  (pos (n, K+1, 3), vel (n, K+1, 3), flight time (n,))`` (:mod:`iadsim.truth.kinds`);
* threat evaluation: ``assess(track_xyz, track_vel, assets_xy, asset_value, asset_radius_m,
  priority_of) -> ThreatAssessment`` (:func:`iadsim.engage.threat_eval.assess`);
* tracker factory: ``factory(world, record_detections) -> Tracker``
  (:class:`iadsim.tracking.tracker.Tracker`, whose seams take predictor, updater,
  associator, initiator and deleter objects);
* sensor model: an object with the functions of :mod:`iadsim.radar.sensor` the scan stage
  calls (``scan_looks``, ``in_face``, ``measure``, ``false_alarm_mean``,
  ``false_alarm_cells``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from iadsim.errors import UsageError

if TYPE_CHECKING:
    from iadsim.scenario.schema import Scenario, Tracking

GROUP = "iadsim.components"
KINDS = ("assignment", "trajectory", "threat_evaluation", "tracker", "sensor")


def _builtin_assignment() -> dict[str, Any]:
    from iadsim.engage.assign import METHODS

    return {m: partial(builtin_rule, method=m) for m in METHODS}


def _builtin_trajectory() -> dict[str, Any]:
    from iadsim.truth.kinds import KINDS as TRAJECTORIES

    return dict(TRAJECTORIES)


def _builtin_threat_evaluation() -> dict[str, Any]:
    from iadsim.engage.threat_eval import assess

    return {"default": assess}


def _builtin_tracker() -> dict[str, Any]:
    return {"default": tracker_factory}


def _builtin_sensor() -> dict[str, Any]:
    from iadsim.radar import sensor

    return {"default": sensor}


_BUILTINS: dict[str, Callable[[], dict[str, Any]]] = {
    "assignment": _builtin_assignment,
    "trajectory": _builtin_trajectory,
    "threat_evaluation": _builtin_threat_evaluation,
    "tracker": _builtin_tracker,
    "sensor": _builtin_sensor,
}
# Names known without importing anything (the scenario check runs before the simulator
# is imported); tests/api checks they agree with the registries above.
BUILTIN_NAMES = {
    "assignment": ("optimal", "greedy"),
    "trajectory": ("waypoints", "ballistic", "terrain_following", "loiter", "mission"),
    "threat_evaluation": ("default",),
    "tracker": ("default",),
    "sensor": ("default",),
}


def builtin_rule(pk, value, capacity, method: str):
    """A built-in assignment rule (:func:`iadsim.engage.assign.assign`) as shots."""
    from iadsim.engage.assign import assign

    return assign(pk, value, capacity, method=method).shots


def plugin_entry_points(kind: str) -> dict[str, Any]:
    """The installed entry points of one kind, by name (not loaded)."""
    from importlib.metadata import entry_points

    prefix = f"{kind}."
    return {
        ep.name[len(prefix) :]: ep
        for ep in entry_points(group=GROUP)
        if ep.name.startswith(prefix) and len(ep.name) > len(prefix)
    }


def installed(kind: str) -> list[str]:
    """Every name of ``kind`` this installation knows: built-in first, then plugins."""
    names = list(BUILTIN_NAMES[kind])
    names += [n for n in sorted(plugin_entry_points(kind)) if n not in names]
    return names


def is_known(kind: str, name: str) -> bool:
    """Whether ``name`` is a built-in or installed component of ``kind``."""
    return name in BUILTIN_NAMES[kind] or name in plugin_entry_points(kind)


def lookup(kind: str, name: str, field: str | None = None) -> Any:
    """The component ``name`` of ``kind`` (a built-in, else a loaded entry point); an unknown
    name is a one-line UsageError listing what is installed."""
    if kind not in _BUILTINS:
        raise UsageError(f"components: got kind {kind!r}; allowed: {list(KINDS)}")
    if name in BUILTIN_NAMES[kind]:
        return _BUILTINS[kind]()[name]
    found = plugin_entry_points(kind).get(name)
    if found is None:
        raise UsageError(
            f"{field or kind}: got {name!r}; allowed: {installed(kind)} (built-in, or "
            f"installed through the {GROUP!r} entry points as '{kind}.NAME')"
        )
    try:
        return found.load()
    except Exception as exc:  # a broken plugin: name it, in one line
        raise UsageError(
            f"{field or kind}: {name!r}: cannot load entry point {found.value!r}: {exc}"
        ) from None


def tracker_factory(world, record_detections: bool, tracking: Tracking | None = None):
    """The engine's tracker for a World, configured by the scenario's ``tracking:`` section:
    its initiation gate (velocity prior sigma, half the fastest threat's speed, at least
    the default 700 m/s) reaches every threat of the scenario."""
    from iadsim.sim.world import max_threat_speed_mps
    from iadsim.tracking.associate import GNNAssociator, JPDAAssociator
    from iadsim.tracking.quality import TrackLog
    from iadsim.tracking.tracker import Tracker

    tracking = tracking if tracking is not None else world.scenario.tracking
    sigma = max(Tracker.initial_speed_sigma_mps, max_threat_speed_mps(world.threats) / 2.0)
    pd, clutter = tracking.detection_probability, tracking.clutter_density_per_km3 / 1e9
    associator = (
        JPDAAssociator(pd, clutter, gate_probability=tracking.gate_probability)
        if tracking.association == "jpda"
        else GNNAssociator(gate_probability=tracking.gate_probability)
    )
    return Tracker(
        log=TrackLog(),
        coast_events=record_detections,
        initial_speed_sigma_mps=sigma,
        filter=tracking.filter,
        association=tracking.association,
        detection_probability=pd,
        clutter_density=clutter,
        associator=associator,
        confirm_hits=tracking.confirm_hits,
        confirm_window=tracking.confirm_window,
        coast_scans=tracking.coast_scans,
    )


@dataclass(frozen=True)
class Components:
    """What the engine wires, each piece a callable (or the sensor module); ``names`` says
    which named component each is (``"<custom>"`` for one passed as an object)."""

    tracker: Callable[..., Any]
    threat_evaluation: Callable[..., Any]
    assignment: Callable[..., Any]
    trajectories: Mapping[str, Callable[..., Any]]
    sensor: Any
    names: Mapping[str, str] = dataclasses.field(default_factory=dict)

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> Components:
        """The scenario's components: built-ins plus the plugins it names."""
        from iadsim.truth.kinds import kind_of

        trajectories = _builtin_trajectory()
        for i, group in enumerate(scenario.threats):
            kind = kind_of(group)
            if kind not in trajectories:
                trajectories[kind] = lookup("trajectory", kind, f"threats[{i}].trajectory")
        rule = scenario.doctrine.assignment
        tr = scenario.tracking
        return cls(
            tracker=tracker_factory,
            threat_evaluation=lookup("threat_evaluation", "default"),
            assignment=lookup("assignment", rule, "doctrine.assignment"),
            trajectories=trajectories,
            sensor=lookup("sensor", "default"),
            names={
                "tracker": f"default (filter {tr.filter}, association {tr.association}, "
                f"confirm {tr.confirm_hits}/{tr.confirm_window})",
                "threat_evaluation": "default",
                "assignment": rule,
                "sensor": "default",
            },
        )

    def replace(self, overrides: Mapping[str, Any]) -> Components:
        """A copy with some pieces replaced: each value a component object or the name of an
        installed one (``trajectories`` a mapping of kind -> builder, merged in)."""
        fields = {"tracker", "threat_evaluation", "assignment", "sensor", "trajectories"}
        bad = sorted(set(overrides) - fields)
        if bad:
            raise UsageError(f"components: got {bad[0]!r}; allowed: {sorted(fields)}")
        update: dict[str, Any] = {}
        names = dict(self.names)
        for key, value in overrides.items():
            if key == "trajectories":
                merged = dict(self.trajectories)
                for kind, builder in dict(value).items():
                    if isinstance(builder, str):
                        builder = lookup("trajectory", builder, f"components.trajectories.{kind}")
                    merged[kind] = builder
                update[key] = merged
                continue
            if isinstance(value, str):
                names[key] = value
                value = lookup(key, value, f"components.{key}")
            else:
                names[key] = "<custom>"
            update[key] = value
        return dataclasses.replace(self, **update, names=names)
