"""Groups inside one Tracker: each group's picture is exactly the one its own Tracker builds
from that group's detections (the independent computation), and groups never associate."""

import numpy as np
import pytest

from iadsim.tracking import Tracker, TrackLog, summarize_tracks
from iadsim.tracking.associate import GNNAssociator, gate

SIGMA = 50.0
PER_TRACK = ("track_id", "status", "hits", "time_s", "born_s", "confirmed_s", "updated_s",
             "revisit_s", "truth")  # fmt: skip


def stream(seed, n_scans=14, n_pairs=20, n_single=15, n_clutter=12, truth_offset=0):
    """Scans of (z, r, truth): close target pairs (gates overlap: GNN / JPDA clusters),
    two targets crossing in an X, single targets, uniform clutter, Pd = 0.9."""
    rng = np.random.default_rng(seed)
    pair = rng.uniform([0, 0, 2e3], [150e3, 150e3, 8e3], (n_pairs, 3))
    pos = np.concatenate(
        [
            pair,
            pair + [150.0, 0.0, 0.0],
            rng.uniform([0, 0, 2e3], [150e3, 150e3, 8e3], (n_single, 3)),
            [[70e3, 70e3, 5e3], [70e3, 70e3, 5e3]],
        ]
    )
    speed = rng.uniform(150.0, 300.0, len(pos))
    head = rng.uniform(0.0, 2 * np.pi, len(pos))
    head[: 2 * n_pairs] = np.tile(head[:n_pairs], 2)
    speed[: 2 * n_pairs] = np.tile(speed[:n_pairs], 2)
    head[-2:] = [0.3, -0.3]  # the X: both at the centre at the middle scan
    vel = np.column_stack([speed * np.cos(head), speed * np.sin(head), np.zeros(len(pos))])
    pos[-2:] -= vel[-2:] * (n_scans // 2)
    scans = []
    for k in range(n_scans):
        xyz = pos + k * vel
        seen = np.flatnonzero(rng.random(len(pos)) < 0.9)
        z = xyz[seen] + rng.normal(0.0, SIGMA, (len(seen), 3))
        clutter = rng.uniform([0, 0, 2e3], [150e3, 150e3, 8e3], (n_clutter, 3))
        z = np.vstack([z, clutter])
        truth = np.concatenate([seen + truth_offset, -np.ones(n_clutter, int)])
        r = np.broadcast_to(np.eye(3) * SIGMA**2, (len(z), 3, 3)).copy()
        scans.append((z, r, truth))
    return scans


def interleave(streams, seed):
    """One scan from per-group scans, rows shuffled so that the groups interleave."""
    rng = np.random.default_rng(seed)
    out = []
    for parts in zip(*streams, strict=True):
        z = np.vstack([p[0] for p in parts])
        r = np.concatenate([p[1] for p in parts])
        truth = np.concatenate([p[2] for p in parts])
        group = np.concatenate([np.full(len(p[0]), g) for g, p in zip(GROUPS, parts, strict=True)])
        perm = rng.permutation(len(z))
        out.append((z[perm], r[perm], truth[perm], group[perm]))
    return out


GROUPS = (0, 1, 2)


def run_grouped(options, scans):
    log = TrackLog()
    tracker = Tracker(log=log, **options())
    events = []
    for k, (z, r, truth, group) in enumerate(scans):
        events += tracker.process_scan(float(k), z, r, truth, 1.0, group=group)
        events += tracker.drop_stale(float(k))
    return tracker, events, log


def run_alone(options, scans, g):
    log = TrackLog()
    tracker = Tracker(log=log, **options())
    events = []
    for k, (z, r, truth, group) in enumerate(scans):
        mine = group == g  # the group's detections, in the same relative order
        events += tracker.process_scan(float(k), z[mine], r[mine], truth[mine], 1.0)
        events += tracker.drop_stale(float(k))
    return tracker, events, log


def assert_same_picture(grouped, alone, g):
    (tracker, events, log), (ref, ref_events, ref_log) = grouped, alone
    mine = tracker.group == g
    assert mine.sum() == len(ref) > 0
    for name in PER_TRACK:
        assert np.array_equal(getattr(tracker, name)[mine], getattr(ref, name)), name
    assert np.array_equal(tracker.x[mine], ref.x)  # bit for bit
    assert np.array_equal(tracker.p[mine], ref.p)
    assert int(tracker.next_ids[g]) == ref.next_id
    got = [(e.kind, e.track_id, e.truth, e.time_s, tuple(e.xyz)) for e in events if e.group == g]
    want = [(e.kind, e.track_id, e.truth, e.time_s, tuple(e.xyz)) for e in ref_events]
    assert got == want and len(want) > 0
    rows, ref_rows = log.select(g), ref_log.arrays()
    for name in ("time_s", "track_id", "truth", "xyz", "confirmed"):
        assert np.array_equal(rows[name], ref_rows[name]), name


OPTIONS = {
    "cv-gnn": dict,
    "cv-jpda": lambda: {"association": "jpda", "clutter_density": 1e-12},
    "imm-gnn": lambda: {"filter": "imm"},
    "imm-jpda": lambda: {"filter": "imm", "association": "jpda", "clutter_density": 1e-12},
    "cv-gnn-one-stage": lambda: {"two_stage": False},
    "gnn-grid": lambda: {"associator": GNNAssociator(gating="grid")},
    "gnn-kdtree": lambda: {"associator": GNNAssociator(gating="kdtree")},
    "gnn-dense": lambda: {"associator": GNNAssociator(gating="dense")},
}


@pytest.mark.parametrize("name", list(OPTIONS))
def test_each_group_equals_its_own_tracker(name):
    # Groups 0 and 1 see the same detections (co-located targets), group 2 another raid.
    same = stream(11)
    scans = interleave([same, same, stream(12)], seed=3)
    grouped = run_grouped(OPTIONS[name], scans)
    for g in GROUPS:
        assert_same_picture(grouped, run_alone(OPTIONS[name], scans, g), g)


def test_many_groups_with_large_clusters_equal_their_own_trackers():
    # 60 close pairs per group: many components that need the dense assignment solver.
    streams = [stream(20 + g, n_scans=6, n_pairs=60, n_single=5) for g in GROUPS]
    scans = interleave(streams, seed=4)
    grouped = run_grouped(dict, scans)
    for g in GROUPS:
        assert_same_picture(grouped, run_alone(dict, scans, g), g)


def test_an_associator_without_groups_is_called_once_per_group(nearest_neighbour):
    same = stream(11, n_scans=8, n_pairs=5, n_single=5)
    scans = interleave([same, same, stream(12, n_scans=8, n_pairs=5, n_single=5)], seed=5)
    options = lambda: {"associator": nearest_neighbour()}  # noqa: E731
    grouped = run_grouped(options, scans)
    for g in GROUPS:
        assert_same_picture(grouped, run_alone(options, scans, g), g)


def test_co_located_groups_never_associate_across_groups():
    # Three groups, each one target at the same place; group g's detection is only in g.
    # Truth indices are unique per group, so every track's (and log row's) truth shows its
    # detections' group.
    tracker = Tracker(log=TrackLog())
    rng = np.random.default_rng(0)
    xyz = np.array([50e3, 10e3, 3e3])
    vel = np.array([-250.0, 0.0, 0.0])
    r = np.broadcast_to(np.eye(3) * SIGMA**2, (3, 3, 3))
    for k in range(10):
        z = xyz + k * vel + rng.normal(0, SIGMA, (3, 3))
        keep = rng.random(3) < 0.8  # some groups miss some scans
        groups = np.array([0, 1, 2])[keep]
        tracker.process_scan(float(k), z[keep], r[keep], 100 * groups, 1.0, group=groups)
        tracker.drop_stale(float(k))
    assert np.array_equal(tracker.truth, 100 * tracker.group)
    assert sorted(tracker.group.tolist()) == [0, 1, 2]
    assert tracker.track_id.tolist() == [1, 1, 1]  # ids are per group
    rows = tracker.log.arrays()
    assert np.array_equal(rows["truth"], 100 * rows["group"])


def test_gating_never_makes_cross_group_candidates():
    # 200 targets per group, all groups at the same places. With a gate so wide that every
    # candidate passes the chi-square test, the gated pairs are the candidates the spatial
    # index produced: exactly the same-group pairs, none across groups.
    rng = np.random.default_rng(1)
    n, n_groups = 200, 4
    xpos = np.tile(rng.uniform(0, 100e3, (n, 3)), (n_groups, 1))
    ppos = np.broadcast_to(np.eye(3) * 200.0**2, (len(xpos), 3, 3))
    tg = np.repeat(np.arange(n_groups), n)
    perm = rng.permutation(len(xpos))  # detections of all groups interleaved, same places
    z, dg = (xpos + rng.normal(0, 100.0, xpos.shape))[perm], tg[perm]
    r = np.broadcast_to(np.eye(3) * 100.0**2, (len(z), 3, 3))
    for method in ("grid", "kdtree"):
        rows, cols, _, _ = gate(xpos, ppos, z, r, 1e12, method, tg, dg)
        assert len(rows) == n_groups * n * n
        assert np.array_equal(tg[rows], dg[cols])
    # With the usual gate: the gated pairs are the union of each group's own gated pairs.
    for method in ("auto", "grid", "kdtree", "dense"):
        got = gate(xpos, ppos, z, r, method=method, track_group=tg, det_group=dg)
        assert np.array_equal(tg[got[0]], dg[got[1]])
        key = got[0] * len(z) + got[1]
        assert (np.diff(key) > 0).all()  # sorted by (track, detection)
        for g in range(n_groups):
            t_idx, d_idx = np.flatnonzero(tg == g), np.flatnonzero(dg == g)
            want = gate(xpos[t_idx], ppos[t_idx], z[d_idx], r[d_idx], method="dense")
            mine = tg[got[0]] == g
            assert np.array_equal(t_idx[want[0]], got[0][mine])
            assert np.array_equal(d_idx[want[1]], got[1][mine])
            assert np.array_equal(want[2], got[2][mine])


def test_scan_groups_leave_other_groups_untouched_and_match_their_own_trackers():
    # Group 0 is scanned every second, group 1 every other second (its own radar).
    a, b = stream(30, n_scans=10, n_pairs=3, n_single=4), stream(31, n_scans=10, n_pairs=3)
    grouped = Tracker()
    alone = [Tracker(), Tracker()]
    for k in range(10):
        t = float(k)
        z, r, truth = a[k]
        grouped.process_scan(t, z, r, truth, 1.0, group=np.zeros(len(z), int), scan_groups=[0])
        alone[0].process_scan(t, z, r, truth, 1.0)
        if k % 2 == 0:
            before = grouped.x[grouped.group == 0].copy()
            z, r, truth = b[k]
            grouped.process_scan(t, z, r, truth, 2.0, group=np.ones(len(z), int), scan_groups=1)
            alone[1].process_scan(t, z, r, truth, 2.0)
            assert np.array_equal(grouped.x[grouped.group == 0], before)
        grouped.drop_stale(t)
        for tr in alone:
            tr.drop_stale(t)
    for g in (0, 1):
        mine = grouped.group == g
        assert np.array_equal(grouped.x[mine], alone[g].x)
        assert np.array_equal(grouped.p[mine], alone[g].p)
        assert np.array_equal(grouped.track_id[mine], alone[g].track_id)
    with pytest.raises(ValueError, match="scan_groups"):
        grouped.process_scan(10.0, *a[0][:2], a[0][2], 1.0, group=np.ones(len(a[0][0]), int),
                             scan_groups=[0])  # fmt: skip


def test_one_call_for_radars_with_different_revisits_equals_separate_trackers():
    # Two radars (revisit 1 s and 3 s) feed groups 0 and 1 in one call per second: the
    # per-detection revisit periods must give each group what its own tracker gives.
    a, b = stream(40, n_scans=9, n_pairs=3, n_single=4), stream(41, n_scans=9, n_pairs=3)
    grouped = Tracker()
    alone = [Tracker(), Tracker()]
    for k in range(9):
        t = float(k)
        (za, ra, ta), (zb, rb, tb) = a[k], b[k]
        z, r, truth = np.concatenate([za, zb]), np.concatenate([ra, rb]), np.concatenate([ta, tb])
        group = np.repeat([0, 1], [len(za), len(zb)])
        grouped.process_scan(t, z, r, truth, np.where(group == 0, 1.0, 3.0), group=group)
        alone[0].process_scan(t, za, ra, ta, 1.0)
        alone[1].process_scan(t, zb, rb, tb, 3.0)
        grouped.drop_stale(t + 0.5)
        for tr in alone:
            tr.drop_stale(t + 0.5)
    for g, want in ((0, 1.0), (1, 3.0)):
        mine = grouped.group == g
        assert np.array_equal(grouped.x[mine], alone[g].x)
        assert np.array_equal(grouped.status[mine], alone[g].status)
        assert np.array_equal(grouped.revisit_s[mine], alone[g].revisit_s)
        assert (grouped.revisit_s[mine] == want).all()
    with pytest.raises(ValueError, match="revisit_s"):
        grouped.process_scan(9.0, za, ra, ta, np.zeros(len(za)))


def test_track_log_by_group_gives_per_group_summaries():
    same = stream(11, n_scans=10, n_pairs=4, n_single=4)
    scans = interleave([same, stream(12, n_scans=10, n_pairs=4), same], seed=6)
    tracker, _, log = run_grouped(dict, scans)
    parts = log.by_group()
    assert sorted(parts) == [0, 1, 2]
    assert sum(len(p["time_s"]) for p in parts.values()) == len(log)
    for g in GROUPS:
        _, _, ref = run_alone(dict, scans, g)
        n_truth = int(ref.arrays()["truth"].max()) + 1
        want = summarize_tracks(ref, n_truth)
        for got in (summarize_tracks(parts[g], n_truth), summarize_tracks(log.select(g), n_truth)):
            for key in ("first_confirmed_s", "track_breaks", "id_swaps", "misassociated"):
                assert np.array_equal(got[key], want[key], equal_nan=True), key


def test_drop_truth_and_bad_groups():
    tracker = Tracker()
    z = np.array([[10e3, 0, 1e3], [10e3, 0, 1e3], [20e3, 0, 1e3]])
    r = np.broadcast_to(np.eye(3) * 100.0, (3, 3, 3))
    tracker.process_scan(0.0, z, r, np.array([5, 7, 9]), 1.0, group=np.array([3, 0, 3]))
    assert tracker.track_id.tolist() == [1, 1, 2] and tracker.next_ids.tolist() == [2, 1, 1, 3]
    tracker.drop_truth(7, 0.5)
    assert tracker.group.tolist() == [3, 3] and tracker.truth.tolist() == [5, 9]
    with pytest.raises(ValueError, match="group"):
        tracker.process_scan(1.0, z, r, np.zeros(3, int), 1.0, group=np.array([0, -1, 0]))
    with pytest.raises(ValueError, match="group"):
        tracker.process_scan(1.0, z, r, np.zeros(3, int), 1.0, group=np.zeros(2, int))
