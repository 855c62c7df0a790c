"""A batch of replications in lock step: each replication as if it ran alone."""

from pathlib import Path

import numpy as np
import pytest

from iadsim.catalog import load_catalog
from iadsim.report.summary import summarize
from iadsim.scenario import load_scenario
from iadsim.scenario.loader import with_alternative
from iadsim.sim.engine import run, run_batch
from iadsim.sim.world import build_world

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "networked_vs_autonomous.yaml"


@pytest.fixture(scope="module")
def worlds():
    catalog = load_catalog()
    scenario = load_scenario(EXAMPLE, catalog)
    scenario = scenario.model_copy(update={"duration_s": 700.0})
    return {
        "networked": build_world(scenario, catalog),
        "autonomous": build_world(with_alternative(scenario, "autonomous"), catalog),
    }


def _fingerprint(result):
    table = result.events.to_table(result.world.frame)
    return (
        table.to_pydict(),
        result.killed.tolist(),
        result.leaked.tolist(),
        result.interceptors.target.tolist(),
        [{k: np.asarray(v).tolist() for k, v in log.items()} for log in result.track_logs],
    )


@pytest.mark.parametrize("variant", ["networked", "autonomous"])
def test_a_replication_does_not_depend_on_its_batch(worlds, variant):
    world = worlds[variant]
    seeds = [np.random.SeedSequence(5).spawn(4)[i] for i in range(4)]
    batch = run_batch(world, seeds)
    alone = run(world, seeds[2])
    assert _fingerprint(batch[2]) == _fingerprint(alone)
    # ...and the replications of a batch really differ from each other.
    assert len({str(_fingerprint(r)[0]["time_s"]) for r in batch}) > 1


def test_batch_results_are_self_consistent(worlds):
    world = worlds["autonomous"]
    for result in run_batch(world, [1, 2, 3], record_detections=False, record_paths=False):
        summary = summarize(result, str(EXAMPLE))
        kinds = result.events.to_table(world.frame).column("kind").to_pylist()
        assert "detect" not in kinds
        assert summary["killed"] == kinds.count("kill") == int(result.killed.sum())
        assert sum(summary["interceptors_fired"].values()) == kinds.count("launch")
        assert len(result.interceptors) == len(result.interceptor_names)
        assert not (result.killed & result.leaked).any()
        assert ((result.interceptors.target >= -1)
                & (result.interceptors.target < len(world.threats))).all()  # fmt: skip
