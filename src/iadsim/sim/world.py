"""Build the engine's struct-of-arrays world from a validated scenario and the catalog."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from iadsim.catalog import BANDS, CatalogFile
from iadsim.components import Components
from iadsim.engage.airframe import Airframes, from_catalog
from iadsim.engage.envelope import Envelope, compute_envelope
from iadsim.geo import MapFrame
from iadsim.geo.terrain import Terrain
from iadsim.radar.calibration import loop_constant
from iadsim.radar.interference import Environment
from iadsim.radar.multipath import SURFACES, surface_permittivity
from iadsim.radar.rcs import band_index
from iadsim.radar.sensor import RadarSet
from iadsim.scenario import Scenario
from iadsim.scenario.schema import Clutter
from iadsim.truth.evasion import MANOEUVRES, NONE
from iadsim.truth.kinds import kind_of, plan_of
from iadsim.truth.trajectories import waypoint_positions

WEAPON_CLASSES = ("cruise_missile", "ballistic_missile")


@dataclass
class Threats:
    """Threat truth (axis 0 = threat; axis 1 = time grid index)."""

    ids: list[str]
    type_name: list[str]
    threat_class: list[str]
    pos: np.ndarray  # (n, K + 1, 3)
    vel: np.ndarray  # (n, K + 1, 3)
    launch_s: np.ndarray
    arrival_s: np.ndarray
    rcs_dbsm: np.ndarray  # (n, len(BANDS), 3)
    swerling: np.ndarray
    unit_cost_usd: np.ndarray
    is_weapon: np.ndarray
    ssj_erp_w: np.ndarray  # self-screening jammer ERP (0: none)
    ssj_bandwidth_hz: np.ndarray
    # Missions and reactions (truth/mission.py, truth/evasion.py): a released weapon's
    # carrier (-1: none) and the carrier's release time (NaN: releases nothing); the
    # reaction to a launch (evasion.NONE/TURN_AWAY/BEAM, NONE without a warning receiver).
    parent: np.ndarray
    release_s: np.ndarray
    reaction: np.ndarray
    reaction_delay_s: np.ndarray
    evade_hold_s: np.ndarray
    speed_mps: np.ndarray
    max_accel_g: np.ndarray
    home_xyz: np.ndarray  # (n, 3) where the aircraft flies after its reaction

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class MissileTypes:
    """Interceptor types used in the scenario (axis 0 = type)."""

    name: list[str]
    airframes: Airframes  # flyout-kernel parameters per type
    min_range_m: np.ndarray
    max_range_m: np.ndarray
    min_alt_m: np.ndarray
    max_target_speed: np.ndarray
    lethal_radius_m: np.ndarray
    hit_to_kill: np.ndarray  # bool: body-to-body hit, else blast-fragmentation warhead
    pk: np.ndarray
    unit_cost_usd: np.ndarray
    envelopes: Sequence[Envelope]  # LazyEnvelopes: flown on first use (coverage never does)


class LazyEnvelopes(Sequence):
    """The missile types' flown envelopes, computed on first access: commands that fly
    nothing (``coverage``) never pay the seconds of flyout they take."""

    def __init__(self, missiles: list) -> None:
        self._missiles = missiles
        self._envelopes: list[Envelope] | None = None

    def _all(self) -> list[Envelope]:
        if self._envelopes is None:
            self._envelopes = [missile_envelope(m) for m in self._missiles]
        return self._envelopes

    def __getitem__(self, i):
        return self._all()[i]

    def __len__(self) -> int:
        return len(self._missiles)


@dataclass
class FireUnits:
    """Fire units (axis 0 = unit)."""

    name: list[str]
    system: list[str]
    xyz: np.ndarray
    picture: np.ndarray  # index of the track picture (tracker) the unit's radars feed
    fight_picture: np.ndarray  # index of the picture the unit fights from
    magazine: np.ndarray  # (n_units, n_types) ready rounds
    carries: np.ndarray  # (n_units, n_types) missile types the unit's system fires
    target_channels: np.ndarray
    missile_channels: np.ndarray
    reaction_s: np.ndarray
    launch_interval_s: np.ndarray
    fc_radar: np.ndarray = field(default_factory=lambda: np.zeros(0, int))  # per unit


@dataclass
class World:
    scenario: Scenario
    frame: MapFrame
    times: np.ndarray
    assets_xy: np.ndarray
    asset_names: list[str]
    asset_radius_m: np.ndarray
    asset_value: np.ndarray
    threats: Threats
    radars: RadarSet
    units: FireUnits
    missiles: MissileTypes
    picture_names: list[str]  # tracker pictures
    # Pictures the units fight from: the tracker pictures themselves, or with
    # ``network_fusion: track`` one per network fused from its units' pictures.
    fight_picture_names: list[str]
    terrain: Terrain | None = None
    environment: Environment | None = None
    # What the engine wires (tracker, threat evaluation, assignment, sensor); the truth
    # above was built with its trajectory kinds.
    components: Components | None = None
    # Deterministic per-tick radar looks, reused by every batch run on this World.
    scan_cache: dict = field(default_factory=dict, repr=False)
    # Figures the reports derive from the World alone (leak_causes.in_reach), kept per World.
    derived: dict = field(default_factory=dict, repr=False)


def build_world(
    scenario: Scenario,
    catalog: CatalogFile,
    scenario_dir: Path | None = None,
    dem: Path | None = None,
    components: Components | None = None,
) -> World:
    """Convert every scenario and catalog figure to SI arrays in the map frame.

    ``dem`` (a GeoTIFF) overrides the scenario's ``terrain.dem``, which is read relative to
    ``scenario_dir``. ``components`` (default: the scenario's,
    :meth:`Components.from_scenario`) name the trajectory kinds the truth is built with and
    what the engine wires.
    """
    if components is None:
        components = Components.from_scenario(scenario)
    first = scenario.defended_assets[0]
    frame = MapFrame(first.lat_deg, first.lon_deg)
    n_steps = int(np.ceil(scenario.duration_s / scenario.time_step_s - 1e-9))
    times = np.arange(n_steps + 1) * scenario.time_step_s
    ax, ay = frame.to_map(
        [a.lat_deg for a in scenario.defended_assets], [a.lon_deg for a in scenario.defended_assets]
    )
    terrain = load_terrain(scenario, scenario_dir, frame, dem)
    threats = _build_threats(scenario, catalog, frame, times, terrain, components.trajectories)
    missiles = _build_missile_types(scenario, catalog)
    units, pictures, fight_pictures = _build_units(scenario, catalog, frame, missiles)
    radars = _build_radars(scenario, catalog, frame, units, threats, terrain)
    environment = radar_environment(scenario, frame, radars)
    units.fc_radar = fire_control_radars(radars, len(units.name))
    return World(
        scenario=scenario,
        frame=frame,
        times=times,
        assets_xy=np.stack([ax, ay], axis=-1).reshape(-1, 2),
        asset_names=[a.name for a in scenario.defended_assets],
        asset_radius_m=np.array([a.radius_m for a in scenario.defended_assets]),
        asset_value=np.array([a.value for a in scenario.defended_assets]),
        threats=threats,
        radars=radars,
        units=units,
        missiles=missiles,
        picture_names=pictures,
        fight_picture_names=fight_pictures,
        terrain=terrain,
        environment=environment,
        components=components,
    )


def radar_environment(scenario: Scenario, frame: MapFrame, radars: RadarSet):
    """Jammers and each radar's site clutter, or None when there are neither."""
    gamma = unit_clutter_gamma_db(scenario)[radars.unit_index] if len(radars) else np.zeros(0)
    return _build_environment(scenario, frame, gamma)


