"""Read a scenario YAML file, validate it against the schema and the catalog."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import yaml
from pydantic import ValidationError

from iadsim.catalog import CatalogFile, load_catalog
from iadsim.errors import ScenarioError, UsageError, short_repr, short_text
from iadsim.scenario.paths import get_path, set_path
from iadsim.scenario.safe_yaml import YamlLimitError, load_limited
from iadsim.scenario.schema import Scenario
from iadsim.scenario.suspect import suspect_warnings
from iadsim.validation import first_error_message

# Bounds on what a scenario may ask the simulator to hold (checked before anything is built):
# the truth tables keep position and velocity per threat per step (48 bytes), so 20 million
# threat-steps are about 1 GB. The largest example needs 51,000.
MAX_TIME_STEPS = 200_000
MAX_THREAT_STEPS = 20_000_000
MAX_STUDY_VARIANTS = 2_000  # each is a whole scenario, validated and sent to every worker


def read_yaml(path: Path) -> dict:
    """Parse a YAML mapping within the safe reader's limits (size, depth, nodes, aliases,
    duplicate keys), turning every failure into a one-line ScenarioError."""
    if not path.exists():
        raise ScenarioError(f"{path}: file not found")
    if not path.is_file():
        raise ScenarioError(f"{path}: not a file")
    try:
        data = load_limited(path)
    except YamlLimitError as exc:
        field = f"{exc.field}: " if exc.field else ""
        where = f" (line {exc.line})" if exc.line else ""
        raise ScenarioError(f"{path}: {field}{exc.message}{where}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or (str(exc).splitlines() or ["?"])[0]
        raise ScenarioError(f"{path}: invalid YAML{where}: {short_text(problem)}") from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{path}: cannot read: not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (ValueError, TypeError, OverflowError, AttributeError, RecursionError) as exc:
        # PyYAML's constructors raise these for values such as `!!float abc`
        raise ScenarioError(f"{path}: invalid YAML: {short_text(str(exc))}") from None
    if not isinstance(data, dict):
        raise ScenarioError(
            f"{path}: expected a mapping of scenario fields, got {type(data).__name__}"
        )
    return data


def load_scenario(
    path: str | Path,
    catalog: CatalogFile | None = None,
    warn: Callable[[str], None] | None = None,
) -> Scenario:
    """Load and fully check a scenario file; raise ScenarioError with one clear line.

    ``warn`` receives one line per valid but suspect setting (:mod:`.suspect`)."""
    path = Path(path)
    return scenario_from_data(read_yaml(path), str(path), path.parent, catalog, warn)


def scenario_from_data(
    data: dict,
    file: str,
    base_dir: Path | None,
    catalog: CatalogFile | None = None,
    warn: Callable[[str], None] | None = None,
) -> Scenario:
    """Validate a scenario mapping fully (schema, catalog, files read relative to
    ``base_dir``, default the working folder); ``file`` names it in every error. The
    scenario remembers ``file`` and ``base_dir`` (``source_file``, ``source_dir``)."""
    if not isinstance(data, dict):
        raise ScenarioError(
            f"{file}: expected a mapping of scenario fields, got {type(data).__name__}"
        )
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as err:
        raise ScenarioError(first_error_message(err, file, data)) from None
    catalog = catalog or load_catalog()
    check_scenario(scenario, catalog, file)
    check_files(scenario, file, base_dir)
    if warn is not None:
        for line in suspect_warnings(scenario, catalog, file):
            warn(line)
    scenario._source_file = file
    scenario._source_dir = base_dir
    return scenario


def check_files(scenario: Scenario, file: str, base_dir: Path | None) -> None:
    """Every file a scenario names exists and opens (the DEM, read relative to the file's
    folder ``base_dir``)."""
    if scenario.terrain is None:
        return
    dem = Path(scenario.terrain.dem)
    full = dem if dem.is_absolute() or base_dir is None else Path(base_dir) / dem
    field = f"{file}: terrain.dem: got {scenario.terrain.dem!r}"
    if not full.is_file():
        raise ScenarioError(
            f"{field}; file not found (looked for {full}); give a GeoTIFF path, absolute or "
            "relative to the scenario file"
        )
    import rasterio  # only when a scenario has terrain

    try:
        with rasterio.open(full) as src:
            src.profile  # noqa: B018 (reading the header is the check)
    except Exception as exc:  # rasterio raises its own error types, or OSError
        raise ScenarioError(
            f"{field}; cannot read it as a GeoTIFF ({short_text(str(exc))})"
        ) from None


def check_scenario(scenario: Scenario, catalog: CatalogFile, file: str) -> None:
    """Checks that span fields or need the catalog, each naming its field path."""

    def fail(field: str, value: object, allowed: str) -> None:
        raise ScenarioError(f"{file}: {field}: got {short_repr(value)}; {allowed}")

    if scenario.time_step_s > scenario.duration_s:
        fail(
            "time_step_s",
            scenario.time_step_s,
            f"must not exceed duration_s ({scenario.duration_s})",
        )
    if not scenario.threats and not scenario.flights:
        fail("threats", [], "give at least one threat group (or `flights` for iadsim exposure)")
    ratio = scenario.duration_s / scenario.time_step_s  # inf for a subnormal time step
    if ratio > MAX_TIME_STEPS:
        fail(
            "time_step_s",
            scenario.time_step_s,
            f"duration_s / time_step_s gives {ratio:.3g} time steps; at most {MAX_TIME_STEPS:,}",
        )
    steps = math.ceil(ratio)
    n_threats = sum(g.count for g in scenario.threats)
    if n_threats * (steps + 1) > MAX_THREAT_STEPS:
        fail(
            "threats",
            f"{n_threats:,} threats x {steps + 1:,} time steps",
            f"at most {MAX_THREAT_STEPS:,} threat-steps (the truth tables' memory): use a "
            "longer time_step_s, a shorter duration_s or fewer threats",
        )
    _check_components(scenario, fail)
    _check_unique([a.name for a in scenario.defended_assets], "defended_assets", fail)
    _check_unique([u.name for u in scenario.fire_units], "fire_units", fail)
    _check_unique([t.name for t in scenario.threats], "threats", fail)
    _check_units(scenario.fire_units, "fire_units", catalog, fail)
    for a, alternative in enumerate(scenario.alternatives):
        _check_units(alternative.fire_units, f"alternatives[{a}].fire_units", catalog, fail)
    _check_unique([a.name for a in scenario.alternatives], "alternatives", fail)
    n_values = len(scenario.sweep.points()) if scenario.sweep is not None else 1
    if (len(scenario.alternatives) + 1) * n_values > MAX_STUDY_VARIANTS:
        fail(
            "sweep" if scenario.sweep is not None else "alternatives",
            f"{len(scenario.alternatives) + 1} alternatives x {n_values} sweep values",
            f"a study runs at most {MAX_STUDY_VARIANTS:,} variants (the baseline and each "
            "alternative, at each sweep value)",
        )
    if scenario.sweep is not None:
        _check_sweep(scenario, fail)
    if scenario.flights:
        _check_flights(scenario, catalog, fail)
    for i, group in enumerate(scenario.threats):
        where = f"threats[{i}]"
        if group.type not in catalog.threats:
            fail(f"{where}.type", group.type, f"allowed: {sorted(catalog.threats)}")
        ballistic = (group.launch, group.aim, group.apogee_m)
        if group.route is None and any(x is None for x in ballistic):
            missing = [
                n
                for n, x in zip(("launch", "aim", "apogee_m"), ballistic, strict=True)
                if x is None
            ]
            fail(
                f"{where}.route",
                None,
                "give `route` (at least 2 waypoints) or, for a ballistic missile, "
                f"`launch`, `aim` and `apogee_m` (missing {missing})",
            )
        loiter_aim = (
            group.trajectory in ("loiter", "mission")
            and group.launch is None
            and not group.apogee_m
        )
        if group.route is not None and any(x is not None for x in ballistic) and not loiter_aim:
            fail(where, "route and launch/aim/apogee_m", "give one trajectory form, not both")
        _check_trajectory(group, catalog.threats[group.type], where, fail, catalog)
        if group.route is not None:
            for j in range(1, len(group.route)):
                a, b = group.route[j - 1], group.route[j]
                if (a.lat_deg, a.lon_deg, a.alt_m) == (b.lat_deg, b.lon_deg, b.alt_m):
                    fail(f"{where}.route[{j}]", b.model_dump(), "repeats the previous waypoint")
        elif (group.launch.lat_deg, group.launch.lon_deg) == (group.aim.lat_deg, group.aim.lon_deg):
            fail(f"{where}.aim", group.aim.model_dump(), "must differ from the launch point")


def _check_mission(group, entry, kind, where, fail, catalog) -> None:
    """A mission names a weapon its aircraft carries, with a stand-off range, and an aim."""
    if kind != "mission":
        for name in ("weapon", "reaction"):
            if getattr(group, name) is not None:
                fail(f"{where}.{name}", getattr(group, name), "only with trajectory: mission")
        return
    if group.aim is None:
        fail(f"{where}.aim", None, "trajectory: mission needs the target `aim`")
    if group.weapon is None or group.weapon not in entry.weapons:
        allowed = f"one of the weapons catalog threat {group.type!r} carries: {entry.weapons}"
        fail(f"{where}.weapon", group.weapon, allowed)
    weapon = catalog.threats.get(group.weapon)
    if weapon is None or weapon.standoff_range_km is None:
        fail(f"{where}.weapon", group.weapon, "a catalog threat with a `standoff_range_km`")
    if entry.max_accel_g.value <= 1.0:
        fail(f"{where}.type", group.type, "a mission's turns need a catalog g limit > 1")


def _check_components(scenario: Scenario, fail) -> None:
    """Every component the scenario names is built in or installed (iadsim.components)."""
    from iadsim.components import installed, is_known

    doctrines = [("doctrine", scenario.doctrine)]
    doctrines += [(f"fire_units[{i}].doctrine", u.doctrine)
                  for i, u in enumerate(scenario.fire_units)]  # fmt: skip
    doctrines += [(f"alternatives[{a}].fire_units[{i}].doctrine", u.doctrine)
                  for a, alt in enumerate(scenario.alternatives)
                  for i, u in enumerate(alt.fire_units)]  # fmt: skip
    for where, doctrine in doctrines:
        if doctrine is not None and not is_known("assignment", doctrine.assignment):
            fail(f"{where}.assignment", doctrine.assignment,
                 f"allowed: {installed('assignment')}")  # fmt: skip
    for i, group in enumerate(scenario.threats):
        if group.trajectory is not None and not is_known("trajectory", group.trajectory):
            fail(f"threats[{i}].trajectory", group.trajectory,
                 f"allowed: {installed('trajectory')}")  # fmt: skip


def _check_trajectory(group, entry, where, fail, catalog=None) -> None:
    """The group's trajectory kind fits its fields and its catalog entry."""
    from iadsim.truth.kinds import kind_of

    kind = kind_of(group)
    if kind in ("waypoints", "terrain_following", "loiter", "mission") and group.route is None:
        fail(f"{where}.trajectory", kind, "needs a `route` (at least 2 waypoints)")
    if kind == "ballistic" and group.route is not None:
        fail(f"{where}.trajectory", kind, "needs `launch`, `aim` and `apogee_m`, not a route")
    if group.height_agl_m is not None and kind != "terrain_following":
        fail(f"{where}.height_agl_m", group.height_agl_m, "only with trajectory: terrain_following")
    if kind == "loiter":
        if group.loiter_s is None:
            fail(f"{where}.loiter_s", None, "trajectory: loiter needs `loiter_s` (s, >= 0)")
        if group.after_loiter == "strike" and group.aim is None:
            fail(f"{where}.aim", None, "after_loiter: strike needs the strike point `aim`")
        if entry.max_accel_g.value <= 1.0:
            fail(f"{where}.type", group.type, "a loiter orbit needs a catalog g limit > 1")
    elif group.loiter_s is not None:
        fail(f"{where}.loiter_s", group.loiter_s, "only with trajectory: loiter")
    _check_mission(group, entry, kind, where, fail, catalog)
    if kind == "terrain_following" and entry.terrain_following is None:
        fail(
            f"{where}.trajectory",
            kind,
            f"catalog threat {group.type!r} has no `terrain_following` block (climb limits)",
        )
    if kind == "ballistic" and entry.ballistic is not None:
        from pyproj import Geod

        from iadsim.truth.ballistic import missile_body, solve_shot

        la, ai = group.launch, group.aim
        dist = Geod(ellps="WGS84").inv(la.lon_deg, la.lat_deg, ai.lon_deg, ai.lat_deg)[2]
        if dist > 0.0:
            try:
                solve_shot(missile_body(entry.ballistic), dist, group.apogee_m)
            except ValueError as exc:
                fail(f"{where}.apogee_m", group.apogee_m, f"{group.type}: {exc}")


