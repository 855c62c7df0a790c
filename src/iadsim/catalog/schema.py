"""Pydantic models of the catalog files (``catalog/data/*.yaml``).

Every physical figure is a :class:`Sourced` value: the number, the public page it comes
from and whether it is an estimate. Units are in the field names (``_km``, ``_mps``...);
the loader converts to SI for the engine (see :mod:`iadsim.catalog.entries`).
"""

from __future__ import annotations

import math
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

BANDS = ("VHF", "UHF", "L", "S", "C", "X", "Ku")
ASPECTS = ("nose", "beam", "tail")
ThreatClass = Literal["aircraft", "drone", "cruise_missile", "ballistic_missile"]
THREAT_CLASSES = get_args(ThreatClass)
# Radar revisit periods the tracker's initiation and deletion rules are built for.
MIN_REVISIT_S, MAX_REVISIT_S = 0.05, 60.0


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Sourced(_Strict):
    """A catalog figure with its public source."""

    value: float
    source: str = Field(min_length=8)
    estimate: bool
    note: str | None = None

    @field_validator("value")
    @classmethod
    def _finite(cls, v: float) -> float:
        if not math.isfinite(v):
            raise ValueError("must be a finite number")
        return v


class SourcedBand(_Strict):
    """A radar band designation with its source."""

    value: Literal["VHF", "UHF", "L", "S", "C", "X", "Ku", "Ka"]
    source: str = Field(min_length=8)
    estimate: bool
    note: str | None = None


class AspectRcs(_Strict):
    nose: float
    beam: float
    tail: float


class SourcedRcsTable(_Strict):
    """RCS in dBsm by band and aspect (nose, beam, tail), one source for the table."""

    value: dict[Literal["VHF", "UHF", "L", "S", "C", "X", "Ku"], AspectRcs]
    source: str = Field(min_length=8)
    estimate: bool
    note: str | None = None

    @field_validator("value")
    @classmethod
    def _all_bands(cls, v: dict) -> dict:
        missing = [b for b in BANDS if b not in v]
        if missing:
            raise ValueError(f"RCS table must give every band {list(BANDS)}; missing {missing}")
        return v


class DetectionReference(_Strict):
    """A published detection range against a stated RCS, used to calibrate the radar.

    The engine derives the radar's loop constant from it (see docs/models.md).
    """

    range_km: Sourced
    rcs_m2: Sourced
    pd: float = Field(0.5, gt=0.0, lt=1.0)
    pfa: float = Field(1e-6, gt=0.0, lt=1.0)
    swerling: int = Field(1, ge=0, le=4)


class Radar(_Strict):
    name: str
    role: Literal["surveillance", "engagement", "multifunction"]
    band: SourcedBand
    freq_ghz: Sourced
    peak_power_kw: Sourced
    beamwidth_az_deg: Sourced
    beamwidth_el_deg: Sourced
    range_resolution_m: Sourced
    revisit_s: Sourced
    pulses_per_dwell: Sourced
    instrumented_range_km: Sourced
    min_elevation_deg: Sourced
    max_elevation_deg: Sourced
    sector_deg: Sourced
    detection_reference: DetectionReference
    target_channels: Sourced | None = None
    missile_channels: Sourced | None = None
    # A sector radar's face turns on its mount (mechanical slew, then settling); required
    # for radars whose sector is narrower than 360 deg.
    slew_rate_deg_s: Sourced | None = None
    settle_time_s: Sourced | None = None

    @field_validator("revisit_s")
    @classmethod
    def _revisit_range(cls, v: Sourced) -> Sourced:
        if not MIN_REVISIT_S <= v.value <= MAX_REVISIT_S:
            raise ValueError(
                f"revisit_s.value: got {v.value!r}; allowed {MIN_REVISIT_S} to {MAX_REVISIT_S} s"
            )
        return v

    @field_validator("slew_rate_deg_s")
    @classmethod
    def _positive_slew(cls, v: Sourced | None) -> Sourced | None:
        if v is not None and not v.value > 0.0:
            raise ValueError(f"slew_rate_deg_s.value: got {v.value!r}; must be > 0 deg/s")
        return v

    @field_validator("settle_time_s")
    @classmethod
    def _settle_non_negative(cls, v: Sourced | None) -> Sourced | None:
        if v is not None and not 0.0 <= v.value <= 600.0:
            raise ValueError(f"settle_time_s.value: got {v.value!r}; allowed 0 to 600 s")
        return v

    @model_validator(mode="after")
    def _sector_radars_turn(self):
        if self.sector_deg.value < 360.0 and self.slew_rate_deg_s is None:
            raise ValueError(
                f"slew_rate_deg_s: missing; a sector radar ({self.sector_deg.value:g} deg) "
                "needs the slew rate of its face (deg/s, > 0)"
            )
        return self


