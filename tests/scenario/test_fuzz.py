"""Issue 13, fuzzing: scenarios generated from the pydantic JSON schema and mutated examples
always give exit 0 (with outputs) or exit 2 with one line and nothing written.

``from_json_schema`` covers the JSON-schema subset that ``Scenario.model_json_schema()``
uses ($ref/$defs, anyOf, enum/const, object with properties / additionalProperties /
propertyNames, array, number and integer bounds, string, boolean, null). It stands in
for hypothesis-jsonschema, whose 0.23.1 (the latest) fails on current Hypothesis
(``AttributeError: 'many' object has no attribute 'more'``, Hypothesis 6.170).
Sizes are kept small so one example validates in milliseconds.
"""

from __future__ import annotations

import copy
import math
import os
import tempfile
from pathlib import Path
from unittest import mock

import numpy as np
import pyarrow.parquet as pq
import typer.testing
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from iadsim.catalog import load_catalog
from iadsim.cli import app
from iadsim.scenario import Scenario

_CATALOG = load_catalog()
# Names the catalog knows, so a useful share of generated scenarios passes the schema and
# reaches the catalog and cross-field checks.
_NAMES = {
    "system": sorted(_CATALOG.systems),
    "type": sorted(_CATALOG.threats),
}


def from_json_schema(schema: dict) -> st.SearchStrategy:
    defs = schema.get("$defs", {})
    return _strategy(schema, defs, None)


def _strategy(node: dict, defs: dict, name: str | None) -> st.SearchStrategy:
    if "$ref" in node:
        ref = node["$ref"].rsplit("/", 1)[-1]
        return st.deferred(lambda: _strategy(defs[ref], defs, name))
    if "anyOf" in node:
        return st.one_of([_strategy(n, defs, name) for n in node["anyOf"]])
    if "enum" in node:
        return st.sampled_from(node["enum"])
    if "const" in node:
        return st.just(node["const"])
    kind = node.get("type")
    if kind == "object":
        return _object(node, defs)
    if kind == "array":
        low = node.get("minItems", 0)
        high = min(node.get("maxItems", low + 3), low + 3)
        return st.lists(_strategy(node.get("items", {}), defs, None), min_size=low, max_size=high)
    if kind in ("number", "integer"):
        return _number(node, kind)
    if kind == "string":
        text = st.text(min_size=node.get("minLength", 0), max_size=12)
        if name in _NAMES:
            return st.one_of(st.sampled_from(_NAMES[name]), text)
        return text
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    return st.none()


def _object(node: dict, defs: dict) -> st.SearchStrategy:
    props = node.get("properties")
    if props is not None:
        required = set(node.get("required", []))
        return st.fixed_dictionaries(
            {k: _strategy(v, defs, k) for k, v in props.items() if k in required},
            optional={k: _strategy(v, defs, k) for k, v in props.items() if k not in required},
        )
    values = node.get("additionalProperties", {})
    keys = (
        st.sampled_from(node["propertyNames"]["enum"])
        if "enum" in node.get("propertyNames", {})
        else st.sampled_from(sorted(_CATALOG.missiles)) | st.text(max_size=8)
    )
    return st.dictionaries(keys, _strategy(values, defs, None), max_size=3)


def _number(node: dict, kind: str) -> st.SearchStrategy:
    low = node.get("minimum", node.get("exclusiveMinimum"))
    high = node.get("maximum", node.get("exclusiveMaximum"))
    if kind == "integer":
        return st.integers(
            None if low is None else math.floor(low) + ("exclusiveMinimum" in node),
            None if high is None else math.ceil(high) - ("exclusiveMaximum" in node),
        )
    return st.floats(
        low,
        high,
        exclude_min="exclusiveMinimum" in node,
        exclude_max="exclusiveMaximum" in node,
        allow_nan=False,
        allow_infinity=False,
    )


# Values a mutation puts in place of any field: wrong types, edge numbers, huge values.
HOSTILE_VALUES = st.one_of(
    st.sampled_from(
        [
            None,
            True,
            False,
            0,
            -1,
            1,
            0.0,
            -0.0,
            1e-300,
            1e300,
            2**64,
            -(2**70),
            math.nan,
            math.inf,
            -math.inf,
            "",
            "1",
            "nan",
            "x" * 5000,
            [],
            {},
            [[[]]],
            {"a": 1},
            [1, 2, 3],
            "Patriot",
            "Kalibr-3M14",
        ]
    ),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(),
    st.text(max_size=20),
).map(copy.deepcopy)  # fmt: skip  (a fresh copy: a mutation must not grow a shared [] or {})


def leaf_paths(data, prefix=()) -> list[tuple]:
    """Every path into nested dicts/lists (containers and leaves alike)."""
    out = [prefix] if prefix else []
    if isinstance(data, dict):
        for k, v in data.items():
            out += leaf_paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += leaf_paths(v, (*prefix, i))
    return out


def set_at(data, path: tuple, value, delete: bool = False) -> None:
    for key in path[:-1]:
        data = data[key]
    if delete:
        del data[path[-1]]
    else:
        data[path[-1]] = value


# ---------------------------------------------------------------- the property tests

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SEEDS = [yaml.safe_load(p.read_text()) for p in sorted(EXAMPLES.glob("*.yaml"))]
runner = CliRunner()
# typer builds the click command on every invoke (half the cost of a `validate`): once here
_COMMAND = typer.main.get_command(app)


def _invoke(args):
    with mock.patch.object(typer.testing, "_get_command", lambda _: _COMMAND):
        return runner.invoke(app, args)