def unit_clutter_gamma_db(scenario: Scenario) -> np.ndarray:
    """Clutter gamma (dB at 10 GHz) at every fire unit's site:
    the scenario's ``clutter.gamma_db`` where it has one, else the default of the site's
    surface type (:data:`iadsim.radar.multipath.SURFACES`), NaN over ``surface: none``."""
    gammas = []
    for unit in scenario.fire_units:
        kind = SURFACES.get((unit.surface or scenario.surface).type)
        if scenario.clutter is not None:
            gamma = scenario.clutter.gamma_db
        else:
            gamma = kind.clutter_gamma_db if kind is not None else np.nan
        gammas.append(gamma)
    return np.array(gammas)


def _build_environment(scenario: Scenario, frame: MapFrame, unit_gamma_db) -> Environment | None:
    """Stand-off jammers and clutter, or None when the scenario has neither. Clutter is on
    wherever a site has a surface (land or sea; docs/models.md) or the scenario sets it."""
    has_clutter = scenario.clutter is not None or bool(np.isfinite(unit_gamma_db).any())
    if not scenario.jammers and not has_clutter:
        return None
    jx, jy = frame.to_map(
        [j.lat_deg for j in scenario.jammers], [j.lon_deg for j in scenario.jammers]
    )
    return Environment(
        jammer_xyz=np.stack(
            [np.atleast_1d(jx), np.atleast_1d(jy), [j.alt_m for j in scenario.jammers]], axis=-1
        ).reshape(-1, 3),
        jammer_erp_w=np.array([j.erp_w for j in scenario.jammers]),
        jammer_bandwidth_hz=np.array([j.bandwidth_mhz * 1e6 for j in scenario.jammers]),
        clutter_gamma_db=unit_gamma_db if has_clutter else None,
        clutter_improvement_db=(scenario.clutter or Clutter()).improvement_db,
    )


