"""Threat evaluation on the track picture: what each track threatens, how soon, how much.

For each track (state from the picture, never the truth) against each defended asset:
the closest point of approach (CPA) of the straight-line extrapolation and its time, the
predicted impact point where the track's altitude would reach the ground (ballistic
tracks), and the time-to-go. A track threatens an asset when its predicted CPA (or impact
point) falls within the asset's radius plus a weapon-release margin; its threat value is
the largest value it threatens times the doctrine's class priority (Roux & van Vuuren,
"Threat evaluation and weapon assignment decision support: a review of the state of the
art", ORiON 23(2), 2007, sec. 3: capability-, intent- and proximity-based parameters).

The class of a track comes from its kinematics (a radar picture carries no truth label):
speed over 1,000 m/s -> ballistic missile; under 80 m/s -> drone; below 1,000 m altitude
at more than 150 m/s -> cruise missile; otherwise aircraft. This is the usual first cut of
kinematic classification (Blackman & Popoli 1999, sec. 13.1); real systems add IFF and
non-cooperative target recognition.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iadsim.truth.trajectories import G0

RELEASE_MARGIN_M = 50_000.0  # stand-off weapon release distance counted as a threat
UNTHREATENING_FRACTION = 0.1  # a hostile track heading elsewhere keeps some value


@dataclass
class ThreatAssessment:
    """Per-track results (axis 0 = track)."""

    threat_class: np.ndarray  # str
    time_to_go_s: np.ndarray  # to the CPA (or impact) with the threatened asset; inf if none
    value: np.ndarray  # threatened value x class priority
    asset: np.ndarray  # index of the most valuable threatened asset, -1 if none

    def take(self, rows: np.ndarray) -> ThreatAssessment:
        """The assessment of the tracks ``rows`` (indices or a mask)."""
        return ThreatAssessment(*(getattr(self, f)[rows] for f in self.__dataclass_fields__))


def classify(track_xyz: np.ndarray, track_vel: np.ndarray) -> np.ndarray:
    """Kinematic classification of tracks (module docstring). (n, 3), (n, 3) -> (n,) str."""
    speed = np.linalg.norm(track_vel, axis=-1)
    alt = track_xyz[:, 2]
    return np.select(
        [speed > 1000.0, speed < 80.0, (alt < 1000.0) & (speed > 150.0)],
        ["ballistic_missile", "drone", "cruise_missile"],
        default="aircraft",
    )


def closest_approach(track_xyz, track_vel, assets_xy) -> tuple[np.ndarray, np.ndarray]:
    """Ground-plane CPA distance and time (>= 0) of each track to each asset: (n, a) each."""
    rel = assets_xy[None, :, :] - track_xyz[:, None, :2]
    v = track_vel[:, None, :2]
    vv = np.sum(v * v, axis=-1)
    t = np.clip(np.sum(rel * v, axis=-1) / np.maximum(vv, 1e-9), 0.0, None)
    miss = np.linalg.norm(rel - v * t[..., None], axis=-1)
    return miss, t


def impact_point(track_xyz, track_vel) -> tuple[np.ndarray, np.ndarray]:
    """Ground point and time where a ballistic (drag-free) track would land: (n, 2), (n,)."""
    z, vz = track_xyz[:, 2], track_vel[:, 2]
    t = (vz + np.sqrt(vz**2 + 2.0 * G0 * np.maximum(z, 0.0))) / G0
    return track_xyz[:, :2] + track_vel[:, :2] * t[:, None], t


def assess(
    track_xyz: np.ndarray,
    track_vel: np.ndarray,
    assets_xy: np.ndarray,
    asset_value: np.ndarray,
    asset_radius_m: np.ndarray,
    priority_of,
) -> ThreatAssessment:
    """Threat class, time-to-go and value of every track (``priority_of(class) -> float``)."""
    n = len(track_xyz)
    cls = classify(track_xyz, track_vel) if n else np.zeros(0, str)
    miss, t_cpa = closest_approach(track_xyz, track_vel, assets_xy)
    ballistic = cls == "ballistic_missile"
    if ballistic.any():
        point, t_imp = impact_point(track_xyz[ballistic], track_vel[ballistic])
        miss[ballistic] = np.linalg.norm(assets_xy[None] - point[:, None], axis=-1)
        t_cpa[ballistic] = t_imp[:, None]
    threatened = miss <= asset_radius_m[None, :] + RELEASE_MARGIN_M
    worth = np.where(threatened, asset_value[None, :], UNTHREATENING_FRACTION * asset_value[None])
    asset = np.where(threatened.any(axis=1), np.argmax(worth, axis=1), -1)
    ttg = np.where(threatened, t_cpa, np.inf).min(axis=1) if len(assets_xy) else np.full(n, np.inf)
    names, which = np.unique(cls, return_inverse=True)  # one doctrine lookup per class
    priority = np.array([priority_of(c) for c in names], float)[which] if n else np.zeros(0)
    value = (worth.max(axis=1) if len(assets_xy) else np.zeros(n)) * priority
    return ThreatAssessment(cls, ttg, value, asset)
