"""replay.czml: a run as a CZML document (Cesium's time-dynamic scene format), via czml3.

Entities (packet ids ``kind/name``):

* ``threat/`` and ``interceptor/``: time-tagged positions (LAGRANGE-interpolated samples
  from trajectories.parquet) with a path trailing behind;
* ``track/``: the track picture, each track a point with its 2-sigma position-uncertainty
  ellipsoid (radii and orientation from the eigen-decomposition of the sampled 3 x 3
  position covariance, sampled over time);
* ``coverage/``: per radar, the volume in which it detects the chosen target type at the
  chosen altitude (scene.json coverage ranges per azimuth, a prism from the ground up);
* ``face/``: per radar, its search sector as a partial ellipsoid (clock angles = sector,
  cone angles = elevation limits) turned over time by ``radar_point`` events, or fixed;
* ``asset/``, ``unit/``: defended assets (with their radius) and fire units;
* ``event/``: kill, leak and miss markers, shown from their time to the end of the run.

Every packet carries ``properties.kind`` and an HTML description (what a click shows).
"""

from __future__ import annotations

import html
from collections import Counter
from pathlib import Path

import numpy as np
from czml3 import Document, Packet
from czml3.enums import HeightReferences, InterpolationAlgorithms
from czml3.properties import (
    Clock,
    Color,
    Ellipse,
    Ellipsoid,
    EllipsoidRadii,
    HeightReference,
    Label,
    Material,
    Orientation,
    Point,
    Polygon,
    PolylineMaterial,
    Position,
    PositionList,
    SolidColorMaterial,
)
from czml3.properties import (
    Path as CzmlPath,
)
from czml3.types import TimeInterval
from scipy.spatial.transform import Rotation

from iadsim.errors import UsageError
from iadsim.export.run_folder import RunFolder

TRACK_SIGMA = 2.0  # uncertainty ellipsoids drawn at 2 sigma
COLORS = {
    "threat": [230, 40, 40, 255],
    "interceptor": [40, 120, 255, 255],
    "track": [255, 200, 0, 255],
    "coverage": [60, 200, 90, 50],
    "face": [120, 255, 160, 70],
    "asset": [255, 215, 0, 255],
    "unit": [40, 200, 80, 255],
    "kill": [0, 0, 0, 255],
    "leak": [255, 0, 255, 255],
    "miss": [120, 160, 255, 255],
}
MOVING = ("threat", "interceptor", "track")

GROUND = HeightReference(
    heightReference=HeightReferences.CLAMP_TO_GROUND
)  # sites stand on the run's terrain, if any


def write_czml(run: RunFolder, path: Path, target: str | None = None,
               altitude_m: float | None = None) -> Document:  # fmt: skip
    """Write replay.czml for ``run`` to ``path``; returns the document."""
    doc = build_document(run, target, altitude_m)
    path.write_text(doc.dumps())
    return doc


def build_document(run: RunFolder, target: str | None = None,
                   altitude_m: float | None = None) -> Document:  # fmt: skip
    """The whole scene as a czml3 Document (validated by czml3's pydantic models)."""
    prov = run.scene["provenance"]
    end = run.when(prov["duration_s"])
    clock = Clock(currentTime=run.when(0), multiplier=10,
                  interval=TimeInterval(start=run.when(0), end=end))  # fmt: skip
    packets = [Packet(id="document", name=prov["scenario"], version="1.0", clock=clock)]
    details = _details(run)
    for kind in ("threat", "interceptor"):
        for name, rows in run.entities(kind).items():
            packets.append(_mover(run, kind, name, rows, details.get((kind, name), "")))
    for name, rows in run.entities("track").items():
        packets.append(_track(run, name, rows, details.get(("track", name), "")))
    packets += _coverage(run, target, altitude_m)
    packets += _faces(run)
    packets += _sites(run)
    packets += _events(run)
    return Document(packets=packets)


def _interval(run: RunFolder, t0: float, t1: float) -> TimeInterval:
    return TimeInterval(start=run.when(t0), end=run.when(max(t1, t0)))


def _samples(rows: dict) -> list[float]:
    t = np.asarray(rows["time_s"], float)
    keep = np.concatenate([[True], np.diff(t) > 1e-6]) if len(t) else np.zeros(0, bool)
    s = np.column_stack([t, rows["lon_deg"], rows["lat_deg"], np.asarray(rows["alt_m"], float)])
    return s[keep].ravel().tolist()


