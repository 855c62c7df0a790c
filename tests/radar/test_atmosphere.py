"""Clear-air attenuation against ITU-R reference values and independent computations."""

from itertools import pairwise

import numpy as np
import pytest
from scipy.integrate import quad

from iadsim.geo.earth import effective_radius_m
from iadsim.radar.atmosphere import (
    dry_air_specific_attenuation_db_per_km,
    equivalent_heights_m,
    specific_attenuation_db_per_km,
    two_way_attenuation_db,
    water_vapour_specific_attenuation_db_per_km,
)

# ITU-R validation examples for P.676-12 Annex 1 (line-by-line), standard atmosphere
# 1013.25 hPa, 288.15 K, 7.5 g/m^3 (ITU-R SG 3 file CG-3M3J-13-ValEx, rev. 5.1, as
# reproduced in ITU-Rpy test/test_data/676/ITURP676-12_gamma.csv):
# f (GHz), gamma_o, gamma_w (dB/km).
ITU_ANNEX1 = [
    (1.0, 0.005388658, 5.09e-05),
    (2.0, 0.006716038, 0.000204381),
    (3.0, 0.00707596, 0.000462793),
    (5.0, 0.007400426, 0.001313459),
    (10.0, 0.008224417, 0.005974125),
    (15.0, 0.009618924, 0.019439422),
    (22.0, 0.013130223, 0.174207033),
    (35.0, 0.031843034, 0.069614296),
    (94.0, 0.034480723, 0.37364816),
]


@pytest.mark.parametrize("f_ghz, gamma_o, gamma_w", ITU_ANNEX1)
def test_annex2_fits_agree_with_annex1_within_ten_percent(f_ghz, gamma_o, gamma_w):
    # P.676-10 Annex 2 sec. 1: the fits agree with Annex 1 to about +-10 % away from line
    # centres. Dry air alone (the dominant term below 15 GHz) is within 6 % up to 35 GHz.
    total = specific_attenuation_db_per_km(f_ghz * 1e9)
    assert total == pytest.approx(gamma_o + gamma_w, rel=0.10)
    if f_ghz <= 35.0:
        assert dry_air_specific_attenuation_db_per_km(f_ghz * 1e9) == pytest.approx(
            gamma_o, rel=0.06
        )


def test_transcription_matches_independent_implementation():
    # pycraf (B. Winkel et al.) implements the same P.676-10 Annex 2 equations; its test
    # suite (pycraf/atm/tests/test_atm.py) tabulates them at f = logspace(1, 2, 5) GHz,
    # 980 hPa, 300 K, 10 g/m^3. Agreement to 1e-6 checks every coefficient we copied.
    f = np.logspace(1, 2, 5) * 1e9
    dry = dry_air_specific_attenuation_db_per_km(f, 98_000.0, 300.0)
    wet = water_vapour_specific_attenuation_db_per_km(f, 98_000.0, 300.0, 10e-3)
    np.testing.assert_allclose(
        dry, [0.006643591, 0.008556794, 0.0200009175, 6.5824558517, 0.0215553521], rtol=1e-6
    )
    np.testing.assert_allclose(
        wet, [0.0082768112, 0.0599180804, 0.096043373, 0.1902800424, 0.5888230557], rtol=1e-6
    )
    h_o, h_w = equivalent_heights_m(f, 98_000.0)
    np.testing.assert_allclose(
        h_o / 1e3, [5.17174463, 5.15765153, 5.12390758, 10.2730745, 5.38128124], rtol=1e-6
    )
    np.testing.assert_allclose(
        h_w / 1e3, [1.67507787, 1.7615659, 1.68523706, 1.66232892, 1.66121491], rtol=1e-6
    )


