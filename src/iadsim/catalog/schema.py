"""Pydantic models of the catalog files (``catalog/data/*.yaml``).

Every physical figure is a :class:`Sourced` value: the number, the public page it comes
from and whether it is an estimate. Units are in the field names (``_km``, ``_mps``...);
the loader converts to SI for the engine (see :mod:`iadsim.catalog.entries`).
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from iadsim.catalog.names import ASPECTS, BANDS, THREAT_CLASSES, ThreatClass

__all__ = ["ASPECTS", "BANDS", "THREAT_CLASSES", "ThreatClass"]
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


class SourcedPolarization(_Strict):
    """A radar's transmit/receive polarisation (H or V) with its source."""

    value: Literal["H", "V"]
    source: str = Field(min_length=8)
    estimate: bool
    note: str | None = None


class SourcedList(_Strict):
    """Several figures of one kind (e.g. the PRFs of a stagger) with one source."""

    value: list[float] = Field(min_length=1, max_length=8)
    source: str = Field(min_length=8)
    estimate: bool
    note: str | None = None

    @field_validator("value")
    @classmethod
    def _finite_positive(cls, v: list[float]) -> list[float]:
        if not all(math.isfinite(x) and x > 0.0 for x in v):
            raise ValueError("every value must be a finite number > 0")
        return v


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

    # Low-altitude physics (docs/models.md, multipath and Doppler processing). Without
    # them a radar is horizontally polarised and has no Doppler loss.
    polarization: SourcedPolarization | None = None
    prf_hz: SourcedList | None = None  # one PRF, or the PRFs of a stagger
    mti_pulses: Sourced | None = None  # pulses of the binomial canceller; <= 1: none
    clutter_notch_mps: Sourced | None = None  # full width of the notch, radial speed

    @field_validator("mti_pulses", "clutter_notch_mps")
    @classmethod
    def _doppler_ranges(cls, v, info):
        if v is None:
            return v
        if info.field_name == "mti_pulses" and not (v.value == int(v.value) and 0 <= v.value <= 8):
            raise ValueError("must be a whole number of pulses from 0 to 8")
        if info.field_name == "clutter_notch_mps" and not 0.0 <= v.value <= 200.0:
            raise ValueError("must be from 0 to 200 m/s")
        return v


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


class SourcedFlag(_Strict):
    """A yes/no catalog fact with its public source (e.g. a radar-warning receiver fitted)."""

    value: bool
    source: str = Field(min_length=8)
    estimate: bool
    note: str | None = None


class SourcedManoeuvre(_Strict):
    """A reaction manoeuvre (truth/evasion.py) with its source."""

    value: Literal["none", "turn_away", "beam"]
    source: str = Field(min_length=8)
    estimate: bool
    note: str | None = None


class Defence(_Strict):
    """How an aircraft learns of a missile launched at it and reacts (truth/evasion.py)."""

    rwr: SourcedFlag  # a radar-warning receiver that reports the engagement radar's launch
    reaction: SourcedManoeuvre
    reaction_delay_s: NonNegativeSourced  # warning to the start of the turn
    hold_s: NonNegativeSourced  # the evasive heading is held this long, then home


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
    weapons: list[str] = Field(default_factory=list)  # catalog threats it can carry/release
    standoff_range_km: PositiveSourced | None = None  # release range, for a released weapon
    defence: Defence | None = None  # reaction to a launch at it (aircraft)


class CatalogFile(_Strict):
    """The union of all catalog files; each file fills some of these sections."""

    radars: dict[str, Radar] = Field(default_factory=dict)
    missiles: dict[str, Missile] = Field(default_factory=dict)
    systems: dict[str, System] = Field(default_factory=dict)
    threats: dict[str, Threat] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _weapons_known(self):
        for key, threat in self.threats.items():
            for w in threat.weapons:
                weapon = self.threats.get(w)
                if weapon is None or weapon.standoff_range_km is None:
                    raise ValueError(
                        f"threats.{key}.weapons: {w!r} must be a catalog threat with a "
                        "`standoff_range_km`"
                    )
        return self
