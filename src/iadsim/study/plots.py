"""Study figures: convergence.png, compare.png and sweep_<parameter>.png."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from iadsim.study.store import atomic_savefig  # noqa: E402


def plot_convergence(curves: dict[str, dict], path: Path, title: str) -> None:
    """Running P(at least one leak) and mean leaked, each with its 95% interval band."""
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 7.5), dpi=110, sharex=True)
    for i, (label, c) in enumerate(curves.items()):
        if len(c["replications"]) == 0:
            continue
        color = f"C{i % 10}"
        x = c["replications"]
        top.plot(x, c["p_leak"], color=color, lw=1.2, label=label)
        top.fill_between(x, c["p_low"], c["p_high"], color=color, alpha=0.15, lw=0)
        bottom.plot(x, c["mean_leaked"], color=color, lw=1.2, label=label)
        ok = np.isfinite(c["leaked_low"])
        bottom.fill_between(x[ok], c["leaked_low"][ok], c["leaked_high"][ok], color=color,
                            alpha=0.15, lw=0)  # fmt: skip
    top.set_ylabel("P(at least one leak)\n(Wilson 95% interval)")
    top.set_ylim(-0.02, 1.02)
    bottom.set_ylabel("mean threats leaked\n(t 95% interval)")
    bottom.set_xlabel("replications")
    top.set_title(title)
    for ax in (top, bottom):
        ax.grid(alpha=0.3)
    top.legend(fontsize=8, loc="best")
    fig.tight_layout()
    atomic_savefig(fig, path)
    plt.close(fig)


def _bar(ax, labels, blocks, key_est: str, scale: float, ylabel: str) -> None:
    est = np.array([_f(b.get(key_est)) * scale for b in blocks])
    low = np.array([_f(b.get("low")) * scale for b in blocks])
    high = np.array([_f(b.get("high")) * scale for b in blocks])
    err = np.vstack([np.nan_to_num(est - low), np.nan_to_num(high - est)])
    x = np.arange(len(labels))
    ax.bar(x, np.nan_to_num(est), yerr=np.clip(err, 0, None), capsize=3,
           color=[f"C{i % 10}" for i in range(len(labels))], alpha=0.8)  # fmt: skip
    ax.set_xticks(x, labels, rotation=30, ha="right", fontsize=8)
    ax.set_ylabel(ylabel)
    ax.grid(axis="y", alpha=0.3)


def plot_compare(results: list[dict], path: Path, title: str) -> None:
    """Bars per variant with their 95% intervals: P(leak), leaked, cost, cost-exchange."""
    labels = [r["label"] for r in results]
    fig, axes = plt.subplots(2, 2, figsize=(11, 8), dpi=110)
    _bar(axes[0, 0], labels, [r["leak_probability"] for r in results], "estimate", 1.0,
         "P(at least one leak)")  # fmt: skip
    _bar(axes[0, 1], labels, [r["leaked"] for r in results], "mean", 1.0, "mean threats leaked")
    _bar(axes[1, 0], labels, [r["interceptor_cost_usd"] for r in results], "mean", 1e-6,
         "mean interceptor cost (US$ M)")  # fmt: skip
    _bar(axes[1, 1], labels, [r["cost_exchange_ratio"] for r in results], "estimate", 1.0,
         "cost-exchange ratio\n(interceptor cost / threat value killed)")  # fmt: skip
    fig.suptitle(f"{title}\n(error bars: 95% intervals; Wilson for P(leak), t for means)")
    fig.tight_layout()
    atomic_savefig(fig, path)
    plt.close(fig)


def sweep_filename(parameter: str) -> str:
    """``threats[0].count`` -> ``sweep_threats_0_count.png``."""
    return "sweep_" + re.sub(r"[^A-Za-z0-9]+", "_", parameter).strip("_") + ".png"


def plot_sweep(results: list[dict], parameter: str, path: Path, title: str) -> None:
    """Response curves over the sweep values, one line per alternative."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5), dpi=110)
    alternatives = list(dict.fromkeys(r["alternative"] for r in results))
    for i, name in enumerate(alternatives):
        rows = sorted((r for r in results if r["alternative"] == name),
                      key=lambda r: r["sweep_value"])  # fmt: skip
        x = np.array([r["sweep_value"] for r in rows])
        color = f"C{i % 10}"
        for ax, key, est_key, scale in (
            (left, "leak_probability", "estimate", 1.0),
            (right, "interceptor_cost_usd", "mean", 1e-6),
        ):
            est = np.array([_f(r[key].get(est_key)) for r in rows]) * scale
            low = np.array([_f(r[key].get("low")) for r in rows]) * scale
            high = np.array([_f(r[key].get("high")) for r in rows]) * scale
            ax.plot(x, est, "o-", color=color, label=name, ms=4)
            ok = np.isfinite(low) & np.isfinite(high)
            ax.fill_between(x[ok], low[ok], high[ok], color=color, alpha=0.15, lw=0)
    left.set_ylabel("P(at least one leak) (Wilson 95%)")
    left.set_ylim(-0.02, 1.02)
    right.set_ylabel("mean interceptor cost (US$ M, t 95%)")
    for ax in (left, right):
        ax.set_xlabel(parameter)
        ax.grid(alpha=0.3)
    left.legend(fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    atomic_savefig(fig, path)
    plt.close(fig)


def _f(x) -> float:
    return float(x) if x is not None else float("nan")
