"""Exports of a run folder to scene formats other tools read: CZML (Cesium) and KML."""
