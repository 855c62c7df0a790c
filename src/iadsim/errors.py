"""One exception type per layer, each carrying a message meant for the user.

The CLI prints ``str(error)`` as one line on stderr and exits with code 2.
"""

from __future__ import annotations


class IadsimError(Exception):
    """Base of every user-facing iadsim error."""


class ScenarioError(IadsimError):
    """A scenario file is missing, unreadable or invalid."""


class CatalogError(IadsimError):
    """A catalog entry is missing or invalid."""


class UsageError(IadsimError):
    """A command-line argument or API call is invalid."""


class ArgumentError(IadsimError, ValueError):
    """A library function got an argument outside what it accepts (see iadsim.checks)."""


def format_location(file: str | None, path: str | None, value: object, allowed: str) -> str:
    """Build the one-line message: file, field path, bad value and what is allowed."""
    where = file or "<input>"
    field = f": {path}" if path else ""
    return f"{where}{field}: got {short_repr(value)}; {allowed}"


def one_line(text: str) -> str:
    """``text`` with every line break or other unprintable character escaped, so a message
    stays one line whatever the input held (a key may contain U+001E, a record separator)."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)


def short_text(text: str, limit: int = 120) -> str:
    """One line of at most ``limit`` characters (a message must never run to gigabytes)."""
    text = one_line(" ".join(str(text).split()))
    return text if len(text) <= limit else text[: limit - 3] + "..."


def short_repr(value: object, limit: int = 80) -> str:
    """``repr(value)`` cut to ``limit`` characters, computed without expanding huge values."""
    if isinstance(value, list | tuple | dict | set) and len(value) > 20:
        return f"<{type(value).__name__} of {len(value)} items>"
    try:
        text = repr(value)
    except RecursionError:
        return f"<deeply nested {type(value).__name__}>"
    return short_text(text, limit)
