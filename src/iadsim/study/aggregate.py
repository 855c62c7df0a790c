"""Reduce a study's part files to study.json figures and convergence curves.

Parts are read one at a time (a batch each), in batch order; only per-variant running
moments, counts and a coarse per-replication-bin histogram for the convergence plot are
kept, so memory does not grow with the number of replications beyond one bit per
replication (the completeness check).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from iadsim.catalog.schema import THREAT_CLASSES
from iadsim.report.leak_causes import CAUSES
from iadsim.study.errors import StudyError
from iadsim.study.plan import Variant, batch_of
from iadsim.study.stats import (
    CONFIDENCE,
    Moments,
    json_number,
    mean_summary,
    proportion_summary,
    ratio_interval,
    t_interval,
    wilson_interval,
)
from iadsim.study.store import part_files
from iadsim.study.worker import TRACKING_METRICS

CONVERGENCE_POINTS = 200


def mean_columns(missile_types, threat_types) -> list[str]:
    """Per-replication counts and costs summarised as means with t intervals."""
    return [
        "threats", "killed", "leaked", "interceptors_fired",
        *[f"fired_{m}" for m in missile_types],
        "interceptor_cost_usd", "threat_value_killed_usd",
        *[f"{what}_{t}" for t in threat_types for what in ("threats", "killed", "leaked")],
        "asset_value_lost",
        *[f"{what}_class_{c}" for c in THREAT_CLASSES for what in ("threats", "leaked")],
        *[f"leaks_{c}" for c in CAUSES],
    ]  # fmt: skip


@dataclass
class _Acc:
    """Running figures of one variant."""

    n: int
    cols: list[str]
    bin_width: int
    seen: np.ndarray = field(init=False)
    moments: Moments = field(init=False)
    first_leak: Moments = field(init=False)
    tracking: dict[str, Moments] = field(init=False)
    any_leak: int = 0
    type_any_leak: dict[str, int] = field(default_factory=dict)
    class_any_leak: dict[str, int] = field(default_factory=dict)
    bins: dict[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.seen = np.zeros(self.n, bool)
        self.moments = Moments(len(self.cols))
        self.first_leak = Moments(1)
        self.tracking = {k: Moments(1) for k in TRACKING_METRICS}
        nb = math.ceil(self.n / self.bin_width)
        self.bins = {k: np.zeros(nb) for k in ("count", "leak", "leaked", "leaked2")}


def aggregate(out: Path, variants: list[Variant], n: int, batch_size: int, threat_types,
              missile_types) -> tuple[list[dict], dict]:  # fmt: skip
    """Per-variant study.json blocks and convergence curves, from DIR/replications/."""
    cols = mean_columns(missile_types, threat_types)
    width = max(1, math.ceil(n / CONVERGENCE_POINTS))
    accs = [_Acc(n, cols, width) for _ in variants]
    for path in part_files(out):
        batch_id = int(path.stem.split("-")[1])
        acc = accs[batch_of(batch_id, n, batch_size, len(variants)).variant]
        table = pq.ParquetFile(path).read()
        rep = table.column("replication").to_numpy()
        if acc.seen[rep].any() or len(np.unique(rep)) != len(rep):
            raise StudyError(f"{path}: replications already counted (duplicate rows)")
        acc.seen[rep] = True
        x = np.column_stack([table.column(c).to_numpy().astype(float) for c in cols])
        acc.moments.update(x)
        any_leak = table.column("any_leak").to_numpy(zero_copy_only=False)
        acc.any_leak += int(any_leak.sum())
        for t in threat_types:
            leaked_t = table.column(f"leaked_{t}").to_numpy()
            acc.type_any_leak[t] = acc.type_any_leak.get(t, 0) + int((leaked_t > 0).sum())
        for c in THREAT_CLASSES:
            leaked_c = table.column(f"leaked_class_{c}").to_numpy()
            acc.class_any_leak[c] = acc.class_any_leak.get(c, 0) + int((leaked_c > 0).sum())
        acc.first_leak.update(table.column("time_of_first_leak_s").to_numpy()[:, None])
        for k, m in acc.tracking.items():
            m.update(table.column(f"tracking_{k}").to_numpy()[:, None])
        b = rep // width
        leaked = table.column("leaked").to_numpy().astype(float)
        nb = len(acc.bins["count"])
        for key, w in (("count", None), ("leak", any_leak.astype(float)), ("leaked", leaked),
                       ("leaked2", leaked * leaked)):  # fmt: skip
            acc.bins[key] += np.bincount(b, weights=w, minlength=nb)
    for v, acc in zip(variants, accs, strict=True):
        if not acc.seen.all():
            raise StudyError(
                f"{out}: {int((~acc.seen).sum())} replications of {v.label!r} have no row; "
                "rerun with --resume"
            )
    results = [_variant_block(v, a, cols, threat_types, missile_types) for v, a in
               zip(variants, accs, strict=True)]  # fmt: skip
    curves = {v.label: _convergence(a, n) for v, a in zip(variants, accs, strict=True)}
    return results, curves


def _variant_block(v: Variant, a: _Acc, cols, threat_types, missile_types) -> dict:
    m = a.moments
    var, mean = m.var(), m.means()
    idx = {c: i for i, c in enumerate(cols)}

    def mean_of(c: str) -> dict:
        return mean_summary(mean[idx[c]], var[idx[c]], m.n)

    ic, iv = idx["interceptor_cost_usd"], idx["threat_value_killed_usd"]
    r, lo, hi = ratio_interval(mean[ic], mean[iv], var[ic], var[iv], m.cov(ic, iv), m.n)
    lo = max(lo, 0.0) if math.isfinite(lo) else lo  # a cost ratio is never negative
    by_type = {}
    for t in threat_types:
        trials = int(m.total[idx[f"threats_{t}"]])
        leaks = int(m.total[idx[f"leaked_{t}"]])
        by_type[t] = {
            "threats": mean_of(f"threats_{t}"),
            "killed": mean_of(f"killed_{t}"),
            "leaked": mean_of(f"leaked_{t}"),
            "leak_fraction": proportion_summary(leaks, trials),
            "p_any_leak": proportion_summary(a.type_any_leak.get(t, 0), m.n),
        }
    by_class = {}
    for c in THREAT_CLASSES:
        if m.total[idx[f"threats_class_{c}"]] > 0:
            by_class[c] = {
                "threats": mean_of(f"threats_class_{c}"),
                "leaked": mean_of(f"leaked_class_{c}"),
                "p_no_leak": proportion_summary(int(m.n) - a.class_any_leak.get(c, 0), m.n),
            }
    fl = a.first_leak
    return {
        "alternative": v.alternative,
        "sweep_value": v.sweep_value,
        "label": v.label,
        "description": v.description,
        "replications": int(m.n),
        "leak_probability": proportion_summary(a.any_leak, m.n),
        **{c: mean_of(c) for c in ("threats", "killed", "leaked", "interceptors_fired",
                                   "interceptor_cost_usd", "threat_value_killed_usd")},
        "fired": {name: mean_of(f"fired_{name}") for name in missile_types},
        "cost_exchange_ratio": {
            "estimate": json_number(r), "low": json_number(lo), "high": json_number(hi),
            "method": "ratio of means (interceptor cost / threat value killed), delta method",
        },
        "time_of_first_leak_s": mean_summary(float(fl.means()[0]), float(fl.var()[0]), fl.n),
        "by_threat_type": by_type,
        # expected value of the defended assets lost (scenario `value` units), and by class
        # the leakers and the probability that none of the class leaks
        "asset_value_lost": mean_of("asset_value_lost"),
        "by_threat_class": by_class,
        # mean leakers per cause: the first link of the chain that failed for each
        "leak_causes": {c: mean_of(f"leaks_{c}") for c in CAUSES},
        "tracking": {k: mean_summary(float(t.means()[0]), float(t.var()[0]), t.n, floor=None)
                     for k, t in a.tracking.items()},
    }  # fmt: skip


def _convergence(a: _Acc, n: int) -> dict:
    """Running P(leak) (Wilson) and mean leaked (t) after the first r replications.

    Only complete prefixes count: the curve stops at the first replication not yet run.
    """
    b = a.bins
    count = np.cumsum(b["count"])
    full = np.minimum(np.arange(1, len(count) + 1) * a.bin_width, n)
    ok = count == full  # no gap before the end of this bin
    last = len(ok) if ok.all() else int(np.argmin(ok))
    count = count[:last]
    leak = np.cumsum(b["leak"])[:last]
    s1, s2 = np.cumsum(b["leaked"])[:last], np.cumsum(b["leaked2"])[:last]
    p_lo, p_hi = zip(*(wilson_interval(k, c) for k, c in zip(leak, count, strict=True)),
                     strict=True) if last else ((), ())  # fmt: skip
    mean = s1 / np.maximum(count, 1)
    var = np.where(count > 1, (s2 - count * mean**2) / np.maximum(count - 1, 1), np.nan)
    t_lo, t_hi = [], []
    for mu, v, c in zip(mean, var, count, strict=True):
        lo, hi = t_interval(mu, math.sqrt(max(v, 0.0)) if np.isfinite(v) else math.nan, int(c))
        t_lo.append(max(lo, 0.0) if np.isfinite(lo) else lo)  # leaks are never negative
        t_hi.append(hi)
    return {
        "replications": count.astype(int), "p_leak": leak / np.maximum(count, 1),
        "p_low": np.asarray(p_lo, float), "p_high": np.asarray(p_hi, float),
        "mean_leaked": mean, "leaked_low": np.asarray(t_lo), "leaked_high": np.asarray(t_hi),
    }  # fmt: skip


__all__ = ["CONFIDENCE", "aggregate", "mean_columns"]
