"""report.html: one self-contained page for a run or a study, to mail to a colleague.

Plots are embedded as base64 PNG (``data:`` URLs), styles inline; the page loads nothing.
It holds the results tables, the figures and the provenance: scenario file and its
SHA-256, the validated scenario's hash, seed, iadsim version and the catalog values the
scenario uses, each with its source and whether it is an estimate.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from iadsim import __version__  # noqa: E402
from iadsim.errors import UsageError  # noqa: E402

_STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: .6em 0; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f2f2f2; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1em 0; } figure img { max-width: 100%; border: 1px solid #ddd; }
figcaption { color: #555; font-size: .9em; } .estimate { color: #a05a00; }
td.source { font-size: .85em; max-width: 520px; word-break: break-word; }
"""


def write_report(folder: Path, out: Path | None = None) -> Path:
    """Write report.html for a run folder or a study folder; returns its path."""
    if (folder / "study.json").is_file():
        page = study_page(folder)
    elif (folder / "summary.json").is_file():
        page = run_page(folder)
    else:
        raise UsageError(
            f"RUN_DIR|STUDY_DIR: {folder}: neither a run folder (summary.json) nor a finished "
            "study folder (study.json)"
        )
    path = out or folder / "report.html"
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(page)
    tmp.replace(path)
    return path


def _esc(value) -> str:
    return html.escape("" if value is None else str(value))


def _table(header: list[str], rows: list[list], numeric: set[int] = frozenset()) -> str:
    head = "".join(f"<th>{_esc(h)}</th>" for h in header)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{_esc(v)}</td>' if j in numeric else f"<td>{_esc(v)}</td>"
            for j, v in enumerate(row)
        )  # fmt: skip
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _png_figure(png: bytes, caption: str) -> str:
    data = base64.b64encode(png).decode()
    return (f'<figure><img alt="{_esc(caption)}" src="data:image/png;base64,{data}">'
            f"<figcaption>{_esc(caption)}</figcaption></figure>")  # fmt: skip


def _fig_png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    plt.close(fig)
    return buf.getvalue()


