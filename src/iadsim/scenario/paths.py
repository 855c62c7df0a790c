"""Dotted field paths into a scenario (``threats[0].count``), for sweeps and messages."""

from __future__ import annotations

import re
from typing import Any

_TOKEN = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")


def split_path(path: str) -> list[str | int]:
    """``threats[0].count`` -> ["threats", 0, "count"]; ValueError if malformed."""
    parts: list[str | int] = []
    for piece in path.split("."):
        pos = 0
        for match in _TOKEN.finditer(piece):
            if match.start() != pos:
                raise ValueError(f"malformed field path {path!r}")
            parts.append(match.group(1) if match.group(1) else int(match.group(2)))
            pos = match.end()
        if pos != len(piece) or not piece:
            raise ValueError(f"malformed field path {path!r}")
    return parts


def get_path(data: Any, path: str) -> Any:
    """The value at ``path`` in nested dicts/lists; KeyError naming the path if absent."""
    return _walk(data, split_path(path), path)


def set_path(data: Any, path: str, new: Any) -> None:
    """Set the value at ``path`` (which must exist) in nested dicts/lists, in place."""
    parts = split_path(path)
    parent = _walk(data, parts[:-1], path)
    _walk(parent, parts[-1:], path)  # the leaf must exist too
    parent[parts[-1]] = new


def _walk(data: Any, parts: list[str | int], path: str) -> Any:
    for part in parts:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            raise KeyError(path) from None
    return data
