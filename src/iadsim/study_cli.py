"""``iadsim study`` and ``iadsim compare``: Monte Carlo studies from the command line.

Register them on the main app with::

    from iadsim.study_cli import register
    register(app)

or one by one: ``app.command("study")(study_command)``, ``app.command("compare")(compare_command)``.
Both commands turn user-facing errors (``IadsimError``) into one line on stderr and exit
code 2 themselves, like the commands in ``cli.py``.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.console import Console, Group
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from iadsim.cli_errors import err_console, warn_once
from iadsim.cli_errors import user_errors as _user_errors
from iadsim.errors import UsageError

console = Console()
# as docs/study.md says it (tests/test_docs.py checks both against study.plan)
BATCH_DEFAULT_TEXT = "default n/10, between 1 and 200, fewer when a replication is large"


ScenarioArg = Annotated[Path, typer.Argument(help="scenario YAML file")]
Replications = Annotated[
    int, typer.Option("-n", "--replications", help="replications per alternative and sweep value")
]
Workers = Annotated[
    int | None,
    typer.Option(help="worker processes (local) or local Ray CPUs; default: all cores"),
]
Backend = Annotated[str, typer.Option(help="local (processes) or ray")]
Address = Annotated[
    str | None,
    typer.Option(help="Ray cluster: ray://HOST:PORT (Ray Client) or HOST:PORT; with --backend ray"),
]
Overwrite = Annotated[bool, typer.Option(help="replace an existing output folder")]
Resume = Annotated[
    bool, typer.Option(help="continue the study in the output folder (same scenario, n, seed)")
]
BatchSize = Annotated[
    int | None,
    typer.Option(help="replications per batch and part file; " + BATCH_DEFAULT_TEXT),
]
Seed = Annotated[int | None, typer.Option(help="override the scenario's seed")]
ConnectTimeout = Annotated[
    float, typer.Option("--connect-timeout", help="seconds to wait for a Ray address")
]


def _fmt_eta(seconds: float) -> str:
    if not math.isfinite(seconds):
        return "-:--:--"
    seconds = int(round(seconds))
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def _run_with_progress(scenario, n: int, out: Path, compare: bool = False, **kwargs):
    from iadsim import api

    with Progress(
        TextColumn("[bold]study[/]"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"), TextColumn("left {task.fields[eta]}"),
        console=err_console, transient=True,
    ) as progress:  # fmt: skip
        task = progress.add_task("study", total=None, rate="- rep/s", eta=_fmt_eta(math.nan))
        resumed = {}

        def on_start(done: int, total: int) -> None:
            resumed["done"] = done
            progress.update(task, total=total, completed=done)
            if done:
                err_console.print(f"resuming: {done} of {total} replications already done")

        def on_progress(done: int, total: int, rate: float | None) -> None:
            eta = (total - done) / rate if rate else math.nan
            progress.update(task, completed=done, rate=f"{rate:.2f} rep/s" if rate else "-",
                            eta=_fmt_eta(eta))  # fmt: skip

        how = api.compare if compare else api.study
        return how(scenario, n, out=out, on_start=on_start, on_progress=on_progress,
                   **kwargs)  # fmt: skip


@_user_errors
def study_command(
    scenario: ScenarioArg,
    n: Replications,
    out: Annotated[Path, typer.Option("--out", help="output folder")] = Path("runs/study"),
    workers: Workers = None,
    backend: Backend = "local",
    address: Address = None,
    overwrite: Overwrite = False,
    resume: Resume = False,
    batch_size: BatchSize = None,
    seed: Seed = None,
    connect_timeout: ConnectTimeout = 15.0,
) -> None:
    """Monte Carlo study: n replications per alternative/sweep value; Parquet rows,
    study.json (means and 95% intervals) and convergence.png."""
    from iadsim.api import load_scenario

    scen = load_scenario(scenario, warn=warn_once)  # bad input fails before the study imports
    result = _run_with_progress(
        scen, n, out, workers=workers, backend=backend, address=address,
        overwrite=overwrite, resume=resume, batch_size=batch_size, seed=seed,
        connect_timeout_s=connect_timeout,
    )  # fmt: skip
    console.print(_table(result.summary))
    console.print(
        f"{result.replications_run} replications run in {result.wall_s:.1f} s; results in "
        f"{out}/ (replications/*.parquet, study.json, convergence.png)"
    )


@_user_errors
def compare_command(
    scenario: ScenarioArg,
    n: Replications,
    out: Annotated[Path, typer.Option("--out", help="output folder")] = Path("runs/compare"),
    workers: Workers = None,
    backend: Backend = "local",
    address: Address = None,
    overwrite: Overwrite = False,
    resume: Resume = False,
    batch_size: BatchSize = None,
    seed: Seed = None,
    connect_timeout: ConnectTimeout = 15.0,
) -> None:
    """Compare the scenario's alternatives (and sweep): leak probability, leaks, interceptors,
    cost and cost-exchange ratio with 95% intervals; compare.png, sweep_<param>.png."""
    from iadsim.api import load_scenario

    scen = load_scenario(scenario, warn=warn_once)
    if not scen.alternatives and scen.sweep is None:
        raise UsageError(
            f"{scenario}: nothing to compare: the scenario has no `alternatives:` or `sweep:` "
            "section (use `iadsim study` for one defence)"
        )
    result = _run_with_progress(
        scen, n, out, compare=True, workers=workers, backend=backend, address=address,
        overwrite=overwrite, resume=resume, batch_size=batch_size, seed=seed,
        connect_timeout_s=connect_timeout,
    )  # fmt: skip
    summary, files = result.summary, result.plot_files
    console.print(_table(summary))
    console.print(
        f"{result.replications_run} replications run in {result.wall_s:.1f} s; results in "
        f"{out}/ (study.json, {', '.join(files)}, convergence.png, replications/)"
    )


def _interval(block: dict, key: str, scale: float = 1.0, digits: int = 2) -> str:
    """Estimate over its 95% interval, on two lines (keeps the table narrow)."""
    est, low, high = block.get(key), block.get("low"), block.get("high")
    if est is None:
        return "-"
    text = f"{est * scale:,.{digits}f}"
    if low is not None and high is not None:
        text += f"\n{low * scale:,.{digits}f}\u2013{high * scale:,.{digits}f}"
    return text


# threat classes in the compare table, abbreviated (the key is in the table's caption)
CLASS_ABBREVIATIONS = {"aircraft": "AC", "drone": "DR", "cruise_missile": "CM",
                       "ballistic_missile": "BM"}  # fmt: skip


def _name_column(table: Table, summary: dict) -> None:
    # a name is never cut or wrapped into a second row: the column is as wide as the
    # longest name, and the numeric columns give way (fold) instead
    longest = max((len(r["alternative"]) for r in summary["results"]), default=11)
    table.add_column("alternative", no_wrap=True, min_width=max(longest, 11))
    if summary["sweep_parameter"]:
        table.add_column(summary["sweep_parameter"].rsplit(".", 1)[-1], justify="right",
                         no_wrap=True)  # fmt: skip


def _name_cells(r: dict, summary: dict) -> list[str]:
    return [r["alternative"]] + ([f"{r['sweep_value']:g}"] if summary["sweep_parameter"] else [])


def _table(summary: dict) -> Group:
    """One row per alternative (and sweep value): estimate over its 95% interval; then the
    outcome by threat class (value lost, P(no leak) per class), which separates
    alternatives that all leak something."""
    sweep = summary["sweep_parameter"]
    table = Table(
        title=f"{summary['scenario']}: {summary['n']} replications each",
        caption="estimate over its 95% interval (Wilson for P(leak), t for means); "
        "cost/value = interceptor cost / value of threats killed"
        + (f"; sweep: {sweep}" if sweep else ""),
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        padding=(0, 1),
    )
    _name_column(table, summary)
    for col in ("P(leak)", "leaked", "fired", "cost $M", "cost/value"):
        table.add_column(col, justify="right", overflow="fold")
    for r in summary["results"]:
        table.add_row(
            *_name_cells(r, summary),
            _interval(r["leak_probability"], "estimate"),
            _interval(r["leaked"], "mean"),
            _interval(r["interceptors_fired"], "mean", digits=1),
            _interval(r["interceptor_cost_usd"], "mean", 1e-6, digits=1),
            _interval(r["cost_exchange_ratio"], "estimate"),
        )
    return Group(table, _class_table(summary), _cause_table(summary))


def _class_table(summary: dict) -> Table:
    classes = [c for c in CLASS_ABBREVIATIONS
               if any(c in r.get("by_threat_class", {}) for r in summary["results"])]  # fmt: skip
    key = ", ".join(f"{CLASS_ABBREVIATIONS[c]} = {c.replace('_', ' ')}" for c in classes)
    table = Table(
        title="by threat class",
        caption="value lost = expected value of the defended assets lost; P(no XX) = "
        f"probability that no threat of class XX leaks; XX leaked = mean leakers ({key})",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        padding=(0, 1),
    )
    _name_column(table, summary)
    table.add_column("value lost", justify="right", overflow="fold")
    for c in classes:
        table.add_column(f"P(no {CLASS_ABBREVIATIONS[c]})", justify="right", overflow="fold")
        table.add_column(f"{CLASS_ABBREVIATIONS[c]} leaked", justify="right", overflow="fold")
    for r in summary["results"]:
        by_class = r.get("by_threat_class", {})
        cells = [*_name_cells(r, summary), _interval(r.get("asset_value_lost", {}), "mean")]
        for c in classes:
            got = by_class.get(c)
            cells += (
                [_interval(got["p_no_leak"], "estimate"), _interval(got["leaked"], "mean")]
                if got is not None
                else ["-", "-"]
            )
        table.add_row(*cells)
    return table


def _cause_table(summary: dict) -> Table:
    """Mean leakers per alternative by the first link of the chain that failed."""
    causes = list(summary["results"][0].get("leak_causes", {})) if summary["results"] else []
    table = Table(
        title="leaked threats by cause",
        caption="the first failed link per leaker: no track; tracked but no fire-control "
        "radar saw it; never inside a flown envelope; in reach but no unit free (channels, "
        "face elsewhere, rounds); missiles out of energy; missed in the end game",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        padding=(0, 1),
    )
    _name_column(table, summary)
    for c in causes:
        table.add_column(c.replace("_", " "), justify="right", overflow="fold")
    for r in summary["results"]:
        got = r.get("leak_causes", {})
        table.add_row(*_name_cells(r, summary), *[_interval(got[c], "mean") for c in causes])
    return table


def register(app: typer.Typer) -> None:
    """Add ``study`` and ``compare`` to a typer app (the main ``iadsim`` app)."""
    app.command("study")(study_command)
    app.command("compare")(compare_command)
