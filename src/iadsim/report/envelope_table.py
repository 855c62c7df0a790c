"""The flown-vs-published envelope of catalog missiles: envelope.json and the docs table.

``envelope_summary`` is what ``iadsim envelope`` writes as envelope.json (head-on maximum
range at the best altitude, ceiling, the published figures the catalog cites, the motor's
implied burnout figures and the flown boundary curves); ``envelope_table`` is the markdown
table in docs/models.md, printed by ``iadsim envelope-table`` (a test keeps the two equal).
"""

from __future__ import annotations

import numpy as np

from iadsim.engage.airframe import burnout_mass_kg, from_catalog, ideal_delta_v
from iadsim.engage.envelope import CROSSING_SPEED_RATIO, Envelope
from iadsim.engage.flyout_kernel import MIN_USEFUL_SPEED_MPS


def boundary(envelope: Envelope, needed_speed_mps: float) -> tuple[np.ndarray, np.ndarray]:
    """(ground_km, altitude_km) of the reachable region's outer edge."""
    reach = envelope.reach_m(envelope.altitudes_m, needed_speed_mps)
    keep = reach > 0
    return reach[keep] / 1e3, envelope.altitudes_m[keep] / 1e3


def envelope_summary(name: str, missile, envelope: Envelope, target: str,
                     target_speed_mps: float) -> dict:  # fmt: skip
    """The content of envelope.json for one missile (module docstring)."""
    air = from_catalog({name: missile})
    flown_r, flown_h = envelope.max_range_m / 1e3, envelope.max_altitude_m / 1e3
    pub_r, pub_h = missile.max_range_km.value, missile.max_altitude_km.value
    curves = {}
    for label, need in (("head_on", MIN_USEFUL_SPEED_MPS),
                        ("crossing", CROSSING_SPEED_RATIO * target_speed_mps)):  # fmt: skip
        ground, alt = boundary(envelope, need)
        curves[label] = {"needed_speed_mps": float(need), "ground_km": ground.round(2).tolist(),
                         "altitude_km": alt.round(2).tolist()}  # fmt: skip
    return {
        "missile": name,
        "target": target,
        "max_range_km": round(flown_r, 1),
        "max_altitude_km": round(flown_h, 1),
        "published_max_range_km": pub_r,
        "published_max_range_source": missile.max_range_km.source,
        "published_max_altitude_km": pub_h,
        "published_max_altitude_source": missile.max_altitude_km.source,
        "range_gap": round(flown_r / pub_r - 1.0, 3),
        "altitude_gap": round(flown_h / pub_h - 1.0, 3),
        "ideal_delta_v_mps": round(float(ideal_delta_v(air.params)[0]), 0),
        "burnout_mass_kg": round(float(burnout_mass_kg(air.params)[0]), 1),
        "curves": curves,
    }


def envelope_table(rows: list[dict]) -> str:
    """Markdown table of flown vs published range and ceiling (one summary per row)."""
    lines = [
        "| missile | flown max range km | published km | gap | flown ceiling km | published km "
        "| gap | ideal delta-v m/s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['missile']} | {r['max_range_km']:.0f} | {r['published_max_range_km']:g} | "
            f"{r['range_gap']:+.0%} | {r['max_altitude_km']:.0f} | "
            f"{r['published_max_altitude_km']:g} | {r['altitude_gap']:+.0%} | "
            f"{r['ideal_delta_v_mps']:.0f} |"
        )
    return "\n".join(lines)
