"""Bad trajectory input (issue 12) gets one clear line naming the field, exit 2, no output."""

import pytest

ISKANDER = {
    "name": "srbm",
    "type": "Iskander-M",
    "launch": {"lat_deg": 43.55, "lon_deg": 30.30},
    "aim": {"lat_deg": 41.01, "lon_deg": 28.98},
    "apogee_m": 50_000.0,
}


def _tf(**extra):
    return {"trajectory": "terrain_following", **extra}


CASES = [
    ("negative terrain height", _tf(height_agl_m=-5.0), "threats[0].height_agl_m", "-5"),
    ("unknown trajectory kind", {"trajectory": "teleport"}, "threats[0].trajectory", "teleport"),
    ("height without terrain following", {"height_agl_m": 50.0}, "threats[0].height_agl_m",
     "terrain_following"),
    ("negative loiter time", {"trajectory": "loiter", "loiter_s": -1.0,
                              "aim": {"lat_deg": 41.0, "lon_deg": 29.0}},
     "threats[0].loiter_s", "-1"),
    ("loiter without time", {"trajectory": "loiter", "aim": {"lat_deg": 41.0, "lon_deg": 29.0}},
     "threats[0].loiter_s", "loiter"),
    ("strike without aim", {"trajectory": "loiter", "loiter_s": 60.0}, "threats[0].aim",
     "strike"),
]  # fmt: skip


@pytest.mark.parametrize("label, extra, field, needle", CASES, ids=[c[0] for c in CASES])
def test_bad_trajectory_field(label, extra, field, needle, minimal_scenario, write_scenario,
                              tmp_path, one_line):  # fmt: skip
    minimal_scenario["threats"][0].update(extra)
    path = write_scenario(minimal_scenario)
    one_line(["run", path], str(path), field, needle)


def test_terrain_following_needs_catalog_limits(
    minimal_scenario, write_scenario, tmp_path, one_line
):
    minimal_scenario["threats"][0].update(type="F-16-Block70", trajectory="terrain_following")
    path = write_scenario(minimal_scenario)
    one_line(["run", path], "threats[0].trajectory", "terrain_following")


def test_ballistic_shot_out_of_the_motor_reach(
    minimal_scenario, write_scenario, tmp_path, one_line
):
    far = dict(ISKANDER, launch={"lat_deg": 60.0, "lon_deg": 29.0})  # ~2,100 km
    minimal_scenario["threats"] = [far]
    path = write_scenario(minimal_scenario)
    one_line(["run", path], "threats[0].apogee_m", "cannot fly")


MISSION = {"type": "F-16-Block70", "trajectory": "mission", "weapon": "GBU-53",
           "aim": {"lat_deg": 41.0, "lon_deg": 29.0}}  # fmt: skip
MISSION_CASES = [
    ("unknown manoeuvre", {"reaction": "barrel_roll"}, "threats[0].reaction", "barrel_roll"),
    ("weapon not carried", {"weapon": "Kalibr-3M14"}, "threats[0].weapon", "Kalibr-3M14"),
    ("mission without aim", {"aim": None}, "threats[0].aim", "mission"),
]


@pytest.mark.parametrize("label, extra, field, needle", MISSION_CASES,
                         ids=[c[0] for c in MISSION_CASES])  # fmt: skip
def test_bad_mission_field(label, extra, field, needle, minimal_scenario, write_scenario,
                           one_line):  # fmt: skip
    minimal_scenario["threats"][0].update({**MISSION, **extra})
    if minimal_scenario["threats"][0]["aim"] is None:
        del minimal_scenario["threats"][0]["aim"]
    path = write_scenario(minimal_scenario)
    one_line(["run", path], str(path), field, needle)
