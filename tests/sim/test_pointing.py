"""Sector radars' faces: the best pointing against brute force, slew kinematics, and a
threat from outside the emplacement sector tracked by the surveillance radar, cued, the
face turned and the threat engaged."""

import numpy as np
import pytest

from iadsim.catalog import load_catalog
from iadsim.scenario.schema import Scenario
from iadsim.sim.engine import run
from iadsim.sim.pointing import Faces, _best_faces
from iadsim.sim.world import build_world


def test_best_face_equals_a_brute_force_search():
    """The sliding-window optimum equals the best of 36,000 candidate centres (0.01 deg)."""
    rng = np.random.default_rng(4)
    half, usable = np.deg2rad(45.0), np.deg2rad(40.5)
    grid = np.deg2rad(np.arange(0.0, 360.0, 0.01))
    for _ in range(40):
        n = int(rng.integers(1, 12))
        az = rng.uniform(0.0, 2 * np.pi, n)
        w = rng.uniform(0.1, 5.0, n)
        best, score, _ = _best_faces(np.array([0, n]), az, w, np.zeros(1), np.array([half]),
                                     np.array([usable]))  # fmt: skip
        off = np.abs(np.mod(az[None, :] - grid[:, None] + np.pi, 2 * np.pi) - np.pi)
        brute = ((off <= usable) * w[None, :]).sum(axis=1).max()
        assert score[0] == pytest.approx(max(brute, ((off[0] <= half) * w).sum()), rel=1e-9)
        # Every track the chosen face counts lies inside its usable width.
        inside = np.abs(np.mod(az - best[0] + np.pi, 2 * np.pi) - np.pi) <= usable + 1e-9
        if score[0] > ((off[0] <= half) * w).sum():
            assert (inside * w).sum() == pytest.approx(score[0], rel=1e-9)


def test_face_slews_at_its_rate_the_short_way_round_then_settles():
    class Radars:
        sector_center_rad = np.array([np.deg2rad(350.0)])

        def __len__(self):
            return 1

    faces = Faces.initial(Radars(), 1)
    faces.to_rad[0, 0], faces.start_s[0, 0] = np.deg2rad(30.0), 10.0
    faces.arrive_s[0, 0], faces.ready_s[0, 0] = 10.0 + 40.0 / 10.0, 14.0 + 2.0
    rate = np.array([np.deg2rad(10.0)])
    deg = [float(np.rad2deg(faces.centre(t, rate)[0, 0])) for t in (10.0, 12.0, 14.0, 20.0)]
    assert deg == pytest.approx([350.0, 10.0, 30.0, 30.0])  # through north, not round south
    # Blind from the start of the slew until it has settled.
    assert [bool(faces.operating(t)[0, 0]) for t in (10.0, 12.0, 15.9, 16.0)] == [
        False, False, False, True,
    ]  # fmt: skip


def _events(data, seed=2):
    world = build_world(Scenario.model_validate(data), load_catalog())
    cols = run(world, seed=seed).events._cols
    return [dict(zip(cols, row, strict=True)) for row in zip(*cols.values(), strict=True)]


def test_threat_outside_the_sector_is_tracked_cued_turned_to_and_engaged(threat_from_behind):
    threat_from_behind["duration_s"] = 900.0  # the engagement, not the end of the raid
    events = _events(threat_from_behind)
    first = {}
    for e in events:
        first.setdefault(e["kind"], e)
    assert first["track_start"]["other_id"] == "behind-1"
    cue = first["radar_cue"]
    assert cue["entity_id"] == "S400/92N6E" and cue["time_s"] >= first["track_start"]["time_s"]
    turns = [e for e in events if e["kind"] == "radar_point" and e["time_s"] > 0]
    assert turns, "the 92N6E's face never turned"
    to_deg = float(turns[0]["detail"].split("-> ")[1].split(" deg")[0])
    bearing = np.rad2deg(np.arctan2(1.1 * np.cos(np.deg2rad(38.7)), -2.3)) % 360  # ~155 deg
    assert abs(to_deg - bearing) < 20.0
    detections = [e for e in events if e["kind"] == "detect" and e["entity_id"] == "S400/92N6E"
                  and e["other_id"] == "behind-1"]  # fmt: skip
    assert detections and detections[0]["time_s"] > turns[0]["time_s"]
    launch = first["launch"]
    assert launch["time_s"] > detections[0]["time_s"]
    assert any(e["kind"] in ("kill", "intercept") for e in events)


def test_without_a_surveillance_radar_the_face_never_turns(threat_from_behind):
    """Patriot's only radar is its sector radar: alone, it never sees the threat from
    behind, so nothing cues it and nothing is fired (the physics, not an engine rule)."""
    threat_from_behind["duration_s"] = 900.0
    threat_from_behind["fire_units"][0]["system"] = "Patriot"
    events = _events(threat_from_behind)
    kinds = {e["kind"] for e in events}
    assert "launch" not in kinds and "radar_cue" not in kinds
    assert [e["time_s"] for e in events if e["kind"] == "radar_point"] == [0.0]
