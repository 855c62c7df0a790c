"""MTI / pulse-Doppler processing against the closed forms (Skolnik ch. 3; Richards ch. 5)."""

import numpy as np
import pytest
from scipy.integrate import quad

from iadsim.radar import doppler as dp


def test_blind_speeds_are_n_lambda_prf_over_two():
    lam, prf = 0.1, 1000.0
    v = dp.blind_speeds_mps(lam, prf, np.arange(1, 5))
    assert v == pytest.approx([50.0, 100.0, 150.0, 200.0])
    gain = dp.doppler_gain(v, lam, [prf], 2, 0.0)
    assert np.all(gain <= dp.GAIN_FLOOR * 1.0001)


def test_single_and_double_canceller_response():
    # |H|^2 = (2 sin(pi f T))^(2(n-1)) over its noise gain C(2(n-1), n-1): 4 sin^2 / 2 for
    # the two-pulse canceller, 16 sin^4 / 6 for the three-pulse (Skolnik eqs. 3.8-3.9).
    prf = 1000.0
    fd = np.linspace(10.0, 990.0, 50)
    s = np.sin(np.pi * fd / prf)
    assert dp.canceller_gain(fd, prf, 2) == pytest.approx(4 * s**2 / 2)
    assert dp.canceller_gain(fd, prf, 3) == pytest.approx(16 * s**4 / 6)


@pytest.mark.parametrize("n", [2, 3, 4])
def test_canceller_gain_averages_to_one_over_doppler(n):
    # Normalised by the noise gain, the mean SNR gain over all Doppler is 1 (Richards sec.
    # 5.2: the canceller passes white noise with gain sum h_k^2).
    mean, _ = quad(lambda f: dp.canceller_gain(f, 1.0, n), 0.0, 1.0, limit=200)
    assert mean == pytest.approx(1.0, rel=1e-6)


def test_staggered_prfs_push_the_first_blind_speed_to_their_common_multiple():
    # Richards sec. 5.2.4 example: PRFs 750 and 1000 Hz, first blind Doppler at their least
    # common multiple, 3000 Hz; the single-PRF blind Dopplers 750, 1000 Hz are filled.
    lam = 0.03
    v = lambda fd: fd * lam / 2.0  # noqa: E731
    gain = dp.doppler_gain(v(np.array([750.0, 1000.0, 1500.0, 3000.0])), lam, [750.0, 1000.0],
                           2, 0.0)  # fmt: skip
    assert np.all(gain[:3] > 0.4)
    assert gain[3] <= dp.GAIN_FLOOR * 1.0001


def test_crossing_and_slow_targets_fade_in_the_clutter_notch():
    lam, prfs, notch = 0.03, [9000.0], 20.0  # +-10 m/s blanked
    gain = dp.doppler_gain(np.array([0.0, 5.0, 9.9, 10.1, 60.0]), lam, prfs, 0, notch)
    assert gain[:3] == pytest.approx(dp.GAIN_FLOOR)
    assert gain[3:] == pytest.approx(1.0)
    # The notch repeats at the PRF's aliases: v = lambda PRF / 2 folds to zero Doppler.
    assert dp.doppler_gain(lam * 9000.0 / 2.0, lam, prfs, 0, notch) == pytest.approx(dp.GAIN_FLOOR)
