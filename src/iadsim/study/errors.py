"""The study layer's user-facing error."""

from __future__ import annotations

from iadsim.errors import IadsimError


class StudyError(IadsimError):
    """A study could not finish or its files disagree (a worker died, duplicate rows...)."""
