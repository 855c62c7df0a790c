"""Monte Carlo studies: replications, alternatives, sweeps, statistics (docs/study.md)."""

from iadsim.study.errors import StudyError
from iadsim.study.plan import BASELINE, expand_variants, replication_seed
from iadsim.study.runner import StudyResult, run_study
from iadsim.study.stats import t_interval, wilson_interval

__all__ = [
    "BASELINE",
    "StudyError",
    "StudyResult",
    "expand_variants",
    "replication_seed",
    "run_study",
    "t_interval",
    "wilson_interval",
]
