"""``run_study``: replicate every variant of a scenario n times and summarise.

Replication i of every variant runs with the child seed ``SeedSequence(seed).spawn(n)[i]``
whatever the batching, worker count or backend, so rows are identical across all three.
Rows stream to DIR/replications/part-XXXXX.parquet (one file per batch, atomically);
study.json and convergence.png are reduced from those files at the end.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyarrow as pa

from iadsim import __version__
from iadsim.errors import UsageError
from iadsim.study.aggregate import aggregate
from iadsim.study.backends import make_backend
from iadsim.study.errors import StudyError
from iadsim.study.plan import (
    StudySpec,
    Variant,
    batch_of,
    default_batch_size,
    expand_variants,
    n_batches,
    plan_batches,
    scenario_hash,
)
from iadsim.study.stats import CONFIDENCE
from iadsim.study.store import (
    FORMAT,
    MANIFEST,
    atomic_write_text,
    check_target,
    finished_parts,
    locked,
    prepare,
    write_part,
)
from iadsim.study.worker import schema

BACKENDS = ("local", "ray")
ProgressFn = Callable[[int, int, float | None], None]


@dataclass
class StudyResult:
    """What ``run_study`` did and found: ``summary`` is study.json's content,
    ``replications`` the row table (one row per variant x replication), ``intervals`` the
    estimates with their 95% intervals per alternative (and sweep value)."""

    out: Path | None  # the study folder (None: a temporary one, since removed)
    summary: dict  # the content of study.json
    variants: list[Variant]
    resumed: bool
    replications_run: int  # in this call (a resumed study skips the finished ones)
    wall_s: float
    plot_files: list[str] = field(default_factory=list)  # written by iadsim.compare

    @cached_property
    def replications(self) -> pa.Table:
        """Every replication's row, in batch order (replications/part-*.parquet)."""
        import pyarrow.parquet as pq

        if self.out is None:
            raise StudyError("replications: the study folder is gone; keep it with out=")
        parts = sorted((self.out / "replications").glob("part-*.parquet"))
        return pa.concat_tables([pq.read_table(f) for f in parts])

    @property
    def intervals(self) -> list[dict]:
        """Per alternative (and sweep value): each figure's estimate and 95% interval."""
        return self.summary["results"]

    def to_pandas(self):
        """The replication rows as a pandas DataFrame (needs pandas installed)."""
        from iadsim.api import _need

        _need("pandas", "to_pandas")
        return self.replications.to_pandas()


def run_study(
    scenario_path,
    n: int,
    out: str | Path,
    *,
    workers: int | None = None,
    backend: str = "local",
    address: str | None = None,
    resume: bool = False,
    overwrite: bool = False,
    batch_size: int | None = None,
    seed: int | None = None,
    connect_timeout_s: float = 15.0,
    on_start: Callable[[int, int], None] | None = None,
    on_progress: ProgressFn | None = None,
    on_warning: Callable[[str], None] | None = None,
) -> StudyResult:
    """Run (or resume) a Monte Carlo study of a scenario file (or a loaded Scenario,
    :func:`iadsim.load_scenario`); see docs/study.md.

    ``on_start(done, total)`` is called once the plan is known (``done`` replications
    already finished by an earlier run); ``on_progress(done, total, rate_per_s)`` after
    every batch written.
    """
    from iadsim.api import build, load_scenario
    from iadsim.catalog import load_catalog
    from iadsim.scenario import Scenario, require_threats

    _check_arguments(n, workers, backend, address, batch_size, seed, connect_timeout_s)
    workers = workers or os.cpu_count() or 1
    out = Path(out)
    catalog = load_catalog()
    scenario = load_scenario(scenario_path, catalog=catalog, warn=on_warning)
    scenario_file, scenario_dir = scenario.source_file, scenario.source_dir
    require_threats(scenario, scenario_file, "study")
    if seed is not None:
        scenario = scenario.model_copy(update={"seed": seed})
    if scenario.seed >= 2**64:
        raise UsageError(f"seed: got {scenario.seed}; must be below 2**64")
    variants = expand_variants(scenario, catalog, scenario_file)
    # Build every variant's World once here: bad terrain files and the like fail now, in
    # one line, instead of in a worker; and the worlds give the interceptor/threat types.
    missile_types: dict[str, None] = {}
    threat_types: dict[str, None] = {}
    size = 1  # the largest replication: threats x ticks x track pictures
    for v in variants:
        world = build(Scenario.model_validate(v.scenario), catalog, scenario_dir)
        missile_types.update(dict.fromkeys(world.missiles.name))
        threat_types.update(dict.fromkeys(world.threats.type_name))
        size = max(size, len(world.threats) * len(world.times) * len(world.picture_names))
    missile_types, threat_types = list(missile_types), list(threat_types)
    digest = scenario_hash(scenario)
    if batch_size is None:
        batch_size = _resume_batch_size(out, resume) or default_batch_size(n, size)
    where = str(Path(scenario_dir).resolve()) if scenario_dir is not None else None
    spec = StudySpec(
        key=f"{digest}:{where}",
        scenario_file=scenario_file,
        scenario_dir=where,
        seed=scenario.seed,
        variants=tuple(variants),
        missile_types=tuple(missile_types),
        threat_types=tuple(threat_types),
    )
    row_schema = schema(spec)
    sweep = scenario.sweep.parameter if scenario.sweep is not None else None
    manifest = {
        "format": FORMAT,
        "scenario": scenario.name,
        "scenario_file": scenario_file,
        "scenario_hash": digest,
        "n": n,
        "seed": scenario.seed,
        "batch_size": batch_size,
        "sweep_parameter": sweep,
        "variants": [[v.alternative, v.sweep_value] for v in variants],
        "columns": row_schema.names,
        "iadsim_version": __version__,
        "created_utc": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
    }
    check_target(out, manifest, resume, overwrite)  # before starting workers or Ray
    total = n * len(variants)
    n_var = len(variants)
    nb = n_batches(n, batch_size, n_var)
    started = time.perf_counter()
    run_now = 0

    def expected_rows(batch_id: int) -> int | None:
        if batch_id >= nb:
            return None
        b = batch_of(batch_id, n, batch_size, n_var)
        return b.stop - b.start

    # The backend starts (and a Ray address is reached) before the folder is created, so
    # a failure there leaves nothing behind.
    with make_backend(backend, workers, address, connect_timeout_s) as runner:
        resumed = prepare(out, manifest, resume, overwrite)
        with locked(out):
            done_ids = finished_parts(out, expected_rows)
            done = sum(expected_rows(i) for i in done_ids)
            if on_start is not None:
                on_start(done, total)
            todo = plan_batches(n, batch_size, n_var, skip=done_ids)
            t0 = time.perf_counter()
            for batch, cols in runner.imap(spec, todo):
                try:
                    write_part(out, batch.batch_id, pa.table(cols, schema=row_schema))
                except OSError as exc:  # a full disk, a quota, a file size limit
                    raise _write_failed(out, exc, done, total) from None
                run_now += batch.stop - batch.start
                done += batch.stop - batch.start
                if on_progress is not None:
                    on_progress(done, total, run_now / max(time.perf_counter() - t0, 1e-9))
            left = total - done
            if left:
                raise StudyError(
                    f"{out}: {left} replications missing after the run; rerun with --resume"
                )
            try:
                summary = _write_outputs(out, scenario, scenario_file, digest, n, batch_size,
                                         variants, threat_types, missile_types)  # fmt: skip
            except OSError as exc:
                raise _write_failed(out, exc, done, total) from None
    return StudyResult(out, summary, variants, resumed, run_now, time.perf_counter() - started)