def _page(title: str, sections: list[str]) -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{_esc(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{_esc(title)}</h1>" + "".join(sections) + "</body></html>\n"
    )


def _provenance(rows: list[tuple[str, object]]) -> str:
    return "<h2>Provenance</h2>" + _table(["item", "value"], [list(r) for r in rows])


def _catalog_section(rows: list[dict]) -> str:
    if not rows:
        return ""
    estimates = sum(r["flag"] == "estimate" for r in rows)
    body = "".join(
        f"<tr><td>{_esc(r['entry'])}</td><td>{_esc(r['field'])}</td>"
        f'<td class="num">{_esc(r["value"])}</td>'
        f'<td class="{_esc(r["flag"])}">{_esc(r["flag"])}</td>'
        f'<td class="source">{_esc(r["source"])}</td></tr>'
        for r in rows
    )
    return (
        f"<h2>Catalog values used</h2><p>{len(rows)} sourced figures, {estimates} of them "
        "estimates (no published figure; the source says how they were estimated).</p>"
        "<table><thead><tr><th>entry</th><th>field</th><th>value</th><th>flag</th>"
        f"<th>source</th></tr></thead><tbody>{body}</tbody></table>"
    )


def _file_sha256(path: str | None) -> str:
    p = Path(path) if path else None
    if p is None or not p.is_file():
        return "(file not found now)"
    return hashlib.sha256(p.read_bytes()).hexdigest()


# ---- a run ---------------------------------------------------------------------------


def run_page(folder: Path) -> str:
    from iadsim.export.run_folder import load_run

    run = load_run(folder)
    s, prov = run.summary, run.scene["provenance"]
    by_type = [[k, v["threats"], v["killed"], v["leaked"]] for k, v in s["by_threat_type"].items()]
    by_type.append(["total", s["threats"], s["killed"], s["leaked"]])
    fired = [[k, v] for k, v in s["interceptors_fired"].items()]
    money = [
        ["interceptor cost (USD M)", f"{s['interceptor_cost_usd'] / 1e6:,.1f}"],
        ["threat value killed (USD M)", f"{s['threat_value_killed_usd'] / 1e6:,.1f}"],
        ["cost exchange", "-" if s["cost_exchange"] is None else f"{s['cost_exchange']:.2f}"],
    ]
    tr = s.get("tracking", {})
    tracking = [[k, v] for k, v in tr.items() if not isinstance(v, dict)]
    events = np.unique(np.array(run.events["kind"].to_pylist(), dtype=object), return_counts=True)
    sections = [
        f"<p>Seed {_esc(s['seed'])}, {s['duration_s']:g} s simulated, "
        f"{s['threats']} threats: {s['killed']} killed, {s['leaked']} leaked.</p>",
        "<h2>Outcome by threat type</h2>"
        + _table(["threat type", "threats", "killed", "leaked"], by_type, {1, 2, 3}),
        "<h2>Interceptors</h2>" + _table(["missile", "fired"], fired, {1})
        + _table(["", ""], money, {1}),
        "<h2>Tracking</h2>" + _table(["measure", "value"], tracking, {1}),
        "<h2>Events</h2>" + _table(["kind", "count"],
                                   [[k, int(n)] for k, n in zip(*events, strict=True)], {1}),
        "<h2>Figures</h2>",
    ]  # fmt: skip
    png = folder / "engagement.png"
    if png.is_file():
        sections.append(_png_figure(png.read_bytes(), "Plan view: tracks, kills, leaks, radars"))
    sections.append(_png_figure(_altitude_plot(run), "Altitude over time (trajectories)"))
    sections.append(
        _provenance(
            [
                ("scenario", prov["scenario"]),
                ("scenario file", prov["scenario_file"]),
                ("scenario file SHA-256 (at run time)", prov["scenario_file_sha256"]),
                ("validated scenario SHA-256", prov["scenario_sha256"]),
                ("seed", prov["seed"]),
                ("iadsim version of the run", prov["iadsim_version"]),
                ("iadsim version of this report", __version__),
                ("time step s", prov["time_step_s"]),
            ]
        )  # fmt: skip
    )
    sections.append(_catalog_section(run.scene.get("catalog_used", [])))
    return _page(f"iadsim run: {prov['scenario']}", sections)


def _altitude_plot(run) -> bytes:
    fig, ax = plt.subplots(figsize=(10, 4.2))
    colors = {"threat": "tab:red", "interceptor": "tab:blue"}
    for kind, color in colors.items():
        for j, rows in enumerate(run.entities(kind).values()):
            ax.plot(rows["time_s"], np.asarray(rows["alt_m"], float) / 1e3, color=color,
                    lw=0.8, alpha=0.7, label=kind if j == 0 else None)  # fmt: skip
    ax.set_xlabel("time [s]")
    ax.set_ylabel("altitude [km]")
    ax.grid(True, alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="best", fontsize=8)
    fig.tight_layout()
    return _fig_png(fig)


# ---- a study -------------------------------------------------------------------------


def study_page(folder: Path) -> str:
    study = json.loads((folder / "study.json").read_text())
    results = study["results"]
    rows = []
    for r in results:
        lp = r["leak_probability"]
        rows.append([
            r["label"], r["replications"],
            f"{lp['estimate']:.3f} [{lp['low']:.3f}, {lp['high']:.3f}]",
            _mean(r.get("killed")), _mean(r.get("leaked")), _mean(r.get("interceptors_fired")),
            _mean(r.get("interceptor_cost_usd"), 1e-6),
        ])  # fmt: skip
    confidence = study.get("confidence", 0.95)
    sections = [
        f"<p>{study['replications_total']} replications, {study['n']} per alternative, seed "
        f"{_esc(study['seed'])}; intervals at {confidence:.0%} "
        f"({_esc(', '.join(f'{k}: {v}' for k, v in study.get('intervals', {}).items()))}).</p>",
        "<h2>Results</h2>" + _table(
            ["alternative", "replications", "P(leak) [interval]", "killed", "leaked",
             "interceptors fired", "interceptor cost (USD M)"], rows, {1, 3, 4, 5, 6}),
        "<h2>Figures</h2>",
    ]  # fmt: skip
    for png in sorted(folder.glob("*.png")):
        sections.append(_png_figure(png.read_bytes(), png.stem.replace("_", " ")))
    scen_file = study.get("scenario_file")
    sections.append(
        _provenance(
            [
                ("scenario", study["scenario"]),
                ("scenario file", scen_file),
                ("scenario file SHA-256 (now)", _file_sha256(scen_file)),
                ("validated scenario SHA-256", study.get("scenario_hash")),
                ("seed", study["seed"]),
                ("replications per alternative", study["n"]),
                ("iadsim version of the study", study.get("iadsim_version")),
                ("iadsim version of this report", __version__),
            ]
        )  # fmt: skip
    )
    sections.append(_catalog_section(_study_catalog(scen_file)))
    return _page(f"iadsim study: {study['scenario']}", sections)


def _mean(block: dict | None, scale: float = 1.0) -> str:
    if not block or block.get("mean") is None:
        return "-"
    return f"{block['mean'] * scale:.2f} [{block['low'] * scale:.2f}, {block['high'] * scale:.2f}]"


def _study_catalog(scenario_file: str | None) -> list[dict]:
    """Catalog values of the study's scenario, when its file is still there."""
    if not scenario_file or not Path(scenario_file).is_file():
        return []
    from iadsim.catalog import load_catalog
    from iadsim.report.scene import scenario_catalog_rows
    from iadsim.scenario import load_scenario

    catalog = load_catalog()
    return scenario_catalog_rows(load_scenario(Path(scenario_file), catalog), catalog)
