"""Monte Carlo studies: replications, alternatives, sweeps, statistics (docs/study.md)."""

import sys as _sys
import types as _types

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


# ``iadsim.study`` is both this package and the API function ``iadsim.study(...)``: once the
# package is imported, Python sets it as the attribute ``study`` of ``iadsim``, so the
# package itself is made callable and forwards to :func:`iadsim.api.study`.
class _CallablePackage(_types.ModuleType):
    def __call__(self, *args, **kwargs):
        from iadsim.api import study

        return study(*args, **kwargs)


_sys.modules[__name__].__class__ = _CallablePackage
