"""Issue 13: a scenario file cannot blow up the loader, and no wrong input passes silently."""

import resource
import subprocess
import sys
import textwrap
import time

import pytest
import yaml
from typer.testing import CliRunner

from iadsim.cli import app

runner = CliRunner()

BILLION_LAUGHS = textwrap.dedent("""\
    a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
    b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
    d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
    f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
    g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
    h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
    i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
    """)

HOSTILE = {
    "billion laughs": (BILLION_LAUGHS, "aliases expand"),
    "deep flow nesting": ("name: " + "[" * 20000 + "]" * 20000 + "\n", "nest"),
    "deep block nesting": ("".join("  " * i + f"k{i}:\n" for i in range(500)), "nested more than"),
    "recursive alias": ("name: &a [1, *a]\n", "recursive alias"),
    "huge file": ("description: '" + "x" * 2_000_000 + "'\n", "larger than"),
    "many nodes": ("threats: [" + "1," * 300_000 + "1]\n", "YAML nodes"),
}


@pytest.mark.parametrize("label", HOSTILE)
def test_hostile_yaml_is_rejected_fast_inone_line(label, write_scenario, tmp_path, one_line):
    text, needle = HOSTILE[label]
    path = write_scenario(text)
    out = str(tmp_path / "o")
    for command in (["validate", str(path)], ["run", str(path), "--out", out],
                    ["study", str(path), "-n", "1", "--out", out]):  # fmt: skip
        t0 = time.perf_counter()
        line = one_line(command)
        assert time.perf_counter() - t0 < 1.0
        assert str(path) in line and needle in line, line
    assert not (tmp_path / "o").exists()


def test_billion_laughs_stays_under_200_mb_in_a_fresh_process(write_scenario):
    # the issue measured ~16 GB and minutes on the old loader; cap the process at 1 GB
    # of address space so a regression fails instead of swapping the machine
    path = write_scenario(BILLION_LAUGHS)
    code = (
        "import resource, sys; from pathlib import Path;"
        "from iadsim.scenario.loader import read_yaml; from iadsim.errors import ScenarioError\n"
        "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        f"try: read_yaml(Path({str(path)!r}))\n"
        "except ScenarioError as e: print('rejected', e)\n"
        "print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) // 1024)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, preexec_fn=lambda: resource.setrlimit(
                              resource.RLIMIT_AS, (4 << 30, 4 << 30)))  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    rejected, grown_mb = proc.stdout.splitlines()
    assert rejected.startswith("rejected") and int(grown_mb) < 200


BAD_VALUES = [
    # (label, YAML text replacing the asset line, field, needle)
    ("bool latitude", "lat_deg: true", "defended_assets[0].lat_deg", "not true/false"),
    ("quoted latitude", "lat_deg: '41.0'", "defended_assets[0].lat_deg", "not text"),
    ("nan latitude", "lat_deg: .nan", "defended_assets[0].lat_deg", "finite number"),
    ("inf latitude", "lat_deg: .inf", "defended_assets[0].lat_deg", "finite number"),
    ("negative inf", "lat_deg: -.inf", "defended_assets[0].lat_deg", "finite number"),
]


@pytest.mark.parametrize("label, text, field, needle", BAD_VALUES, ids=[b[0] for b in BAD_VALUES])
def test_numbers_are_strict_and_nan_has_its_own_message(
    label, text, field, needle, minimal_scenario, write_scenario, one_line
):
    raw = yaml.safe_dump(minimal_scenario, sort_keys=False).replace("lat_deg: 41.0", text, 1)
    path = write_scenario(raw)
    line = one_line(["validate", str(path)])
    assert str(path) in line and field in line and needle in line, line
    assert "less than" not in line and "greater than" not in line


def test_bool_count_and_fractional_count_are_rejected(minimal_scenario, write_scenario, one_line):
    for value in (True, 2.5):
        minimal_scenario["threats"][0]["count"] = value
        line = one_line(["validate", str(write_scenario(minimal_scenario))])
        assert "threats[0].count" in line and repr(value) in line


def test_nan_in_a_sweep_list_is_named(minimal_scenario, write_scenario, one_line):
    minimal_scenario["sweep"] = {"parameter": "threats[0].count", "values": [1.0, float("nan")]}
    line = one_line(["validate", str(write_scenario(minimal_scenario))])
    assert "sweep.values" in line and "finite number" in line


