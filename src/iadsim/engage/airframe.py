"""Missile airframes for the flyout kernel: catalog figures to the kernel's SI parameter rows.

One row per missile type (columns named in :mod:`iadsim.engage.flyout_kernel`): the motor
(boost and sustain thrust = impulse / burn time, propellant mass flow = thrust / (Isp g0),
Sutton & Biblarz, *Rocket Propulsion Elements*, 9th ed., eq. 2-5), the reference area
pi d^2 / 4, the normal-force slope and trim limit, the lateral limit, the loft ceiling,
the thruster divert, the guidance loop (time constant, N', PN or augmented PN) and the
seeker noise densities;
plus the zero-lift drag curve over Mach, padded to a common length.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iadsim.engage import flyout_kernel as kern
from iadsim.truth.trajectories import G0

STANDARD_G0 = 9.80665  # m/s^2, the Isp convention


@dataclass
class Airframes:
    """Kernel parameters per missile type (axis 0 = type)."""

    params: np.ndarray  # (k, N_PARAMS)
    mach: np.ndarray  # (k, n) increasing Mach points
    cd0: np.ndarray  # (k, n) zero-lift drag coefficients
    names: list[str]

    def __len__(self) -> int:
        return len(self.names)

    def take(self, kinds) -> Airframes:
        kinds = np.asarray(kinds, int)
        return Airframes(self.params[kinds], self.mach[kinds], self.cd0[kinds],
                         [self.names[k] for k in kinds])  # fmt: skip

    def with_param(self, column: int, value: float) -> Airframes:
        """A copy with one parameter column set to ``value`` for every type."""
        params = self.params.copy()
        params[:, column] = value
        return Airframes(params, self.mach, self.cd0, self.names)


def airframe_row(
    *, mass_kg, boost_impulse_n_s, boost_s, sustain_impulse_n_s=0.0, sustain_s=0.0,
    isp_s=250.0, diameter_m, cn_alpha, alpha_max_rad, max_accel, loft_ceiling_m,
    tau_s, nav=kern.NAV_CONSTANT, apn=False, glint=0.0, angle=0.0, receiver=0.0,
    receiver_ref_m=10_000.0, divert=0.0,
) -> np.ndarray:  # fmt: skip
    """One kernel parameter row from SI figures."""
    p = np.zeros(kern.N_PARAMS)
    p[kern.MASS0] = mass_kg
    p[kern.BOOST_F] = boost_impulse_n_s / boost_s
    p[kern.BOOST_S] = boost_s
    p[kern.BOOST_MDOT] = p[kern.BOOST_F] / (isp_s * STANDARD_G0)
    if sustain_s > 0.0:
        p[kern.SUST_F] = sustain_impulse_n_s / sustain_s
        p[kern.SUST_S] = sustain_s
        p[kern.SUST_MDOT] = p[kern.SUST_F] / (isp_s * STANDARD_G0)
    p[kern.AREA] = np.pi * diameter_m**2 / 4.0
    p[kern.CN_ALPHA] = cn_alpha
    p[kern.ALPHA_MAX] = alpha_max_rad
    p[kern.ACCEL_MAX] = max_accel
    p[kern.LOFT_CEIL] = loft_ceiling_m
    p[kern.TAU] = tau_s
    p[kern.NAV] = nav
    p[kern.APN] = 1.0 if apn else 0.0
    p[kern.GLINT] = glint
    p[kern.ANGLE] = angle
    p[kern.RECEIVER] = receiver
    p[kern.RECEIVER_REF] = receiver_ref_m
    p[kern.DIVERT] = divert
    return p


def catalog_row(missile) -> np.ndarray:
    """The kernel row of a catalog :class:`iadsim.catalog.schema.Missile` entry."""
    motor = missile.motor
    sustain = motor.sustain
    return airframe_row(
        mass_kg=missile.launch_mass_kg.value,
        boost_impulse_n_s=motor.boost.impulse_kn_s.value * 1e3,
        boost_s=motor.boost.burn_s.value,
        sustain_impulse_n_s=sustain.impulse_kn_s.value * 1e3 if sustain else 0.0,
        sustain_s=sustain.burn_s.value if sustain else 0.0,
        isp_s=motor.specific_impulse_s.value,
        diameter_m=missile.diameter_m.value,
        cn_alpha=missile.normal_force_slope_per_rad.value,
        alpha_max_rad=np.deg2rad(missile.max_alpha_deg.value),
        max_accel=missile.max_accel_g.value * G0,
        loft_ceiling_m=missile.loft_ceiling_km.value * 1e3,
        tau_s=missile.time_constant_s.value,
        nav=missile.nav_ratio.value,
        apn=missile.guidance == "apn",
        glint=missile.seeker.glint_m2_hz.value,
        angle=missile.seeker.angle_noise_rad2_hz.value,
        receiver=missile.seeker.receiver_noise_rad2_hz.value,
        receiver_ref_m=missile.seeker.receiver_noise_ref_range_km.value * 1e3,
        divert=missile.divert_accel_g.value * G0,
    )


def build_airframes(rows, curves, names) -> Airframes:
    """Stack parameter rows and (mach, cd0) curves; shorter curves are padded past their
    last point with the last coefficient (np.interp holds it there anyway)."""
    n = max(len(m) for m, _ in curves)
    mach = np.zeros((len(curves), n))
    cd0 = np.zeros((len(curves), n))
    for k, (m, c) in enumerate(curves):
        extra = n - len(m)
        mach[k] = np.concatenate([m, m[-1] + 1.0 + np.arange(extra)])
        cd0[k] = np.concatenate([c, np.full(extra, c[-1])])
    return Airframes(np.array(rows, float).reshape(len(names), kern.N_PARAMS), mach, cd0,
                     list(names))  # fmt: skip


def from_catalog(missiles: dict) -> Airframes:
    """Airframes of catalog missile entries ``{name: Missile}``, in the dict's order."""
    rows = [catalog_row(m) for m in missiles.values()]
    curves = [(np.array(m.drag_cd0.mach, float), np.array(m.drag_cd0.cd0, float))
              for m in missiles.values()]  # fmt: skip
    return build_airframes(rows, curves, list(missiles))


def burnout_mass_kg(params: np.ndarray) -> np.ndarray:
    """Mass after the last burn."""
    p = np.atleast_2d(params)
    return (
        p[:, kern.MASS0]
        - p[:, kern.BOOST_MDOT] * p[:, kern.BOOST_S]
        - (p[:, kern.SUST_MDOT] * p[:, kern.SUST_S])
    )


def ideal_delta_v(params: np.ndarray) -> np.ndarray:
    """Tsiolkovsky delta-v of the whole motor, Isp g0 ln(m0 / m_burnout) (no drag, no g)."""
    p = np.atleast_2d(params)
    isp_g0 = np.where(p[:, kern.BOOST_MDOT] > 0, p[:, kern.BOOST_F] / p[:, kern.BOOST_MDOT], 0.0)
    return isp_g0 * np.log(p[:, kern.MASS0] / burnout_mass_kg(p))
