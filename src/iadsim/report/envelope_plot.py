"""Plot of a missile's flown engagement envelope against the catalog's published limits."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from iadsim.engage.envelope import CROSSING_SPEED_RATIO, Envelope  # noqa: E402
from iadsim.engage.flyout_kernel import MIN_USEFUL_SPEED_MPS  # noqa: E402
from iadsim.report.envelope_table import boundary as envelope_boundary  # noqa: E402


def plot_envelope(envelope: Envelope, missile, target_name: str, target_speed_mps: float,
                  path: Path) -> None:  # fmt: skip
    """Head-on and crossing envelopes (downrange x altitude) with the published box."""
    fig, ax = plt.subplots(figsize=(9, 5.5), dpi=110)
    cases = [
        ("head-on", MIN_USEFUL_SPEED_MPS, "tab:blue"),
        (f"crossing ({target_name}, {target_speed_mps:.0f} m/s)",
         CROSSING_SPEED_RATIO * target_speed_mps, "tab:orange"),
    ]  # fmt: skip
    for label, need, color in cases:
        ground, alt = envelope_boundary(envelope, need)
        if len(ground):
            ax.fill_betweenx(alt, 0, ground, color=color, alpha=0.25)
            ax.plot(ground, alt, color=color, lw=1.5, label=f"{label}: flown envelope")
    published_r = missile.max_range_km.value
    published_h = missile.max_altitude_km.value
    ax.plot([0, published_r, published_r], [published_h, published_h, 0], "k--", lw=1.2,
            label=f"published: {published_r:g} km range, {published_h:g} km altitude")  # fmt: skip
    ax.axvline(missile.min_range_km.value, color="0.5", lw=0.8, ls=":", label="published min range")
    ax.set_xlabel("downrange [km]")
    ax.set_ylabel("altitude [km]")
    ax.set_xlim(0, max(published_r, envelope.range_m.max() / 1e3) * 1.1)
    ax.set_ylim(0, max(published_h, envelope.max_altitude_m / 1e3) * 1.15)
    ax.grid(True, alpha=0.3)
    ax.set_title(f"{missile.name}: engagement envelope flown with the iadsim flyout model")
    ax.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
