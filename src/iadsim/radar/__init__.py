"""Radar physics: the range equation, detection statistics, horizon, RCS and the sensor."""

from iadsim.radar.detection import (
    albersheim_snr_db,
    detection_probability,
    required_snr_db,
    shnidman_snr_db,
)
from iadsim.radar.equation import radar_max_range_m, radar_snr_db
from iadsim.radar.horizon import horizon_range_m

__all__ = [
    "albersheim_snr_db",
    "detection_probability",
    "horizon_range_m",
    "radar_max_range_m",
    "radar_snr_db",
    "required_snr_db",
    "shnidman_snr_db",
]
