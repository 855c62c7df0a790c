"""Files of ``iadsim coverage``: detection-range table, GeoJSON/KML polygons, maps, RHA diagrams."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar  # noqa: E402

from iadsim.catalog import BANDS  # noqa: E402
from iadsim.geo.earth import effective_radius_m  # noqa: E402
from iadsim.radar.coverage import LIMITS  # noqa: E402
from iadsim.radar.detection import detection_probability  # noqa: E402
from iadsim.radar.sensor import multipath_db, snr_db_at  # noqa: E402
from iadsim.sim.world import World  # noqa: E402

CSV_COLUMNS = (
    "radar", "radar_type", "band", "target", "aspect", "altitude_m",
    "range_pd50_km", "range_pd90_km", "horizon_km", "limit_pd50", "limit_pd90",
    "range_pd50_min_km", "range_pd50_max_km",
)  # fmt: skip


@dataclass
class Polygon:
    radar: str
    target: str
    altitude_m: float
    pd: float
    lonlat: np.ndarray  # (k, 2), closed ring
    xy_km: np.ndarray  # (k, 2) map frame


def table_rows(world: World, results: dict) -> list[dict]:
    """One CSV row per radar x target x aspect x altitude.

    results[(r, target, aspect, pd)] -> CoverageResult. With a DEM the range varies with
    azimuth: the row gives the median over the radar's sector, its min and max, and the
    most frequent limiting factor.
    """
    rows = []
    radars = world.radars
    keys = sorted({(r, t, a) for r, t, a, _ in results}, key=lambda k: (k[0], k[1], k[2]))
    for r, target, aspect in keys:
        c50, c90 = results[(r, target, aspect, 0.5)], results[(r, target, aspect, 0.9)]
        sector = c50.limit[0] >= 0
        for a, alt in enumerate(c50.altitudes_m):
            r50, r90 = c50.range_m[a, sector], c90.range_m[a, sector]
            rows.append(
                {
                    "radar": radars.name[r],
                    "radar_type": radars.catalog_name[r],
                    "band": BANDS[radars.band_idx[r]],
                    "target": target,
                    "aspect": aspect,
                    "altitude_m": f"{alt:g}",
                    "range_pd50_km": f"{np.median(r50) / 1e3:.1f}",
                    "range_pd90_km": f"{np.median(r90) / 1e3:.1f}",
                    "horizon_km": f"{c50.horizon_m[a] / 1e3:.1f}",
                    "limit_pd50": _most_common(c50.limit[a, sector]),
                    "limit_pd90": _most_common(c90.limit[a, sector]),
                    "range_pd50_min_km": f"{r50.min() / 1e3:.1f}",
                    "range_pd50_max_km": f"{r50.max() / 1e3:.1f}",
                }
            )
    return rows


def _most_common(limits: np.ndarray) -> str:
    return LIMITS[Counter(limits.tolist()).most_common(1)[0][0]]


def write_table(rows: list[dict], path: Path) -> None:
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def polygons(world: World, results: dict, targets: list[str], pd: float = 0.5) -> list[Polygon]:
    """Nose-aspect coverage polygon per radar x target x altitude at the given Pd."""
    out = []
    for (r, target, aspect, p), c in results.items():
        if aspect != "nose" or p != pd or target not in targets:
            continue
        for a, alt in enumerate(c.altitudes_m):
            xy = _ring(world.radars.xyz[r, :2], c.azimuths_rad, c.range_m[a], c.limit[a] >= 0)
            lat, lon = world.frame.to_geodetic(xy[:, 0], xy[:, 1])
            out.append(
                Polygon(
                    radar=world.radars.name[r],
                    target=target,
                    altitude_m=float(alt),
                    pd=pd,
                    lonlat=np.stack([lon, lat], axis=-1),
                    xy_km=xy / 1e3,
                )
            )
    return out


def _ring(origin_xy, az, reach, in_sector) -> np.ndarray:
    """Closed polygon ring: the arc of detection ranges, through the radar for sectors."""
    pts = origin_xy + reach[:, None] * np.stack([np.sin(az), np.cos(az)], axis=-1)
    if in_sector.all():
        ring = pts
    else:  # start the arc just after the sector's gap so it is contiguous
        start = (np.flatnonzero(~in_sector)[-1] + 1) % len(az)
        order = np.roll(np.arange(len(az)), -start)
        arc = pts[order][in_sector[order]]
        ring = np.vstack([origin_xy, arc, origin_xy])
    return np.vstack([ring, ring[:1]])


def write_coverage(world: World, catalog, results: dict, targets: list[str], out: Path) -> list:
    """All coverage files into the folder ``out``; returns the table rows."""
    rows = table_rows(world, results)
    write_table(rows, out / "detection_ranges.csv")
    polys = polygons(world, results, targets)
    write_geojson(polys, out / "coverage.geojson")
    write_kml(polys, out / "coverage.kml")
    plot_coverage_map(world, polys, out / "coverage.png")
    k_factor = world.scenario.earth.k_factor
    threat = catalog.threats[targets[0]]
    for r in range(len(world.radars)):
        band = BANDS[world.radars.band_idx[r]]
        sigma = 10.0 ** (threat.rcs_dbsm.value[band].nose / 10.0)
        plot_vertical(
            world, r, targets[0], sigma, threat.swerling,
            out / f"vertical_{safe_name(world.radars.name[r])}.png", k_factor,
        )  # fmt: skip
    return rows


def write_geojson(polys: list[Polygon], path: Path) -> None:
    features = [
        {
            "type": "Feature",
            "properties": {
                "radar": p.radar,
                "target": p.target,
                "aspect": "nose",
                "altitude_m": p.altitude_m,
                "pd": p.pd,
            },
            "geometry": {"type": "Polygon", "coordinates": [np.round(p.lonlat, 6).tolist()]},
        }
        for p in polys
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}) + "\n")


def write_kml(polys: list[Polygon], path: Path) -> None:
    """KML 2.2 (OGC 07-147r2): one Placemark with a Polygon per radar x target x altitude."""
    ns = "http://www.opengis.net/kml/2.2"
    ET.register_namespace("", ns)
    kml = ET.Element(f"{{{ns}}}kml")
    doc = ET.SubElement(kml, f"{{{ns}}}Document")
    ET.SubElement(doc, f"{{{ns}}}name").text = "iadsim radar coverage"
    altitudes = sorted({p.altitude_m for p in polys})
    for i in range(len(altitudes)):
        r, g, b, _ = (
            np.array(plt.get_cmap("viridis")(i / max(len(altitudes) - 1, 1))) * 255
        ).astype(int)
        style = ET.SubElement(doc, f"{{{ns}}}Style", id=f"alt{i}")
        line = ET.SubElement(style, f"{{{ns}}}LineStyle")
        ET.SubElement(line, f"{{{ns}}}color").text = f"ff{b:02x}{g:02x}{r:02x}"
        ET.SubElement(line, f"{{{ns}}}width").text = "2"
        poly_style = ET.SubElement(style, f"{{{ns}}}PolyStyle")
        ET.SubElement(poly_style, f"{{{ns}}}color").text = f"40{b:02x}{g:02x}{r:02x}"
    for p in polys:
        mark = ET.SubElement(doc, f"{{{ns}}}Placemark")
        ET.SubElement(
            mark, f"{{{ns}}}name"
        ).text = f"{p.radar} vs {p.target} at {p.altitude_m:g} m (Pd {p.pd:g}, nose)"
        ET.SubElement(mark, f"{{{ns}}}styleUrl").text = f"#alt{altitudes.index(p.altitude_m)}"
        polygon = ET.SubElement(mark, f"{{{ns}}}Polygon")
        ring = ET.SubElement(
            ET.SubElement(polygon, f"{{{ns}}}outerBoundaryIs"), f"{{{ns}}}LinearRing"
        )
        ET.SubElement(ring, f"{{{ns}}}coordinates").text = " ".join(
            f"{lon:.6f},{lat:.6f},0" for lon, lat in p.lonlat
        )
    ET.ElementTree(kml).write(path, encoding="utf-8", xml_declaration=True)


def plot_coverage_map(world: World, polys: list[Polygon], path: Path) -> None:
    """Plan view (km) of the polygons with a lat/lon graticule and a km scale bar."""
    fig, ax = plt.subplots(figsize=(10, 9), dpi=110)
    altitudes = sorted({p.altitude_m for p in polys})
    radars = sorted({p.radar for p in polys})
    targets = sorted({p.target for p in polys})
    styles = ["-", "--", ":", "-."]
    cmap = plt.get_cmap("viridis")
    for p in polys:
        color = cmap(altitudes.index(p.altitude_m) / max(len(altitudes) - 1, 1))
        ax.plot(p.xy_km[:, 0], p.xy_km[:, 1], color=color,
                ls=styles[(radars.index(p.radar) + len(radars) * targets.index(p.target)) % 4],
                lw=1.3, label=f"{p.radar} vs {p.target}, {p.altitude_m:g} m")  # fmt: skip
    ax.scatter(world.units.xyz[:, 0] / 1e3, world.units.xyz[:, 1] / 1e3, marker="^", s=80,
               color="tab:green", edgecolor="black", zorder=5, label="fire unit")  # fmt: skip
    ax.scatter(world.assets_xy[:, 0] / 1e3, world.assets_xy[:, 1] / 1e3, marker="s", s=70,
               color="gold", edgecolor="black", zorder=5, label="defended asset")  # fmt: skip
    ax.autoscale()
    _graticule(ax, world)
    ax.set_aspect("equal", adjustable="box")
    span = np.diff(ax.get_xlim())[0]
    bar = float(10 ** np.floor(np.log10(span / 4)))
    ax.add_artist(AnchoredSizeBar(ax.transData, bar, f"{bar:g} km", "lower right", frameon=True))
    ax.set_xlabel("east of origin [km]")
    ax.set_ylabel("north of origin [km]")
    ax.set_title(f"Detection coverage, Pd {polys[0].pd:g}, nose-on" if polys else "Coverage")
    ax.legend(loc="upper left", fontsize=7, ncol=1)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _graticule(ax, world: World) -> None:
    """Lines of constant latitude and longitude, labelled, over the current map extent."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    corners_x = np.array([x0, x1, x0, x1]) * 1e3
    corners_y = np.array([y0, y0, y1, y1]) * 1e3
    lat, lon = world.frame.to_geodetic(corners_x, corners_y)
    step = _nice_step(max(lat.max() - lat.min(), lon.max() - lon.min()))
    for lat_line in np.arange(np.floor(lat.min() / step) * step, lat.max() + step, step):
        lons = np.linspace(lon.min() - step, lon.max() + step, 100)
        x, y = world.frame.to_map(np.full_like(lons, lat_line), lons)
        ax.plot(x / 1e3, y / 1e3, color="0.75", lw=0.5, zorder=0)
        ax.annotate(f"{lat_line:.4g}°N", (x0, np.interp(x0 * 1e3, x, y) / 1e3), fontsize=7,
                    color="0.4", xytext=(2, 2), textcoords="offset points")  # fmt: skip
    for lon_line in np.arange(np.floor(lon.min() / step) * step, lon.max() + step, step):
        lats = np.linspace(lat.min() - step, lat.max() + step, 100)
        x, y = world.frame.to_map(lats, np.full_like(lats, lon_line))
        ax.plot(x / 1e3, y / 1e3, color="0.75", lw=0.5, zorder=0)
        ax.annotate(f"{lon_line:.4g}°E", (np.interp(y0 * 1e3, y, x) / 1e3, y0), fontsize=7,
                    color="0.4", xytext=(2, 2), textcoords="offset points")  # fmt: skip
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)


