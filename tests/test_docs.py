"""Issue 13: the README and docs cannot drift from the example files and the commands."""

import re
import shlex
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import yaml
from typer.testing import CliRunner

from iadsim.cli import app
from iadsim.study.plan import MAX_BATCH, default_batch_size
from iadsim.study_cli import BATCH_DEFAULT_TEXT

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
runner = CliRunner()


def _counts(example: str) -> Counter:
    data = yaml.safe_load((ROOT / "examples" / example).read_text())
    counts = Counter()
    for group in data["threats"]:
        counts[group["type"]] += group.get("count", 1)
    return counts


def test_readme_city_raid_counts_match_the_example_files():
    m = re.search(
        r"\((\d+) sea-skimming cruise missiles,\s+(\d+) Iskander-class ballistic missiles,\s+"
        r"(\d+) TB2 drones,\s+(\d+) F-35A and\s+(\d+) F-16 Block 70",
        README,
    )
    assert m, "the README's description of the city raid moved; update this test"
    stated = dict(zip(["Kalibr-3M14", "Iskander-M", "TB2", "F-35A", "F-16-Block70"],
                      map(int, m.groups()), strict=True))  # fmt: skip
    for example in ("city_defense_s400.yaml", "city_defense_patriot.yaml",
                    "city_defense_s300.yaml"):  # fmt: skip
        assert dict(_counts(example)) == stated, example


def test_readme_threat_totals_match_the_example_files():
    turkey = re.search(r"one\s+(\d+)-threat raid", README)
    assert int(turkey.group(1)) == sum(_counts("turkey_air_defense_choice.yaml").values())
    for total in re.findall(r"of the (\d+) threats", README):
        assert int(total) == sum(_counts("networked_vs_autonomous.yaml").values())


def test_every_command_is_in_the_readme():
    names = [c.name or c.callback.__name__ for c in app.registered_commands]
    assert "envelope" in names
    for name in names:
        assert f"iadsim {name}" in README, name
    assert "iadsim --version" in README


def test_batch_size_default_agrees_in_help_docs_and_code():
    doc = (ROOT / "docs" / "study.md").read_text()
    assert f"({BATCH_DEFAULT_TEXT}" in doc
    result = runner.invoke(app, ["study", "--help"], env={"COLUMNS": "300"})
    assert BATCH_DEFAULT_TEXT in " ".join(result.stdout.split())
    # what the text says: n/10 between 1 and 200
    assert f"between 1 and {MAX_BATCH}" in BATCH_DEFAULT_TEXT
    assert [default_batch_size(n) for n in (5, 100, 1000, 10_000)] == [1, 10, 100, MAX_BATCH]


def test_readme_duckdb_query_runs_after_the_documented_install(tmp_path):
    assert "duckdb -c" not in README  # the duckdb CLI is not installed by pip
    (line,) = [ln for ln in README.splitlines() if "import duckdb" in ln]
    parts = shlex.split(line)
    assert parts[:2] == ["python", "-c"]
    folder = tmp_path / "study" / "replications"
    folder.mkdir(parents=True)
    for i, (alt, leaked) in enumerate([("a", [1, 3]), ("b", [0, 2])]):
        table = pa.table({"alternative": [alt] * 2, "leaked": leaked})
        pq.write_table(table, folder / f"part-{i:05d}.parquet")
    code = parts[2].replace("DIR", str(tmp_path / "study"))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"a\s*│\s*2\.0", proc.stdout) and re.search(r"b\s*│\s*1\.0", proc.stdout)