def load_terrain(scenario: Scenario, scenario_dir, frame: MapFrame, dem) -> Terrain | None:
    """The DEM named on the command line or in the scenario, if any."""
    if dem is None and scenario.terrain is not None:
        dem = Path(scenario.terrain.dem)
        if not dem.is_absolute() and scenario_dir is not None:
            dem = Path(scenario_dir) / dem
    return Terrain.from_geotiff(dem, frame) if dem is not None else None


def _build_threats(scenario, catalog, frame, times, terrain=None, kinds=None) -> Threats:
    """Every threat group's truth, built by its trajectory kind (``kinds``: kind name ->
    builder; default the built-in :data:`iadsim.truth.kinds.KINDS`)."""
    if kinds is None:
        from iadsim.truth.kinds import KINDS as kinds
    cols: dict[str, list] = {k: [] for k in Threats.__dataclass_fields__}
    for group in scenario.threats:
        entry = catalog.threats[group.type]
        launch = group.launch_time_s + group.spacing_s * np.arange(group.count)
        first = sum(len(c) for c in cols["launch_s"])
        if kind_of(group) != "mission":
            _add_threat_rows(cols, kinds, group, entry, frame, times, terrain, launch)
            continue
        weapon = catalog.threats[group.weapon]
        standoff = weapon.standoff_range_km.value * 1e3
        plan = plan_of(group, entry, frame, standoff)
        _add_threat_rows(cols, kinds, group, entry, frame, times, terrain, launch,
                         release=launch + plan.release_elapsed_s, standoff_m=standoff)  # fmt: skip
        ax, ay = frame.to_map(group.aim.lat_deg, group.aim.lon_deg)
        route = np.array([plan.release_xyz, [float(ax), float(ay), 0.0]])
        released = SimpleNamespace(
            name=f"{group.name}-{group.weapon}",
            type=group.weapon,
            count=group.count,
            route=None,
            jammer=None,
            reaction=None,
        )
        _add_threat_rows(cols, kinds, released, weapon, frame, times, terrain,
                         launch + plan.release_elapsed_s, parent=first + np.arange(group.count),
                         route_xyz=route)  # fmt: skip
    arrays = {
        k: (v if k in ("ids", "type_name", "threat_class") else np.concatenate(v))
        for k, v in cols.items()
    }
    return Threats(**arrays)