def _check_outcome(result, out: Path | None = None) -> int:
    """Exit 0 (with outputs, for run) or exit 2 with one line and nothing written."""
    assert result.exit_code in (0, 2), (result.exit_code, result.output, result.exception)
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr[:3000]
        assert len(lines[0]) < 1000, lines[0][:300]
        if out is not None:
            assert not out.exists()
            assert not any(p.name.startswith(f".{out.name}.") for p in out.parent.iterdir())
    elif out is not None:
        for name in ("events.parquet", "summary.json", "engagement.png"):
            assert (out / name).is_file()
    return result.exit_code


def _validate(data_or_text, tmp: Path) -> int:
    path = tmp / "s.yaml"
    if isinstance(data_or_text, str):
        path.write_text(data_or_text, encoding="utf-8", errors="surrogatepass")
    else:
        path.write_text(yaml.safe_dump(data_or_text, sort_keys=False, allow_unicode=True))
    return _check_outcome(_invoke(["validate", str(path)]))


# derandomized, so the suite is reproducible; IADSIM_FUZZ_SCALE=50 (and
# IADSIM_FUZZ_RANDOM=1 for fresh cases) turns it into a longer fuzzing session
SCALE = int(os.environ.get("IADSIM_FUZZ_SCALE", "1"))
FUZZ = settings(deadline=None, suppress_health_check=list(HealthCheck),
                derandomize=not os.environ.get("IADSIM_FUZZ_RANDOM"), database=None)  # fmt: skip


def fuzz(n: int) -> settings:
    return settings(FUZZ, max_examples=n * SCALE)


@fuzz(300)
@given(from_json_schema(Scenario.model_json_schema()))
def test_schema_generated_scenarios_validate_or_fail_in_one_line(data):
    with tempfile.TemporaryDirectory() as tmp:
        _validate(data, Path(tmp))


@fuzz(300)
@given(st.sampled_from(range(len(SEEDS))), st.data())
def test_mutated_examples_validate_or_fail_in_one_line(seed, data):
    scenario = copy.deepcopy(SEEDS[seed])
    for _ in range(data.draw(st.integers(1, 3))):
        paths = leaf_paths(scenario)
        if not paths:
            break
        path = data.draw(st.sampled_from(paths))
        action = data.draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "add" and isinstance(_get(scenario, path), dict):
            _get(scenario, path)[data.draw(st.text(max_size=8))] = data.draw(HOSTILE_VALUES)
        else:
            set_at(scenario, path, data.draw(HOSTILE_VALUES), delete=action == "delete")
    with tempfile.TemporaryDirectory() as tmp:
        _validate(scenario, Path(tmp))


@fuzz(300)
@given(st.sampled_from(range(len(SEEDS))), st.data())
def test_byte_mutated_yaml_validates_or_fails_in_one_line(seed, data):
    text = yaml.safe_dump(SEEDS[seed], sort_keys=False)
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        junk = data.draw(st.sampled_from(["&a ", "*a", "<<: *a\n", "{", "]", ":", "- ", "\t",
                                          "!!float ", "!!binary ", "? ", "\n  ", "'", '"',
                                          "\x00", "\ufeff", "%YAML 1.1\n", "---\n"])
                         | st.text(max_size=4))  # fmt: skip
        cut = data.draw(st.integers(0, 8))
        text = text[:at] + junk + text[at + cut :]
    with tempfile.TemporaryDirectory() as tmp:
        _validate(text, Path(tmp))


def _get(data, path):
    for key in path:
        data = data[key]
    return data


@settings(fuzz(6), phases=[Phase.explicit, Phase.generate])  # a run is seconds: no shrinking
@given(
    lat=st.floats(-89.9, 89.9),
    lon=st.floats(-180.0, 180.0),
    alt=st.floats(0.0, 20_000.0),
    launch=st.floats(0.0, 40.0),
    system=st.sampled_from(["Patriot", "S-400", "S-300PMU"]),
)
def test_short_runs_finish_or_fail_in_one_line(lat, lon, alt, launch, system, tmp_path_factory):
    # real runs (30 s of scenario time) at generated geometry: anywhere on the globe
    scenario = {
        "name": "fuzz", "seed": 1, "duration_s": 30.0, "time_step_s": 1.0,
        "defended_assets": [{"name": "A", "lat_deg": lat, "lon_deg": lon}],
        "fire_units": [{"name": "F", "system": system, "lat_deg": lat, "lon_deg": lon}],
        "threats": [{"name": "t", "type": "Kalibr-3M14", "launch_time_s": launch,
                     "route": [{"lat_deg": min(lat + 0.3, 90.0), "lon_deg": lon, "alt_m": alt},
                               {"lat_deg": lat, "lon_deg": lon, "alt_m": alt}]}],
    }  # fmt: skip
    tmp = tmp_path_factory.mktemp("run")
    path = tmp / "s.yaml"
    path.write_text(yaml.safe_dump(scenario, sort_keys=False))
    out = tmp / "out"
    result = runner.invoke(app, ["run", str(path), "--out", str(out)])
    if _check_outcome(result, out) == 0:
        events = pq.read_table(out / "events.parquet")
        for column in ("time_s", "lat_deg", "lon_deg", "alt_m"):
            values = events.column(column).to_numpy(zero_copy_only=False)
            assert np.isfinite(values.astype(float)).all(), column


def test_fuzz_harness_reports_its_figures_as_json(tmp_path):
    # the plain mutator (no atheris needed) for 3 s: the harness runs and finds no crash
    import json
    import subprocess
    import sys

    harness = Path(__file__).resolve().parents[2] / "fuzz" / "fuzz_scenario.py"
    proc = subprocess.run([sys.executable, str(harness), "--no-atheris", "--seconds", "3",
                           "--out", str(tmp_path)], capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["executions"] > 10 and report["crashes"] == 0, report
    assert json.loads((tmp_path / "report.json").read_text()) == report