def test_zenith_attenuation_at_10_ghz():
    # Zenith (one-way) attenuation = gamma_o h_o + gamma_w h_w (P.676-10 Annex 2 sec. 2.2).
    # With the ITU Annex 1 validation values at 10 GHz and our equivalent heights
    # (5.20 km, 1.675 km): 0.008224 * 5.20 + 0.005974 * 1.675 = 0.0528 dB, the ~0.05 dB of
    # the P.676 zenith-attenuation figure.
    h_o, h_w = equivalent_heights_m(10e9)
    assert h_o == pytest.approx(5200.0, abs=5.0)
    assert h_w == pytest.approx(1675.0, abs=5.0)
    reference = 0.008224417 * h_o / 1e3 + 0.005974125 * h_w / 1e3
    one_way = two_way_attenuation_db(10e9, 1e7, np.pi / 2) / 2.0
    assert one_way == pytest.approx(reference, rel=0.05)
    # Our own closed form reproduces gamma_o h_o + gamma_w h_w exactly at the zenith.
    ours = (
        dry_air_specific_attenuation_db_per_km(10e9) * h_o / 1e3
        + water_vapour_specific_attenuation_db_per_km(10e9) * h_w / 1e3
    )
    assert one_way == pytest.approx(ours, rel=1e-9)


def exact_two_way_db(freq_hz, range_m, elevation_rad, radar_alt_m):
    """2 * integral of gamma(h) along the straight ray over the 4/3 earth, by quadrature."""
    a_e = effective_radius_m(4.0 / 3.0)
    r1 = a_e + radar_alt_m
    total = 0.0
    for gamma, scale in (
        (dry_air_specific_attenuation_db_per_km(freq_hz), equivalent_heights_m(freq_hz)[0]),
        (water_vapour_specific_attenuation_db_per_km(freq_hz), equivalent_heights_m(freq_hz)[1]),
    ):

        def integrand(s, scale=scale):
            h = np.sqrt(r1**2 + s**2 + 2.0 * r1 * s * np.sin(elevation_rad)) - a_e
            return np.exp(-h / scale)

        value, _ = quad(integrand, 0.0, range_m, limit=400, epsrel=1e-10)
        total += gamma / 1e3 * value
    return 2.0 * total


@pytest.mark.parametrize(
    "range_m, elevation_deg, radar_alt_m",
    [
        (20e3, 0.0, 10.0),
        (150e3, 0.0, 10.0),
        (400e3, 0.0, 10.0),
        (100e3, 0.5, 0.0),
        (200e3, 2.0, 30.0),
        (100e3, 10.0, 0.0),
        (50e3, 45.0, 0.0),
        (80e3, -0.5, 3000.0),  # downward ray passing its lowest point
        (10e3, -20.0, 3000.0),  # downward ray all the way
    ],
)
def test_closed_form_path_integral_agrees_with_quadrature(range_m, elevation_deg, radar_alt_m):
    el = np.deg2rad(elevation_deg)
    for freq_hz in (3e9, 10e9):
        ours = two_way_attenuation_db(freq_hz, range_m, el, radar_alt_m)
        assert ours == pytest.approx(exact_two_way_db(freq_hz, range_m, el, radar_alt_m), rel=0.045)


def test_tends_to_the_flat_earth_form_at_high_elevation():
    # P.676-10 Annex 2 sec. 2.2: A = gamma H (exp(-h1/H) - exp(-h2/H)) / sin(theta).
    el, rng = np.deg2rad(45.0), 20e3
    h2 = rng * np.sin(el)
    flat = 0.0
    for gamma, scale in zip(
        (
            dry_air_specific_attenuation_db_per_km(10e9),
            water_vapour_specific_attenuation_db_per_km(10e9),
        ),
        equivalent_heights_m(10e9),
        strict=True,
    ):
        flat += gamma / 1e3 * scale * (1.0 - np.exp(-h2 / scale)) / np.sin(el)
    assert two_way_attenuation_db(10e9, rng, el) == pytest.approx(2.0 * flat, rel=0.01)