class Missile(_Strict):
    name: str
    system: str
    max_range_km: Sourced
    min_range_km: Sourced
    max_altitude_km: Sourced
    min_altitude_m: Sourced
    speed_mps: Sourced
    boost_time_s: Sourced
    max_accel_g: Sourced
    ballistic_coefficient_kg_m2: Sourced
    lethal_radius_m: Sourced
    pk: Sourced
    unit_cost_usd: Sourced
    max_target_speed_mps: Sourced | None = None


class System(_Strict):
    name: str
    description: str
    radars: list[str] = Field(min_length=1)
    missiles: list[str] = Field(min_length=1)
    default_loadout: dict[str, int]
    launchers: Sourced
    target_channels: Sourced
    missile_channels: Sourced
    reaction_time_s: Sourced
    launch_interval_s: Sourced
    default_mast_height_m: Sourced


class SourcedDragCurve(_Strict):
    """Zero-lift drag coefficient against Mach number (on the reference area)."""

    mach: list[float] = Field(min_length=2)
    cd: list[float] = Field(min_length=2)
    source: str = Field(min_length=8)
    estimate: bool
    note: str | None = None

    @model_validator(mode="after")
    def _table(self):
        if len(self.mach) != len(self.cd):
            raise ValueError("drag curve: `mach` and `cd` need the same length")
        if any(b <= a for a, b in zip(self.mach, self.mach[1:], strict=False)):
            raise ValueError("drag curve: `mach` must increase")
        if any(c < 0.0 or not math.isfinite(c) for c in self.cd):
            raise ValueError("drag curve: `cd` must be finite and >= 0")
        return self


class BallisticBody(_Strict):
    """Motor and airframe of a ballistic missile (truth/ballistic.py)."""

    launch_mass_kg: Sourced
    propellant_mass_kg: Sourced
    burn_time_s: Sourced
    isp_s: Sourced
    diameter_m: Sourced
    drag: SourcedDragCurve

    @model_validator(mode="after")
    def _masses(self):
        if not 0.0 < self.propellant_mass_kg.value < self.launch_mass_kg.value:
            raise ValueError("propellant_mass_kg must be > 0 and below launch_mass_kg")
        for name in ("burn_time_s", "isp_s", "diameter_m"):
            if getattr(self, name).value <= 0.0:
                raise ValueError(f"{name} must be > 0")
        return self


class TerrainFollowing(_Strict):
    """How a cruise missile hugs the terrain (truth/terrain_following.py)."""

    clearance_m: Sourced  # set height above ground
    max_climb_deg: Sourced  # flight-path angle limit, climb and dive
    max_vertical_g: Sourced  # normal-acceleration limit of the vertical channel

    @model_validator(mode="after")
    def _limits(self):
        if self.clearance_m.value < 0.0:
            raise ValueError("clearance_m must be >= 0")
        if not 0.0 < self.max_climb_deg.value < 90.0:
            raise ValueError("max_climb_deg must be in (0, 90)")
        if self.max_vertical_g.value <= 0.0:
            raise ValueError("max_vertical_g must be > 0")
        return self


class Threat(_Strict):
    name: str
    threat_class: ThreatClass
    speed_mps: Sourced
    cruise_altitude_m: Sourced
    max_accel_g: Sourced
    rcs_dbsm: SourcedRcsTable
    swerling: int = Field(ge=0, le=4)
    unit_cost_usd: Sourced
    ballistic: BallisticBody | None = None  # motor + drag; None: flat-earth drag-free arc
    terrain_following: TerrainFollowing | None = None  # None: flies the route's altitudes


class CatalogFile(_Strict):
    """The union of all catalog files; each file fills some of these sections."""

    radars: dict[str, Radar] = Field(default_factory=dict)
    missiles: dict[str, Missile] = Field(default_factory=dict)
    systems: dict[str, System] = Field(default_factory=dict)
    threats: dict[str, Threat] = Field(default_factory=dict)
