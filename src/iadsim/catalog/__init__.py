"""The system catalog: radars, missiles, systems and threats, each figure with its source."""

from iadsim.catalog.loader import load_catalog, load_catalog_dir
from iadsim.catalog.schema import ASPECTS, BANDS, THREAT_CLASSES, CatalogFile, Sourced

__all__ = [
    "ASPECTS",
    "BANDS",
    "THREAT_CLASSES",
    "CatalogFile",
    "Sourced",
    "load_catalog",
    "load_catalog_dir",
]