def _check_flights(scenario: Scenario, catalog: CatalogFile, fail) -> None:
    """Flights: a catalog aircraft, a route without repeated points whose corners fit the
    coordinated turns at the flight's g limit."""
    import numpy as np

    from iadsim.geo import MapFrame
    from iadsim.truth.attitude import plan_route

    _check_unique([f.name for f in scenario.flights], "flights", fail)
    first = scenario.defended_assets[0]
    frame = MapFrame(first.lat_deg, first.lon_deg)
    for i, flight in enumerate(scenario.flights):
        where = f"flights[{i}]"
        if flight.type not in catalog.threats:
            fail(f"{where}.type", flight.type, f"allowed: {sorted(catalog.threats)}")
        entry = catalog.threats[flight.type]
        x, y = frame.to_map([w.lat_deg for w in flight.route], [w.lon_deg for w in flight.route])
        route = np.stack([x, y, [w.alt_m for w in flight.route]], axis=-1)
        speed = flight.speed_mps or entry.speed_mps.value
        g = flight.turn_g or entry.max_accel_g.value
        try:
            plan_route(route, speed, g)
        except ValueError as exc:
            fail(f"{where}.route", f"{len(flight.route)} waypoints", str(exc))


def _check_unique(names: list[str], field: str, fail) -> None:
    seen: set[str] = set()
    for i, name in enumerate(names):
        if name in seen:
            fail(f"{field}[{i}].name", name, "names must be unique")
        seen.add(name)


