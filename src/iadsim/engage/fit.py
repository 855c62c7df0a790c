"""Fit the two least-known figures of a catalog missile to its published range and ceiling.

Where a missile's motor and aerodynamics are not public, two of its figures are fitted so
that the flown envelope (:mod:`iadsim.engage.envelope`) meets the published maximum range
and ceiling: the motor's total impulse (a common scale on boost and sustain) against the
head-on range, and the trim angle-of-attack limit against the ceiling (the highest altitude
where 3 g can still be pulled on arrival). Both are found by bisection, alternating twice.
The fitted values are written into ``catalog/data/missiles.yaml`` by hand with their notes;
this module only computes them, so the fit can be rerun and checked.

    python -m iadsim.engage.fit [MISSILE ...]
"""

from __future__ import annotations

import json
import sys

import numpy as np

from iadsim.catalog import load_catalog
from iadsim.engage import flyout_kernel as kern
from iadsim.engage.airframe import STANDARD_G0, from_catalog
from iadsim.engage.envelope import compute_envelope

RANGE_ALTITUDES_M = np.arange(1000.0, 30_001.0, 2000.0)


# Missiles whose range is fitted with the zero-lift drag level instead of the impulse: the
# 5V55R, whose published 2,000 m/s speed fixes the motor and whose short published range
# is then the drag of its large cruciform wings.
FIT_DRAG = {"5V55R"}


def _scaled(airframe, impulse_scale: float, alpha_rad: float, drag_scale: float = 1.0):
    p = airframe.params.copy()
    for thrust, mdot in ((kern.BOOST_F, kern.BOOST_MDOT), (kern.SUST_F, kern.SUST_MDOT)):
        p[:, thrust] *= impulse_scale
        p[:, mdot] *= impulse_scale
    p[:, kern.ALPHA_MAX] = alpha_rad
    return type(airframe)(p, airframe.mach, airframe.cd0 * drag_scale, airframe.names)


def _bisect(f, lo: float, hi: float, target: float, iters: int = 9) -> float:
    """x in [lo, hi] with f(x) ~ target for increasing f (geometric bisection)."""
    for _ in range(iters):
        mid = np.sqrt(lo * hi)
        lo, hi = (mid, hi) if f(mid) < target else (lo, mid)
    return float(np.sqrt(lo * hi))


def fit_missile(name: str) -> dict:
    """Impulse scale and max_alpha_deg that make the flown envelope meet the published
    range and ceiling of catalog missile ``name``."""
    missile = load_catalog().missiles[name]
    base = from_catalog({name: missile})
    p = base.params[0]
    burnt = p[kern.BOOST_MDOT] * p[kern.BOOST_S] + p[kern.SUST_MDOT] * p[kern.SUST_S]
    max_scale = 0.92 * p[kern.MASS0] / burnt  # keep an airframe: propellant < 92% of mass
    target_range = missile.max_range_km.value * 1e3
    target_alt = missile.max_altitude_km.value * 1e3
    scale, alpha, drag = 1.0, p[kern.ALPHA_MAX], 1.0

    def reach(s, a, d):
        return compute_envelope(_scaled(base, s, a, d), RANGE_ALTITUDES_M, 48).max_range_m

    def ceiling(s, a, d):
        return compute_envelope(_scaled(base, s, a, d), None, 8).max_altitude_m

    for _ in range(2):
        if name in FIT_DRAG:  # range falls as the drag rises: bisect on 1 / drag
            drag = 1.0 / _bisect(lambda x, s=scale, a=alpha: reach(s, a, 1.0 / x),
                                 0.1, 3.0, target_range)  # fmt: skip
        else:
            scale = _bisect(lambda x, a=alpha, d=drag: reach(x, a, d), 0.2, max_scale,
                            target_range)  # fmt: skip
        alpha = _bisect(lambda x, s=scale, d=drag: ceiling(s, x, d),
                        np.deg2rad(5.0), np.deg2rad(40.0), target_alt)  # fmt: skip
    env = compute_envelope(_scaled(base, scale, alpha, drag))
    isp_g0 = missile.motor.specific_impulse_s.value * STANDARD_G0
    return {
        "impulse_scale": scale,
        "boost_impulse_kn_s": missile.motor.boost.impulse_kn_s.value * scale,
        "sustain_impulse_kn_s": (
            missile.motor.sustain.impulse_kn_s.value * scale if missile.motor.sustain else 0.0
        ),  # fmt: skip
        "max_alpha_deg": float(np.rad2deg(alpha)),
        "drag_scale": drag,
        "propellant_kg": burnt * scale,
        "ideal_delta_v_mps": isp_g0 * np.log(p[kern.MASS0] / (p[kern.MASS0] - burnt * scale)),
        "flown_range_km": env.max_range_m / 1e3,
        "flown_ceiling_km": env.max_altitude_m / 1e3,
    }


def main(names: list[str]) -> None:
    names = names or list(load_catalog().missiles)
    print(json.dumps({n: fit_missile(n) for n in names}, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
