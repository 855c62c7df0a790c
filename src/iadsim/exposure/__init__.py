"""Signature exposure: what a radar learns about an aircraft's RCS over its sorties."""

from iadsim.exposure.analysis import Exposure, analyse, flight_models, summary

__all__ = ["Exposure", "analyse", "flight_models", "summary"]
