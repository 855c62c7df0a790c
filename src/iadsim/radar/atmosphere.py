"""Clear-air (oxygen and water vapour) attenuation of radar waves.

Specific attenuation
    The simplified algorithms of ITU-R P.676-10 (09/2013), Annex 2, sec. 1: eq. (22) for
    dry air (with the helper function phi of eq. 22u) and eq. (23) for water vapour, valid
    1-350 GHz. The Recommendation states that they agree with the line-by-line method of
    its Annex 1 to about +-10 % away from the centres of the major absorption lines; the
    tests check that against the ITU-R validation examples for P.676-12 Annex 1. (P.676-11
    and -12 replaced these curve fits in Annex 2 by sums over the Annex 1 line tables; the
    -10 fits keep this module free of those tables.) Defaults are the standard atmosphere
    of the Recommendation's figures: 1013.25 hPa, 15 C, 7.5 g/m^3 of water vapour.

Below 1 GHz
    The formulas are not specified there; we scale the 1 GHz values. Dry air follows the
    non-resonant (Debye) oxygen spectrum, the low-frequency term of eq. (22),
    D(f) = f^2 / (f^2 + 0.34 rp^2 rt^1.6), so gamma_o(f) = gamma_o(1 GHz) D(f) / D(1 GHz);
    water vapour, far below its 22 GHz line, scales as f^2. Both are tiny (about 2e-4 dB/km
    at 100 MHz).

Height profile and path
    gamma(h) = gamma_o exp(-h / h_o) + gamma_w exp(-h / h_w) with the equivalent heights
    h_o (about 5.2 km) and h_w (about 1.66 km) of P.676-10 Annex 2, sec. 2.2, so that the
    zenith attenuation is the Recommendation's gamma_o h_o + gamma_w h_w. The ray is
    straight over the k Re effective earth, as in :mod:`iadsim.geo.earth`, and
    integral(exp(-h/H) ds) along it is taken in closed form with the curved-earth function
    F(x) = 1 / (0.661 x + 0.339 sqrt(x^2 + 5.51)) that P.676-10 Annex 2, sec. 2.2.2, uses
    for elevations below 5 deg (the Chapman grazing-incidence approximation). Above a few
    degrees it tends to the flat-earth form H (exp(-h1/H) - exp(-h2/H)) / sin(theta) of
    the same section, and it stays finite at 0 deg where the flat-earth form does not. It
    agrees with numerical quadrature along the same ray to within 4.5 % (worst on short
    grazing paths, where the loss is small anyway; within about 2 % beyond 100 km).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from iadsim import checks
from iadsim.geo.earth import effective_radius_m

STANDARD_PRESSURE_PA = 101_325.0
STANDARD_TEMPERATURE_K = 288.15
STANDARD_WATER_VAPOUR_DENSITY_KG_M3 = 7.5e-3

_MIN_FREQ_GHZ = 1.0
_LOWEST_M = -1000.0  # below any land or sea surface
_ALTITUDE_RULE = "finite numbers >= -1000 (m above sea level)"
_MAX_FREQ_GHZ = 350.0

# Coefficients (phi0, a, b, c, d) of phi = phi0 rp^a rt^b exp(c (1 - rp) + d (1 - rt)),
# P.676-10 Annex 2, eqs. (22a)-(22u).
_PHI = {
    "xi1": (1.0, 0.0717, -1.8132, 0.0156, -1.6515),
    "xi2": (1.0, 0.5146, -4.6368, -0.1921, -5.7416),
    "xi3": (1.0, 0.3414, -6.5851, 0.2130, -8.5854),
    "xi4": (1.0, -0.0112, 0.0092, -0.1033, -0.0009),
    "xi5": (1.0, 0.2705, -2.7192, -0.3016, -4.1033),
    "xi6": (1.0, 0.2445, -5.9191, 0.0422, -8.0719),
    "xi7": (1.0, -0.1833, 6.5589, -0.2402, 6.131),
    "gamma54": (2.192, 1.8286, -1.9487, 0.4051, -2.8509),
    "gamma58": (12.59, 1.0045, 3.5610, 0.1588, 1.2834),
    "gamma60": (15.0, 0.9003, 4.1335, 0.0427, 1.6088),
    "gamma62": (14.28, 0.9886, 3.4176, 0.1827, 1.3429),
    "gamma64": (6.819, 1.4320, 0.6258, 0.3177, -0.5914),
    "gamma66": (1.908, 2.0717, -4.1404, 0.4910, -4.8718),
    "delta": (-0.00306, 3.211, -14.94, 1.583, -16.37),
}

# Water-vapour lines of eq. (23): (strength, temperature exponent, line centre GHz,
# width factor, uses eta2 instead of eta1, has the g(f, f_i) factor with f_i rounded).
_WATER_LINES = (
    (3.98, 2.23, 22.235, 9.42, False, 22.0),
    (11.96, 0.70, 183.31, 11.14, False, None),
    (0.081, 6.44, 321.226, 6.29, False, None),
    (3.66, 1.60, 325.153, 9.22, False, None),
    (25.37, 1.09, 380.0, 0.0, False, None),
    (17.4, 1.46, 448.0, 0.0, False, None),
    (844.6, 0.17, 557.0, 0.0, False, 557.0),
    (290.0, 0.41, 752.0, 0.0, False, 752.0),
    (8.3328e4, 0.99, 1780.0, 0.0, True, 1780.0),
)


def dry_air_specific_attenuation_db_per_km(
    freq_hz, pressure_pa=STANDARD_PRESSURE_PA, temperature_k=STANDARD_TEMPERATURE_K
) -> np.ndarray:
    """One-way specific attenuation of dry air (oxygen), dB/km, P.676-10 Annex 2 eq. (22).

    Below 1 GHz: the 1 GHz value scaled by the oxygen Debye spectrum (module docstring).
    """
    f_ghz = _frequency_ghz(freq_hz)
    rp, rt = _pressure_temperature_ratios(pressure_pa, temperature_k)
    f_ghz, rp, rt = np.broadcast_arrays(f_ghz, rp, rt)
    f_eval = np.maximum(f_ghz, _MIN_FREQ_GHZ)
    gamma = _dry_air_annex2(f_eval, rp, rt)
    debye = _debye(f_ghz, rp, rt) / _debye(f_eval, rp, rt)
    return gamma * debye


def water_vapour_specific_attenuation_db_per_km(
    freq_hz,
    pressure_pa=STANDARD_PRESSURE_PA,
    temperature_k=STANDARD_TEMPERATURE_K,
    water_vapour_density_kg_m3=STANDARD_WATER_VAPOUR_DENSITY_KG_M3,
) -> np.ndarray:
    """One-way specific attenuation of water vapour, dB/km, P.676-10 Annex 2 eq. (23).

    Below 1 GHz: the 1 GHz value scaled by f^2 (module docstring).
    """
    f_ghz = _frequency_ghz(freq_hz)
    rp, rt = _pressure_temperature_ratios(pressure_pa, temperature_k)
    rho = 1e3 * checks.numbers(
        "water_vapour_density_kg_m3",
        water_vapour_density_kg_m3,
        "finite numbers >= 0 (kg/m^3; 7.5e-3 is the standard atmosphere)",
        lambda a: a >= 0.0,
    )
    f_eval = np.maximum(f_ghz, _MIN_FREQ_GHZ)
    eta1 = 0.955 * rp * rt**0.68 + 0.006 * rho
    eta2 = 0.735 * rp * rt**0.5 + 0.0353 * rt**4 * rho
    total = 0.0
    for strength, t_exp, f_line, width, use_eta2, g_line in _WATER_LINES:
        eta = eta2 if use_eta2 else eta1
        term = (
            strength * eta * np.exp(t_exp * (1.0 - rt)) / ((f_eval - f_line) ** 2 + width * eta**2)
        )
        if g_line is not None:
            term = term * (1.0 + ((f_eval - g_line) / (f_eval + g_line)) ** 2)
        total = total + term
    gamma = total * f_eval**2 * rt**2.5 * rho * 1e-4
    return gamma * (f_ghz / f_eval) ** 2


def specific_attenuation_db_per_km(
    freq_hz,
    *,
    pressure_pa=STANDARD_PRESSURE_PA,
    temperature_k=STANDARD_TEMPERATURE_K,
    water_vapour_density_kg_m3=STANDARD_WATER_VAPOUR_DENSITY_KG_M3,
) -> np.ndarray:
    """One-way specific attenuation of clear air (oxygen + water vapour), dB/km.

    Sea-level standard atmosphere unless told otherwise; P.676-10 Annex 2 eqs. (22)-(23).
    """
    dry = dry_air_specific_attenuation_db_per_km(freq_hz, pressure_pa, temperature_k)
    wet = water_vapour_specific_attenuation_db_per_km(
        freq_hz, pressure_pa, temperature_k, water_vapour_density_kg_m3
    )
    return dry + wet


def equivalent_heights_m(freq_hz, pressure_pa=STANDARD_PRESSURE_PA):
    """(h_o, h_w): equivalent heights (m) of dry air and water vapour, P.676-10 Annex 2 sec. 2.2.

    They are the scale heights of the exponential profiles used here. Below 1 GHz the
    1 GHz values are used (they hardly change with frequency there).
    """
    f = np.maximum(_frequency_ghz(freq_hz), _MIN_FREQ_GHZ)
    rp, _ = _pressure_temperature_ratios(pressure_pa, STANDARD_TEMPERATURE_K)
    t1 = (
        4.64
        / (1.0 + 0.066 * rp**-2.3)
        * np.exp(-(((f - 59.7) / (2.87 + 12.4 * np.exp(-7.9 * rp))) ** 2))
    )
    t2 = 0.14 * np.exp(2.12 * rp) / ((f - 118.75) ** 2 + 0.031 * np.exp(2.2 * rp))
    t3 = (
        0.0114
        / (1.0 + 0.14 * rp**-2.6)
        * f
        * (-0.0247 + 0.0001 * f + 1.61e-6 * f**2)
        / (1.0 - 0.0169 * f + 4.1e-5 * f**2 + 3.2e-7 * f**3)
    )
    h_o = 6.1 / (1.0 + 0.17 * rp**-1.1) * (1.0 + t1 + t2 + t3)
    h_o = np.where(f < 70.0, np.minimum(h_o, 10.7 * rp**0.3), h_o)
    sigma_w = 1.013 / (1.0 + np.exp(-8.6 * (rp - 0.57)))
    h_w = 1.66 * (
        1.0
        + 1.39 * sigma_w / ((f - 22.235) ** 2 + 2.56 * sigma_w)
        + 3.37 * sigma_w / ((f - 183.31) ** 2 + 4.69 * sigma_w)
        + 1.58 * sigma_w / ((f - 325.1) ** 2 + 2.89 * sigma_w)
    )
    return 1e3 * h_o, 1e3 * h_w


def two_way_attenuation_db(
    freq_hz,
    range_m,
    elevation_rad,
    radar_alt_m=0.0,
    target_alt_m=None,
    *,
    k_factor=4.0 / 3.0,
) -> np.ndarray:
    """Two-way clear-air attenuation (dB) from the radar to a target and back.

    2 * sum over {dry air, water vapour} of gamma_sea_level * integral(exp(-h/H) ds)
    along the straight ray over the k Re earth (module docstring; ITU-R P.676-10 Annex 2
    secs. 1 and 2.2), in the standard atmosphere.

    ``elevation_rad`` is the ray's angle above the radar's local horizontal (as from
    :func:`iadsim.geo.radar_geometry` with the same ``k_factor``); the target is where that
    ray is after ``range_m``. If ``target_alt_m`` is given instead (not None), the path is
    the triangle earth centre / radar / target fixed by the two altitudes and the range,
    and ``elevation_rad`` is only checked, not used; this keeps the two ends consistent
    when the caller's altitudes carry rounding. A downward ray that bottoms out between
    radar and target is integrated through its lowest point. Rays that would pass below
    the surface (not visible; mask them with the line-of-sight test) are evaluated as if
    their lowest point were at sea level (or at the lower end, if that is lower), which
    only keeps the result finite.
    """
    rng = checks.non_negative("range_m", range_m, "m")
    el = checks.numbers(
        "elevation_rad",
        elevation_rad,
        "finite numbers in [-pi/2, pi/2] (rad)",
        lambda a: np.abs(a) <= np.pi / 2,
    )
    h1 = checks.numbers("radar_alt_m", radar_alt_m, _ALTITUDE_RULE, lambda a: a >= _LOWEST_M)
    k = checks.positive("k_factor", k_factor)
    gamma_o, gamma_w, h_o, h_w = _sea_level_coefficients(freq_hz)

    a_e = effective_radius_m(k)
    r1 = a_e + h1
    if target_alt_m is None:
        sin1 = np.sin(el)
        r2 = np.sqrt(np.maximum(r1**2 + rng**2 + 2.0 * r1 * rng * sin1, 0.0))
    else:
        h2_given = checks.numbers(
            "target_alt_m", target_alt_m, _ALTITUDE_RULE, lambda a: a >= _LOWEST_M
        )
        r2 = a_e + h2_given
        # Law of cosines at the radar vertex, as in iadsim.geo.radar_geometry.
        safe = np.where(rng > 0.0, rng, 1.0)
        sin1 = np.clip((r2**2 - r1**2 - rng**2) / (2.0 * r1 * safe), -1.0, 1.0)
    el1 = np.arcsin(sin1)
    # Only a ray through the earth (no line of sight) ends below _LOWEST_M.
    h2 = np.maximum(r2 - a_e, _LOWEST_M)
    # Along a straight ray dr/ds = (s + r1 sin el1) / r, so the far end climbs at
    # sin el2 = (R + r1 sin el1) / r2; r cos(el) = r1 cos(el1) is its lowest radius.
    el2 = np.arcsin(np.clip((rng + r1 * sin1) / np.maximum(r2, 1.0), -1.0, 1.0))
    h_low = np.maximum(r1 * np.cos(el1) - a_e, np.minimum(np.minimum(h1, h2), 0.0))
    one_way = gamma_o * _ray_integral_m(h1, el1, h2, el2, h_low, h_o, a_e)
    one_way = one_way + gamma_w * _ray_integral_m(h1, el1, h2, el2, h_low, h_w, a_e)
    return np.where(rng > 0.0, 2.0 * one_way, 0.0)


def _sea_level_coefficients(freq_hz):
    """Sea-level specific attenuations (dB/m) and equivalent heights (m) of dry air and
    water vapour: they depend only on the frequencies, which a scan loop passes again and
    again, so they are kept per distinct frequency array."""
    f = np.asarray(freq_hz, float)
    return _coefficients_of(f.tobytes(), f.shape)


@lru_cache(maxsize=64)
def _coefficients_of(data: bytes, shape: tuple):
    freq_hz = np.frombuffer(data).reshape(shape)
    gamma_o = dry_air_specific_attenuation_db_per_km(freq_hz) / 1e3
    gamma_w = water_vapour_specific_attenuation_db_per_km(freq_hz) / 1e3
    h_o, h_w = equivalent_heights_m(freq_hz)
    for a in (gamma_o, gamma_w, h_o, h_w):
        a.setflags(write=False)
    return gamma_o, gamma_w, h_o, h_w


def _ray_integral_m(h1, el1, h2, el2, h_low, scale_m, a_e):
    """integral(exp(-h/H) ds) from the radar to the target along the ray (m).

    _remaining(h, el) integrates from a point to infinity going upward; a ray that starts
    downward first passes its lowest point h_low (where it is horizontal).
    """
    up = _remaining(h1, np.abs(el1), scale_m, a_e) - _remaining(h2, np.abs(el2), scale_m, a_e)
    down = _remaining(h2, np.abs(el2), scale_m, a_e) - _remaining(h1, np.abs(el1), scale_m, a_e)
    through = (
        2.0 * _remaining(h_low, 0.0, scale_m, a_e)
        - _remaining(h1, np.abs(el1), scale_m, a_e)
        - _remaining(h2, np.abs(el2), scale_m, a_e)
    )
    result = np.where(el1 >= 0.0, up, np.where(el2 <= 0.0, down, through))
    return np.maximum(result, 0.0)


def _remaining(h, el, scale_m, a_e):
    """integral(exp(-h/H) ds) from a point at height h, climbing at el >= 0, to infinity.

    sqrt(H (a_e + h)) exp(-h/H) F(x) / cos(el) with x = tan(el) sqrt((a_e + h) / H) and
    F(x) = 1 / (0.661 x + 0.339 sqrt(x^2 + 5.51)) (P.676-10 Annex 2 sec. 2.2.2), written
    with s = x cos(el) so that it stays finite at el = 90 deg (where it equals H e^(-h/H)).
    """
    r = a_e + np.asarray(h, float)
    s = np.sin(el) * np.sqrt(r / scale_m)
    chapman = 1.0 / (0.661 * s + 0.339 * np.sqrt(s**2 + 5.51 * np.cos(el) ** 2))
    return np.sqrt(scale_m * r) * np.exp(-h / scale_m) * chapman


def _dry_air_annex2(f, rp, rt):
    """Eq. (22) of P.676-10 Annex 2 for 1 <= f <= 350 GHz (arrays of one shape)."""
    phi = {key: _phi(rp, rt, *coeffs) for key, coeffs in _PHI.items()}
    out = np.empty_like(f)
    bands = (
        (f <= 54.0, _dry_below_54),
        ((f > 54.0) & (f <= 60.0), _dry_54_to_60),
        ((f > 60.0) & (f <= 62.0), _dry_60_to_62),
        ((f > 62.0) & (f <= 66.0), _dry_62_to_66),
        ((f > 66.0) & (f <= 120.0), _dry_66_to_120),
        (f > 120.0, _dry_above_120),
    )
    for mask, formula in bands:
        if mask.any():
            out[mask] = formula(f[mask], rp[mask], rt[mask], {k: v[mask] for k, v in phi.items()})
    return out


def _dry_below_54(f, rp, rt, p):
    return (
        7.2 * rt**2.8 / (f**2 + 0.34 * rp**2 * rt**1.6)
        + 0.62 * p["xi3"] / ((54.0 - f) ** (1.16 * p["xi1"]) + 0.83 * p["xi2"])
    ) * (f**2 * rp**2 * 1e-3)


def _dry_54_to_60(f, rp, rt, p):
    return np.exp(
        np.log(p["gamma54"]) / 24.0 * (f - 58.0) * (f - 60.0)
        - np.log(p["gamma58"]) / 8.0 * (f - 54.0) * (f - 60.0)
        + np.log(p["gamma60"]) / 12.0 * (f - 54.0) * (f - 58.0)
    )


def _dry_60_to_62(f, rp, rt, p):
    return p["gamma60"] + (p["gamma62"] - p["gamma60"]) * (f - 60.0) / 2.0


def _dry_62_to_66(f, rp, rt, p):
    return np.exp(
        np.log(p["gamma62"]) / 8.0 * (f - 64.0) * (f - 66.0)
        - np.log(p["gamma64"]) / 4.0 * (f - 62.0) * (f - 66.0)
        + np.log(p["gamma66"]) / 8.0 * (f - 62.0) * (f - 64.0)
    )


def _dry_66_to_120(f, rp, rt, p):
    return (
        3.02e-4 * rt**3.5
        + 0.283 * rt**3.8 / ((f - 118.75) ** 2 + 2.91 * rp**2 * rt**1.6)
        + 0.502
        * p["xi6"]
        * (1.0 - 0.0163 * p["xi7"] * (f - 66.0))
        / ((f - 66.0) ** (1.4346 * p["xi4"]) + 1.15 * p["xi5"])
    ) * (f**2 * rp**2 * 1e-3)


def _dry_above_120(f, rp, rt, p):
    return (
        3.02e-4 / (1.0 + 1.9e-5 * f**1.5)
        + 0.283 * rt**0.3 / ((f - 118.75) ** 2 + 2.91 * rp**2 * rt**1.6)
    ) * (f**2 * rp**2 * rt**3.5 * 1e-3) + p["delta"]


def _phi(rp, rt, phi0, a, b, c, d):
    """phi(rp, rt, a, b, c, d) of P.676-10 Annex 2 eq. (22u), times phi0."""
    return phi0 * rp**a * rt**b * np.exp(c * (1.0 - rp) + d * (1.0 - rt))


def _debye(f, rp, rt):
    """Low-frequency (non-resonant oxygen) shape f^2 / (f^2 + 0.34 rp^2 rt^1.6) of eq. (22)."""
    return f**2 / (f**2 + 0.34 * rp**2 * rt**1.6)


def _frequency_ghz(freq_hz) -> np.ndarray:
    f = checks.numbers(
        "freq_hz",
        freq_hz,
        "finite numbers > 0 and <= 350e9 (Hz; ITU-R P.676 Annex 2 stops at 350 GHz)",
        lambda a: (a > 0.0) & (a <= _MAX_FREQ_GHZ * 1e9),
    )
    return f / 1e9


def _pressure_temperature_ratios(pressure_pa, temperature_k):
    """rp = p / 1013 hPa and rt = 288 / (273 + t C) as defined in P.676-10 Annex 2."""
    p = checks.positive("pressure_pa", pressure_pa, "Pa")
    t = checks.positive("temperature_k", temperature_k, "K")
    return (p / 100.0) / 1013.0, 288.0 / (t - 273.15 + 273.0)