def _add_threat_rows(cols, kinds, group, entry, frame, times, terrain, launch, release=None,
                     standoff_m=None, parent=None, route_xyz=None) -> None:  # fmt: skip
    """Append one group's members (their truth on the time grid and catalog figures)."""
    elapsed = times[None, :] - launch[:, None]
    if route_xyz is not None:  # a released weapon: straight from release to the target
        pos, vel, flight = waypoint_positions(route_xyz, entry.speed_mps.value, elapsed)
    else:
        extra = {"standoff_m": standoff_m} if standoff_m is not None else {}
        pos, vel, flight = kinds[kind_of(group)](group, entry, frame, terrain, elapsed, **extra)
    table = np.array(
        [[getattr(entry.rcs_dbsm.value[b], a) for a in ("nose", "beam", "tail")] for b in BANDS]
    )
    n = group.count
    cols["ids"] += [f"{group.name}-{i + 1}" for i in range(n)]
    cols["type_name"] += [group.type] * n
    cols["threat_class"] += [entry.threat_class] * n
    cols["pos"].append(pos)
    cols["vel"].append(vel)
    cols["launch_s"].append(launch)
    cols["arrival_s"].append(launch + flight)
    cols["rcs_dbsm"].append(np.broadcast_to(table, (n, *table.shape)))
    cols["swerling"].append(np.full(n, entry.swerling))
    cols["unit_cost_usd"].append(np.full(n, entry.unit_cost_usd.value))
    cols["is_weapon"].append(np.full(n, entry.threat_class in WEAPON_CLASSES))
    jam = getattr(group, "jammer", None)
    cols["ssj_erp_w"].append(np.full(n, jam.erp_w if jam else 0.0))
    cols["ssj_bandwidth_hz"].append(np.full(n, jam.bandwidth_mhz * 1e6 if jam else 1.0))
    cols["parent"].append(np.full(n, -1) if parent is None else np.asarray(parent))
    cols["release_s"].append(np.full(n, np.nan) if release is None else np.asarray(release))
    defence = entry.defence
    reaction = NONE
    # Only mission aircraft react for now: a waypoint group's path ends at its release point
    # (its "leak"), which an aircraft turning home would never reach.
    if defence is not None and defence.rwr.value and kind_of(group) == "mission":
        name = group.reaction if group.reaction is not None else defence.reaction.value
        reaction = MANOEUVRES.index(name)
    cols["reaction"].append(np.full(n, reaction))
    cols["reaction_delay_s"].append(np.full(n, defence.reaction_delay_s.value if defence else 0.0))
    cols["evade_hold_s"].append(np.full(n, defence.hold_s.value if defence else 0.0))
    cols["speed_mps"].append(np.full(n, entry.speed_mps.value))
    cols["max_accel_g"].append(np.full(n, entry.max_accel_g.value))
    home = pos[:, 0] if route_xyz is None else np.broadcast_to(route_xyz[0], (n, 3))
    if group.route is not None:
        x, y = frame.to_map(group.route[0].lat_deg, group.route[0].lon_deg)
        home = np.broadcast_to([float(x), float(y), group.route[0].alt_m], (n, 3))
    cols["home_xyz"].append(np.array(home, float).reshape(n, 3))


def _build_missile_types(scenario, catalog) -> MissileTypes:
    names: list[str] = []
    for unit in scenario.fire_units:
        for m in catalog.systems[unit.system].missiles:
            if m not in names:
                names.append(m)
    ms = [catalog.missiles[n] for n in names]

    def col(get) -> np.ndarray:
        return np.array([get(m) for m in ms], float)

    return MissileTypes(
        name=names,
        airframes=from_catalog(dict(zip(names, ms, strict=True))),
        min_range_m=col(lambda m: m.min_range_km.value * 1e3),
        max_range_m=col(lambda m: m.max_range_km.value * 1e3),
        min_alt_m=col(lambda m: m.min_altitude_m.value),
        max_target_speed=col(
            lambda m: m.max_target_speed_mps.value if m.max_target_speed_mps else np.inf
        ),
        lethal_radius_m=col(lambda m: m.lethal_radius_m.value),
        hit_to_kill=np.array([m.warhead == "hit_to_kill" for m in ms], bool),
        pk=col(lambda m: m.pk.value),
        unit_cost_usd=col(lambda m: m.unit_cost_usd.value),
        envelopes=LazyEnvelopes(ms),
    )


def missile_envelope(missile) -> Envelope:
    """The flown kinematic envelope of a catalog missile entry.

    Cached per process on the kernel parameters that shape it, so a modified catalog entry
    gets its own envelope rather than the bundled one's.
    """
    airframe = from_catalog({missile.name: missile})
    return _cached_envelope(
        tuple(airframe.params[0]), tuple(airframe.mach[0]), tuple(airframe.cd0[0])
    )


@cache
def _cached_envelope(params, mach, cd0) -> Envelope:
    airframe = Airframes(np.array([params]), np.array([mach]), np.array([cd0]), ["missile"])
    return compute_envelope(airframe)


