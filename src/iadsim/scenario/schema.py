"""Scenario file schema (YAML, readable units in the key names).

Every field is documented in docs/scenario-format.md. Checks that span several fields or
the catalog live in :mod:`iadsim.scenario.loader`, so each error can name its exact path.
"""

from __future__ import annotations

import math
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from iadsim.catalog.schema import ThreatClass


class _Strict(BaseModel):
    # strict: a YAML `true` or "41.0" is not a number, 2.5 is not a count
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    @field_validator("*", mode="before")
    @classmethod
    def _finite_numbers(cls, v):
        # before the range checks, so NaN gets this message and not "less than 180"
        values = v if isinstance(v, list) else [v]
        if any(isinstance(x, float) and not math.isfinite(x) for x in values):
            raise ValueError("must be a finite number (NaN and infinity are not allowed)")
        return v


class GeoPoint(_Strict):
    lat_deg: float = Field(ge=-90.0, le=90.0)
    lon_deg: float = Field(ge=-180.0, le=180.0)


class Waypoint(GeoPoint):
    alt_m: float = Field(ge=0.0, le=100_000.0)


class Earth(_Strict):
    k_factor: float = Field(4.0 / 3.0, gt=0.5, le=10.0)


class DefendedAsset(GeoPoint):
    name: str = Field(min_length=1)
    value: float = Field(1.0, gt=0.0)
    radius_m: float = Field(2000.0, gt=0.0)


class ClassDoctrine(_Strict):
    """Doctrine for one threat class: salvo size and engagement priority."""

    salvo_size: int | None = Field(None, ge=1, le=4)
    priority: float = Field(1.0, gt=0.0, le=100.0)


class Doctrine(_Strict):
    """How a fire unit spends its missiles (docs/scenario-format.md)."""

    # weapon-target assignment rule: "optimal", "greedy" or an installed plugin's name
    # (iadsim.components; checked in the loader so the error lists what is installed)
    assignment: str = Field("optimal", min_length=1)
    salvo_size: int = Field(1, ge=1, le=4)
    mode: Literal["shoot-look-shoot", "shoot-shoot"] = "shoot-look-shoot"
    kill_assessment_delay_s: float = Field(5.0, ge=0.0, le=600.0)
    hold_fire_below_value: float = Field(0.0, ge=0.0)
    self_defense_value: float = Field(0.0, ge=0.0)
    by_class: dict[ThreatClass, ClassDoctrine] = Field(default_factory=dict)

    def salvo(self, threat_class: str) -> int:
        """Missiles per engagement for a class: shoot-shoot fires at least two."""
        own = self.by_class.get(threat_class)
        size = own.salvo_size if own and own.salvo_size else self.salvo_size
        return max(size, 2) if self.mode == "shoot-shoot" else size

    def priority(self, threat_class: str) -> float:
        own = self.by_class.get(threat_class)
        return own.priority if own else 1.0


class Tracking(_Strict):
    """The tracker every track picture runs (docs/scenario-format.md, ``tracking``)."""

    filter: Literal["cv", "imm"] = "cv"  # constant-velocity Kalman, or CV + CA IMM
    association: Literal["gnn", "jpda"] = "gnn"  # firm tracks; tentative ones always GNN
    confirm_hits: int = Field(3, ge=1, le=50)  # M of M-of-N confirmation
    confirm_window: int = Field(5, ge=1, le=50)  # N
    gate_probability: float = Field(0.999, gt=0.0, lt=1.0)  # chi-square gate, firm tracks
    coast_scans: float = Field(6.0, gt=0.0, le=1000.0)  # revisits without update to drop
    detection_probability: float = Field(0.9, gt=0.0, le=1.0)  # JPDA's P_D
    clutter_density_per_km3: float = Field(1e-3, gt=0.0, le=1e6)  # JPDA's false alarms

    @field_validator("confirm_window")
    @classmethod
    def _m_of_n(cls, v, info):
        hits = info.data.get("confirm_hits")
        if hits is not None and hits > v:
            raise ValueError(f"confirm_hits ({hits}) must not exceed confirm_window ({v})")
        return v


class RadarSettings(_Strict):
    """How one of a fire unit's radars is operated, overriding the catalog's figures."""

    revisit_s: float | None = Field(None, ge=0.05, le=60.0)
    slew_rate_deg_s: float | None = Field(None, gt=0.0, le=360.0)
    settle_time_s: float | None = Field(None, ge=0.0, le=600.0)


SurfaceName = Literal["sea", "land", "wet_land", "dry_land", "none"]


class Surface(_Strict):
    """The surface around a radar site: it reflects (multipath) and returns clutter.

    ``none`` is free space: no surface reflection and no default clutter. ``roughness_m``
    is the rms surface height (default by type, docs/models.md).
    """

    type: SurfaceName = "land"
    roughness_m: float | None = Field(None, ge=0.0, le=30.0)


