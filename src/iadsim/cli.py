"""The ``iadsim`` command line (typer + rich)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from iadsim import __version__
from iadsim.catalog import ASPECTS
from iadsim.cli_errors import err_console, warn_once
from iadsim.cli_errors import user_errors as _user_errors
from iadsim.errors import IadsimError, one_line

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="iadsim: ground-based air and missile defense simulator.",
)
console = Console()


def _print_version(value: bool) -> None:
    if value:
        console.print(f"iadsim {__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True,
                     help="print the iadsim version and exit"),
    ] = False,
) -> None:  # fmt: skip
    """iadsim: ground-based air and missile defense simulator."""


@app.command()
@_user_errors
def run(
    scenario: Annotated[Path, typer.Argument(help="scenario YAML file")],
    out: Annotated[Path, typer.Option("--out", help="output folder")] = Path("runs/latest"),
    seed: Annotated[int | None, typer.Option(help="override the scenario's seed", min=0)] = None,
    overwrite: Annotated[bool, typer.Option(help="replace an existing output folder")] = False,
    alternative: Annotated[
        str | None, typer.Option(help="run a named alternative of the scenario instead")
    ] = None,
) -> None:
    """Simulate a scenario once; write events.parquet, trajectories.parquet, summary.json,
    scene.json and engagement.png."""
    from iadsim.api import load_scenario
    from iadsim.api import run as run_scenario
    from iadsim.outdir import check_output_dir

    check_output_dir(out, overwrite)
    scen = load_scenario(scenario, warn=warn_once)  # bad input fails before the engine
    with Progress(
        TextColumn("[bold]simulating[/]"), BarColumn(), TextColumn("{task.fields[clock]}"),
        TimeRemainingColumn(), console=err_console, transient=True,
    ) as progress:  # fmt: skip
        task = progress.add_task("run", total=None, clock="")

        def tick(done: int, total: int) -> None:
            if done % 10 == 0 or done == total:  # the time grid is k * time_step_s
                progress.update(task, total=total, completed=done,
                                clock=f"t={done * scen.time_step_s:.0f} s")  # fmt: skip

        result = run_scenario(scen, seed, alternative, progress=tick)
    result.write(out, overwrite)
    _print_summary(result.summary, out)


def _print_summary(summary: dict, out: Path) -> None:
    table = Table(title=f"{summary['scenario']} (seed {summary['seed']})")
    longest = max((len(name) for name in summary["by_threat_type"]), default=11)
    table.add_column("threat type", no_wrap=True, min_width=max(longest, 11))  # never cut
    for col in ("threats", "killed", "leaked"):  # narrow terminal: fold, never "…"
        table.add_column(col, justify="right", overflow="fold")
    for name, row in summary["by_threat_type"].items():
        table.add_row(name, str(row["threats"]), str(row["killed"]), str(row["leaked"]))
    table.add_row("[bold]total", str(summary["threats"]), str(summary["killed"]),
                  str(summary["leaked"]))  # fmt: skip
    console.print(table)
    lost = ", ".join(summary["assets_lost"]) or "none"
    console.print(
        f"defended assets lost: {lost} (value {summary['asset_value_lost']:g} of "
        f"{summary['asset_value_total']:g}); leakers by class: "
        + (", ".join(f"{c} {row['leaked']}/{row['threats']}"
                     for c, row in summary["by_threat_class"].items()) or "none"),
        highlight=False,
    )  # fmt: skip
    fired = Table(title="interceptors fired")
    fired.add_column("missile", no_wrap=True)
    fired.add_column("fired", justify="right", overflow="fold")
    for name, count in summary["interceptors_fired"].items():
        fired.add_row(name, str(count))
    fired.add_row("[bold]cost", f"${summary['interceptor_cost_usd'] / 1e6:,.1f} M")
    console.print(fired)
    console.print(
        f"results in {out}/ (events.parquet, trajectories.parquet, summary.json, scene.json, "
        "engagement.png)"
    )


def _parse_altitudes(text: str) -> list[float]:
    from iadsim.errors import UsageError

    try:
        values = [float(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise UsageError(
            f"--altitudes-m: got {text!r}; give comma-separated altitudes in metres, "
            "e.g. 50,500,5000"
        ) from None
    bad = [v for v in values if not (0.0 <= v <= 100_000.0)]
    if not values or bad:
        raise UsageError(
            f"--altitudes-m: got {text!r}; each altitude must be a number in [0, 100000] m"
        )
    return values


def _parse_names(
    text: str | None, option: str, allowed: list[str], default: list[str]
) -> list[str]:
    from iadsim.errors import UsageError

    if text is None:
        return default
    names = [v.strip() for v in text.split(",") if v.strip()]
    bad = [n for n in names if n not in allowed]
    if not names or bad:
        raise UsageError(f"{option}: got {text!r}; allowed: {allowed}")
    return names


@app.command()
@_user_errors
def coverage(
    scenario: Annotated[Path, typer.Argument(help="scenario YAML file (its fire units' radars)")],
    target: Annotated[
        str | None,
        typer.Option(help="catalog threat type(s), comma-separated; default: the scenario's"),
    ] = None,
    altitudes_m: Annotated[
        str, typer.Option("--altitudes-m", help="target altitudes in metres, comma-separated")
    ] = "50,500,5000,12000",
    aspects: Annotated[
        str, typer.Option(help="nose, beam, tail (comma-separated)")
    ] = "nose,beam,tail",
    dem: Annotated[Path | None, typer.Option(help="GeoTIFF DEM for terrain masking")] = None,
    out: Annotated[Path, typer.Option("--out", help="output folder")] = Path("runs/coverage"),
    overwrite: Annotated[bool, typer.Option(help="replace an existing output folder")] = False,
    two_angle_rcs: Annotated[
        bool,
        typer.Option(help="RCS from the two-angle (az, el) tables where a target has one"),
    ] = False,
) -> None:
    """Detection ranges and coverage maps: each radar against each target type."""
    from iadsim.api import coverage as compute
    from iadsim.api import load_scenario
    from iadsim.catalog import load_catalog
    from iadsim.outdir import check_output_dir

    check_output_dir(out, overwrite)
    catalog = load_catalog()
    scen = load_scenario(scenario, catalog=catalog, warn=warn_once)
    own = list(dict.fromkeys(g.type for g in scen.threats))
    targets = _parse_names(target, "--target", sorted(catalog.threats), own)
    aspect_list = _parse_names(aspects, "--aspects", list(ASPECTS), [])
    altitudes = _parse_altitudes(altitudes_m)
    with err_console.status("computing coverage"):
        rows = compute(scen, targets, altitudes, aspect_list, dem=dem, two_angle=two_angle_rcs,
                       out=out, overwrite=overwrite).rows  # fmt: skip
    table = Table(title=f"Detection range (km), Pd 0.5 / 0.9: {scen.name}")
    for col in ("radar", "target", "aspect", "altitude m", "Pd 0.5", "Pd 0.9", "horizon", "limit"):
        table.add_column(col)
    for row in rows:
        table.add_row(row["radar_type"], row["target"], row["aspect"], row["altitude_m"],
                      row["range_pd50_km"], row["range_pd90_km"], row["horizon_km"],
                      row["limit_pd50"])  # fmt: skip
    console.print(table)
    console.print(
        f"results in {out}/ (detection_ranges.csv, coverage.geojson/.kml/.png, vertical_*.png)"
    )


@app.command()
@_user_errors
def exposure(
    scenario: Annotated[Path, typer.Argument(help="scenario YAML file with `flights:`")],
    out: Annotated[Path, typer.Option("--out", help="output folder")] = Path("runs/exposure"),
    tolerance_db: Annotated[
        float, typer.Option("--tolerance-db", help="accuracy a cell's RCS must be known to")
    ] = 1.0,
    overwrite: Annotated[bool, typer.Option(help="replace an existing output folder")] = False,
) -> None:
    """Signature exposure: what each radar learns about each flight's RCS over its sorties."""
    from iadsim.catalog import load_catalog
    from iadsim.errors import UsageError
    from iadsim.exposure import analyse, flight_models
    from iadsim.exposure.world import sensor_world
    from iadsim.report.exposure_outputs import write_exposure
    from iadsim.report.output import atomic_output_dir, check_output_dir
    from iadsim.scenario import load_scenario

    if not 0.0 < tolerance_db <= 10.0:
        raise UsageError(f"--tolerance-db: got {tolerance_db}; allowed: 0 < value <= 10 dB")
    check_output_dir(out, overwrite)
    catalog = load_catalog()
    scen = load_scenario(scenario, catalog)
    if not scen.flights:
        raise UsageError(f"{scenario}: flights: none given; `iadsim exposure` analyses flights")
    world = sensor_world(scen, catalog, scenario.parent)
    flights = flight_models(world, catalog, scenario.parent)
    with err_console.status("computing signature exposure"):
        result = analyse(world, flights, scen.seed, tolerance_db)
        with atomic_output_dir(out, overwrite) as tmp:
            summary = write_exposure(result, str(scenario), tmp)
    table = Table(title=f"Signature exposure (+-{tolerance_db:g} dB): {scen.name}")
    for col in ("radar", "flight", "band", "sorties", "detected s", "tracked s",
                "sphere 1 sortie", "sphere all", "with reflectors (all)"):  # fmt: skip
        table.add_column(col)
    for p in summary["pairs"]:
        band = p["band"]
        frac = p["sphere_fraction_observed"][band]
        lens = p["with_reflectors"]
        table.add_row(
            p["radar"], p["flight"], band, str(p["sorties"]), f"{p['seconds_detected'][band]:.0f}",
            f"{p['seconds_tracked'][band]:.0f}", f"{frac['one_sortie']:.3f}",
            f"{frac['all_sorties']:.3f}",
            "-" if lens is None else f"{lens['sphere_fraction_observed'][band]['all_sorties']:.3f}",
        )  # fmt: skip
    console.print(table)
    console.print(
        f"results in {out}/ (exposure.json, exposure.parquet, aspect_*.png, "
        "exposure_timeline.png, exposure_segments.geojson)"
    )


