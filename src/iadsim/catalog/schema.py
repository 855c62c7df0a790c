"""Pydantic models of the catalog files (``catalog/data/*.yaml``).

Every physical figure is a :class:`Sourced` value: the number, the public page it comes
from and whether it is an estimate. Units are in the field names (``_km``, ``_mps``...);
the loader converts to SI for the engine (see :mod:`iadsim.catalog.entries`).
"""

from __future__ import annotations

import math
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

BANDS = ("VHF", "UHF", "L", "S", "C", "X", "Ku")
ASPECTS = ("nose", "beam", "tail")
ThreatClass = Literal["aircraft", "drone", "cruise_missile", "ballistic_missile"]
THREAT_CLASSES = get_args(ThreatClass)


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


class PositiveSourced(Sourced):
    """A sourced figure that must be > 0 (a mass, an impulse, a lethal radius...)."""

    @field_validator("value")
    @classmethod
    def _positive(cls, v: float) -> float:
        if not v > 0.0:
            raise ValueError("must be > 0")
        return v


class NonNegativeSourced(Sourced):
    """A sourced figure that must be >= 0 (a noise density, a time constant)."""

    @field_validator("value")
    @classmethod
    def _non_negative(cls, v: float) -> float:
        if not v >= 0.0:
            raise ValueError("must be >= 0")
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


class MotorPulse(_Strict):
    """One burn of a solid motor: total impulse and burn time (thrust = impulse / time)."""

    impulse_kn_s: PositiveSourced
    burn_s: PositiveSourced


class Motor(_Strict):
    """Boost and optional sustain (or second pulse) burns; the propellant burnt is
    impulse / (Isp g0), the mass falling linearly over each burn."""

    boost: MotorPulse
    sustain: MotorPulse | None = None
    specific_impulse_s: PositiveSourced


class DragCurve(_Strict):
    """Zero-lift drag coefficient (on the body cross-section) at increasing Mach numbers."""

    mach: list[float] = Field(min_length=2)
    cd0: list[float] = Field(min_length=2)
    source: str = Field(min_length=8)
    estimate: bool
    note: str | None = None

    @field_validator("mach")
    @classmethod
    def _increasing(cls, v: list[float]) -> list[float]:
        if v[0] < 0.0 or any(b <= a for a, b in zip(v, v[1:], strict=False)):
            raise ValueError("Mach points must be >= 0 and strictly increasing")
        return v

    @field_validator("cd0")
    @classmethod
    def _positive_same_length(cls, v: list[float], info: ValidationInfo) -> list[float]:
        if any(not c > 0.0 for c in v):
            raise ValueError("drag coefficients must be > 0")
        mach = info.data.get("mach")
        if mach is not None and len(mach) != len(v):
            raise ValueError(f"needs one value per Mach point ({len(mach)})")
        return v


class Seeker(_Strict):
    """Seeker noise as white-noise spectral densities (Zarchan ch. 6 and 9)."""

    glint_m2_hz: NonNegativeSourced
    angle_noise_rad2_hz: NonNegativeSourced
    receiver_noise_rad2_hz: NonNegativeSourced
    receiver_noise_ref_range_km: PositiveSourced


class Missile(_Strict):
    name: str
    system: str
    max_range_km: Sourced
    min_range_km: Sourced
    max_altitude_km: Sourced
    min_altitude_m: Sourced
    launch_mass_kg: PositiveSourced
    diameter_m: PositiveSourced
    motor: Motor
    drag_cd0: DragCurve
    normal_force_slope_per_rad: PositiveSourced
    max_alpha_deg: PositiveSourced
    max_accel_g: PositiveSourced
    divert_accel_g: NonNegativeSourced
    loft_ceiling_km: PositiveSourced
    guidance: Literal["pn", "apn"]
    nav_ratio: PositiveSourced
    time_constant_s: NonNegativeSourced
    seeker: Seeker
    warhead: Literal["blast_fragmentation", "hit_to_kill"]
    lethal_radius_m: PositiveSourced
    pk: Sourced
    unit_cost_usd: Sourced
    max_target_speed_mps: Sourced | None = None

    @field_validator("motor")
    @classmethod
    def _propellant_below_launch_mass(cls, v: Motor, info: ValidationInfo) -> Motor:
        launch = info.data.get("launch_mass_kg")
        burnt = sum(p.impulse_kn_s.value * 1e3 for p in (v.boost, v.sustain) if p) / (
            v.specific_impulse_s.value * 9.80665
        )
        if launch is not None and burnt >= launch.value:
            raise ValueError(
                f"burns {burnt:.0f} kg of propellant, not less than the launch mass "
                f"{launch.value:g} kg"
            )
        return v


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


class Threat(_Strict):
    name: str
    threat_class: ThreatClass
    speed_mps: Sourced
    cruise_altitude_m: Sourced
    max_accel_g: Sourced
    rcs_dbsm: SourcedRcsTable
    swerling: int = Field(ge=0, le=4)
    unit_cost_usd: Sourced


class CatalogFile(_Strict):
    """The union of all catalog files; each file fills some of these sections."""

    radars: dict[str, Radar] = Field(default_factory=dict)
    missiles: dict[str, Missile] = Field(default_factory=dict)
    systems: dict[str, System] = Field(default_factory=dict)
    threats: dict[str, Threat] = Field(default_factory=dict)
