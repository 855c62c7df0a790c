"""Turn a pydantic ValidationError into the one-line message users see."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from iadsim.errors import short_repr, short_text

_MISSING = object()


def _dig(data: Any, loc: tuple) -> Any:
    for key in loc:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return _MISSING
    return data


def _allowed(error: dict) -> str:
    kind = error["type"]
    if kind == "missing":
        return "this field is required"
    if kind == "extra_forbidden":
        return "unknown field; check the spelling against docs/scenario-format.md"
    if kind in ("float_type", "int_type", "int_from_float") and isinstance(
        error.get("input"), bool | str
    ):
        what = "true/false" if isinstance(error["input"], bool) else "text"
        return f"must be a {'whole ' if kind != 'float_type' else ''}number, not {what}"
    msg = error["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    return msg


def first_error_message(err: ValidationError, file: str, data: Any) -> str:
    """Describe the first validation error as ``file: field.path: got VALUE; allowed``."""
    error = err.errors()[0]
    loc = tuple(error["loc"])
    path = ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in loc)
    path = path.replace(".[", "[")
    value = _dig(data, loc)
    if error["type"] == "missing":
        return f"{file}: {path}: missing; {_allowed(error)}"
    shown = error.get("input") if value is _MISSING else value
    return f"{file}: {path}: got {short_repr(shown)}; {short_text(_allowed(error), 200)}"
