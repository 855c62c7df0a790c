"""Surface multipath against closed forms and an independent ray solution."""

import numpy as np
import pytest
from scipy.optimize import brentq
from scipy.special import i0

from iadsim.geo.earth import effective_radius_m
from iadsim.radar import multipath as mp

FLAT = 1e6  # k-factor so large that the earth is flat over the test geometry


def test_flat_earth_limit_is_the_two_ray_formula():
    # Perfect reflector (Gamma -> -1 as eps -> infinity), no roughness: F = |1 - exp(-j 4 pi
    # h_r h_t / (lambda R))| (Skolnik 3rd ed. sec. 8.2; Blake 1980 ch. 8, flat earth).
    lam, h_r, d = 0.1, 10.0, 10_000.0
    h_t = np.linspace(5.0, 200.0, 80)
    f, _ = mp.interference_factor(h_r, h_t, d, lam, 1e12 + 0j, False, 0.0, FLAT)
    slant = np.hypot(d, h_t - h_r)
    expected = np.abs(1.0 - np.exp(-1j * 4 * np.pi * h_r * h_t / (lam * slant)))
    assert f == pytest.approx(expected, abs=2e-3)


def test_flat_earth_lobe_maxima_and_nulls_at_the_closed_form_heights():
    # Maxima F = 2 at h_t = (2n+1) lambda R / (4 h_r), nulls at h_t = n lambda R / (2 h_r).
    lam, h_r, d = 0.03, 20.0, 20_000.0
    n = np.arange(1, 6)
    peaks = (2 * n + 1) * lam * d / (4 * h_r)
    nulls = n * lam * d / (2 * h_r)
    f_peak, _ = mp.interference_factor(h_r, peaks, d, lam, 1e12 + 0j, False, 0.0, FLAT)
    f_null, _ = mp.interference_factor(h_r, nulls, d, lam, 1e12 + 0j, False, 0.0, FLAT)
    assert f_peak == pytest.approx(2.0, abs=0.01)
    assert np.all(f_null < 0.02)
    # Two-way: F^4 at a lobe peak is +12 dB, i.e. twice the free-space range (Skolnik 8.2).
    assert 40 * np.log10(f_peak[0]) == pytest.approx(12.04, abs=0.05)


def _brute_force_reflection(h1, h2, d, k):
    """Specular point found numerically: equal angles of incidence and reflection."""
    a = effective_radius_m(k)

    def angles(d1):
        # Grazing angle of the ray from a point at height h (ground distance x) to the surface
        # point, law of cosines in the earth-centre triangle.
        def psi(h, x):
            r = np.sqrt(h**2 + 4 * a * (a + h) * np.sin(x / (2 * a)) ** 2)
            return np.arcsin((2 * a * h + h**2 - r**2) / (2 * a * r)), r

        p1, r1 = psi(h1, d1)
        p2, r2 = psi(h2, d - d1)
        return p1 - p2, p1, r1, r2

    d1 = brentq(lambda x: angles(x)[0], 1.0, d - 1.0, xtol=1e-6)
    _, psi, r1, r2 = angles(d1)
    rd = np.sqrt((h1 - h2) ** 2 + 4 * (a + h1) * (a + h2) * np.sin(d / (2 * a)) ** 2)
    return d1, psi, r1 + r2 - rd


@pytest.mark.parametrize(
    "h1, h2, d", [(25.0, 30.0, 20_000.0), (25.0, 500.0, 60_000.0), (300.0, 20.0, 30_000.0)]
)
def test_spherical_geometry_matches_an_independent_ray_solution(h1, h2, d):
    # Blake's cubic is the small-angle (parabolic-earth) form of the specular condition, so
    # it agrees with the exact ray solution to a few parts in 10^4.
    geo = mp.reflection_geometry(h1, h2, d, 4.0 / 3.0)
    d1, psi, delta = _brute_force_reflection(h1, h2, d, 4.0 / 3.0)
    assert float(geo["d1_m"]) == pytest.approx(d1, rel=1e-3)
    assert float(geo["grazing_rad"]) == pytest.approx(psi, rel=1e-3)
    assert float(geo["path_difference_m"]) == pytest.approx(delta, rel=2e-3)


