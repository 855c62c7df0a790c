"""Geodesy for iadsim: the scenario map frame and effective-earth radar geometry."""

from iadsim.geo.earth import EARTH_RADIUS_M, effective_radius_m, polar_to_map, radar_geometry
from iadsim.geo.frames import MapFrame

__all__ = ["EARTH_RADIUS_M", "MapFrame", "effective_radius_m", "polar_to_map", "radar_geometry"]
