"""How every CLI command reports a user error: one line on stderr, exit code 2."""

from __future__ import annotations

import functools

import typer
from rich.console import Console

from iadsim.errors import IadsimError, one_line

err_console = Console(stderr=True)
_warned: set[str] = set()


def warn_once(message: str) -> None:
    """Print a warning line on stderr, once per message in this process."""
    if message in _warned:
        return
    _warned.add(message)
    _print_line(f"warning: {one_line(message)}")


def _print_line(text: str) -> None:
    err_console.print(text, markup=False, highlight=False, soft_wrap=True)


def user_errors(fn):
    """Decorator: turn an IadsimError into one line on stderr and exit code 2."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except IadsimError as exc:
            _print_line(f"error: {one_line(exc)}")
            raise typer.Exit(2) from None

    return wrapper
