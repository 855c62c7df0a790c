"""replay.kml: a run for Google Earth (simplekml), with time spans for its time slider.

Threats, interceptors and tracks as ``gx:Track`` (time-tagged positions, absolute
altitude), kill / leak / miss markers with a ``TimeSpan`` from their time to the end of the
run, radar coverage at the chosen target altitude as polygons, defended assets and fire
units as placemarks. Times are seconds after :data:`iadsim.export.run_folder.EPOCH`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import simplekml

from iadsim.export.czml import _details, coverage_fans
from iadsim.export.run_folder import RunFolder

_KML_COLORS = {  # aabbggrr
    "threat": "ff2828e6",
    "interceptor": "ffff7828",
    "track": "ff00c8ff",
    "kill": "ff000000",
    "leak": "ffff00ff",
    "miss": "ffffa078",
}


def _iso(run: RunFolder, seconds: float) -> str:
    return run.when(seconds).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def write_kml(run: RunFolder, path: Path, target: str | None = None,
              altitude_m: float | None = None) -> simplekml.Kml:  # fmt: skip
    """Write replay.kml for ``run`` to ``path``; returns the document."""
    prov = run.scene["provenance"]
    kml = simplekml.Kml(name=prov["scenario"])
    details = _details(run)
    for kind in ("threat", "interceptor", "track"):
        folder = kml.newfolder(name=f"{kind}s")
        for name, rows in run.entities(kind).items():
            keep = np.concatenate([[True], np.diff(rows["time_s"]) > 1e-6])
            trk = folder.newgxtrack(name=name, altitudemode=simplekml.AltitudeMode.absolute,
                                    description=details.get((kind, name), ""))  # fmt: skip
            trk.newwhen([_iso(run, t) for t in rows["time_s"][keep]])
            trk.newgxcoord(list(zip(rows["lon_deg"][keep].tolist(), rows["lat_deg"][keep].tolist(),
                                    np.asarray(rows["alt_m"], float)[keep].tolist(),
                                    strict=True)))  # fmt: skip
            trk.style.linestyle.color = _KML_COLORS[kind]
            trk.style.linestyle.width = 2
            trk.style.iconstyle.color = _KML_COLORS[kind]
            trk.style.iconstyle.scale = 0.6
    end = _iso(run, prov["duration_s"])
    events = kml.newfolder(name="events")
    for e in run.events_of("kill", "leak", "miss"):
        pnt = events.newpoint(name=f"{e['kind']} {e['entity_id']}",
                              coords=[(e["lon_deg"], e["lat_deg"], e["alt_m"])],
                              altitudemode=simplekml.AltitudeMode.absolute,
                              description=f"{e['kind']} at {e['time_s']:.1f} s: {e['entity_id']} "
                              f"{e['other_id']} {e['detail']}")  # fmt: skip
        pnt.timespan.begin = _iso(run, e["time_s"])
        pnt.timespan.end = end
        pnt.style.iconstyle.color = _KML_COLORS[e["kind"]]
    cover = kml.newfolder(name="radar coverage")
    for fan in coverage_fans(run, target, altitude_m):
        flat = fan["points"]
        ring = [(flat[i], flat[i + 1], fan["altitude_m"]) for i in range(0, len(flat), 3)]
        pol = cover.newpolygon(
            name=f"{fan['radar']['name']} coverage",
            outerboundaryis=ring + ring[:1],
            altitudemode=simplekml.AltitudeMode.absolute,
            extrude=1,
        )
        pol.style.polystyle.color = "3250c83c"
        pol.style.linestyle.color = "a050c83c"
    sites = kml.newfolder(name="sites")
    for a in run.scene["defended_assets"]:
        sites.newpoint(name=a["name"], coords=[(a["lon_deg"], a["lat_deg"])])
    for u in run.scene["fire_units"]:
        sites.newpoint(name=u["name"], coords=[(u["lon_deg"], u["lat_deg"])],
                       description=u["system"])  # fmt: skip
    path.write_text(kml.kml())
    return kml
