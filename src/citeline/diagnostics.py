"""Diagnostics: placed, human-readable problems found in a timeline.

Each one prints as ``FILE:LINE:COL: error: MESSAGE`` (or ``warning:``), the
form compilers use, so editors and terminals can jump to the place.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from citeline.wording import counted


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    file: str
    line: int | None
    column: int | None
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        place = self.file
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        return f"{place}: {self.severity.value}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


class TimelineError(Exception):
    """Raised when a timeline cannot be loaded; carries every diagnostic."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` when a choice is close to ``word``, else ``""``."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def closest(word: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """Up to ``n`` choices that look like ``word``, best first."""
    return difflib.get_close_matches(word, list(choices), n=n, cutoff=0.5)


def summary_line(errors: int, warnings: int) -> str:
    """``2 errors, 1 warning`` (or ``no problems``)."""
    if not errors and not warnings:
        return "no problems"
    parts = []
    if errors:
        parts.append(counted(errors, "error"))
    if warnings:
        parts.append(counted(warnings, "warning"))
    return ", ".join(parts)