def _mover(run: RunFolder, kind: str, name: str, rows: dict, description: str) -> Packet:
    t = rows["time_s"]
    color = COLORS[kind]
    return Packet(
        id=f"{kind}/{name}",
        name=name,
        description=description,
        properties={"kind": kind, "type": str(rows["entity_type"][0])},
        availability=_interval(run, t[0], t[-1]),
        position=Position(
            epoch=run.when(0),
            cartographicDegrees=_samples(rows),
            interpolationAlgorithm=InterpolationAlgorithms.LAGRANGE,
            interpolationDegree=1,
        ),  # fmt: skip
        point=Point(
            pixelSize=9 if kind == "threat" else 7,
            color=Color(rgba=color),
            outlineColor=Color(rgba=[255, 255, 255, 255]),
            outlineWidth=1,
        ),  # fmt: skip
        path=CzmlPath(
            width=2,
            leadTime=0,
            trailTime=600 if kind == "threat" else 300,
            resolution=2,
            material=PolylineMaterial(
                solidColor=SolidColorMaterial(color=Color(rgba=color[:3] + [200]))
            ),
        ),  # fmt: skip
        label=Label(text=name, font="11px sans-serif", show=False),
    )


def _enu_to_ecef(lat_deg: np.ndarray, lon_deg: np.ndarray) -> np.ndarray:
    """(n, 3, 3) rotation with columns east, north, up in Earth-fixed axes (geodetic normal;
    Bowring/Torge: the local-level frame of WGS84)."""
    la, lo = np.deg2rad(lat_deg), np.deg2rad(lon_deg)
    east = np.stack([-np.sin(lo), np.cos(lo), np.zeros_like(lo)], -1)
    north = np.stack([-np.sin(la) * np.cos(lo), -np.sin(la) * np.sin(lo), np.cos(la)], -1)
    up = np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], -1)
    return np.stack([east, north, up], -1)


