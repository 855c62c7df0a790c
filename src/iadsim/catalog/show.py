"""Rich tables for ``iadsim catalog``: the listing and one entry with its sources."""

from __future__ import annotations

from pydantic import BaseModel
from rich.table import Table

from iadsim.catalog.schema import CatalogFile

SECTIONS = ("systems", "radars", "missiles", "threats")


def listing_table(catalog: CatalogFile) -> Table:
    table = Table(title="iadsim catalog")
    table.add_column("kind")
    table.add_column("key")
    table.add_column("name")
    for section in SECTIONS:
        for key, entry in getattr(catalog, section).items():
            table.add_row(section[:-1], key, entry.name)
    return table


def find_entry(catalog: CatalogFile, name: str) -> tuple[str, str, BaseModel] | None:
    for section in SECTIONS:
        entries = getattr(catalog, section)
        if name in entries:
            return section, name, entries[name]
    return None


def _flatten(prefix: str, value) -> list[tuple[str, str, str, str]]:
    """(field, value, estimate, source) rows for a catalog model, recursing into parts."""
    fields = type(value).model_fields if isinstance(value, BaseModel) else {}
    if "source" in fields:
        if "value" in fields:
            shown = value.value
        else:  # a sourced group of figures (a drag curve): its own fields
            shown = "; ".join(f"{k}={getattr(value, k)}" for k in fields
                              if k not in ("source", "estimate", "note"))  # fmt: skip
        if isinstance(shown, dict):
            shown = "; ".join(
                f"{band}: " + "/".join(f"{x:g}" for x in v.model_dump().values())
                for band, v in shown.items()
            )
        note = f" ({value.note})" if value.note else ""
        return [
            (prefix, f"{shown}", "estimate" if value.estimate else "sourced", value.source + note)
        ]
    if isinstance(value, BaseModel):
        rows = []
        for field in type(value).model_fields:
            rows += _flatten(f"{prefix}.{field}" if prefix else field, getattr(value, field))
        return rows
    if value is None:
        return []
    return [(prefix, str(value), "", "")]


def entry_table(section: str, key: str, entry: BaseModel) -> Table:
    table = Table(title=f"{section[:-1]} {key}", show_lines=False)
    table.add_column("field")
    table.add_column("value")
    table.add_column("flag")
    table.add_column("source", overflow="fold")
    for row in _flatten("", entry):
        table.add_row(*row)
    return table
