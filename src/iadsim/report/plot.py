"""Plan-view plot of one run: assets, fire units, radar coverage, tracks, kills, leaks."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from iadsim.radar.horizon import horizon_range_m  # noqa: E402
from iadsim.sim.engine import RunResult  # noqa: E402

_TARGET_ALT_FOR_RINGS_M = 100.0


# line style of a threat track by its fate; the track's colour is its threat type
FATE_STYLE = {"killed": "-", "leaked": "--", "not arrived": ":"}


def plot_engagement(result: RunResult, path: Path) -> None:
    """Write the plan view (map axes in km) to ``path`` (PNG)."""
    fig = engagement_figure(result)
    fig.savefig(path)
    plt.close(fig)


def engagement_figure(result: RunResult):
    """The plan view: tracks coloured by threat type and styled by fate (two legends),
    interceptor paths, kills, leaks, radar coverage (sectors drawn as sectors)."""
    world = result.world
    th, units, radars = world.threats, world.units, world.radars
    fig, ax = plt.subplots(figsize=(10, 9), dpi=110)
    km = 1e-3
    types = list(dict.fromkeys(th.type_name))
    colors = {t: plt.get_cmap("tab10")(i % 10) for i, t in enumerate(types)}
    for i in range(len(th)):
        end = result.kill_time_s[i] if result.killed[i] else th.arrival_s[i]
        shown = (world.times >= th.launch_s[i]) & (world.times <= end)
        pos = th.pos[i, shown]
        fate = "killed" if result.killed[i] else "leaked" if result.leaked[i] else "not arrived"
        ax.plot(pos[:, 0] * km, pos[:, 1] * km, color=colors[th.type_name[i]], lw=0.9,
                alpha=0.75, ls=FATE_STYLE[fate])  # fmt: skip
    for j, (_, path_pts) in enumerate(sorted(result.missile_paths.items())):
        pts = np.asarray(path_pts)
        ax.plot(pts[:, 0] * km, pts[:, 1] * km, color="0.45", lw=0.7, alpha=0.7,
                label="interceptor path" if j == 0 else None)  # fmt: skip
    kills = [e for e in _rows(result, "kill")]
    leaks = [e for e in _rows(result, "leak")]
    if kills:
        k = np.array(kills)
        ax.scatter(k[:, 0] * km, k[:, 1] * km, marker="x", color="black", s=40, zorder=5,
                   label="kill")  # fmt: skip
    if leaks:
        lk = np.array(leaks)
        ax.scatter(lk[:, 0] * km, lk[:, 1] * km, marker="*", color="magenta", s=160, zorder=9,
                   label="leak")  # fmt: skip
    k_factor = world.scenario.earth.k_factor
    for r in range(len(radars)):
        reach = min(
            radars.max_range_m[r],
            float(horizon_range_m(radars.xyz[r, 2], _TARGET_ALT_FOR_RINGS_M, k_factor)),
        )
        x, y = coverage_outline(radars.xyz[r, :2], reach, radars.sector_center_rad[r],
                                radars.sector_half_width_rad[r])  # fmt: skip
        ax.plot(x * km, y * km, ls="-.", lw=0.8, color="tab:green", alpha=0.7,
                label=f"radar coverage ({_TARGET_ALT_FOR_RINGS_M:.0f} m target)"
                if r == 0 else None)  # fmt: skip
    ax.scatter(units.xyz[:, 0] * km, units.xyz[:, 1] * km, marker="^", s=90, color="tab:green",
               edgecolor="black", zorder=7, label="fire unit")  # fmt: skip
    for u, name in enumerate(units.name):
        ax.annotate(
            name, units.xyz[u, :2] * km, xytext=(4, 4), textcoords="offset points", fontsize=8
        )
    ax.scatter(world.assets_xy[:, 0] * km, world.assets_xy[:, 1] * km, marker="s", s=90,
               color="gold", edgecolor="black", zorder=7, label="defended asset")  # fmt: skip
    for a, name in enumerate(world.asset_names):
        ax.annotate(
            name, world.assets_xy[a] * km, xytext=(4, -10), textcoords="offset points", fontsize=8
        )
    ax.set_xlabel("east of origin [km]")
    ax.set_ylabel("north of origin [km]")
    ax.set_aspect("equal", adjustable="datalim")
    ax.grid(True, alpha=0.3)
    ax.set_title(f"{world.scenario.name}: {int(result.killed.sum())} killed, "
                 f"{int(result.leaked.sum())} leaked of {len(th)}")  # fmt: skip
    by_fate = [Line2D([], [], color="0.3", ls=ls, label=f"threat {fate}")
               for fate, ls in FATE_STYLE.items()]  # fmt: skip
    by_type = [Line2D([], [], color=colors[t], lw=2,
                      label=f"{t} ({sum(1 for n in th.type_name if n == t)})")
               for t in types]  # fmt: skip
    handles, _ = ax.get_legend_handles_labels()
    type_legend = ax.legend(handles=by_type, title="threat type", loc="upper left", fontsize=8)
    ax.add_artist(type_legend)
    ax.legend(handles=by_fate + handles, title="fate and symbols", loc="lower right", fontsize=8)
    fig.tight_layout()
    return fig


def coverage_outline(xy, reach_m: float, center_rad: float, half_width_rad: float):
    """Map (x, y) of a radar's coverage edge: a circle, or for a sector radar the wedge
    from the radar out to ``reach_m`` across azimuths center +- half width (clockwise from
    north, x = sin(az), y = cos(az))."""
    if half_width_rad >= np.pi - 1e-9:
        az = np.linspace(0.0, 2.0 * np.pi, 181)
        return xy[0] + reach_m * np.sin(az), xy[1] + reach_m * np.cos(az)
    az = np.linspace(center_rad - half_width_rad, center_rad + half_width_rad, 91)
    x = np.concatenate([[xy[0]], xy[0] + reach_m * np.sin(az), [xy[0]]])
    y = np.concatenate([[xy[1]], xy[1] + reach_m * np.cos(az), [xy[1]]])
    return x, y


def _rows(result: RunResult, kind: str) -> list[np.ndarray]:
    th, times = result.world.threats, result.world.times
    out = []
    mask = result.killed if kind == "kill" else result.leaked
    for i in np.flatnonzero(mask):
        when = result.kill_time_s[i] if kind == "kill" else th.arrival_s[i]
        out.append([np.interp(when, times, th.pos[i, :, d]) for d in range(2)])
    return out
