"""Tracker behaviour: identities through a crossing, confirmation, coasting, deletion, seams,
JPDA vs GNN, input validation."""

import numpy as np
import pytest

from iadsim.tracking import COASTING, CONFIRMED, TENTATIVE, Tracker, TrackLog, summarize_tracks
from iadsim.tracking.associate import GNNAssociator
from iadsim.tracking.management import StaleTrackDeleter


def radar_cov(xyz, sigma_range=20.0, sigma_angle=1e-3):
    """Converted-measurement covariance of a radar at the origin: range and two angles."""
    xyz = np.atleast_2d(xyz)
    rng = np.linalg.norm(xyz, axis=1)
    los = xyz / rng[:, None]
    east = np.cross([0.0, 0.0, 1.0], los)
    east /= np.linalg.norm(east, axis=1)[:, None]
    up = np.cross(los, east)
    rot = np.stack([los, east, up], axis=2)  # columns: range, cross-range, elevation
    sig = np.stack([np.full(len(rng), sigma_range), rng * sigma_angle, rng * sigma_angle], 1)
    return rot @ (sig[:, :, None] ** 2 * np.eye(3)) @ rot.transpose(0, 2, 1)


def observe(truth_xyz, rng, pd=1.0):
    """Noisy detections of the truth rows that are detected (probability pd)."""
    seen = np.flatnonzero(rng.random(len(truth_xyz)) < pd)
    r = radar_cov(truth_xyz[seen])
    noise = np.einsum("kij,kj->ki", np.linalg.cholesky(r), rng.normal(size=(len(seen), 3)))
    return truth_xyz[seen] + noise, r, seen


def run_truth(tracker, positions, rng, dt=1.0, pd=1.0, clutter=0, box=None):
    """Feed scans of positions (T, n, 3); returns the engageable track positions per scan."""
    out = []
    for k, truth_xyz in enumerate(positions):
        t = k * dt
        z, r, ids = observe(truth_xyz, rng, pd)
        if clutter:
            lo, hi = box
            zc = rng.uniform(lo, hi, size=(clutter, 3))
            z, r = np.vstack([z, zc]), np.concatenate([r, radar_cov(zc)])
            ids = np.concatenate([ids, -np.ones(clutter, int)])
        tracker.process_scan(t, z, r, ids, dt)
        tracker.drop_stale(t)
        out.append(tracker.x[tracker.engageable, :3].copy())
    return out


def crossing(n_scans=60, angle_deg=8.0, speed=250.0):
    """Two targets crossing in an X at the middle scan, 40 km from the radar, same altitude."""
    half = np.deg2rad(angle_deg / 2)
    t = np.arange(n_scans) - n_scans / 2
    centre = np.array([40e3, 0.0, 3000.0])
    v1 = speed * np.array([np.sin(half), np.cos(half), 0.0])
    v2 = speed * np.array([-np.sin(half), np.cos(half), 0.0])
    return np.stack([centre + t[:, None] * v1, centre + t[:, None] * v2], axis=1)


@pytest.mark.parametrize(
    ("angle_deg", "options"),
    [
        (20.0, {}),  # default CV tuning (q = 400 m^2/s^3, agile targets)
        (10.0, {"process_noise_q": 25.0}),  # CV tuned for non-manoeuvring aircraft
        (10.0, {"filter": "imm"}),
    ],
)
def test_crossing_targets_keep_their_ids_under_gnn(angle_deg, options):
    # The targets coincide exactly at the middle scan; with 1 s scans, 250 m/s and a
    # 20 m range / 1 mrad radar at 40 km they are less than 90 m apart for 3 scans.
    positions = crossing(angle_deg=angle_deg)
    log = TrackLog()
    tracker = Tracker(log=log, **options)
    run_truth(tracker, positions, np.random.default_rng(7))
    summary = summarize_tracks(log, 2)
    assert summary["total_id_swaps"] == 0
    assert summary["total_track_breaks"] == 0
    final = {int(t): int(i) for t, i in zip(tracker.truth, tracker.track_id, strict=True)}
    assert set(final) == {0, 1} and len(tracker) == 2
    # The ids held at the end are the ids confirmed first on each target.
    cols = log.arrays()
    for target, tid in final.items():
        first = cols["track_id"][(cols["truth"] == target) & cols["confirmed"]][0]
        assert first == tid