class FireUnit(GeoPoint):
    name: str = Field(min_length=1)
    system: str = Field(min_length=1)
    mast_height_m: float | None = Field(None, ge=0.0, le=100.0)
    loadout: dict[str, int] | None = None
    network: str | None = None
    sector_center_deg: float | None = Field(None, ge=0.0, lt=360.0)
    doctrine: Doctrine | None = None
    radars: dict[str, RadarSettings] = Field(default_factory=dict)  # by catalog radar name
    surface: Surface | None = None  # None: the scenario's surface

    @field_validator("loadout")
    @classmethod
    def _non_negative_loadout(cls, v):
        if v is not None:
            for name, count in v.items():
                if count < 0:
                    raise ValueError(f"missile count for {name!r} must be >= 0")
        return v


class TerrainSpec(_Strict):
    dem: str = Field(min_length=1)


class SelfScreeningJammer(_Strict):
    erp_w: float = Field(gt=0.0, le=1e9)
    bandwidth_mhz: float = Field(gt=0.0, le=1e5)


class StandOffJammer(GeoPoint):
    name: str = Field(min_length=1)
    alt_m: float = Field(ge=0.0, le=30_000.0)
    erp_w: float = Field(gt=0.0, le=1e9)
    bandwidth_mhz: float = Field(gt=0.0, le=1e5)


class Clutter(_Strict):
    gamma_db: float = Field(-15.0, ge=-60.0, le=0.0)
    improvement_db: float = Field(40.0, ge=0.0, le=90.0)


class ThreatGroup(_Strict):
    name: str = Field(min_length=1)
    type: str = Field(min_length=1)
    count: int = Field(1, ge=1, le=10_000)
    launch_time_s: float = Field(0.0, ge=0.0)
    spacing_s: float = Field(0.0, ge=0.0)
    route: list[Waypoint] | None = None
    launch: GeoPoint | None = None
    aim: GeoPoint | None = None
    apogee_m: float | None = Field(None, gt=0.0, le=1_500_000.0)
    jammer: SelfScreeningJammer | None = None
    # How the group flies (truth/kinds.py); None: `route` -> waypoints, else ballistic.
    # (waypoints, ballistic, terrain_following, loiter, mission, or an installed plugin kind)
    trajectory: str | None = Field(None, min_length=1)
    height_agl_m: float | None = Field(None, ge=0.0, le=5_000.0)  # terrain following
    # Loiter: orbit the route's last waypoint for loiter_s, then strike `aim` or leave.
    loiter_s: float | None = Field(None, ge=0.0, le=86_400.0)
    after_loiter: Literal["strike", "leave"] = "strike"
    # Mission: ingress along `route`, release `weapon` at its stand-off range from `aim`,
    # egress; `reaction` overrides the catalog's reaction to a launch (truth/evasion.py).
    weapon: str | None = Field(None, min_length=1)
    reaction: Literal["none", "turn_away", "beam"] | None = None

    @field_validator("route")
    @classmethod
    def _two_points(cls, v):
        if v is not None and len(v) < 2:
            raise ValueError("a route needs at least 2 waypoints (start and aim point)")
        return v


class Reflector(_Strict):
    """A signature enhancer carried in peacetime, e.g. a Luneburg-lens reflector: it adds
    ``rcs_m2`` to the airframe's RCS for aspects within ``half_angle_deg`` of its body-frame
    boresight (``az_deg``, ``el_deg``; el -90 looks straight down)."""

    name: str = Field("lens", min_length=1)
    rcs_m2: float = Field(gt=0.0, le=1e4)
    az_deg: float = Field(0.0, ge=0.0, lt=360.0)
    el_deg: float = Field(-90.0, ge=-90.0, le=90.0)
    half_angle_deg: float = Field(60.0, gt=0.0, le=180.0)


class Flight(_Strict):
    """A friendly aircraft's flight plan, flown ``sorties`` times (``iadsim exposure``)."""

    name: str = Field(min_length=1)
    type: str = Field(min_length=1)
    route: list[Waypoint]
    sorties: int = Field(1, ge=1, le=10_000)
    speed_mps: float | None = Field(None, gt=0.0, le=1500.0)  # default: the catalog's
    turn_g: float | None = Field(None, gt=1.0, le=15.0)  # default: the catalog's g limit
    reflectors: list[Reflector] = Field(default_factory=list)
    rcs_table: str | None = Field(None, min_length=1)  # CSV two-angle table (rcs_table.py)

    @field_validator("route")
    @classmethod
    def _two_points(cls, v):
        if len(v) < 2:
            raise ValueError("a route needs at least 2 waypoints")
        return v


