"""Multi-target tracking: batched Kalman filtering, gating, GNN association, track management."""

from iadsim.tracking.tracker import CONFIRMED, TENTATIVE, Tracker

__all__ = ["CONFIRMED", "TENTATIVE", "Tracker"]