def _build_units(scenario, catalog, frame, missiles) -> tuple[FireUnits, list[str], list[str]]:
    """Units, the tracker pictures and the pictures the units fight from. With measurement
    fusion a network's radars feed one tracker picture, which its units fight from; with
    track fusion every unit tracks alone and the network's units fight from the fusion of
    their pictures."""
    pictures: list[str] = []
    fights: list[str] = []
    picture, fight = [], []
    magazine = np.zeros((len(scenario.fire_units), len(missiles.name)), int)
    carries = np.zeros(magazine.shape, bool)
    for i, unit in enumerate(scenario.fire_units):
        shared = f"network:{unit.network}" if unit.network else f"unit:{unit.name}"
        own = shared if scenario.network_fusion == "measurement" else f"unit:{unit.name}"
        for names, key, index in ((pictures, own, picture), (fights, shared, fight)):
            if key not in names:
                names.append(key)
            index.append(names.index(key))
        system = catalog.systems[unit.system]
        for m in system.missiles:
            carries[i, missiles.name.index(m)] = True
        loadout = unit.loadout if unit.loadout is not None else system.default_loadout
        for m, count in loadout.items():
            magazine[i, missiles.name.index(m)] = count
    systems = [catalog.systems[u.system] for u in scenario.fire_units]
    x, y = frame.to_map(
        [u.lat_deg for u in scenario.fire_units], [u.lon_deg for u in scenario.fire_units]
    )
    return (
        FireUnits(
            name=[u.name for u in scenario.fire_units],
            system=[u.system for u in scenario.fire_units],
            xyz=np.stack([x, y, np.zeros_like(x)], axis=-1).reshape(-1, 3),
            picture=np.array(picture),
            fight_picture=np.array(fight),
            magazine=magazine,
            carries=carries,
            target_channels=np.array([s.target_channels.value for s in systems], int),
            missile_channels=np.array([s.missile_channels.value for s in systems], int),
            reaction_s=np.array([s.reaction_time_s.value for s in systems]),
            launch_interval_s=np.array([s.launch_interval_s.value for s in systems]),
        ),
        pictures,
        fights,
    )


def _setting(own, name: str, figure):
    """The scenario's setting of a radar figure, else the catalog's (None if neither)."""
    value = getattr(own, name) if own is not None else None
    if value is not None:
        return value
    return figure.value if figure is not None else None


def fire_control_radars(radars: RadarSet, n_units: int) -> np.ndarray:
    """Per fire unit, its precision (engagement or multifunction) radar that guides its
    missiles: the last one the system lists (catalog convention)."""
    fc = np.full(n_units, -1)
    for s in np.flatnonzero(radars.precision):
        fc[radars.unit_index[s]] = s
    if (fc < 0).any():
        raise ValueError(f"fire unit {int(np.argmax(fc < 0))} has no precision radar")
    return fc


def max_threat_speed_mps(threats: Threats) -> float:
    """The fastest speed any threat of the scenario reaches (m/s), for the tracker's
    initiation gate."""
    if len(threats) == 0:
        return 0.0
    return float(np.linalg.norm(threats.vel, axis=-1).max())


FALSE_ALARMS_PER_SCAN = 1.0


def operating_pfa(reference_pfa: float, cells: float) -> float:
    """Pfa of the detection threshold: the reference Pfa, or lower so that a scan averages
    at most FALSE_ALARMS_PER_SCAN noise crossings (the false-alarm-time design rule,
    Skolnik, Intro to Radar Systems 3rd ed., sec. 2.5). A lower Pfa costs detection range
    through the higher required SNR, consistently with the calibration.
    """
    return min(reference_pfa, FALSE_ALARMS_PER_SCAN / max(cells, 1.0))


def resolution_cells(radar) -> float:
    """Range x azimuth x elevation resolution cells searched per scan (false-alarm count).

    Cells = (R_max / dR) (sector / theta_az) (elevation span / theta_el); the expected
    false alarms per scan are Pfa times this (Skolnik, Intro to Radar Systems 3rd ed.,
    sec. 2.5, false-alarm time and number of cells).
    """
    el_span = max(radar.max_elevation_deg.value - radar.min_elevation_deg.value, 0.0)
    return (
        radar.instrumented_range_km.value * 1e3 / radar.range_resolution_m.value
        * max(radar.sector_deg.value / radar.beamwidth_az_deg.value, 1.0)
        * max(el_span / radar.beamwidth_el_deg.value, 1.0)
    )  # fmt: skip


