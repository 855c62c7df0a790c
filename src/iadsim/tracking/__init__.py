"""Multi-target tracking: batched Kalman / IMM filtering, sparse gating, GNN and JPDA
association, track management, track-quality summaries."""

from iadsim.tracking.quality import TrackLog, summarize_tracks
from iadsim.tracking.tracker import COASTING, CONFIRMED, TENTATIVE, Tracker, TrackEvent

__all__ = [
    "COASTING",
    "CONFIRMED",
    "TENTATIVE",
    "TrackEvent",
    "TrackLog",
    "Tracker",
    "summarize_tracks",
]