def test_m_of_n_confirmation_and_stable_ids():
    rng = np.random.default_rng(1)
    tracker = Tracker()
    xyz = np.array([[30e3, 5e3, 2e3]])
    events = []
    for k in range(3):
        z, r, ids = observe(xyz + [0.0, 200.0 * k, 0.0], rng)
        events += tracker.process_scan(float(k), z, r, ids, 1.0)
        assert tracker.status[0] == (TENTATIVE if k < 2 else CONFIRMED)
    assert [e.kind for e in events] == ["track_start"] and events[0].track_id == 1
    assert tracker.confirmed_s[0] == 2.0 and tracker.engageable.tolist() == [True]
    # A miss makes it coast (still engageable); the next hit makes it confirmed again.
    tracker.process_scan(3.0, np.zeros((0, 3)), np.zeros((0, 3, 3)), np.zeros(0, int), 1.0)
    assert tracker.status[0] == COASTING and tracker.engageable[0]
    z, r, ids = observe(xyz + [0.0, 800.0, 0.0], rng)
    tracker.process_scan(4.0, z, r, ids, 1.0)
    assert tracker.status[0] == CONFIRMED and tracker.track_id.tolist() == [1]


def test_false_alarm_never_confirms_and_is_dropped_after_the_window():
    tracker = Tracker()
    z = np.array([[10e3, 0.0, 1e3]])
    tracker.process_scan(0.0, z, radar_cov(z), np.array([-1]), 1.0)
    for k in range(1, 7):
        empty = np.zeros((0, 3)), np.zeros((0, 3, 3)), np.zeros(0, int)
        tracker.process_scan(float(k), *empty, 1.0)
        assert tracker.drop_stale(float(k)) == []  # tentative: no drop event
    assert len(tracker) == 0
    # A new detection gets a new id: ids are never reused.
    tracker.process_scan(7.0, z, radar_cov(z), np.array([-1]), 1.0)
    assert tracker.track_id.tolist() == [2]


def test_confirmed_track_is_dropped_after_coast_scans_with_an_event():
    rng = np.random.default_rng(2)
    tracker = Tracker()
    xyz = np.array([[30e3, 0.0, 2e3]])
    for k in range(4):
        z, r, ids = observe(xyz + [250.0 * k, 0, 0], rng)
        tracker.process_scan(float(k), z, r, ids, 1.0)
    drops = []
    for k in range(4, 12):
        drops += tracker.drop_stale(float(k))
    # It first coasts (its expected update did not come), then is dropped.
    assert [(e.kind, e.track_id, e.truth) for e in drops] == [
        ("track_coast", 1, 0),
        ("track_drop", 1, 0),
    ]
    assert drops[1].detail == "was coasting"
    assert len(tracker) == 0


class NeverDelete:
    """A deleter that keeps every track (the seam swap under test)."""

    def delete(self, tracker, time_s):
        return np.zeros(len(tracker), bool)


def test_swapping_the_deleter_seam():
    tracker = Tracker(deleter=NeverDelete())
    z = np.array([[10e3, 0.0, 1e3]])
    tracker.process_scan(0.0, z, radar_cov(z), np.array([-1]), 1.0)
    for k in range(1, 20):
        tracker.drop_stale(float(k))
    assert len(tracker) == 1  # the default deleter would have dropped it at t = 6 s


def test_swapping_the_associator_seam(nearest_neighbour):
    positions = crossing(n_scans=20, angle_deg=60.0)[:8]
    assoc = nearest_neighbour()
    tracker = Tracker(associator=assoc)
    assert tracker.associator is assoc
    run_truth(tracker, positions, np.random.default_rng(3))
    assert sorted(tracker.truth.tolist()) == [0, 1] and tracker.engageable.all()


