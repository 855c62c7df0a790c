"""What a study runs: its variants (alternative x sweep value) and its batches.

A *variant* is one complete scenario: the baseline or one ``alternatives:`` entry (whose
fire units replace the scenario's), with the ``sweep:`` parameter set to one of its values.
Replication i of every variant uses the same child seed ``SeedSequence(seed).spawn(n)[i]``
(common random numbers), so differences between variants are not blurred by different
radar and kill-assessment draws.

Batches are numbered chunk-major (chunk 0 of every variant, then chunk 1...), so an
interrupted study has every variant at about the same number of replications.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from pydantic import ValidationError

from iadsim.catalog import CatalogFile
from iadsim.errors import ScenarioError
from iadsim.scenario import Scenario, check_scenario
from iadsim.scenario.paths import get_path, set_path
from iadsim.validation import first_error_message

BASELINE = "baseline"
BATCH_ROW_BUDGET = 20_000_000  # track-update rows a batch may reach (about 1.2 GB at most)
MAX_BATCH = 200  # replications run in lock step by one engine call (sim.engine.run_batch)


@dataclass(frozen=True)
class Variant:
    """One scenario a study replicates (axis 0 of the results: alternative x sweep value)."""

    index: int
    alternative: str
    sweep_value: float | None
    description: str
    scenario: dict  # JSON-mode dump of the variant scenario, without alternatives/sweep

    @property
    def label(self) -> str:
        if self.sweep_value is None:
            return self.alternative
        return f"{self.alternative} @ {self.sweep_value:g}"


@dataclass(frozen=True)
class StudySpec:
    """Everything a worker needs, sent once per worker process (or Ray object)."""

    key: str  # identifies this spec in worker caches
    scenario_file: str
    scenario_dir: str | None
    seed: int
    variants: tuple[Variant, ...]
    missile_types: tuple[str, ...]
    threat_types: tuple[str, ...]


@dataclass(frozen=True)
class Batch:
    """Replications [start, stop) of one variant; written as part-<batch_id>.parquet."""

    batch_id: int
    variant: int
    start: int
    stop: int


def scenario_hash(scenario: Scenario) -> str:
    """SHA-256 of the validated scenario (canonical JSON): identifies a study's input.

    A default ``tracking:`` section is left out, so the hash of a scenario written before
    the section existed (and of a study folder made from it) is unchanged."""
    data = scenario.model_dump(mode="json")
    if scenario.tracking == type(scenario.tracking)():
        data.pop("tracking")
    text = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def expand_variants(scenario: Scenario, catalog: CatalogFile, file: str) -> list[Variant]:
    """The baseline and every alternative, each at every sweep value (sweep innermost).

    The baseline (the scenario's own fire units) is always included, as alternative
    "baseline". A sweep applies to every alternative; a sweep path that one alternative
    lacks (``fire_units[1]...`` with a single unit) is an error naming that alternative.
    """
    base = scenario.model_dump(mode="json", exclude={"alternatives", "sweep"})
    alternatives = [(BASELINE, scenario.description, None)]
    for a, alt in enumerate(scenario.alternatives):
        if alt.name == BASELINE:
            raise ScenarioError(
                f"{file}: alternatives[{a}].name: got {alt.name!r}; "
                f"{BASELINE!r} is reserved for the scenario's own fire units"
            )
        units = [u.model_dump(mode="json") for u in alt.fire_units]
        alternatives.append((alt.name, alt.description, (units, alt.network_fusion)))
    sweep = scenario.sweep
    values: list[float | None] = sweep.points() if sweep is not None else [None]
    variants: list[Variant] = []
    for name, description, units in alternatives:
        for j, value in enumerate(values):
            data = json.loads(json.dumps(base))
            if units is not None:
                data["fire_units"], fusion = units
                if fusion is not None:
                    data["network_fusion"] = fusion
            if value is not None:
                _apply_sweep(data, sweep.parameter, value, sweep.where(j), name, file)
            try:
                variant = Scenario.model_validate(data)
            except ValidationError as err:
                msg = first_error_message(err, "", data).split(": ", 2)[-1]
                where = sweep.where(j) if value is not None else "alternatives"
                raise ScenarioError(
                    f"{file}: {where}: got {value!r}; not valid for alternative {name!r}: {msg}"
                ) from None
            try:
                check_scenario(variant, catalog, file)
            except ScenarioError as err:
                raise ScenarioError(f"{err} (in alternative {name!r})") from None
            variants.append(
                Variant(len(variants), name, None if value is None else float(value),
                        description, variant.model_dump(mode="json"))
            )  # fmt: skip
    return variants


def _apply_sweep(data: dict, parameter: str, value: float, where: str, name: str, file: str):
    try:
        current = get_path(data, parameter)
    except (KeyError, ValueError):
        raise ScenarioError(
            f"{file}: sweep.parameter: got {parameter!r}; alternative {name!r} has no such "
            "field (a sweep applies to every alternative)"
        ) from None
    if isinstance(current, bool) or not isinstance(current, int | float):
        raise ScenarioError(
            f"{file}: sweep.parameter: got {parameter!r}; must name a numeric field; in "
            f"alternative {name!r} it holds {current!r}"
        )
    if isinstance(current, int) and value != int(value):
        raise ScenarioError(f"{file}: {where}: got {value!r}; {parameter} takes whole numbers")
    set_path(data, parameter, int(value) if isinstance(current, int) else float(value))


def default_batch_size(n: int, replication_size: int = 0) -> int:
    """Replications per batch: n / 10, between 1 and MAX_BATCH; a function of the study
    alone (n and the scenario), so the part files do not depend on the worker count. (A
    replication's row does not depend on its batch either: the engine keeps every
    replication's random streams apart.) Large batches amortise the engine's per-tick cost
    over many replications (per replication, a batch of 200 costs about 0.8 of a batch of
    100); ten or more batches keep a few workers busy and the resume granularity fine.

    ``replication_size`` (threats x ticks x track pictures) bounds a batch's memory: the
    batch keeps every track update of its replications (at most about that many rows of
    ~60 bytes each), so a batch holds at most BATCH_ROW_BUDGET of them.
    """
    by_memory = BATCH_ROW_BUDGET // replication_size if replication_size > 0 else MAX_BATCH
    return max(1, min(MAX_BATCH, n // 10, by_memory))


def n_batches(n: int, batch_size: int, n_variants: int) -> int:
    return math.ceil(n / batch_size) * n_variants


def batch_of(batch_id: int, n: int, batch_size: int, n_variants: int) -> Batch:
    """Batch number ``batch_id`` of the plan (chunk-major over variants)."""
    chunk, variant = divmod(batch_id, n_variants)
    start = chunk * batch_size
    return Batch(batch_id, variant, start, min(n, start + batch_size))


def plan_batches(
    n: int, batch_size: int, n_variants: int, skip: set[int] | frozenset[int] = frozenset()
) -> Iterator[Batch]:
    """Every batch not in ``skip``, in order (lazily: a plan never sits in memory)."""
    for batch_id in range(n_batches(n, batch_size, n_variants)):
        if batch_id not in skip:
            yield batch_of(batch_id, n, batch_size, n_variants)


def replication_seed(seed: int, replication: int) -> np.random.SeedSequence:
    """Child ``replication`` of ``SeedSequence(seed).spawn(n)``, built directly.

    ``spawn`` gives child i the spawn key (i,) and the parent's entropy, so this is the
    same stream whatever the batching, worker count or backend (checked in the tests).
    """
    return np.random.SeedSequence(seed, spawn_key=(replication,))