@app.command()
@_user_errors
def envelope(
    system_missile: Annotated[str, typer.Argument(help="SYSTEM/MISSILE, e.g. S-400/48N6E3")],
    target: Annotated[str, typer.Option(help="catalog threat type for the crossing case")],
    out: Annotated[Path, typer.Option("--out", help="output folder")] = Path("runs/envelope"),
    catalog_dir: Annotated[
        Path | None, typer.Option("--catalog", help="catalog folder (default: the bundled one)")
    ] = None,
    overwrite: Annotated[bool, typer.Option(help="replace an existing output folder")] = False,
) -> None:
    """Engagement envelope of a missile, flown with the flyout model: envelope.png and
    envelope.json (max_range_km, max_altitude_km, the published figures, the curves)."""
    from iadsim.api import envelope as compute

    got = compute(system_missile, target, catalog_dir=catalog_dir, out=out, overwrite=overwrite)
    system, missile, summary, entry = got.system, got.missile, got.summary, got.entry
    console.print(
        f"{system}/{missile}: flown max range {summary['max_range_km']:.0f} km "
        f"(published {entry.max_range_km.value:g}), max altitude "
        f"{summary['max_altitude_km']:.0f} km (published {entry.max_altitude_km.value:g}); "
        f"envelope.png and envelope.json in {out}"
    )


