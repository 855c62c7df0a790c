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


def format_location(file: str | None, path: str | None, value: object, allowed: str) -> str:
    """Build the one-line message: file, field path, bad value and what is allowed."""
    where = file or "<input>"
    field = f": {path}" if path else ""
    return f"{where}{field}: got {value!r}; {allowed}"
