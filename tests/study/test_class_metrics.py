"""Issue 13: study metrics that separate alternatives (expected asset value lost, P(no leak)
by class, leakers by class) and a compare table that never wraps or cuts a name."""

import json
import math

import pyarrow.compute as pc
import pytest
from rich.console import Console

from iadsim.study_cli import _table


def _wilson(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    # Wilson (1927) score interval, closed form (Newcombe 1998, method 3)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def test_p_no_leak_by_class_and_asset_value_lost_match_the_rows(reference, rows):
    summary = json.loads((reference / "study.json").read_text())
    table = rows(reference)
    for block in summary["results"]:
        mine = table.filter(pc.equal(table["alternative"], block["alternative"]))
        n = mine.num_rows
        none_leaked = int(pc.sum(pc.equal(mine["leaked_class_cruise_missile"], 0)).as_py() or 0)
        got = block["by_threat_class"]["cruise_missile"]["p_no_leak"]
        assert got["estimate"] == pytest.approx(none_leaked / n)
        low, high = _wilson(none_leaked, n)
        assert (got["low"], got["high"]) == pytest.approx((low, high), abs=1e-9)
        lost = mine["asset_value_lost"].to_pylist()
        assert block["asset_value_lost"]["mean"] == pytest.approx(sum(lost) / n)
        assert set(block["by_threat_class"]) == {"cruise_missile"}


def test_compare_table_keeps_each_name_on_one_line(reference):
    summary = json.loads((reference / "study.json").read_text())
    names = ["2 Patriot, autonomous", "2 S-400 battalions, networked"]
    for block, name in zip(summary["results"], names, strict=True):
        block["alternative"] = name
    console = Console(width=100, record=True)
    console.print(_table(summary))
    lines = console.export_text().splitlines()
    for name in names:
        assert any(name in line for line in lines), name
    assert not any(line.strip().startswith("Patriot") for line in lines)
    assert "…" not in "\n".join(lines)
    text = " ".join(lines)
    assert "P(no CM)" in text and "CM = cruise missile" in text and "value lost" in text
