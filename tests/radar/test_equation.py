"""Tests of the radar range equation against published MATLAB examples."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.constants import c as SPEED_OF_LIGHT

from iadsim.radar.equation import radar_max_range_m, radar_snr_db

# MATLAB's radareqsnr / radareqrng / radareqpow default to a 20 dB gain.
MATLAB_DEFAULT_GAIN_DB = 20.0


def test_matlab_radareqsnr_default_example():
    """MathWorks radareqsnr doc: 1 GHz, 50 km, Pt = 1 MW, tau = 0.2 us -> 5.5868 dB."""
    snr = radar_snr_db(SPEED_OF_LIGHT / 1e9, 50e3, 1e6, 0.2e-6, MATLAB_DEFAULT_GAIN_DB)
    assert snr == pytest.approx(5.5868, abs=6e-5)


def test_matlab_radareqsnr_full_example():
    """MathWorks radareqsnr doc: 10 GHz, 100 km, 1 MW, 1 us, RCS 0.5, G 40 dB, Ts 300 K,
    L 3 dB -> 14.3778 dB."""
    snr = radar_snr_db(
        SPEED_OF_LIGHT / 10e9,
        100e3,
        1e6,
        1e-6,
        40.0,
        rcs_m2=0.5,
        system_temp_k=300.0,
        losses_db=3.0,
    )
    assert snr == pytest.approx(14.3778, abs=6e-5)


def test_matlab_radareqrng_examples():
    """MathWorks radareqrng doc: 10 GHz, SNR 6 dB, 10 us, 1 MW -> 4.1057e4 m; with
    G = 40 dB, RCS 0.1 m^2, L = 3 dB -> 1.9426e5 m."""
    wavelength = SPEED_OF_LIGHT / 10e9
    plain = radar_max_range_m(wavelength, 6.0, 1e6, 10e-6, MATLAB_DEFAULT_GAIN_DB)
    full = radar_max_range_m(wavelength, 6.0, 1e6, 10e-6, 40.0, rcs_m2=0.1, losses_db=3.0)
    assert plain == pytest.approx(4.1057e4, rel=2e-5)
    assert full == pytest.approx(1.9426e5, rel=2e-5)


def test_matlab_radareqpow_examples_are_consistent():
    """MathWorks radareqpow doc: 2.1996e5 W gives 6 dB at 50 km (1 GHz, 1 us); 2.2809e6 W
    gives 10 dB at 50 km (10 GHz, 1 us, RCS 0.5, G 30 dB, Ts 300 K, L 3 dB)."""
    first = radar_snr_db(SPEED_OF_LIGHT / 1e9, 50e3, 2.1996e5, 1e-6, MATLAB_DEFAULT_GAIN_DB)
    second = radar_snr_db(SPEED_OF_LIGHT / 10e9, 50e3, 2.2809e6, 1e-6, 30.0, 0.5, 300.0, 3.0)
    # The published powers have 5 significant digits: 1e-4 dB.
    assert first == pytest.approx(6.0, abs=1e-4)
    assert second == pytest.approx(10.0, abs=1e-4)


def test_fourth_power_range_law_and_linear_terms():
    base = radar_snr_db(0.03, 10e3, 1e5, 1e-6, 35.0)
    assert radar_snr_db(0.03, 20e3, 1e5, 1e-6, 35.0) == pytest.approx(
        base - 40.0 * np.log10(2.0), abs=1e-12
    )
    assert radar_snr_db(0.03, 10e3, 2e5, 1e-6, 35.0) == pytest.approx(
        base + 10.0 * np.log10(2.0), abs=1e-12
    )
    assert radar_snr_db(0.03, 10e3, 1e5, 1e-6, 36.0) == pytest.approx(base + 2.0, abs=1e-12)
    assert radar_snr_db(0.03, 10e3, 1e5, 1e-6, 35.0, losses_db=4.0) == pytest.approx(
        base - 4.0, abs=1e-12
    )


def test_broadcasting_and_scalar_output():
    ranges = np.array([[10e3], [20e3], [40e3]])
    rcs = np.array([0.1, 1.0, 10.0, 100.0])
    snr = radar_snr_db(0.1, ranges, 1e6, 1e-6, 30.0, rcs_m2=rcs)
    assert snr.shape == (3, 4)
    assert snr[1, 2] == pytest.approx(radar_snr_db(0.1, 20e3, 1e6, 1e-6, 30.0, rcs_m2=10.0))
    scalar = radar_snr_db(0.1, 10e3, 1e6, 1e-6, 30.0)
    assert np.ndim(scalar) == 0 and isinstance(float(scalar), float)
    assert radar_max_range_m(0.1, [10.0, 13.0], 1e6, 1e-6, 30.0).shape == (2,)


@settings(max_examples=200, deadline=None)
@given(
    wavelength=st.floats(1e-3, 10.0),
    range_m=st.floats(1.0, 1e8),
    power=st.floats(1e-3, 1e8),
    tau=st.floats(1e-9, 1e-2),
    gain_db=st.floats(-10.0, 60.0),
    rcs=st.floats(1e-6, 1e5),
    temp=st.floats(1.0, 5000.0),
    loss_db=st.floats(-3.0, 30.0),
)
def test_max_range_inverts_snr(wavelength, range_m, power, tau, gain_db, rcs, temp, loss_db):
    snr = radar_snr_db(wavelength, range_m, power, tau, gain_db, rcs, temp, loss_db)
    back = radar_max_range_m(wavelength, snr, power, tau, gain_db, rcs, temp, loss_db)
    assert back == pytest.approx(range_m, rel=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"peak_power_w": -1.0}, "peak_power_w"),
        ({"peak_power_w": 0.0}, "peak_power_w"),
        ({"wavelength_m": 0.0}, "wavelength_m"),
        ({"range_m": np.nan}, "range_m"),
        ({"pulse_width_s": [1e-6, -1e-6]}, "pulse_width_s"),
        ({"gain_db": np.nan}, "gain_db"),
        ({"rcs_m2": 0.0}, "rcs_m2"),
        ({"system_temp_k": -290.0}, "system_temp_k"),
        ({"losses_db": np.inf}, "losses_db"),
    ],
)
def test_bad_input_names_argument_and_value(kwargs, name):
    arguments = {
        "wavelength_m": 0.1,
        "range_m": 1e4,
        "peak_power_w": 1e6,
        "pulse_width_s": 1e-6,
        "gain_db": 30.0,
    }
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=name) as error:
        radar_snr_db(**arguments)
    bad = np.atleast_1d(kwargs[name]).astype(float)
    shown = [v for v in bad if not np.isfinite(v) or v <= 0.0 or name.endswith("_db")][0]
    assert repr(float(shown)) in str(error.value)


def test_max_range_rejects_nan_snr():
    with pytest.raises(ValueError, match="snr_db"):
        radar_max_range_m(0.1, np.nan, 1e6, 1e-6, 30.0)