def covariance_axes(cov6: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sigma along each principal axis (n, 3) and the axes (n, 3, 3, columns, right-handed)
    of position covariances given as (n, 6): xx, yy, zz, xy, xz, yz (map east/north/up)."""
    xx, yy, zz, xy, xz, yz = (cov6[:, i] for i in range(6))
    cov = np.stack([np.stack([xx, xy, xz], -1), np.stack([xy, yy, yz], -1),
                    np.stack([xz, yz, zz], -1)], -2).astype(float)  # fmt: skip
    values, vectors = np.linalg.eigh(cov)
    flip = np.linalg.det(vectors) < 0
    vectors[flip, :, 2] *= -1.0
    return np.sqrt(np.maximum(values, 0.0)), vectors


def _track(run: RunFolder, name: str, rows: dict, description: str) -> Packet:
    t = np.asarray(rows["time_s"], float)
    cov6 = np.column_stack([rows[c] for c in ("cov_xx_m2", "cov_yy_m2", "cov_zz_m2",
                                              "cov_xy_m2", "cov_xz_m2", "cov_yz_m2")])  # fmt: skip
    sigma, axes = covariance_axes(cov6)
    quat = Rotation.from_matrix(_enu_to_ecef(rows["lat_deg"], rows["lon_deg"]) @ axes).as_quat()
    radii = np.maximum(TRACK_SIGMA * sigma, 1.0)
    keep = np.concatenate([[True], np.diff(t) > 1e-6])
    end = t[-1] + 2.0  # a track is shown until its next (missing) sample
    return Packet(
        id=f"track/{name}",
        name=name,
        description=description,
        properties={"kind": "track", "truth": str(rows["truth_id"][-1])},
        availability=_interval(run, t[0], end),
        position=Position(
            epoch=run.when(0),
            cartographicDegrees=_samples(rows),
            interpolationAlgorithm=InterpolationAlgorithms.LINEAR,
        ),  # fmt: skip
        orientation=Orientation(
            epoch=run.when(0), unitQuaternion=np.column_stack([t, quat])[keep].ravel().tolist()
        ),  # fmt: skip
        ellipsoid=Ellipsoid(
            radii=EllipsoidRadii(
                epoch=run.when(0), cartesian=np.column_stack([t, radii])[keep].ravel().tolist()
            ),
            material=Material(solidColor=SolidColorMaterial(color=Color(rgba=[255, 200, 0, 90]))),
            outline=False,
        ),  # fmt: skip
        point=Point(pixelSize=5, color=Color(rgba=COLORS["track"])),
    )


def coverage_fans(run: RunFolder, target: str | None, altitude_m: float | None) -> list[dict]:
    """Per radar that covers anything: the boundary (flat lon, lat, h list) of where it
    detects ``target`` (default: the run's first threat type) at ``altitude_m``."""
    cov = run.scene["coverage"]
    types = [t["type"] for t in run.scene["threats"]]
    target = target or (types[0] if types else None)
    first = next(iter(cov["range_m"].values()), {})
    if target is not None and first and target not in first:
        raise UsageError(f"--target: got {target!r}; allowed (the run's threat types): "
                         f"{sorted(first)}")  # fmt: skip
    alts = cov["altitudes_m"]
    altitude_m = 5000.0 if altitude_m is None else float(altitude_m)
    if altitude_m not in alts:
        raise UsageError(f"--altitude-m: got {altitude_m:g}; allowed: {alts}")
    a = alts.index(altitude_m)
    az = np.deg2rad(cov["azimuths_deg"])
    fans = []
    for radar in run.scene["radars"]:
        if target is None:
            break
        ranges = np.asarray(cov["range_m"][radar["name"]][target][a], float)
        if ranges.any():
            fans.append({"radar": radar, "target": target, "altitude_m": altitude_m,
                         "ranges": ranges, "points": _fan(radar, az, ranges),
                         "aspect": cov["aspect"], "pd": cov["pd"]})  # fmt: skip
    return fans


def _coverage(run: RunFolder, target: str | None, altitude_m: float | None) -> list[Packet]:
    packets = []
    for fan in coverage_fans(run, target, altitude_m):
        radar, ranges = fan["radar"], fan["ranges"]
        packets.append(Packet(
            id=f"coverage/{radar['name']}",
            name=f"{radar['name']} coverage",
            description=_table({"radar": radar["type"], "target": fan["target"],
                                "target altitude m": f"{fan['altitude_m']:g}",
                                "aspect": fan["aspect"], "Pd": fan["pd"],
                                "max range km": f"{ranges.max() / 1e3:.0f}"}),
            properties={"kind": "coverage", "target": fan["target"],
                        "altitude_m": fan["altitude_m"]},
            polygon=Polygon(positions=PositionList(cartographicDegrees=fan["points"]),
                            height=fan["altitude_m"], extrudedHeight=0.0,
                            perPositionHeight=False,
                            material=Material(solidColor=SolidColorMaterial(
                                color=Color(rgba=COLORS["coverage"]))),
                            outline=True, outlineColor=Color(rgba=[60, 200, 90, 160])),
        ))  # fmt: skip
    return packets


def _fan(radar: dict, az: np.ndarray, ranges: np.ndarray) -> list[float]:
    """Boundary of the covered area: the radar site, then range(az) around the sector
    (spherical destination formula on a sphere of the WGS84 mean radius)."""
    inside = ranges > 0
    full = inside.all()
    if not full:  # start just after a gap so the sector is one run of azimuths
        start = int(np.flatnonzero(~inside)[-1]) + 1
        order = np.roll(np.arange(len(az)), -start)
        order = order[inside[order]]
    else:
        order = np.arange(len(az))
    lat, lon = _destination(radar["lat_deg"], radar["lon_deg"], az[order], ranges[order])
    pts = [] if full else [radar["lon_deg"], radar["lat_deg"], 0.0]
    for la, lo in zip(lat, lon, strict=True):
        pts += [float(lo), float(la), 0.0]
    return pts


def _destination(lat_deg, lon_deg, az_rad, dist_m):
    """Point at ``dist_m`` along the great circle with initial azimuth ``az_rad``."""
    r = 6_371_008.8
    la, lo, d = np.deg2rad(lat_deg), np.deg2rad(lon_deg), np.asarray(dist_m) / r
    la2 = np.arcsin(np.sin(la) * np.cos(d) + np.cos(la) * np.sin(d) * np.cos(az_rad))
    lo2 = lo + np.arctan2(np.sin(az_rad) * np.sin(d) * np.cos(la),
                          np.cos(d) - np.sin(la) * np.sin(la2))  # fmt: skip
    return np.rad2deg(la2), np.rad2deg(lo2)


def face_quaternions(lat_deg: float, lon_deg: float, azimuth_deg) -> np.ndarray:
    """(n, 4) [x, y, z, w] orientations of a radar face: body x along the boresight azimuth
    (clockwise from north), z up, y to the left."""
    a = np.deg2rad(np.atleast_1d(np.asarray(azimuth_deg, float)))
    enu = _enu_to_ecef(np.full(len(a), lat_deg), np.full(len(a), lon_deg))
    x = np.stack([np.sin(a), np.cos(a), np.zeros_like(a)], -1)
    y = np.stack([-np.cos(a), np.sin(a), np.zeros_like(a)], -1)
    z = np.broadcast_to([0.0, 0.0, 1.0], x.shape)
    body = np.stack([x, y, z], -1)  # columns in ENU
    return Rotation.from_matrix(enu @ body).as_quat()


def _faces(run: RunFolder) -> list[Packet]:
    pointing = run.face_pointing()
    packets = []
    for radar in run.scene["radars"]:
        if radar["sector_half_width_deg"] >= 179.9:
            continue  # a rotating 360-degree search radar has no face to point
        samples = pointing.get(radar["name"], [(0.0, radar["sector_center_deg"])])
        t = np.array([s[0] for s in samples], float)
        q = face_quaternions(radar["lat_deg"], radar["lon_deg"], [s[1] for s in samples])
        hw = np.deg2rad(radar["sector_half_width_deg"])
        if len(t) > 1:  # hold each pointing until the next event
            orientation = Orientation(
                epoch=run.when(0),
                unitQuaternion=np.column_stack([t, q]).ravel().tolist(),
                interpolationAlgorithm=InterpolationAlgorithms.LINEAR,
            )
        else:
            orientation = Orientation(unitQuaternion=q[0].tolist())  # fmt: skip
        rng = radar["max_range_m"]
        packets.append(Packet(
            id=f"face/{radar['name']}",
            name=f"{radar['name']} face",
            description=_table({"radar": radar["type"], "unit": radar["unit"],
                                "sector": f"±{radar['sector_half_width_deg']:.0f}°",
                                "boresight az": f"{samples[-1][1]:.1f}°",
                                "pointing": "radar_point events" if len(samples) > 1
                                else "fixed (scenario)",
                                "instrumented range km": f"{rng / 1e3:.0f}"}),
            properties={"kind": "face", "pointing": [list(s) for s in samples]},
            position=Position(cartographicDegrees=[radar["lon_deg"], radar["lat_deg"],
                                                   radar["alt_m"]]),
            orientation=orientation,
            ellipsoid=Ellipsoid(
                radii=EllipsoidRadii(cartesian=[rng, rng, rng]),
                minimumClock=-hw, maximumClock=hw,
                minimumCone=np.pi / 2 - np.deg2rad(radar["max_elevation_deg"]),
                maximumCone=np.pi / 2 - np.deg2rad(radar["min_elevation_deg"]),
                material=Material(solidColor=SolidColorMaterial(color=Color(rgba=COLORS["face"]))),
                outline=True, outlineColor=Color(rgba=[120, 255, 160, 120]),
                slicePartitions=24, stackPartitions=12,
            ),
        ))  # fmt: skip
    return packets


def _sites(run: RunFolder) -> list[Packet]:
    """Defended assets and fire units, clamped to the viewer's terrain (the run's DEM)."""
    packets = []
    for a in run.scene["defended_assets"]:
        packets.append(Packet(
            id=f"asset/{a['name']}", name=a["name"],
            description=_table({"defended asset": a["name"], "value": a["value"],
                                "radius km": f"{a['radius_m'] / 1e3:g}"}),
            properties={"kind": "asset"},
            position=Position(cartographicDegrees=[a["lon_deg"], a["lat_deg"], 0.0]),
            point=Point(pixelSize=12, color=Color(rgba=COLORS["asset"]), heightReference=GROUND,
                        outlineColor=Color(rgba=[0, 0, 0, 255]), outlineWidth=1),
            ellipse=Ellipse(semiMajorAxis=a["radius_m"], semiMinorAxis=a["radius_m"],
                            material=Material(solidColor=SolidColorMaterial(
                                color=Color(rgba=[255, 215, 0, 60])))),
            label=Label(text=a["name"], font="13px sans-serif", heightReference=GROUND,
                        fillColor=Color(rgba=[255, 255, 255, 255])),
        ))  # fmt: skip
    for u in run.scene["fire_units"]:
        packets.append(Packet(
            id=f"unit/{u['name']}", name=u["name"],
            description=_table({"fire unit": u["name"], "system": u["system"]}),
            properties={"kind": "unit"},
            position=Position(cartographicDegrees=[u["lon_deg"], u["lat_deg"], 0.0]),
            point=Point(pixelSize=11, color=Color(rgba=COLORS["unit"]), heightReference=GROUND,
                        outlineColor=Color(rgba=[0, 0, 0, 255]), outlineWidth=1),
            label=Label(text=u["name"], font="12px sans-serif", heightReference=GROUND,
                        fillColor=Color(rgba=[200, 255, 200, 255])),
        ))  # fmt: skip
    return packets


def _events(run: RunFolder) -> list[Packet]:
    end = run.scene["provenance"]["duration_s"]
    packets = []
    for j, e in enumerate(run.events_of("kill", "leak", "miss")):
        kind = e["kind"]
        packets.append(Packet(
            id=f"event/{kind}/{j}", name=f"{kind} {e['entity_id']}",
            description=_table({"event": kind, "time s": f"{e['time_s']:.1f}",
                                "entity": e["entity_id"], "other": e["other_id"],
                                "detail": e["detail"]}),
            properties={"kind": "event", "event": kind},
            availability=_interval(run, e["time_s"], end),
            position=Position(cartographicDegrees=[e["lon_deg"], e["lat_deg"], e["alt_m"]]),
            point=Point(pixelSize=12 if kind != "miss" else 7, color=Color(rgba=COLORS[kind]),
                        outlineColor=Color(rgba=[255, 255, 255, 255]), outlineWidth=2),
        ))  # fmt: skip
    return packets


def _table(rows: dict) -> str:
    cells = "".join(
        f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>"
        for k, v in rows.items()
    )
    return f'<table class="iadsim-detail">{cells}</table>'


def _details(run: RunFolder) -> dict[tuple[str, str], str]:
    """The click-details of each moving entity, from the event log."""
    ev = run.events.select(["time_s", "kind", "entity_id", "other_id", "detail"]).to_pylist()
    detections = Counter(e["other_id"] for e in ev if e["kind"] == "detect")
    types = {t["id"]: t["type"] for t in run.scene["threats"]}
    killed_by, leaked = {}, set()
    launches, ends, track_of = {}, {}, {}
    for e in ev:
        if e["kind"] == "kill":
            killed_by[e["entity_id"]] = (e["other_id"], e["time_s"])
        elif e["kind"] == "leak":
            leaked.add(e["entity_id"])
        elif e["kind"] == "launch":
            launches[e["entity_id"]] = e
        elif e["kind"] in ("intercept", "miss") and e["entity_id"] in launches:
            ends[e["entity_id"]] = e
    tracks = run.entities("track")
    for name, rows in tracks.items():
        track_of.setdefault(str(rows["truth_id"][-1]), []).append(name)
    out = {}
    for tid, ttype in types.items():
        shot = killed_by.get(tid)
        out[("threat", tid)] = _table({
            "threat": tid, "type": ttype, "detections": detections.get(tid, 0),
            "tracks": ", ".join(track_of.get(tid, [])) or "none",
            "outcome": f"killed by {shot[0]} at {shot[1]:.1f} s" if shot
            else ("leaked" if tid in leaked else "survived"),
        })  # fmt: skip
    killers = {v[0]: k for k, v in killed_by.items()}
    for name, launch in launches.items():
        end = ends.get(name)
        outcome = (
            f"killed {killers[name]}"
            if name in killers
            else f"{end['kind']}: {end['detail']}"
            if end
            else "in flight at the end"
        )
        out[("interceptor", name)] = _table({
            "interceptor": name, "type": launch["detail"], "launched s": f"{launch['time_s']:.1f}",
            "fired at track": launch["other_id"],
            "target": end["other_id"] if end else "", "outcome": outcome,
            "ended s": f"{end['time_s']:.1f}" if end else "",
        })  # fmt: skip
    for name, rows in tracks.items():
        held = str(rows["truth_id"][-1]) or "false track"
        horizontal_sigma = np.sqrt(rows["cov_xx_m2"][-1] + rows["cov_yy_m2"][-1])
        out[("track", name)] = _table({
            "track": name, "holds": held, "first firm s": f"{rows['time_s'][0]:.1f}",
            "last sample s": f"{rows['time_s'][-1]:.1f}",
            "horizontal sigma m (last)": f"{horizontal_sigma:.0f}",
        })  # fmt: skip
    return out