@app.command("envelope-table")
@_user_errors
def envelope_table_command() -> None:
    """Flown vs published envelope of every catalog missile, as the docs/models.md table."""
    from iadsim.catalog import load_catalog
    from iadsim.report.envelope_table import envelope_summary, envelope_table
    from iadsim.sim.world import missile_envelope

    cat = load_catalog()
    rows = [envelope_summary(name, m, missile_envelope(m), "", 0.0)
            for name, m in cat.missiles.items()]  # fmt: skip
    print(envelope_table(rows))


@app.command()
@_user_errors
def validate(scenario: Annotated[Path, typer.Argument(help="scenario YAML file")]) -> None:
    """Check a scenario file against the schema and the catalog."""
    from iadsim.scenario import load_scenario

    scen = load_scenario(scenario, warn=warn_once)
    n = sum(g.count for g in scen.threats)
    console.print(
        f"{scenario}: valid ({len(scen.fire_units)} fire units, {n} threats, {scen.duration_s:g} s)"
    )


@app.command()
@_user_errors
def catalog(
    name: Annotated[
        str | None, typer.Argument(help="entry to show (system, radar, missile, threat)")
    ] = None,
) -> None:
    """List the catalog, or print one entry with every figure's source."""
    from iadsim.catalog import load_catalog
    from iadsim.catalog.show import entry_table, find_entry, listing_table
    from iadsim.errors import UsageError

    cat = load_catalog()
    if name is None:
        console.print(listing_table(cat))
        return
    found = find_entry(cat, name)
    if found is None:
        keys = sorted({*cat.systems, *cat.radars, *cat.missiles, *cat.threats})
        raise UsageError(f"catalog: NAME: got {name!r}; allowed: {keys}")
    console.print(entry_table(*found))
    if found[0] == "radars":
        from iadsim.radar.calibration import calibration_lines

        console.print("[bold]calibration[/] (docs/models.md):")
        for line in calibration_lines(found[2]):
            console.print(f"  {line}", highlight=False)


def _register_study_commands() -> None:
    from iadsim.study_cli import register

    register(app)


def _register_replay_commands() -> None:
    from iadsim.replay_cli import register

    register(app)


_register_study_commands()
_register_replay_commands()


@app.command()
def version() -> None:
    """Print the iadsim version."""
    console.print(__version__)


def main() -> None:
    try:
        app()
    except IadsimError as exc:  # errors raised outside a command body
        print(f"error: {one_line(exc)}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
