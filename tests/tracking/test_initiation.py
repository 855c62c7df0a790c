"""Track initiation and deletion at every revisit period: M-of-N against the binomial
formula, confirmation within a few looks for revisits of 1 to 12 s, deletion relative to
the resolution cell rather than a fixed distance."""

import numpy as np
import pytest
from scipy.stats import binom

from iadsim.tracking import CONFIRMED, TENTATIVE, Tracker


def radar_cov(xyz, sigma_range, sigma_angle):
    """Converted-measurement covariance of a radar at the origin (range, two angles)."""
    xyz = np.atleast_2d(xyz)
    rng = np.linalg.norm(xyz, axis=1)
    los = xyz / rng[:, None]
    east = np.cross([0.0, 0.0, 1.0], los)
    east /= np.linalg.norm(east, axis=1)[:, None]
    up = np.cross(los, east)
    rot = np.stack([los, east, up], axis=2)
    sig = np.stack([np.full(len(rng), sigma_range), rng * sigma_angle, rng * sigma_angle], 1)
    return rot @ (sig[:, :, None] ** 2 * np.eye(3)) @ rot.transpose(0, 2, 1)


def scan_targets(tracker, t, truth_xyz, seen, rng, sigma_range=30.0, sigma_angle=1e-3, **kw):
    """One scan: noisy detections of the truth rows in ``seen``, each target its own group."""
    rows = np.flatnonzero(seen)
    r = radar_cov(truth_xyz[rows], sigma_range, sigma_angle)
    noise = np.einsum("kij,kj->ki", np.linalg.cholesky(r), rng.normal(size=(len(rows), 3)))
    tracker.process_scan(t, truth_xyz[rows] + noise, r, rows, kw.pop("revisit", 1.0),
                         group=rows, **kw)  # fmt: skip


@pytest.mark.parametrize("pd", [0.5, 0.7])
def test_m_of_n_confirmation_probability_is_binomial(pd):
    """Given the first hit, a 3-of-5 track confirms iff at least 2 of the next 4 looks hit:
    P = sum_{k=2}^{4} C(4, k) pd^k (1 - pd)^(4 - k) (Bar-Shalom, Willett & Tian 2011, ch. 3,
    M/N logic). 4000 independent targets, each in its own picture."""
    n, rng = 4000, np.random.default_rng(11)
    tracker = Tracker()
    xyz = np.stack([np.full(n, 80e3), np.arange(n) * 50e3, np.full(n, 3e3)], axis=1)
    scan_targets(tracker, 0.0, xyz, np.ones(n, bool), rng)
    for k in range(1, 5):
        scan_targets(tracker, float(k), xyz, rng.random(n) < pd, rng)
        tracker.drop_stale(float(k))
    confirmed = np.zeros(n, bool)
    confirmed[tracker.group[tracker.engageable]] = True
    expected = binom.sf(1, 4, pd)  # P(at least 2 of 4)
    assert abs(confirmed.mean() - expected) < 4.0 * np.sqrt(expected * (1 - expected) / n)
    # The unconfirmed tentative tracks are deleted just after their 5th look, not before.
    # (The gate lets a few in a thousand detections start a second track: 0.999 gate.)
    unconfirmed = np.isin(tracker.group, np.flatnonzero(~confirmed))
    assert (tracker.status[unconfirmed] == TENTATIVE).all()
    tracker.drop_stale(4.5)
    assert not ((tracker.status == TENTATIVE) & (tracker.born_s == 0.0)).any()


@pytest.mark.parametrize("revisit_s", [1.0, 2.0, 5.0, 10.0, 12.0])
@pytest.mark.parametrize("speed_mps", [60.0, 250.0, 2000.0])
def test_steady_detections_confirm_within_three_looks_at_any_revisit(revisit_s, speed_mps):
    """A drone, a fighter and a ballistic missile 130 km out, seen on every look by a
    surveillance radar (1.5 deg beam, SNR 20 dB: 0.1 deg and 10 m noise): confirmed on the
    third look and held for 20 looks, whatever the revisit. The velocity prior is half the
    fastest speed, as the engine sets it."""
    rng = np.random.default_rng(5)
    tracker = Tracker(initial_speed_sigma_mps=max(700.0, 2000.0 / 2.0))
    start = np.array([[130e3, 0.0, 3e3]])
    vel = np.array([[-speed_mps * 0.8, speed_mps * 0.6, 0.0]])
    for k in range(20):
        t = k * revisit_s
        scan_targets(tracker, t, start + vel * t, np.ones(1, bool), rng, 10.0, 1.75e-3,
                     revisit=revisit_s, resolution_m=130e3 * np.deg2rad(1.5))  # fmt: skip
        tracker.drop_stale(t)
        assert len(tracker) == 1, f"look {k}: {len(tracker)} tracks"
        assert tracker.status[0] == (TENTATIVE if k < 2 else CONFIRMED)
    assert tracker.confirmed_s[0] == pytest.approx(2 * revisit_s)


def test_firm_track_is_deleted_by_gate_size_relative_to_the_cell():
    """A coasting track is deleted once its position sigma exceeds max_sigma_cells cells of
    the radar that updated it: a fine radar's track goes long before a coarse radar's."""
    rng = np.random.default_rng(3)
    lifetimes = {}
    for cell in (30.0, 3000.0):
        tracker = Tracker(coast_scans=1e6, max_sigma_cells=10.0)
        xyz = np.array([[50e3, 0.0, 2e3]])
        for k in range(5):
            scan_targets(tracker, float(k), xyz + [0.0, 200.0 * k, 0.0], np.ones(1, bool), rng,
                         resolution_m=cell)  # fmt: skip
        t = 4.0
        while len(tracker) and t < 2000.0:
            t += 1.0
            tracker.drop_stale(t)
        lifetimes[cell] = t - 4.0
    assert lifetimes[30.0] < lifetimes[3000.0] < 2000.0
    # Position sigma grows as sqrt(q t^3 / 3) for large t (white-acceleration model):
    # reaching 10 cells of 3 km takes about (3 (3e4)^2 / 400)^(1/3) = 189 s.
    assert lifetimes[3000.0] == pytest.approx((3 * 3e4**2 / 400.0) ** (1 / 3), rel=0.1)


def test_precise_updates_are_recorded_per_track():
    rng = np.random.default_rng(1)
    tracker = Tracker()
    xyz = np.array([[40e3, 0.0, 1e3], [0.0, 40e3, 1e3]])
    scan_targets(tracker, 0.0, xyz, np.ones(2, bool), rng, precise=np.array([True, False]))
    assert tracker.precise_s.tolist() == [0.0, -np.inf]
    scan_targets(tracker, 1.0, xyz, np.ones(2, bool), rng, precise=np.array([False, True]))
    assert tracker.precise_s.tolist() == [0.0, 1.0]


def test_bad_options_are_rejected():
    with pytest.raises(ValueError, match="M of N"):
        Tracker(confirm_hits=4, confirm_window=3)
    with pytest.raises(ValueError, match="max_sigma_cells"):
        Tracker(max_sigma_cells=0.0)
    tracker = Tracker()
    z = np.array([[10e3, 0.0, 1e3]])
    with pytest.raises(ValueError, match="resolution_m"):
        tracker.process_scan(0.0, z, radar_cov(z, 10, 1e-3), [0], 1.0, resolution_m=-1.0)