@pytest.mark.parametrize(
    "text, field",
    [
        ("name: a\nname: b\n", "name: key given twice (lines 1 and 2)"),
        ("threats:\n  - {name: a, count: 1, count: 2}\n", "threats[0].count: key given twice"),
    ],
)
def test_duplicate_keys_are_an_error(text, field, write_scenario, one_line):
    path = write_scenario(text)
    line = one_line(["validate", str(path)])
    assert field in line and str(path) in line, line


def test_yaml_merge_keys_are_not_duplicates(minimal_scenario, write_scenario):
    # `<<: *anchor` then an explicit key overrides the merged one (YAML merge key spec)
    del minimal_scenario["fire_units"]
    raw = yaml.safe_dump(minimal_scenario, sort_keys=False) + textwrap.dedent("""\
        fire_units:
        - &p1 {name: P1, system: Patriot, lat_deg: 41.1, lon_deg: 29.0}
        alternatives:
        - name: alt
          fire_units:
          - <<: *p1
            name: P2
        """)
    result = runner.invoke(app, ["validate", str(write_scenario(raw))])
    assert result.exit_code == 0, result.output


def test_constructor_errors_areone_line(write_scenario, one_line):
    for text in (
        "duration_s: !!float abc\n",
        "duration_s: !!int zz\n",
        "t: !!python/object:os.system {}\n",
    ):
        line = one_line(["validate", str(write_scenario(text))])
        assert "invalid YAML" in line, line


def test_missing_dem_is_caught_by_validate(minimal_scenario, write_scenario, one_line):
    minimal_scenario["terrain"] = {"dem": "no_such_dem.tif"}
    path = write_scenario(minimal_scenario)
    line = one_line(["validate", str(path)])
    assert str(path) in line and "terrain.dem" in line and "no_such_dem.tif" in line
    assert "not found" in line


def test_unreadable_dem_is_caught_by_validate(minimal_scenario, write_scenario, tmp_path, one_line):
    (tmp_path / "fake.tif").write_text("not a GeoTIFF")
    minimal_scenario["terrain"] = {"dem": "fake.tif"}
    path = write_scenario(minimal_scenario)
    line = one_line(["validate", str(path)])
    assert "terrain.dem" in line and "cannot read it as a GeoTIFF" in line


@pytest.mark.parametrize(
    "change, field",
    [
        ({"time_step_s": 1e-9, "duration_s": 86_400.0}, "time_step_s"),
        ({"time_step_s": 5e-324, "duration_s": 1.0}, "time_step_s"),  # ratio inf (fuzzer)
        ({"time_step_s": 0.5, "duration_s": 86_400.0, "count": 10_000}, "threats"),
    ],
)
def test_scenarios_too_big_to_simulate_are_refused_before_building(
    change, field, minimal_scenario, write_scenario, tmp_path, one_line
):
    # valid field by field, but 8.6e13 steps or 1.7e9 threat-steps would exhaust memory
    minimal_scenario["threats"][0]["count"] = change.pop("count", 2)
    minimal_scenario.update(change)
    path = write_scenario(minimal_scenario)
    for command in (["validate", str(path)], ["run", str(path), "--out", str(tmp_path / "o")]):
        t0 = time.perf_counter()
        line = one_line(command)
        assert time.perf_counter() - t0 < 1.0
        assert f"{path}: {field}:" in line and "at most" in line, line
    assert not (tmp_path / "o").exists()


def test_exponent_numbers_without_a_dot_are_numbers(minimal_scenario, write_scenario, one_line):
    # YAML 1.2 reads 1.2e2 and 12e1 alike; PyYAML's YAML 1.1 reads 12e1 as a string
    raw = yaml.safe_dump(minimal_scenario, sort_keys=False).replace("duration_s: 120.0",
                                                                    "duration_s: 12e1")  # fmt: skip
    path = write_scenario(raw)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0 and "120 s" in result.stdout, result.output
    line = one_line(["validate", str(write_scenario(raw.replace("12e1", "1e400")))])
    assert "duration_s" in line and "finite number" in line
