"""The system catalog: radars, missiles, systems and threats, each figure with its source.

The vocabularies (bands, aspects, threat classes) import at once; the pydantic schema and
the loader load on first use, so the command line starts fast.
"""

from iadsim.catalog.names import ASPECTS, BANDS, THREAT_CLASSES

__all__ = [
    "ASPECTS",
    "BANDS",
    "THREAT_CLASSES",
    "CatalogFile",
    "Sourced",
    "load_catalog",
    "load_catalog_dir",
]

_LAZY = {
    "CatalogFile": "iadsim.catalog.schema",
    "Sourced": "iadsim.catalog.schema",
    "load_catalog": "iadsim.catalog.loader",
    "load_catalog_dir": "iadsim.catalog.loader",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'iadsim.catalog' has no attribute {name!r}")
