"""Noise-jamming link budgets against textbook forms and hand computations."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from iadsim.radar.jamming import (
    BOLTZMANN_J_PER_K,
    burn_through_range_m,
    jammer_to_noise_db,
    self_screening_jsr_db,
    snr_with_jamming_db,
    stand_off_burn_through_range_m,
    stand_off_jsr_db,
)

# 10 log10(4 pi 10^6): Adamy's "71" for ranges in km (EW 101, 2001, ch. 9).
ADAMY_71 = 10.0 * np.log10(4.0 * np.pi * 1e6)


def dbm(watts):
    return 10.0 * np.log10(watts * 1e3)


def test_self_screening_matches_adamy_db_form():
    # Adamy, EW 101, ch. 9, self-protection jamming, equal bandwidths:
    # J/S = 71 + ERP_J - ERP_S + 20 log R_km - 10 log sigma.
    # Radar 100 kW, 30 dB -> ERP_S = 110 dBm; jammer ERP 100 W = 50 dBm; 10 km; 10 m^2:
    # J/S = 70.992 + 50 - 110 + 20 - 10 = 20.992 dB.
    jsr = self_screening_jsr_db(10e3, 100e3, 30.0, 10.0, 100.0, 1e6, 1e6)
    expected = ADAMY_71 + dbm(100.0) - dbm(100e3 * 1e3) + 20.0 * np.log10(10.0) - 10.0
    assert expected == pytest.approx(20.992, abs=1e-3)
    assert jsr == pytest.approx(expected, abs=1e-9)


def test_stand_off_matches_adamy_db_form():
    # Adamy, EW 101, ch. 9, remote jamming:
    # J/S = 71 + ERP_J - ERP_S + 40 log R_T - 20 log R_J + G_S - G_M - 10 log sigma.
    # Radar 1 MW, 40 dB main beam (ERP_S = 130 dBm), 0 dBi sidelobe toward the jammer;
    # jammer 1 kW ERP (60 dBm) at 100 km; 5 m^2 target at 50 km:
    # 70.992 + 60 - 130 + 67.959 - 40 + 0 - 40 - 6.990 = -18.039 dB.
    jsr = stand_off_jsr_db(50e3, 100e3, 1e6, 40.0, 5.0, 1e3, 1e6, 1e6, 0.0)
    assert jsr == pytest.approx(-18.039, abs=1e-3)


def test_burn_through_with_mahafza_parameters():
    # Parameter set of the MATLAB listing fig2_7.m / ssj_req.m that comes with Mahafza,
    # Radar Systems Analysis and Design Using MATLAB (cross-over range, S/J = 1):
    # Pt = 50 kW, G = 35 dB, sigma = 10 m^2, B = 667 kHz, L = 0.1 dB; Pj = 200 W,
    # Gj = 10 dB (ERP 2 kW), Bj = 50 MHz, Lj = 0.1 dB. By hand:
    # sqrt(50e3 * 3162.28 * 10 * 50e6 / (4 pi * 2000 * 667e3)) = sqrt(4.716e6) = 2171.6 m.
    r_bt = burn_through_range_m(
        0.0, 50e3, 35.0, 10.0, 2000.0, 50e6, 667e3, radar_loss_db=0.1, jammer_loss_db=0.1
    )
    assert r_bt == pytest.approx(2171.6, abs=0.1)


def test_required_sjr_shortens_burn_through():
    # S/J falls as 1/R^2, so 10 dB more required S/J divides R_bt by sqrt(10).
    args = (50e3, 35.0, 10.0, 2000.0, 50e6, 667e3)
    assert burn_through_range_m(10.0, *args) == pytest.approx(
        burn_through_range_m(0.0, *args) / np.sqrt(10.0)
    )


@given(
    sjr_db=st.floats(-10.0, 30.0),
    pt=st.floats(1e3, 1e7),
    gain_db=st.floats(20.0, 45.0),
    rcs=st.floats(1e-3, 100.0),
    erp=st.floats(1.0, 1e5),
    b_j=st.floats(1e6, 1e9),
    b_r=st.floats(1e5, 1e7),
)
def test_at_burn_through_sj_equals_required(sjr_db, pt, gain_db, rcs, erp, b_j, b_r):
    r_bt = burn_through_range_m(sjr_db, pt, gain_db, rcs, erp, b_j, b_r)
    jsr = self_screening_jsr_db(r_bt, pt, gain_db, rcs, erp, b_j, b_r)
    assert -jsr == pytest.approx(sjr_db, abs=1e-9)


@given(
    sjr_db=st.floats(-10.0, 30.0),
    r_j=st.floats(10e3, 300e3),
    sidelobe_db=st.floats(-20.0, 10.0),
    erp=st.floats(1.0, 1e5),
)
def test_at_stand_off_burn_through_sj_equals_required(sjr_db, r_j, sidelobe_db, erp):
    args = (1e6, 38.0, 2.0, erp, 200e6, 1e6, sidelobe_db)
    r_bt = stand_off_burn_through_range_m(sjr_db, r_j, *args)
    jsr = stand_off_jsr_db(r_bt, r_j, *args)
    assert -jsr == pytest.approx(sjr_db, abs=1e-9)


def test_self_screening_jsr_rises_as_range_squared():
    r = np.array([10e3, 20e3, 40e3, 80e3])
    jsr = self_screening_jsr_db(r, 1e5, 35.0, 1.0, 500.0, 1e8, 1e6)
    np.testing.assert_allclose(np.diff(jsr), 20.0 * np.log10(2.0), atol=1e-12)


def test_stand_off_jsr_follows_the_echo_falling_as_r_minus_4():
    # J from a fixed stand-off jammer is constant, so J/S tracks 1/S = R_t^4.
    r = np.array([10e3, 20e3, 40e3])
    jsr = stand_off_jsr_db(r, 150e3, 1e6, 40.0, 1.0, 1e3, 1e8, 1e6, -5.0)
    np.testing.assert_allclose(np.diff(jsr), 40.0 * np.log10(2.0), atol=1e-12)


def test_jnr_minus_jsr_is_the_radar_equation_snr():
    # S/N = Pt G^2 lambda^2 sigma / ((4 pi)^3 R^4 k Ts B) (Skolnik 3rd ed. eq. 2.1 and
    # sec. 2.3); for a self-screening jammer J/N - J/S must reproduce it, and it must
    # fall by 12.04 dB per doubling of range.
    pt, g_db, lam, rcs, t_s, b_r, b_j, erp = 1e6, 38.0, 0.1, 2.0, 500.0, 1e6, 50e6, 300.0
    r = np.array([20e3, 40e3, 80e3])
    g = 10.0 ** (g_db / 10.0)
    snr = pt * g**2 * lam**2 * rcs / ((4 * np.pi) ** 3 * r**4 * BOLTZMANN_J_PER_K * t_s * b_r)
    jnr = jammer_to_noise_db(r, erp, b_j, g_db, lam, t_s)
    jsr = self_screening_jsr_db(r, pt, g_db, rcs, erp, b_j, b_r)
    np.testing.assert_allclose(jnr - jsr, 10.0 * np.log10(snr), atol=1e-9)
    np.testing.assert_allclose(np.diff(jnr - jsr), -40.0 * np.log10(2.0), atol=1e-9)


def test_jammer_to_noise_by_hand():
    # 1 kW ERP at 100 km through a 0 dBi sidelobe, lambda = 0.1 m, Ts = 500 K, Bj = 100 MHz:
    # J = 1e3 * 1 * 0.01 / ((4 pi)^2 * 1e10) = 6.333e-12 W in Bj's share of the receiver;
    # N per Bj = k * 500 * 1e8 = 6.903e-13 W; J/N = 9.174 = 9.625 dB.
    assert jammer_to_noise_db(100e3, 1e3, 100e6, 0.0, 0.1, 500.0) == pytest.approx(9.625, abs=1e-3)
    # A 1 MHz spot jammer in a 10 MHz receiver puts all its power in band: B_r replaces B_j.
    spot = jammer_to_noise_db(100e3, 1e3, 1e6, 0.0, 0.1, 500.0, radar_bandwidth_hz=10e6)
    wide = jammer_to_noise_db(100e3, 1e3, 10e6, 0.0, 0.1, 500.0)
    assert spot == pytest.approx(wide)


def test_narrow_jammer_puts_all_power_in_band():
    narrow = self_screening_jsr_db(30e3, 1e5, 35.0, 1.0, 100.0, 0.5e6, 1e6)
    matched = self_screening_jsr_db(30e3, 1e5, 35.0, 1.0, 100.0, 1e6, 1e6)
    assert narrow == pytest.approx(matched)


def test_losses_move_jsr_the_right_way():
    base = self_screening_jsr_db(30e3, 1e5, 35.0, 1.0, 100.0, 1e7, 1e6)
    lossy_radar = self_screening_jsr_db(30e3, 1e5, 35.0, 1.0, 100.0, 1e7, 1e6, radar_loss_db=3.0)
    lossy_jammer = self_screening_jsr_db(30e3, 1e5, 35.0, 1.0, 100.0, 1e7, 1e6, jammer_loss_db=3.0)
    assert lossy_radar == pytest.approx(base + 3.0)
    assert lossy_jammer == pytest.approx(base - 3.0)


def test_snr_with_jamming():
    assert snr_with_jamming_db(13.0, -np.inf) == pytest.approx(13.0)
    assert snr_with_jamming_db(13.0, 0.0) == pytest.approx(13.0 - 10.0 * np.log10(2.0))
    # Strong jamming: SINR ~ S/J = SNR - JNR.
    assert snr_with_jamming_db(13.0, 40.0) == pytest.approx(-27.0, abs=1e-3)


def test_no_jammer_gives_minus_infinity_and_infinite_burn_through():
    assert self_screening_jsr_db(30e3, 1e5, 35.0, 1.0, 0.0, 1e7, 1e6) == -np.inf
    assert burn_through_range_m(10.0, 1e5, 35.0, 1.0, 0.0, 1e7, 1e6) == np.inf


def test_vectorised_broadcasting():
    r = np.array([10e3, 20e3, 40e3])[:, None]
    erp = np.array([10.0, 100.0, 1000.0, 1e4])
    jsr = self_screening_jsr_db(r, 1e5, 35.0, 1.0, erp, 1e7, 1e6)
    assert jsr.shape == (3, 4)
    np.testing.assert_allclose(
        jsr[0, 1], self_screening_jsr_db(10e3, 1e5, 35.0, 1.0, 100.0, 1e7, 1e6)
    )
    r_bt = burn_through_range_m(np.array([0.0, 10.0]), 1e5, 35.0, 1.0, erp[:, None], 1e7, 1e6)
    assert r_bt.shape == (4, 2)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"range_m": np.nan}, "range_m"),
        ({"range_m": [1e3, -5.0]}, "range_m"),
        ({"radar_peak_power_w": -1.0}, "radar_peak_power_w"),
        ({"rcs_m2": 0.0}, "rcs_m2"),
        ({"jammer_erp_w": -3.0}, "jammer_erp_w"),
        ({"jammer_bandwidth_hz": 0.0}, "jammer_bandwidth_hz"),
        ({"radar_gain_db": np.inf}, "radar_gain_db"),
        ({"radar_loss_db": -1.0}, "radar_loss_db"),
        ({"range_m": "far"}, "range_m"),
    ],
)
def test_bad_input_names_argument_value_and_rule(kwargs, name):
    args = {
        "range_m": 10e3,
        "radar_peak_power_w": 1e5,
        "radar_gain_db": 30.0,
        "rcs_m2": 1.0,
        "jammer_erp_w": 100.0,
        "jammer_bandwidth_hz": 1e7,
        "radar_bandwidth_hz": 1e6,
    }
    args.update(kwargs)
    with pytest.raises(ValueError, match=name) as info:
        self_screening_jsr_db(**args)
    message = str(info.value)
    assert " must be " in message and ", got " in message
    bad = kwargs[name]
    shown = bad[-1] if isinstance(bad, list) else bad
    assert repr(shown if isinstance(shown, str) else float(shown)) in message


def test_snr_with_jamming_rejects_nan_and_plus_infinity():
    with pytest.raises(ValueError, match="jnr_db"):
        snr_with_jamming_db(10.0, np.nan)
    with pytest.raises(ValueError, match="jnr_db"):
        snr_with_jamming_db(10.0, np.inf)
    with pytest.raises(ValueError, match="snr_db"):
        snr_with_jamming_db(np.nan, 0.0)