def _write_outputs(out, scenario, scenario_file, digest, n, batch_size, variants, threat_types,
                   missile_types) -> dict:  # fmt: skip
    """Reduce the part files to study.json and convergence.png; return the summary."""
    from iadsim.study.plots import plot_convergence  # matplotlib: driver only, not workers

    results, curves = aggregate(out, variants, n, batch_size, threat_types, missile_types)
    sweep = scenario.sweep.parameter if scenario.sweep is not None else None
    summary = {
        "scenario": scenario.name,
        "scenario_file": scenario_file,
        "scenario_hash": digest,
        "seed": scenario.seed,
        "n": n,
        "batch_size": batch_size,
        "confidence": CONFIDENCE,
        "sweep_parameter": sweep,
        "alternatives": list(dict.fromkeys(v.alternative for v in variants)),
        "replications_total": n * len(variants),
        "intervals": {
            "proportions": "Wilson score (leak_probability, leak_fraction, p_any_leak, p_no_leak)",
            "means": "Student t, cut at 0",
            "cost_exchange_ratio": "ratio of means, delta method",
        },
        "results": results,
        "iadsim_version": __version__,
    }
    atomic_write_text(out / "study.json", json.dumps(summary, indent=2) + "\n")
    plot_convergence(curves, out / "convergence.png",
                     f"{scenario.name}: convergence ({n} replications)")  # fmt: skip
    return summary


def _write_failed(out: Path, exc: OSError, done: int, total: int) -> StudyError:
    """One line for a write the disk refused; the finished part files stay valid."""
    why = exc.strerror or str(exc)
    return StudyError(
        f"{out}: cannot write: {why}; {done} of {total} replications are saved; free some "
        "space and rerun the same command with --resume to finish"
    )


def _check_arguments(n, workers, backend, address, batch_size, seed, connect_timeout_s) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise UsageError(f"-n/--replications: got {n!r}; must be a whole number >= 1")
    if workers is not None and (not isinstance(workers, int) or workers < 1):
        raise UsageError(f"--workers: got {workers!r}; must be a whole number >= 1")
    if backend not in BACKENDS:
        raise UsageError(f"--backend: got {backend!r}; allowed: {list(BACKENDS)}")
    if address is not None and backend != "ray":
        raise UsageError("--address: only with --backend ray")
    if batch_size is not None and (not isinstance(batch_size, int) or batch_size < 1):
        raise UsageError(f"--batch-size: got {batch_size!r}; must be a whole number >= 1")
    if seed is not None and (not isinstance(seed, int) or seed < 0):
        raise UsageError(f"--seed: got {seed!r}; must be a whole number >= 0")
    if not connect_timeout_s > 0:
        raise UsageError(f"--connect-timeout: got {connect_timeout_s!r}; must be > 0 seconds")


def _resume_batch_size(out: Path, resume: bool) -> int | None:
    """On --resume, keep the batch size the study was started with."""
    if not resume or not (out / MANIFEST).is_file():
        return None
    try:
        value = json.loads((out / MANIFEST).read_text()).get("batch_size")
    except (OSError, ValueError):
        return None
    return value if isinstance(value, int) and value >= 1 else None