def _nice_step(span_deg: float) -> float:
    for step in (0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0):
        if span_deg / step <= 8:
            return step
    return 20.0


def plot_vertical(world: World, r: int, target: str, sigma_m2: float, swerling: int,
                  path: Path, k_factor: float) -> None:  # fmt: skip
    """Range-height-angle diagram on the k Re earth: Pd of a nose-on target over (range, height).

    Heights are above the curved effective earth, with lines of constant elevation angle
    h = sqrt(R^2 + r1^2 + 2 R r1 sin(el)) - a_e (Blake 1980, ch. 6, the "range-height-angle
    chart"). The SNR carries the surface multipath factor F^4, so the low-angle coverage
    shows its lobes (Blake 1980, ch. 8; :func:`iadsim.radar.sensor.multipath_db`).
    """
    radars = world.radars
    a_e = effective_radius_m(k_factor)
    r1 = a_e + radars.xyz[r, 2]
    max_range = radars.max_range_m[r]
    top = 40_000.0
    slant = np.linspace(max_range / 400, max_range, 400)
    height = np.linspace(0.0, top, 200)
    sl, hh = np.meshgrid(slant, height)
    r2 = a_e + hh
    sin_el = (r2**2 - r1**2 - sl**2) / (2 * r1 * sl)
    valid = np.abs(sin_el) <= 1.0
    el = np.arcsin(np.clip(sin_el, -1, 1))
    # Ground range along the effective earth: central angle from the earth-centre triangle.
    theta = np.arctan2(sl * np.cos(el), r1 + sl * np.sin(el))
    geometry = {
        "range_m": sl.reshape(1, -1),
        "elevation_rad": el.reshape(1, -1),
        "ground_m": (a_e * theta).reshape(1, -1),
    }
    snr_db = snr_db_at(radars, np.array([r]), geometry, sigma_m2, hh.reshape(1, -1), k_factor)
    snr_db = snr_db + multipath_db(radars, np.array([r]), geometry, hh.reshape(1, -1), k_factor)
    pd = detection_probability(snr_db, radars.pfa[r], int(radars.n_pulses[r]), int(swerling))
    pd = np.asarray(pd).reshape(sl.shape)
    allowed = valid & (el >= radars.min_elevation_rad[r]) & (el <= radars.max_elevation_rad[r])
    pd = np.where(allowed, pd, np.nan)
    fig, ax = plt.subplots(figsize=(10, 5.5), dpi=110)
    mesh = ax.pcolormesh(
        slant / 1e3, height / 1e3, pd, vmin=0, vmax=1, cmap="Blues", shading="auto"
    )
    cs = ax.contour(slant / 1e3, height / 1e3, np.ma.masked_invalid(pd), levels=[0.5, 0.9],
                    colors=["tab:orange", "tab:red"], linewidths=1.2)  # fmt: skip
    ax.clabel(cs, fmt={0.5: "Pd 0.5", 0.9: "Pd 0.9"}, fontsize=8)
    for el_deg in (0.0, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 45.0):
        e = np.deg2rad(el_deg)
        h = np.sqrt(slant**2 + r1**2 + 2 * slant * r1 * np.sin(e)) - a_e
        ax.plot(slant / 1e3, h / 1e3, color="0.6", lw=0.6)
        inside = np.flatnonzero(h < top)
        if len(inside):
            i = inside[-1]
            ax.annotate(f"{el_deg:g}°", (slant[i] / 1e3, h[i] / 1e3), fontsize=7, color="0.4")
    ax.set_xlim(0, max_range / 1e3)
    ax.set_ylim(0, top / 1e3)
    ax.set_xlabel("slant range [km]")
    ax.set_ylabel(f"height above the {k_factor:.3g}-earth surface [km]")
    ax.set_title(f"{radars.name[r]} vs {target} (nose-on): vertical coverage")
    fig.colorbar(mesh, ax=ax, label="Pd per scan")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def safe_name(name: str) -> str:
    """A file-name-safe version of a radar name ("S400-1/91N6E" -> "S400-1_91N6E")."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)
