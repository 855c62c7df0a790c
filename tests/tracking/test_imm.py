"""The CV + CA IMM: algebra checks and a 5 g coordinated turn that the CV filter loses."""

import numpy as np
import pytest

from iadsim.tracking import Tracker, kalman
from iadsim.tracking.associate import Association
from iadsim.tracking.imm import ImmModel, ImmPredictor, ImmUpdater
from iadsim.tracking.kalman import KalmanUpdater
from iadsim.tracking.metrics import ospa

G = 9.80665


def turn_path(dt, speed=250.0, load_g=5.0, straight_s=30.0, turn_deg=180.0, after_s=20.0):
    """Level flight, a coordinated turn at load_g (omega = a / v), level flight again."""
    omega = load_g * G / speed
    radius = speed / omega
    turn_s = np.deg2rad(turn_deg) / omega
    times = np.arange(0.0, straight_s + turn_s + after_s + 1e-9, dt)
    pos = np.zeros((len(times), 3))
    pos[:, 2] = 5000.0
    for i, t in enumerate(times):
        th = omega * np.clip(t - straight_s, 0.0, turn_s)
        x0 = speed * min(t, straight_s) + radius * np.sin(th)
        y0 = radius * (1 - np.cos(th))
        late = max(t - straight_s - turn_s, 0.0)
        pos[i, :2] = [x0 + speed * np.cos(th) * late, y0 + speed * np.sin(th) * late]
    return times, pos, (straight_s, straight_s + turn_s)


def mean_ospa_over_turn(filter_name, dt=2.0, sigma=30.0, seed=0):
    times, pos, (t0, t1) = turn_path(dt)
    rng = np.random.default_rng(seed)
    tracker = Tracker(filter=filter_name)
    r = (np.eye(3) * sigma**2)[None]
    scores = []
    for t, xyz in zip(times, pos, strict=True):
        z = (xyz + rng.normal(0.0, sigma, 3))[None]
        tracker.process_scan(t, z, r, np.array([0]), dt)
        tracker.drop_stale(t)
        if t0 <= t <= t1 + 5.0:
            xp, _ = tracker.predicted(t)
            scores.append(ospa(xyz[None], xp[tracker.engageable, :3], c=1000.0)["distance"])
    return float(np.mean(scores)), tracker.next_id - 1


def test_imm_follows_a_5g_turn_that_the_cv_filter_loses():
    # 250 m/s, 5 g: omega = 0.196 rad/s, a 180 degree turn in 16 s; 2 s revisit, 30 m noise.
    cv = [mean_ospa_over_turn("cv", seed=s) for s in range(3)]
    imm = [mean_ospa_over_turn("imm", seed=s) for s in range(3)]
    cv_ospa, imm_ospa = np.mean([c[0] for c in cv]), np.mean([i[0] for i in imm])
    assert imm_ospa < 0.4 * cv_ospa
    assert imm_ospa < 100.0
    assert all(tracks == 1 for _, tracks in imm)  # one track through the whole turn
    assert any(tracks > 1 for _, tracks in cv)  # the CV track breaks


def test_imm_with_both_modes_cv_reduces_to_the_kalman_filter():
    # With no process noise and no acceleration uncertainty anywhere, both modes are the same
    # deterministic CV model, so the IMM must give exactly the Kalman filter's answer.
    model = ImmModel(q_cv=0.0, q_ca=0.0, initial_accel_sigma_mps2=0.0, cv_accel_sigma_mps2=0.0)
    rng = np.random.default_rng(3)
    x = rng.normal(0, 100, (4, 6))
    a = rng.normal(size=(4, 6, 6))
    p = a @ a.transpose(0, 2, 1) + np.eye(6) * 100
    bank = model.bank_from_gaussian(x, p)
    dt = np.array([1.0, 2.0, 0.5, 0.0])
    pred = ImmPredictor(model).predict(bank, dt)
    xt, pt = kalman.predict(x, p, dt, 0.0)
    xm, pm = pred.mean_cov()
    np.testing.assert_allclose(xm, xt, atol=1e-9)
    np.testing.assert_allclose(pm, pt, atol=1e-7)
    z = rng.normal(0, 100, (2, 3))
    r = np.broadcast_to(np.eye(3) * 400.0, (2, 3, 3)).copy()
    assoc = Association.from_pairs(4, 2, np.array([1, 3]), np.array([0, 1]))
    upd = ImmUpdater().update(pred, assoc, z, r)
    from iadsim.tracking.kalman import GaussianBank

    ref = KalmanUpdater().update(GaussianBank(xt.copy(), pt.copy()), assoc, z, r)
    np.testing.assert_allclose(upd.mean_cov()[0], ref.mean_cov()[0], atol=1e-9)
    np.testing.assert_allclose(upd.mean_cov()[1], ref.mean_cov()[1], atol=1e-7)


def run_modes(model, measure, n_scans):
    bank = model.bank_from_gaussian(np.zeros((1, 6)), (np.eye(6) * 100.0)[None])
    r = (np.eye(3) * 25.0)[None]
    hit = Association.from_pairs(1, 1, np.array([0]), np.array([0]))
    for k in range(1, n_scans + 1):
        bank = ImmPredictor(model).predict(bank, np.array([1.0]))
        bank = ImmUpdater().update(bank, hit, measure(k)[None], r)
        assert bank.mu.sum() == pytest.approx(1.0)
    return bank


def test_mode_probabilities_follow_the_motion():
    model = ImmModel()
    accel = run_modes(model, lambda k: np.array([20.0 * k**2, 0.0, 0.0]), 11)  # 40 m/s^2
    assert accel.mu[1, 0] > 0.8
    assert accel.mean_cov()[0][0, 3] == pytest.approx(440.0, rel=0.05)  # v = a t
    rng = np.random.default_rng(0)
    straight = run_modes(model, lambda k: np.array([200.0 * k, 0, 0]) + rng.normal(0, 5, 3), 30)
    assert straight.mu[0, 0] > 0.95
