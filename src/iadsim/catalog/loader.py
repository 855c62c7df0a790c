"""Load and cross-check the bundled catalog (``catalog/data/*.yaml``)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from iadsim.catalog.schema import CatalogFile
from iadsim.errors import CatalogError
from iadsim.validation import first_error_message


def _read_yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CatalogError(f"{path}: invalid YAML: {exc}".replace("\n", " ")) from None
    if not isinstance(data, dict):
        raise CatalogError(f"{path}: expected a mapping of sections, got {type(data).__name__}")
    return data


def load_catalog_dir(directory: Path) -> CatalogFile:
    """Read every YAML file in ``directory`` and merge them into one checked catalog."""
    merged: dict[str, dict] = {"radars": {}, "missiles": {}, "systems": {}, "threats": {}}
    origin: dict[tuple[str, str], Path] = {}
    for path in sorted(directory.glob("*.yaml")):
        data = _read_yaml(path)
        try:
            part = CatalogFile.model_validate(data)
        except ValidationError as err:
            raise CatalogError(first_error_message(err, str(path), data)) from None
        for section in merged:
            for key, entry in getattr(part, section).items():
                if key in merged[section]:
                    raise CatalogError(
                        f"{path}: {section}.{key}: duplicate entry; "
                        f"already defined in {origin[(section, key)]}"
                    )
                merged[section][key] = entry
                origin[(section, key)] = path
    catalog = CatalogFile.model_construct(**merged)
    _check_references(catalog, origin)
    return catalog


def _check_references(catalog: CatalogFile, origin: dict) -> None:
    for key, missile in catalog.missiles.items():
        if missile.system not in catalog.systems:
            raise CatalogError(
                f"{origin[('missiles', key)]}: missiles.{key}.system: got {missile.system!r}; "
                f"allowed systems: {sorted(catalog.systems)}"
            )
    for key, system in catalog.systems.items():
        where = f"{origin[('systems', key)]}: systems.{key}"
        for i, radar in enumerate(system.radars):
            if radar not in catalog.radars:
                raise CatalogError(
                    f"{where}.radars[{i}]: got {radar!r}; allowed radars: {sorted(catalog.radars)}"
                )
        if all(catalog.radars[r].role == "surveillance" for r in system.radars):
            raise CatalogError(
                f"{where}.radars: got {system.radars}; a fire unit needs an engagement or "
                "multifunction radar to guide its missiles"
            )
        for i, missile in enumerate(system.missiles):
            if missile not in catalog.missiles:
                raise CatalogError(
                    f"{where}.missiles[{i}]: got {missile!r}; "
                    f"allowed missiles: {sorted(catalog.missiles)}"
                )
        for missile, count in system.default_loadout.items():
            if missile not in system.missiles:
                raise CatalogError(
                    f"{where}.default_loadout: got {missile!r}; allowed: {system.missiles}"
                )
            if count < 0:
                raise CatalogError(f"{where}.default_loadout.{missile}: got {count}; must be >= 0")


@cache
def load_catalog() -> CatalogFile:
    """The catalog that ships with iadsim (cached)."""
    directory = Path(str(resources.files("iadsim.catalog") / "data"))
    return load_catalog_dir(directory)