def test_monotonic_in_range_and_smaller_at_higher_elevation():
    rng = np.linspace(0.0, 500e3, 501)
    by_elevation = [
        two_way_attenuation_db(10e9, rng, np.deg2rad(el)) for el in (0.0, 1.0, 5.0, 30.0, 90.0)
    ]
    for loss in by_elevation:
        assert loss[0] == 0.0
        assert np.all(np.diff(loss) >= 0.0)
    for lower, higher in pairwise(by_elevation):
        assert np.all(higher[1:] < lower[1:])
    # A radar on a 3 km mountain looking 1 deg down: the ray bottoms out at
    # (a_e + 3 km) cos(1 deg) - a_e ~ 1.7 km after ~150 km and climbs again; the loss keeps
    # growing through that lowest point.
    down = two_way_attenuation_db(10e9, rng, np.deg2rad(-1.0), radar_alt_m=3000.0)
    assert np.all(np.diff(down) > 0.0)


def test_reciprocal_path():
    # The same ray walked from either end: radar at 0 m looking up at 1 deg to 200 km,
    # and radar at the far end looking back down along it.
    a_e = effective_radius_m(4.0 / 3.0)
    el, rng = np.deg2rad(1.0), 200e3
    r2 = np.sqrt(a_e**2 + rng**2 + 2 * a_e * rng * np.sin(el))
    el_back = -np.arcsin((rng + a_e * np.sin(el)) / r2)
    up = two_way_attenuation_db(10e9, rng, el, 0.0)
    down = two_way_attenuation_db(10e9, rng, el_back, r2 - a_e)
    assert down == pytest.approx(up, rel=1e-9)


def test_explicit_target_altitude_matches_geometry():
    a_e = effective_radius_m(4.0 / 3.0)
    el, rng, h1 = np.deg2rad(0.3), 150e3, 20.0
    h2 = np.sqrt((a_e + h1) ** 2 + rng**2 + 2 * (a_e + h1) * rng * np.sin(el)) - a_e
    implied = two_way_attenuation_db(10e9, rng, el, h1)
    given = two_way_attenuation_db(10e9, rng, el, h1, target_alt_m=h2)
    assert given == pytest.approx(implied, rel=1e-9)


def test_tiny_at_vhf_and_uhf():
    # Below 1 GHz only the non-resonant oxygen (Debye) absorption is left.
    assert specific_attenuation_db_per_km(100e6) < 3e-4
    assert specific_attenuation_db_per_km(150e6) < specific_attenuation_db_per_km(450e6)
    # 200 km at 0 deg: ~0.16 dB at 150 MHz, ~0.94 dB at 450 MHz against ~2.6 dB at 3 GHz.
    vhf, uhf, s_band = two_way_attenuation_db(np.array([150e6, 450e6, 3e9]), 200e3, 0.0, 10.0)
    assert vhf < 0.2
    assert uhf < 1.2
    assert vhf < 0.1 * s_band
    # Continuous at the 1 GHz seam.
    assert specific_attenuation_db_per_km(0.999e9) == pytest.approx(
        specific_attenuation_db_per_km(1.0e9), rel=3e-3
    )


def test_vectorised_shapes():
    f = np.array([0.3e9, 3e9, 10e9])[:, None]
    rng = np.array([10e3, 100e3])
    assert two_way_attenuation_db(f, rng, 0.01).shape == (3, 2)
    assert specific_attenuation_db_per_km(np.array([[1e9, 2e9], [3e9, 4e9]])).shape == (2, 2)


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: specific_attenuation_db_per_km(0.0), "freq_hz"),
        (lambda: specific_attenuation_db_per_km(np.nan), "freq_hz"),
        (lambda: specific_attenuation_db_per_km(400e9), "freq_hz"),
        (lambda: specific_attenuation_db_per_km(10e9, pressure_pa=-1.0), "pressure_pa"),
        (
            lambda: specific_attenuation_db_per_km(10e9, water_vapour_density_kg_m3=-1e-3),
            "water_vapour_density_kg_m3",
        ),
        (lambda: two_way_attenuation_db(10e9, -1.0, 0.0), "range_m"),
        (lambda: two_way_attenuation_db(10e9, 1e3, 2.0), "elevation_rad"),
        (lambda: two_way_attenuation_db(10e9, 1e3, 0.0, np.nan), "radar_alt_m"),
    ],
)
def test_bad_input_names_argument(call, name):
    with pytest.raises(ValueError, match=name) as info:
        call()
    assert f"{name} must be " in str(info.value) and ", got " in str(info.value)
