"""Plots of ``iadsim exposure``: the body-frame aspect map of what a radar learned about a
flight's signature, and the timeline of detection and track over the first sortie."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from iadsim.catalog import BANDS  # noqa: E402
from iadsim.exposure.analysis import CELL_DEG, learned_cells  # noqa: E402
from iadsim.exposure.estimation import crb_relative_std, error_db  # noqa: E402


def _error_map_db(info, bias):
    err = np.sqrt(crb_relative_std(info) ** 2 + bias**2)
    return np.where(np.isfinite(err), error_db(err), np.nan)


def plot_aspect_map(exposure, bare, fitted, path: Path) -> None:
    """az x el maps of the one-sigma error (dB) of the learned mean RCS after all sorties,
    bare and (if any) with reflectors; learned cells (+-tol dB) outlined in black."""
    world = exposure.world
    panels = [("no reflectors", bare)] + ([("reflectors fitted", fitted)] if fitted else [])
    fig, axes = plt.subplots(1, len(panels), figsize=(6.5 * len(panels), 4.2), dpi=100,
                             squeeze=False)  # fmt: skip
    az_edges = np.arange(0.0, 360.0 + CELL_DEG, CELL_DEG)
    el_edges = np.arange(-90.0, 90.0 + CELL_DEG, CELL_DEG)
    image = None
    for ax, (title, pair) in zip(axes[0], panels, strict=True):
        err = _error_map_db(pair.info_all, pair.bias)
        image = ax.imshow(np.minimum(err, 10.0), cmap="viridis_r", vmin=0.0, vmax=10.0,
                          origin="lower", extent=(0, 360, -90, 90), aspect="auto",
                          interpolation="nearest")  # fmt: skip
        learned = learned_cells(pair.info_all, pair.bias, exposure.tolerance_db)
        if learned.any():
            ax.contour(az_edges[:-1] + CELL_DEG / 2, el_edges[:-1] + CELL_DEG / 2,
                       learned.astype(float), levels=[0.5], colors="k", linewidths=0.8)  # fmt: skip
        ax.set_title(f"{title}: {pair.detected.shape[0]} sorties", fontsize=9)
        ax.set_xlabel("body azimuth (deg; 0 nose, 90 right beam, 180 tail)")
        ax.set_ylabel("body elevation (deg; -90 below)")
        ax.set_xlim(0, 360)
        ax.set_ylim(-90, 90)
    band = BANDS[world.radars.band_idx[bare.radar]]
    fig.suptitle(
        f"{world.radars.name[bare.radar]} ({band}) vs {exposure.flights[bare.flight].name}: "
        f"error of the learned mean RCS per {CELL_DEG:g} deg cell; outlined: within "
        f"+-{exposure.tolerance_db:g} dB", fontsize=9,
    )  # fmt: skip
    fig.colorbar(image, ax=axes[0].tolist(), label="one-sigma error (dB, >= 10 clipped)")
    fig.savefig(path)
    plt.close(fig)


def plot_timeline(exposure, path: Path) -> None:
    """SNR over the first sortie for each radar x flight, detected and tracked looks marked."""
    pairs = [p for p in exposure.pairs if not p.with_reflectors]
    fig, axes = plt.subplots(len(pairs), 1, figsize=(10, 1.8 * len(pairs) + 0.8), dpi=100,
                             sharex=False, squeeze=False)  # fmt: skip
    radars = exposure.world.radars
    for ax, p in zip(axes[:, 0], pairs, strict=True):
        lk = p.looks
        t_min = lk.time_s / 60.0
        snr = np.where(lk.covered, lk.snr_db, np.nan)
        ax.plot(t_min, snr, lw=0.6, color="0.4")
        ax.fill_between(t_min, 0, 1, where=p.tracked[0], color="tab:green", alpha=0.25,
                        transform=ax.get_xaxis_transform(), label="in track")  # fmt: skip
        hit = p.detected[0]
        ax.scatter(t_min[hit], snr[hit], s=2, color="tab:red", label="detected")
        ax.set_xlim(0.0, max(float(t_min[-1]) if len(t_min) else 0.0, 1.0))
        if not lk.covered.any():
            ax.text(0.5, 0.5, "never in coverage", transform=ax.transAxes, ha="center")
        ax.set_ylabel("SNR dB", fontsize=8)
        ax.set_title(f"{radars.name[p.radar]} vs {exposure.flights[p.flight].name}", fontsize=8)
        ax.tick_params(labelsize=7)
    axes[-1, 0].set_xlabel("time since take-off (min), first sortie")
    axes[0, 0].legend(fontsize=7, loc="upper right")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
