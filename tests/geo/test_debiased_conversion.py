"""Unbiased converted measurements: the mean of converted noisy measurements is the truth."""

import numpy as np

from iadsim.geo.earth import debiased_polar_to_map, polar_to_map


def test_debiased_conversion_removes_the_angle_bias():
    rng = np.random.default_rng(0)
    radar = np.array([0.0, 0.0, 20.0])
    r, az, el, s_r, s_a = 150e3, np.deg2rad(40.0), np.deg2rad(8.0), 5.0, 0.04
    truth = polar_to_map(radar, r, az, el)
    n = 400_000
    rm = r + s_r * rng.standard_normal(n)
    am = az + s_a * rng.standard_normal(n)
    em = el + s_a * rng.standard_normal(n)
    plain = polar_to_map(radar, rm, am, em).mean(axis=0)
    fixed = debiased_polar_to_map(radar, rm, am, em, s_a, s_a).mean(axis=0)
    # The plain conversion's bias along the line of sight is about R s^2 = 240 m here
    # (R s^2 / 2 from each angle); its Monte Carlo standard error is about 15 m.
    los = (truth - radar) / np.linalg.norm(truth - radar)
    assert (plain - truth) @ los < -150.0
    assert np.all(np.abs(fixed - truth) < 60.0)


def test_no_noise_means_no_correction():
    radar = np.array([1e3, -2e3, 35.0])
    r, az, el = np.array([5e3, 80e3, 300e3]), np.array([0.1, 2.0, 4.0]), np.array([0.3, 0.05, 0.0])
    assert np.allclose(
        debiased_polar_to_map(radar, r, az, el, 0.0, 0.0), polar_to_map(radar, r, az, el)
    )
