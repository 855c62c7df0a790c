"""The Python API (``import iadsim``): one recipe per task, shared by the command line, the
study workers and notebooks. See docs/api.md.

A run is ``load_scenario -> (seed, alternative) -> build_world(components) -> engine ->
Result``; :func:`run` is that path, and ``iadsim run`` and the study workers call the same
pieces (:func:`prepare`, :func:`simulate`).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from iadsim.errors import UsageError

if TYPE_CHECKING:
    import pyarrow as pa

    from iadsim.catalog import CatalogFile
    from iadsim.components import Components
    from iadsim.scenario.schema import Scenario
    from iadsim.sim.engine import RunResult
    from iadsim.sim.world import World
    from iadsim.study.runner import StudyResult

Warn = Callable[[str], None]


def load_scenario(
    source: str | Path | Mapping[str, Any] | Scenario,
    *,
    catalog: CatalogFile | None = None,
    warn: Warn | None = None,
) -> Scenario:
    """A fully checked scenario from a YAML file, a mapping (as the YAML would parse) or an
    already loaded :class:`~iadsim.scenario.Scenario` (returned as is). Bad input raises
    :class:`~iadsim.errors.ScenarioError` with one line naming the field and the value.
    A mapping's relative file paths (a DEM) are read from the working folder."""
    from iadsim.scenario import Scenario
    from iadsim.scenario.loader import load_scenario as load_file
    from iadsim.scenario.loader import scenario_from_data

    if isinstance(source, Scenario):
        return source
    if isinstance(source, Mapping):
        return scenario_from_data(dict(source), "<dict>", None, catalog, warn)
    if isinstance(source, str | Path):
        return load_file(Path(source), catalog, warn=warn)
    raise UsageError(
        f"scenario: got {type(source).__name__}; give a YAML path, a mapping or a Scenario"
    )


def prepare(
    scenario: str | Path | Mapping[str, Any] | Scenario,
    seed: int | None = None,
    alternative: str | None = None,
    components: Components | Mapping[str, Any] | None = None,
    *,
    command: str = "run",
    catalog: CatalogFile | None = None,
    warn: Warn | None = None,
) -> World:
    """The World a run simulates: the scenario loaded, its seed set, the alternative's
    fire units in place, the truth built by the components' trajectory kinds."""
    from iadsim.catalog import load_catalog
    from iadsim.scenario import require_threats, with_alternative

    catalog = catalog or load_catalog()
    scen = load_scenario(scenario, catalog=catalog, warn=warn)
    require_threats(scen, scen.source_file, command)
    if seed is not None:
        if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**64:
            raise UsageError(f"seed: got {seed!r}; must be a whole number in [0, 2**64)")
        scen = scen.model_copy(update={"seed": seed})
    if alternative is not None:
        scen = with_alternative(scen, alternative)
    return build(scen, catalog, scen.source_dir, components)


def build(
    scenario: Scenario,
    catalog: CatalogFile,
    scenario_dir: Path | None,
    components: Components | Mapping[str, Any] | None = None,
    dem: Path | None = None,
) -> World:
    """The engine's World for a checked scenario (the one place components are resolved)."""
    from iadsim.components import Components
    from iadsim.sim.world import build_world

    if components is not None and not isinstance(components, Components):
        components = Components.from_scenario(scenario).replace(components)
    return build_world(scenario, catalog, scenario_dir=scenario_dir, dem=dem, components=components)