def _check_units(units, field: str, catalog: CatalogFile, fail) -> None:
    for i, unit in enumerate(units):
        if unit.system not in catalog.systems:
            fail(f"{field}[{i}].system", unit.system, f"allowed: {sorted(catalog.systems)}")
        system = catalog.systems[unit.system]
        for radar, settings in unit.radars.items():
            if radar not in system.radars:
                fail(f"{field}[{i}].radars", radar, f"allowed radars of {unit.system}: "
                     f"{system.radars}")  # fmt: skip
            if (
                settings.slew_rate_deg_s is not None
                and not catalog.radars[radar].sector_deg.value < 360
            ):
                fail(f"{field}[{i}].radars.{radar}.slew_rate_deg_s", settings.slew_rate_deg_s,
                     "only a sector radar's face slews; this radar covers 360 deg")  # fmt: skip
        for missile in (unit.loadout or {}).keys():
            if missile not in system.missiles:
                fail(
                    f"{field}[{i}].loadout",
                    missile,
                    f"allowed missiles for {unit.system}: {system.missiles}",
                )


def _check_sweep(scenario: Scenario, fail) -> None:
    """A sweep must name an existing numeric field whose every value is itself valid."""
    parameter = scenario.sweep.parameter
    data = scenario.model_dump(exclude={"alternatives", "sweep"})
    try:
        current = get_path(data, parameter)
    except (KeyError, ValueError):
        fail(
            "sweep.parameter",
            parameter,
            "must name an existing scenario field, e.g. threats[0].count",
        )
    if isinstance(current, bool) or not isinstance(current, int | float):
        fail("sweep.parameter", parameter, f"must name a numeric field; it holds {current!r}")
    sweep = scenario.sweep
    for j, value in enumerate(sweep.points()):
        trial = scenario.model_dump(exclude={"alternatives", "sweep"})
        set_path(trial, parameter, int(value) if isinstance(current, int) else value)
        if isinstance(current, int) and value != int(value):
            fail(sweep.where(j), value, f"{parameter} takes whole numbers")
        try:
            Scenario.model_validate(trial)
        except ValidationError as err:
            msg = first_error_message(err, "", trial).split(": ", 2)[-1]
            fail(sweep.where(j), value, f"not valid for {parameter}: {msg}")


def require_threats(scenario: Scenario, file: str, command: str) -> None:
    """Refuse a scenario without threats for a command that simulates them (a scenario of
    friendly flights only is for ``iadsim exposure``)."""
    if not scenario.threats:
        raise UsageError(f"{file}: threats: none given; `iadsim {command}` simulates threats "
                         "(flights are analysed by `iadsim exposure`)")  # fmt: skip


def with_alternative(scenario: Scenario, name: str) -> Scenario:
    """The scenario with its fire units (and network fusion, if it sets one) replaced by
    those of the named alternative."""
    names = [a.name for a in scenario.alternatives]
    if name not in names:
        raise UsageError(f"--alternative: got {name!r}; allowed: {names or 'none defined'}")
    chosen = scenario.alternatives[names.index(name)]
    update = {"fire_units": chosen.fire_units, "name": f"{scenario.name} [{name}]"}
    if chosen.network_fusion is not None:
        update["network_fusion"] = chosen.network_fusion
    return scenario.model_copy(update=update)