def test_protocol_defaults_are_protocol_instances():
    from iadsim.tracking import protocols

    for kind in ("cv", "imm"):
        tracker = Tracker(filter=kind, association="jpda")
        assert isinstance(tracker.predictor, protocols.Predictor)
        assert isinstance(tracker.updater, protocols.Updater)
        assert isinstance(tracker.associator, protocols.Associator)
        assert isinstance(tracker.initiator, protocols.Initiator)
        assert isinstance(tracker.deleter, protocols.Deleter)
        assert isinstance(tracker.state, protocols.StateBank)
    assert isinstance(StaleTrackDeleter(), protocols.Deleter)
    assert isinstance(GNNAssociator(), protocols.Associator)


def parallel_pair(separation, n_scans=40, speed=200.0):
    start = np.array([[35e3, 0.0, 3000.0], [35e3 + separation, 0.0, 3000.0]])
    t = np.arange(n_scans)[:, None, None]
    return start[None] + t * np.array([0.0, speed, 0.0])


@pytest.mark.parametrize("association", ["gnn", "jpda"])
def test_gnn_and_jpda_both_track_two_separated_targets(association):
    positions = parallel_pair(5000.0)
    tracker = Tracker(association=association, clutter_density=1e-12)
    est = run_truth(tracker, positions, np.random.default_rng(4), pd=0.9)
    assert len(est[-1]) == 2
    err = np.linalg.norm(np.sort(est[-1], axis=0) - np.sort(positions[-1], axis=0), axis=1)
    assert err.max() < 150.0


def test_jpda_tracks_two_closely_spaced_targets():
    # 250 m apart, cross-range noise 35 m, Pd 0.9, clutter: the gates overlap every scan.
    positions = parallel_pair(250.0, n_scans=40)
    box = (positions.min(axis=(0, 1)) - 2000, positions.max(axis=(0, 1)) + 2000)
    volume = np.prod(box[1] - box[0])
    tracker = Tracker(association="jpda", clutter_density=3 / volume)
    est = run_truth(tracker, positions, np.random.default_rng(5), pd=0.9, clutter=3, box=box)
    from iadsim.tracking.metrics import ospa

    late = [ospa(positions[k], est[k], c=1000.0)["distance"] for k in range(10, 40)]
    assert np.mean(late) < 100.0
    assert all(len(e) == 2 for e in est[10:])


def test_imm_tracker_runs_with_jpda_and_gnn():
    positions = parallel_pair(3000.0, n_scans=12)
    for association in ("gnn", "jpda"):
        tracker = Tracker(filter="imm", association=association)
        est = run_truth(tracker, positions, np.random.default_rng(6))
        assert len(est[-1]) == 2


# --- validation ---------------------------------------------------------------------------


def scan_args(m=2):
    z = np.array([[1e4, 0.0, 1e3], [2e4, 0.0, 1e3]])[:m]
    return 0.0, z, radar_cov(z), np.arange(m), 1.0


@pytest.mark.parametrize(
    ("change", "name"),
    [
        ({1: np.zeros((2, 2))}, "z"),
        ({2: np.zeros((3, 3, 3))}, "of one length along axis 0"),
        ({3: np.zeros(3, int)}, "truth"),
        ({3: np.full(2, 0.5)}, "truth"),
        ({1: np.array([[np.nan, 0, 0], [0, 0, 0]])}, "z"),
        ({2: np.full((2, 3, 3), np.inf)}, "r"),
        ({0: float("nan")}, "time_s"),
        ({4: 0.0}, "revisit_s"),
    ],
)
def test_process_scan_rejects_bad_input(change, name):
    args = list(scan_args())
    for i, value in change.items():
        args[i] = value
    with pytest.raises(ValueError, match=name):
        Tracker().process_scan(*args)


def test_bad_options_and_time_going_back_raise():
    with pytest.raises(ValueError, match="filter"):
        Tracker(filter="ukf")
    with pytest.raises(ValueError, match="association"):
        Tracker(association="mht")
    with pytest.raises(ValueError, match="confirm_hits"):
        Tracker(confirm_hits=0)
    tracker = Tracker()
    tracker.process_scan(*scan_args())
    with pytest.raises(ValueError, match="time_s"):
        tracker.predicted(-5.0)
    with pytest.raises(ValueError, match="time_s"):
        tracker.process_scan(-5.0, *scan_args()[1:])