def test_path_difference_matches_the_effective_height_approximation():
    # delta ~ 2 h1' h2' / d with h' = h - d_i^2 / (2 a_e) (Kerr 1951; Blake 1980 sec. 8.2).
    h1, h2, d = 30.0, 200.0, 40_000.0
    a = effective_radius_m(4.0 / 3.0)
    geo = mp.reflection_geometry(h1, h2, d, 4.0 / 3.0)
    d1, d2 = float(geo["d1_m"]), float(geo["d2_m"])
    approx = 2 * (h1 - d1**2 / (2 * a)) * (h2 - d2**2 / (2 * a)) / d
    assert float(geo["path_difference_m"]) == pytest.approx(approx, rel=0.01)


def test_fresnel_at_normal_incidence_and_grazing():
    eps = 15.0 - 0.5j
    gh = mp.fresnel_reflection(np.pi / 2, eps, False)
    assert gh == pytest.approx((1 - np.sqrt(eps)) / (1 + np.sqrt(eps)), rel=1e-9)
    for vertical in (False, True):
        assert mp.fresnel_reflection(1e-7, eps, vertical) == pytest.approx(-1.0, abs=1e-5)


def test_vertical_polarisation_has_its_brewster_minimum():
    # Lossless dielectric: Gamma_V = 0 at tan(psi_B) = 1 / sqrt(eps_r) (grazing-angle form of
    # Brewster's angle, Blake 1980 sec. 8.3).
    eps = 9.0
    psi = np.deg2rad(np.linspace(1.0, 89.0, 8801))
    gv = np.abs(mp.fresnel_reflection(psi, eps + 0j, True))
    assert np.rad2deg(psi[np.argmin(gv)]) == pytest.approx(
        np.rad2deg(np.arctan(1 / np.sqrt(eps))), abs=0.02
    )
    assert gv.min() < 1e-3


def test_ament_and_miller_brown_vegh_closed_forms():
    psi, sigma_h, lam = np.deg2rad(2.0), 0.5, 0.1
    g = 2 * np.pi * sigma_h * np.sin(psi) / lam
    assert mp.ament_roughness(psi, sigma_h, lam) == pytest.approx(np.exp(-2 * g**2))
    assert mp.miller_brown_vegh_roughness(psi, sigma_h, lam) == pytest.approx(
        np.exp(-2 * g**2) * i0(2 * g**2)
    )


def test_sea_water_permittivity_follows_klein_swift():
    # Klein & Swift (1977) fig./tables: at 20 C and 35 psu, the static permittivity is
    # about 72 - its high-frequency limit 4.9; at 1.4 GHz eps' ~ 70-71 and eps'' ~ 60-70
    # (conductivity ~ 4.8 S/m). Checked against the independent low-frequency form
    # eps'' ~ sigma / (omega eps_0).
    eps = mp.sea_water_permittivity(1.4e9)
    assert 68.0 < eps.real < 73.0
    sigma_term = 4.79 / (2 * np.pi * 1.4e9 * 8.854e-12)
    assert -eps.imag == pytest.approx(sigma_term + 8.0, rel=0.15)


def test_sea_skimmer_is_seen_in_lobes_and_fades_before_the_horizon():
    # A 30 m target over the sea from a 25 m mast at X band: lobes (F^4 swings by tens of dB)
    # then the factor falls well below free space before the 43 km horizon.
    d = np.linspace(2_000.0, 43_000.0, 2000)
    f = 9.5e9
    f4 = mp.propagation_factor_db(25.0, 30.0, d, f, mp.sea_water_permittivity(f), False, 0.1,
                                  4.0 / 3.0)  # fmt: skip
    assert f4.max() > 10.0 and f4.min() < -20.0
    horizon = float(mp.horizon_ground_m(25.0, 30.0, 4.0 / 3.0))
    assert f4[d > 0.9 * horizon].max() < -10.0


def test_diffraction_region_follows_itu_r_p526_attenuation_rate():
    # Far beyond the horizon the field falls by 17.6 dB per unit X (ITU-R P.526 eq. 17):
    # dF/dd = -17.6 * 2.188 f^(1/3) a_e^(-2/3) dB/km, here at 3 GHz.
    f, k = 3e9, 4.0 / 3.0
    a_km = effective_radius_m(k) / 1e3
    d = np.array([150e3, 160e3])
    one_way = mp.diffraction_factor_db(20.0, 20.0, d, f, k, 70 - 40j, False)
    rate = (one_way[1] - one_way[0]) / 10.0
    expected = -17.6 * 2.188 * (f / 1e6) ** (1 / 3) * a_km ** (-2 / 3)
    assert rate == pytest.approx(expected + 10 * np.log10(160 / 150) / 10, rel=0.01)