class Alternative(_Strict):
    """A named variant of the defence: it replaces the scenario's fire units."""

    name: str = Field(min_length=1)
    description: str = ""
    fire_units: list[FireUnit] = Field(min_length=1)
    network_fusion: Literal["measurement", "track"] | None = None  # None: the scenario's


# A study runs every alternative at every sweep value, and validation checks each value
# against the whole scenario: bound the count before anything expands.
MAX_SWEEP_VALUES = 1_000


class SweepRange(_Strict):
    """Evenly spaced sweep values: start, start + step, ... up to stop (included).

    The arithmetic is decimal on the numbers as written, so ``{start: 1, stop: 2, step: 0.1}``
    gives 1.7, not 1.7000000000000002, and reaches 2.0 exactly.
    """

    start: float
    stop: float
    step: float = Field(gt=0.0)

    @field_validator("stop")
    @classmethod
    def _not_before_start(cls, v: float, info: ValidationInfo) -> float:
        start = info.data.get("start")
        if start is not None and v < start:
            raise ValueError(f"must be >= start ({start:g})")
        return v

    @field_validator("step")
    @classmethod
    def _bounded_count(cls, v: float, info: ValidationInfo) -> float:
        start, stop = info.data.get("start"), info.data.get("stop")
        if start is not None and stop is not None:
            count = _steps(start, stop, v) + 1
            if count > MAX_SWEEP_VALUES:
                how_many = f"{int(count):,}" if count < 10**9 else f"about 1e{count.adjusted()}"
                raise ValueError(
                    f"from {start:g} to {stop:g} gives {how_many} values; at most "
                    f"{MAX_SWEEP_VALUES:,} (use a larger step)"
                )
        return v

    def points(self) -> list[float]:
        start, step = Decimal(repr(self.start)), Decimal(repr(self.step))
        count = int(_steps(self.start, self.stop, self.step)) + 1
        return [float(start + k * step) for k in range(count)]


def _steps(start: float, stop: float, step: float) -> Decimal:
    """Whole steps from start to stop, in decimal (exact for 1e300 / 1e-300 too)."""
    return ((Decimal(repr(stop)) - Decimal(repr(start))) / Decimal(repr(step))).to_integral_value(
        rounding=ROUND_FLOOR
    )


class Sweep(_Strict):
    """One numeric scenario field and the values a study runs it through: a list
    (``values``) or evenly spaced (``range: {start, stop, step}``).

    ``parameter`` is a dotted path into the scenario, e.g. ``threats[0].count``,
    ``fire_units[1].mast_height_m`` or ``earth.k_factor``.
    """

    parameter: str = Field(min_length=1)
    values: list[float] | None = Field(None, min_length=1, max_length=MAX_SWEEP_VALUES)
    range: SweepRange | None = None

    @model_validator(mode="after")
    def _values_or_range(self) -> Sweep:
        if (self.values is None) == (self.range is None):
            raise ValueError("give either `values` (a list) or `range` (start, stop, step)")
        return self

    def points(self) -> list[float]:
        """The sweep values, in order."""
        return list(self.values) if self.values is not None else self.range.points()

    def where(self, j: int) -> str:
        """The field path of value j, for messages."""
        return f"sweep.values[{j}]" if self.values is not None else f"sweep.range (value {j})"


class Scenario(_Strict):
    name: str = Field(min_length=1)
    description: str = ""
    seed: int = Field(0, ge=0)
    duration_s: float = Field(gt=0.0, le=86_400.0)
    time_step_s: float = Field(1.0, gt=0.0)
    earth: Earth = Earth()
    terrain: TerrainSpec | None = None
    surface: Surface = Surface()
    clutter: Clutter | None = None
    jammers: list[StandOffJammer] = Field(default_factory=list)
    doctrine: Doctrine = Doctrine()
    tracking: Tracking = Tracking()
    # How units on one network share their picture: the radars' measurements feed one
    # tracker ("measurement"), or each unit tracks alone and the local tracks are fused
    # ("track": track-to-track association and covariance intersection).
    network_fusion: Literal["measurement", "track"] = "measurement"
    defended_assets: list[DefendedAsset] = Field(min_length=1)
    fire_units: list[FireUnit] = Field(min_length=1)
    threats: list[ThreatGroup] = Field(default_factory=list)  # at least one, or flights
    flights: list[Flight] = Field(default_factory=list)
    alternatives: list[Alternative] = Field(default_factory=list)
    sweep: Sweep | None = None
    # Where the scenario came from (set by the loader; not part of its content): the name
    # errors and outputs give it, and the folder its relative file paths are read from.
    _source_file: str | None = PrivateAttr(None)
    _source_dir: Path | None = PrivateAttr(None)

    @property
    def source_file(self) -> str:
        return self._source_file or "<scenario>"

    @property
    def source_dir(self) -> Path | None:
        return self._source_dir