def _build_radars(
    scenario, catalog, frame, units: FireUnits, threats: Threats, terrain
) -> RadarSet:
    rows: dict[str, list] = {k: [] for k in RadarSet.__dataclass_fields__}
    start_xy = threats.pos[:, 0, :2].mean(axis=0) if len(threats) else np.zeros(2)
    for i, unit in enumerate(scenario.fire_units):
        system = catalog.systems[unit.system]
        mast = (
            unit.mast_height_m
            if unit.mast_height_m is not None
            else system.default_mast_height_m.value
        )
        if unit.sector_center_deg is not None:
            center = np.deg2rad(unit.sector_center_deg)
        else:  # face the threat axis: the mean launch point of the raid
            d = start_xy - units.xyz[i, :2]
            center = float(np.arctan2(d[0], d[1]))
        for key in system.radars:
            radar = catalog.radars[key]
            ref = radar.detection_reference
            pulses = int(radar.pulses_per_dwell.value)
            rows["name"].append(f"{unit.name}/{key}")
            rows["catalog_name"].append(key)
            rows["unit_index"].append(i)
            rows["freq_hz"].append(radar.freq_ghz.value * 1e9)
            rows["xyz"].append([units.xyz[i, 0], units.xyz[i, 1], mast])
            rows["band_idx"].append(band_index(radar.band.value))
            rows["loop_constant"].append(
                loop_constant(
                    ref.range_km.value * 1e3,
                    ref.rcs_m2.value,
                    ref.pd,
                    ref.pfa,
                    pulses,
                    ref.swerling,
                )
            )
            rows["pfa"].append(operating_pfa(ref.pfa, resolution_cells(radar)))
            rows["n_pulses"].append(pulses)
            own = unit.radars.get(key)
            rows["revisit_s"].append(_setting(own, "revisit_s", radar.revisit_s))
            rows["beamwidth_az_rad"].append(np.deg2rad(radar.beamwidth_az_deg.value))
            rows["beamwidth_el_rad"].append(np.deg2rad(radar.beamwidth_el_deg.value))
            rows["range_resolution_m"].append(radar.range_resolution_m.value)
            rows["max_range_m"].append(radar.instrumented_range_km.value * 1e3)
            # The published lower coverage limit is the lowest beam's axis; its half-power
            # edge reaches half an elevation beamwidth lower (towards the radar horizon).
            rows["min_elevation_rad"].append(
                np.deg2rad(radar.min_elevation_deg.value - radar.beamwidth_el_deg.value / 2.0)
            )
            rows["max_elevation_rad"].append(np.deg2rad(radar.max_elevation_deg.value))
            rows["sector_center_rad"].append(center)
            rows["sector_half_width_rad"].append(np.deg2rad(radar.sector_deg.value) / 2.0)
            rows["resolution_cells"].append(resolution_cells(radar))
            rows["precision"].append(radar.role != "surveillance")
            rows["steerable"].append(radar.sector_deg.value < 360.0)
            slew = _setting(own, "slew_rate_deg_s", radar.slew_rate_deg_s)
            rows["slew_rate_rad_s"].append(np.deg2rad(slew) if slew else np.inf)
            rows["settle_s"].append(_setting(own, "settle_time_s", radar.settle_time_s) or 0.0)
            _add_low_altitude_figures(rows, radar, unit.surface or scenario.surface, mast)
    rows["site_elevation_m"] = np.zeros(len(rows["name"]))
    if terrain is not None:  # radars stand on the terrain: site elevation + mast
        xyz = np.asarray(rows["xyz"], float)
        terrain.require_covers(xyz[:, 0], xyz[:, 1], "the radars")
        rows["site_elevation_m"] = terrain.elevation_m_at(xyz[:, 0], xyz[:, 1])
        xyz[:, 2] += rows["site_elevation_m"]
        rows["xyz"] = xyz
    width = max((len(p) for p in rows["prf_hz"]), default=1)
    rows["prf_hz"] = np.array([p + [np.nan] * (width - len(p)) for p in rows["prf_hz"]])
    rows["prf_hz"] = rows["prf_hz"].reshape(len(rows["name"]), width)
    lists = ("name", "catalog_name")
    return RadarSet(**{k: (v if k in lists else np.asarray(v)) for k, v in rows.items()})


def _add_low_altitude_figures(rows: dict, radar, surface, mast_m: float) -> None:
    """Surface (multipath) and Doppler-processing figures of one radar at one site."""
    kind = SURFACES.get(surface.type)
    freq = radar.freq_ghz.value * 1e9
    rows["antenna_height_m"].append(mast_m)
    rows["surface_on"].append(kind is not None)
    rows["surface_eps"].append(complex(surface_permittivity(surface.type, freq)) if kind else 1.0)
    rough = surface.roughness_m if surface.roughness_m is not None else 0.0
    if surface.roughness_m is None and kind is not None:
        rough = kind.roughness_m
    rows["surface_roughness_m"].append(rough)
    pol = radar.polarization.value if radar.polarization else "H"
    rows["vertical_pol"].append(pol == "V")
    has_doppler = radar.prf_hz is not None
    rows["doppler_on"].append(has_doppler)
    rows["prf_hz"].append(list(radar.prf_hz.value) if has_doppler else [np.nan])
    rows["mti_pulses"].append(int(radar.mti_pulses.value) if radar.mti_pulses else 0)
    rows["notch_width_mps"].append(
        radar.clutter_notch_mps.value if radar.clutter_notch_mps else 0.0
    )