def simulate(
    world: World,
    seeds: list,
    *,
    record: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> list[RunResult]:
    """Run the engine on a World, one replication per seed, in one lock-step batch;
    ``record`` keeps every detection and the interceptor paths (a study needs neither)."""
    from iadsim.sim.engine import run_batch

    return run_batch(world, seeds, progress, record_detections=record, record_paths=record)


@dataclass
class Result:
    """One run: the summary (``summary.json``'s content), the events, the track log and
    the trajectory samples as Arrow tables; ``write(dir)`` saves the usual run folder."""

    raw: RunResult
    scenario_file: str

    @cached_property
    def summary(self) -> dict:
        from iadsim.report.summary import summarize

        return summarize(self.raw, self.scenario_file)

    @cached_property
    def events(self) -> pa.Table:
        """The event log (``events.parquet``'s columns)."""
        return self.raw.events.to_table(self.raw.world.frame)

    @cached_property
    def tracks(self) -> pa.Table:
        """Every track update: picture, time_s, track_id, threat (truth id, "" for a false
        track), x_m, y_m, z_m (map frame), confirmed."""
        import numpy as np
        import pyarrow as pa

        world = self.raw.world
        ids = np.array([*world.threats.ids, ""], dtype=object)
        parts = []
        for p, log in enumerate(self.raw.track_logs):
            n = len(log["time_s"])
            parts.append(
                pa.table(
                    {
                        "picture": pa.array([world.picture_names[p]] * n, pa.string()),
                        "time_s": log["time_s"],
                        "track_id": log["track_id"].astype(np.int64),
                        "threat": pa.array(ids[log["truth"]].tolist(), pa.string()),
                        "x_m": log["xyz"][:, 0],
                        "y_m": log["xyz"][:, 1],
                        "z_m": log["xyz"][:, 2],
                        "confirmed": log["confirmed"].astype(bool),
                    }
                )
            )
        return pa.concat_tables(parts) if parts else pa.table({})

    @cached_property
    def trajectories(self) -> pa.Table | None:
        """Interceptor, track and threat samples for replays (``trajectories.parquet``)."""
        from iadsim.report.trajectories import trajectory_table

        if self.raw.trajectories is None:
            return None
        return trajectory_table(self.raw, self.events)

    def to_pandas(self, table: str = "events"):
        """One of the tables (events, tracks, trajectories) as a pandas DataFrame (needs
        pandas installed)."""
        _need("pandas", "to_pandas")
        return _table(self, table).to_pandas()

    def to_polars(self, table: str = "events"):
        """One of the tables as a polars DataFrame (needs polars installed)."""
        _need("polars", "to_polars")
        import polars as pl

        return pl.from_arrow(_table(self, table))

    def write(self, out: str | Path, overwrite: bool = False) -> Path:
        """events.parquet, trajectories.parquet, summary.json, scene.json and
        engagement.png into the folder ``out``, atomically (nothing half-written)."""
        from iadsim.report.output import write_run

        write_run(self.raw, self.scenario_file, Path(out), overwrite,
                  table=self.events, summary=self.summary)  # fmt: skip
        return Path(out)


def _need(module: str, what: str) -> None:
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise UsageError(f"{what}: {module} is not installed (pip install {module})")


def _table(result: Result, name: str) -> pa.Table:
    allowed = ("events", "tracks", "trajectories")
    if name not in allowed:
        raise UsageError(f"table: got {name!r}; allowed: {list(allowed)}")
    table = getattr(result, name)
    if table is None:
        raise UsageError(f"table: {name!r}: this run kept no trajectory samples")
    return table


def run(
    scenario: str | Path | Mapping[str, Any] | Scenario,
    seed: int | None = None,
    alternative: str | None = None,
    components: Components | Mapping[str, Any] | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
    warn: Warn | None = None,
) -> Result:
    """Simulate a scenario once (``seed``: override the scenario's; ``alternative``: run
    that alternative's fire units; ``components``: replace what the engine wires, a
    :class:`~iadsim.components.Components` or a mapping such as ``{"assignment":
    "greedy"}``). Same scenario and seed give byte-identical events to ``iadsim run``."""
    world = prepare(scenario, seed, alternative, components, warn=warn)
    raw = simulate(world, [world.scenario.seed], progress=progress)[0]
    return Result(raw, world.scenario.source_file)


def study(
    scenario: str | Path | Mapping[str, Any] | Scenario,
    n: int,
    workers: int | None = None,
    backend: str = "local",
    out: str | Path | None = None,
    resume: bool = False,
    *,
    overwrite: bool = False,
    seed: int | None = None,
    batch_size: int | None = None,
    address: str | None = None,
    connect_timeout_s: float = 15.0,
    on_start: Callable[[int, int], None] | None = None,
    on_progress: Callable[[int, int, float | None], None] | None = None,
    warn: Warn | None = None,
) -> StudyResult:
    """Monte Carlo study: ``n`` replications of every alternative and sweep value
    (docs/study.md). With ``out`` the study folder is kept (Parquet rows, study.json,
    convergence.png; ``resume`` continues it); without, it lives in a temporary folder
    and only the returned tables remain. ``result.replications`` is the row table,
    ``result.intervals`` the estimates with their 95% intervals."""
    from iadsim.study.runner import run_study

    scen = load_scenario(scenario, warn=warn)
    keep = out is not None
    if out is not None:
        folder = Path(out)
    else:
        folder = Path(tempfile.mkdtemp(prefix="iadsim-study-")) / "study"
    try:
        result = run_study(
            scen, n, folder, workers=workers, backend=backend, address=address,
            resume=resume, overwrite=overwrite, batch_size=batch_size, seed=seed,
            connect_timeout_s=connect_timeout_s, on_start=on_start, on_progress=on_progress,
        )  # fmt: skip
        if not keep:
            result.replications  # noqa: B018 (read the rows before the folder goes)
            result.out = None
    finally:
        if not keep:
            shutil.rmtree(folder.parent, ignore_errors=True)
    return result


def compare(
    scenario: str | Path | Mapping[str, Any] | Scenario,
    n: int,
    workers: int | None = None,
    backend: str = "local",
    out: str | Path | None = None,
    resume: bool = False,
    **kwargs: Any,
) -> StudyResult:
    """:func:`study` of a scenario with ``alternatives:`` or a ``sweep:``; with ``out``,
    also compare.png (and sweep_<param>.png) in it. Returns the StudyResult, whose
    ``plot_files`` lists the plots written."""
    from iadsim.study.plots import plot_compare, plot_sweep, sweep_filename

    scen = load_scenario(scenario, warn=kwargs.get("warn"))
    if not scen.alternatives and scen.sweep is None:
        raise UsageError(
            f"{scen.source_file}: nothing to compare: the scenario has no `alternatives:` or "
            "`sweep:` section (use `iadsim study` for one defence)"
        )
    result = study(scen, n, workers, backend, out, resume, **kwargs)
    if out is None:
        return result
    out = Path(out)
    summary = result.summary
    title = f"{summary['scenario']} (n = {n})"
    try:
        plot_compare(summary["results"], out / "compare.png", title)
        result.plot_files.append("compare.png")
        if summary["sweep_parameter"]:
            name = sweep_filename(summary["sweep_parameter"])
            plot_sweep(summary["results"], summary["sweep_parameter"], out / name, title)
            result.plot_files.append(name)
    except OSError as exc:  # the study itself is saved: only the plots are missing
        raise UsageError(
            f"{out}: cannot write the comparison plots: {exc.strerror or exc}; the study is "
            "saved: free some space and rerun with --resume"
        ) from None
    return result


@dataclass
class CoverageResult:
    """Detection ranges of every radar against every target, aspect and altitude."""

    world: World
    results: dict  # {(radar, target, aspect, pd): radar.coverage.CoverageResult}
    targets: list[str]
    rows: list[dict] = field(default_factory=list)  # detection_ranges.csv rows

    @cached_property
    def table(self) -> pa.Table:
        import pyarrow as pa

        return pa.Table.from_pylist(self.rows)

    def to_pandas(self):
        _need("pandas", "to_pandas")
        return self.table.to_pandas()


def coverage(
    scenario: str | Path | Mapping[str, Any] | Scenario,
    targets: Iterable[str] | None = None,
    altitudes_m: Iterable[float] = (50.0, 500.0, 5000.0, 12000.0),
    aspects: Iterable[str] = ("nose", "beam", "tail"),
    *,
    dem: str | Path | None = None,
    two_angle: bool = False,
    out: str | Path | None = None,
    overwrite: bool = False,
    warn: Warn | None = None,
) -> CoverageResult:
    """Detection ranges (Pd 0.5 and 0.9) of the scenario's radars against catalog target
    types (default: the scenario's threat types); with ``out``, the coverage folder
    (detection_ranges.csv, coverage.geojson/.kml/.png, vertical_*.png)."""
    from iadsim.catalog import ASPECTS, load_catalog
    from iadsim.outdir import check_output_dir
    from iadsim.radar.coverage import compute_coverage
    from iadsim.report.coverage_outputs import table_rows

    if out is not None:
        check_output_dir(Path(out), overwrite)
    catalog = load_catalog()
    scen = load_scenario(scenario, catalog=catalog, warn=warn)
    own = list(dict.fromkeys(g.type for g in scen.threats))
    target_list = _names(targets, "targets", sorted(catalog.threats), own)
    aspect_list = _names(aspects, "aspects", list(ASPECTS), [])
    altitudes = [float(a) for a in altitudes_m]
    if not altitudes or not all(0.0 <= a <= 100_000.0 for a in altitudes):
        raise UsageError(
            f"altitudes_m: got {altitudes}; each altitude must be a number in [0, 100000] m"
        )
    if dem is not None and not Path(dem).exists():
        raise UsageError(f"--dem: {dem}: file not found")
    world = build(scen, catalog, scen.source_dir, dem=Path(dem) if dem is not None else None)
    results = compute_coverage(world, catalog, target_list, aspect_list, altitudes,
                               two_angle=two_angle)  # fmt: skip
    if out is None:
        rows = table_rows(world, results)
    else:
        from iadsim.report.coverage_outputs import write_coverage
        from iadsim.report.output import atomic_output_dir

        with atomic_output_dir(Path(out), overwrite, command="coverage") as tmp:
            rows = write_coverage(world, catalog, results, target_list, tmp)
    return CoverageResult(world, results, target_list, rows)


def _names(given, option: str, allowed: list[str], default: list[str]) -> list[str]:
    if given is None:
        return default
    names = [given] if isinstance(given, str) else list(given)
    bad = [n for n in names if n not in allowed]
    if not names or bad:
        raise UsageError(f"{option}: got {names!r}; allowed: {allowed}")
    return names


@dataclass
class EnvelopeResult:
    """A missile's flown engagement envelope against one target's speed."""

    system: str
    missile: str
    target: str
    envelope: Any  # iadsim.engage.envelope.Envelope
    summary: dict  # envelope.json's content
    entry: Any = None  # the catalog missile entry

    @property
    def max_range_km(self) -> float:
        return float(self.summary["max_range_km"])

    @property
    def max_altitude_km(self) -> float:
        return float(self.summary["max_altitude_km"])


def envelope(
    system_missile: str,
    target: str,
    *,
    catalog_dir: str | Path | None = None,
    out: str | Path | None = None,
    overwrite: bool = False,
) -> EnvelopeResult:
    """The engagement envelope of ``"SYSTEM/MISSILE"`` (e.g. "S-400/48N6E3") flown with the
    flyout model, with the crossing case of catalog threat ``target``; with ``out``,
    envelope.png and envelope.json in that folder."""
    import json

    from iadsim.catalog import load_catalog, load_catalog_dir
    from iadsim.report.envelope_table import envelope_summary

    if catalog_dir is None:
        cat = load_catalog()
    elif not Path(catalog_dir).is_dir():
        raise UsageError(
            f"--catalog: got {str(catalog_dir)!r}; expected a folder of catalog *.yaml"
        )
    else:
        cat = load_catalog_dir(Path(catalog_dir))
    system, _, missile = system_missile.partition("/")
    if system not in cat.systems:
        raise UsageError(f"SYSTEM/MISSILE: got {system!r}; allowed systems: {sorted(cat.systems)}")
    if missile not in cat.systems[system].missiles:
        raise UsageError(
            f"SYSTEM/MISSILE: got {missile!r}; allowed missiles for {system}: "
            f"{cat.systems[system].missiles}"
        )
    if target not in cat.threats:
        raise UsageError(f"--target: got {target!r}; allowed: {sorted(cat.threats)}")
    if out is not None and Path(out).suffix:
        raise UsageError(f"--out: got {str(out)!r}; give a folder (envelope.png and "
                         "envelope.json are written into it)")  # fmt: skip
    entry = cat.missiles[missile]
    if catalog_dir is None:
        from iadsim.sim.world import missile_envelope

        env = missile_envelope(entry)
    else:
        from iadsim.engage.airframe import from_catalog
        from iadsim.engage.envelope import compute_envelope

        env = compute_envelope(from_catalog({missile: entry}))
    speed = cat.threats[target].speed_mps.value
    summary = envelope_summary(missile, entry, env, target, speed)
    if out is not None:
        from iadsim.report.envelope_plot import plot_envelope
        from iadsim.report.output import atomic_output_dir

        with atomic_output_dir(Path(out), overwrite) as tmp:
            plot_envelope(env, entry, target, speed, tmp / "envelope.png")
            (tmp / "envelope.json").write_text(json.dumps(summary, indent=1) + "\n")
    return EnvelopeResult(system, missile, target, env, summary, entry)


__all__ = [
    "CoverageResult",
    "EnvelopeResult",
    "Result",
    "compare",
    "coverage",
    "envelope",
    "load_scenario",
    "prepare",
    "run",
    "simulate",
    "study",
]
