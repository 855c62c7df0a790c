"""iadsim: ground-based air and missile defense simulator (docs/api.md).

The API is imported lazily, so ``import iadsim`` (and ``iadsim --help``) stays fast::

    import iadsim
    r = iadsim.run("examples/city_defense_s400.yaml")
    r.summary["leaked"], r.events.num_rows
"""

# not ``typing.TYPE_CHECKING``: importing typing would double the import time; mypy is told
# (pyproject.toml, always_true) that this one is true
TYPE_CHECKING = False

__version__ = "0.1.0"  # the one place the version is written (pyproject reads it)

if TYPE_CHECKING:
    from iadsim.api import (
        CoverageResult,
        EnvelopeResult,
        Result,
        compare,
        coverage,
        envelope,
        load_scenario,
        run,
        study,
    )
    from iadsim.components import Components
    from iadsim.errors import IadsimError, ScenarioError, UsageError
    from iadsim.study.runner import StudyResult

_LAZY = {
    "load_scenario": "iadsim.api",
    "run": "iadsim.api",
    "study": "iadsim.api",
    "compare": "iadsim.api",
    "coverage": "iadsim.api",
    "envelope": "iadsim.api",
    "Result": "iadsim.api",
    "CoverageResult": "iadsim.api",
    "EnvelopeResult": "iadsim.api",
    "StudyResult": "iadsim.study.runner",
    "Components": "iadsim.components",
    "IadsimError": "iadsim.errors",
    "ScenarioError": "iadsim.errors",
    "UsageError": "iadsim.errors",
}

__all__ = [
    "Components",
    "CoverageResult",
    "EnvelopeResult",
    "IadsimError",
    "Result",
    "ScenarioError",
    "StudyResult",
    "UsageError",
    "__version__",
    "compare",
    "coverage",
    "envelope",
    "load_scenario",
    "run",
    "study",
]


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'iadsim' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
