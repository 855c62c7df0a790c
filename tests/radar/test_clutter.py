"""Low-angle surface clutter: geometry, constant-gamma reflectivity, CNR and SIR."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from iadsim.geo.earth import effective_radius_m
from iadsim.radar.clutter import (
    TYPICAL_GAMMA_DB,
    clutter_cell_area_m2,
    clutter_in_beam,
    clutter_to_noise_db,
    constant_gamma_sigma0,
    gamma_at_frequency_db,
    grazing_angle_rad,
    sir_db,
)

A_E = effective_radius_m(4.0 / 3.0)


def test_cell_area_by_hand():
    # A = R (c tau / 2) theta_az sec(psi) (Skolnik 3rd ed. sec. 7.2): R = 20 km,
    # tau = 1 us -> c tau / 2 = 149.9 m (use 150 m), theta_az = 1.5 deg = 0.0261799 rad,
    # psi = 0.5 deg -> sec = 1.0000381: A = 20e3 * 150 * 0.0261799 * 1.0000381 = 78 542.8 m^2.
    area = clutter_cell_area_m2(20e3, 150.0, np.deg2rad(1.5), np.deg2rad(0.5))
    assert area == pytest.approx(78_542.8, abs=0.1)


def test_constant_gamma_at_nathanson_land_values():
    # Nathanson, Reilly & Cohen (1999) land values at 10 GHz as compiled in MathWorks
    # surfacegamma: farmland -15 dB, wooded hills -10 dB, flatland -20 dB.
    assert TYPICAL_GAMMA_DB["farmland"] == -15.0
    assert TYPICAL_GAMMA_DB["wooded_hills"] == -10.0
    assert TYPICAL_GAMMA_DB["flatland"] == -20.0
    # Farmland at 1 deg: 10^-1.5 * sin(1 deg) = 0.0316228 * 0.0174524 = 5.5189e-4 (-32.58 dB).
    sigma0 = constant_gamma_sigma0(np.deg2rad(1.0), TYPICAL_GAMMA_DB["farmland"])
    assert sigma0 == pytest.approx(5.5189e-4, rel=1e-4)
    assert 10 * np.log10(sigma0) == pytest.approx(-32.58, abs=0.01)
    # Wooded hills at 2 deg: 0.1 * 0.0348995 = 3.48995e-3.
    sigma0 = constant_gamma_sigma0(np.deg2rad(2.0), TYPICAL_GAMMA_DB["wooded_hills"])
    assert sigma0 == pytest.approx(3.48995e-3, rel=1e-5)
    # Shadowed (psi <= 0) surface gives no clutter.
    np.testing.assert_array_equal(constant_gamma_sigma0([0.0, -0.01], -10.0), [0.0, 0.0])


def test_gamma_frequency_scaling():
    # sigma0 ~ sqrt(f) (Barton 1985): farmland at 3 GHz = -15 + 5 log10(0.3) = -17.614 dB.
    assert gamma_at_frequency_db(-15.0, 3e9) == pytest.approx(-17.614, abs=1e-3)
    assert gamma_at_frequency_db(-15.0, 10e9) == pytest.approx(-15.0)


def test_grazing_angle_matches_the_small_angle_form():
    # psi ~ h/R - R/(2 a_e) for h << R << a_e (Long 2001; Skolnik 3rd ed. sec. 8.3):
    # h = 30 m, d = 5 km: 0.006 - 5000 / (2 * 8.4947e6) = 0.0057057 rad.
    assert grazing_angle_rad(30.0, 5e3) == pytest.approx(0.0057057, rel=1e-4)
    assert grazing_angle_rad(100.0, 20e3) == pytest.approx(100 / 20e3 - 20e3 / (2 * A_E), rel=1e-3)


@pytest.mark.parametrize("h", [5.0, 30.0, 500.0])
def test_grazing_angle_vanishes_at_the_horizon(h):
    # The radar horizon over the k Re sphere lies at the central angle arccos(a_e / (a_e + h)).
    d_horizon = A_E * np.arccos(A_E / (A_E + h))
    assert abs(grazing_angle_rad(h, d_horizon)) < 1e-9
    assert grazing_angle_rad(h, 0.9 * d_horizon) > 0.0
    assert grazing_angle_rad(h, 1.1 * d_horizon) < 0.0


def test_grazing_angle_limits_and_monotonicity():
    assert grazing_angle_rad(100.0, 0.0) == pytest.approx(np.pi / 2)
    d = np.linspace(10.0, 40e3, 400)
    assert np.all(np.diff(grazing_angle_rad(50.0, d)) < 0.0)
    h = np.linspace(1.0, 3000.0, 300)
    assert np.all(np.diff(grazing_angle_rad(h, 20e3)) > 0.0)


def test_clutter_to_noise_by_hand():
    # Loop constant for 13 dB on 1 m^2 at 100 km: C = 10^1.3 * 1e20 = 1.9953e21 m^2.
    # Farmland (-15 dB) at psi = 0.5 deg: sigma0 = 0.0316228 * 0.00872654 = 2.75956e-4;
    # cell of test_cell_area_by_hand: sigma_c = 2.75956e-4 * 78542.8 = 21.6744 m^2;
    # CNR = 1.9953e21 * 21.6744 / (20e3)^4 = 2.7029e5 = 54.32 dB.
    c = 10**1.3 * 1e20
    cnr = clutter_to_noise_db(c, 20e3, np.deg2rad(0.5), -15.0, 150.0, np.deg2rad(1.5))
    assert cnr == pytest.approx(54.32, abs=0.01)
    lower = clutter_to_noise_db(
        c, 20e3, np.deg2rad(0.5), -15.0, 150.0, np.deg2rad(1.5), pattern_loss_db=20.0
    )
    assert lower == pytest.approx(cnr - 20.0)
    assert clutter_to_noise_db(c, 20e3, -0.001, -15.0, 150.0, 0.02) == -np.inf


def test_cnr_grows_with_grazing_angle_and_falls_with_range():
    c = 1e21
    psi = np.deg2rad(np.linspace(0.05, 5.0, 50))
    assert np.all(np.diff(clutter_to_noise_db(c, 20e3, psi, -15.0, 150.0, 0.02)) > 0.0)
    # At fixed grazing angle the cell grows as R but the echo falls as R^-4: net R^-3.
    rng = np.array([10e3, 20e3, 40e3])
    cnr = clutter_to_noise_db(c, rng, 0.01, -15.0, 150.0, 0.02)
    np.testing.assert_allclose(np.diff(cnr), -30.0 * np.log10(2.0), atol=1e-9)


def test_sir():
    # SIR = SNR - 10 log10(1 + CNR/I + JNR): 20 - 10 log10(1 + 10^((50-40)/10)) = 9.586 dB.
    assert sir_db(20.0, 50.0, 40.0) == pytest.approx(20.0 - 10 * np.log10(11.0))
    assert sir_db(20.0, -np.inf, 0.0) == pytest.approx(20.0)
    assert sir_db(20.0, 50.0, 40.0, jnr_db=10.0) == pytest.approx(20.0 - 10 * np.log10(21.0))


@given(
    snr=st.floats(-10.0, 40.0),
    cnr=st.floats(-20.0, 80.0),
    imp=st.floats(0.0, 60.0),
)
def test_sir_never_exceeds_snr_and_rises_with_improvement(snr, cnr, imp):
    assert sir_db(snr, cnr, imp) <= snr
    assert sir_db(snr, cnr, imp + 10.0) >= sir_db(snr, cnr, imp)


def test_clutter_in_beam():
    # Radar at 10 m (horizon ~13 km), 2 deg beam: a 100 m target at 8 km sits at ~0.64 deg;
    # the surface below it at -(psi + d/a_e) ~ -(0.00078 + 0.00094) rad ~ -0.10 deg, so
    # 0.74 deg below the beam axis, inside half a beamwidth.
    el_low = np.arcsin(90.0 / 8e3)
    assert clutter_in_beam(el_low, 10.0, 8e3, np.deg2rad(2.0))
    # A target 10 deg up puts the surface far outside the beam.
    assert not clutter_in_beam(np.deg2rad(10.0), 10.0, 8e3, np.deg2rad(2.0))
    # Beyond the horizon the surface is shadowed.
    assert not clutter_in_beam(0.0, 10.0, 20e3, np.deg2rad(2.0))


def test_vectorised_shapes():
    h = np.array([10.0, 100.0])[:, None]
    d = np.array([1e3, 5e3, 20e3])
    assert grazing_angle_rad(h, d).shape == (2, 3)
    assert clutter_to_noise_db(1e21, d, grazing_angle_rad(h, d), -15.0, 150.0, 0.02).shape == (2, 3)


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: grazing_angle_rad(-1.0, 1e3), "radar_alt_m"),
        (lambda: grazing_angle_rad(10.0, np.nan), "target_ground_range_m"),
        (lambda: constant_gamma_sigma0(2.0, -15.0), "grazing_rad"),
        (lambda: constant_gamma_sigma0(0.01, np.nan), "gamma_db"),
        (lambda: clutter_cell_area_m2(1e3, 0.0, 0.02, 0.01), "range_resolution_m"),
        (lambda: clutter_to_noise_db(-1.0, 1e3, 0.01, -15.0, 150.0, 0.02), "loop_constant"),
        (lambda: sir_db(10.0, np.nan, 20.0), "cnr_db"),
        (lambda: sir_db(10.0, 30.0, -3.0), "improvement_db"),
    ],
)
def test_bad_input_names_argument(call, name):
    with pytest.raises(ValueError, match=name) as info:
        call()
    assert f"{name} must be " in str(info.value) and ", got " in str(info.value)
