"""trajectories.parquet: what every run writes for replays."""

import numpy as np
import pyarrow.parquet as pq


def test_run_writes_trajectories_of_every_entity(replay_run):
    t = pq.read_table(replay_run / "trajectories.parquet").to_pydict()
    kinds = np.array(t["kind"])
    names = np.array(t["entity_id"])
    threats = set(names[kinds == "threat"])
    assert threats == {"cm-1", "cm-2"}
    events = pq.read_table(replay_run / "events.parquet").to_pydict()
    launched = {
        n for n, k in zip(events["entity_id"], events["kind"], strict=False) if k == "launch"
    }
    assert launched and set(names[kinds == "interceptor"]) == launched
    started = {
        n for n, k in zip(events["entity_id"], events["kind"], strict=False) if k == "track_start"
    }
    sampled = set(names[kinds == "track"])
    assert sampled and sampled <= started  # only firm (confirmed) tracks are sampled


def test_threat_path_starts_at_the_scenario_launch_point(replay_run, replay_spec):
    """The first sample of a threat is the first route point of the scenario file."""
    t = pq.read_table(replay_run / "trajectories.parquet").to_pydict()
    first = t["entity_id"].index("cm-1")
    start = replay_spec["threats"][0]["route"][0]
    assert t["time_s"][first] == 0.0
    assert abs(t["lat_deg"][first] - start["lat_deg"]) < 1e-6
    assert abs(t["lon_deg"][first] - start["lon_deg"]) < 1e-6
    assert abs(t["alt_m"][first] - start["alt_m"]) < 1.0


def test_interceptor_path_starts_at_its_launcher(replay_run, replay_spec):
    t = pq.read_table(replay_run / "trajectories.parquet").to_pydict()
    unit = replay_spec["fire_units"][0]
    first = t["kind"].index("interceptor")
    assert abs(t["lat_deg"][first] - unit["lat_deg"]) < 1e-6
    assert abs(t["lon_deg"][first] - unit["lon_deg"]) < 1e-6


def test_track_covariances_are_positive_definite(replay_run):
    t = pq.read_table(replay_run / "trajectories.parquet").to_pydict()
    rows = [i for i, k in enumerate(t["kind"]) if k == "track"]
    c = {n: np.array([t[n][i] for i in rows]) for n in t if n.startswith("cov_")}
    cov = np.stack([
        np.stack([c["cov_xx_m2"], c["cov_xy_m2"], c["cov_xz_m2"]], -1),
        np.stack([c["cov_xy_m2"], c["cov_yy_m2"], c["cov_yz_m2"]], -1),
        np.stack([c["cov_xz_m2"], c["cov_yz_m2"], c["cov_zz_m2"]], -1),
    ], -2)  # fmt: skip
    assert len(rows) > 0
    assert np.all(np.linalg.eigvalsh(cov.astype(float)) > 0)
