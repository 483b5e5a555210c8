"""What the pipeline reports about content: problems with a file, a line and a French message."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["erreur", "avertissement"]


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    column: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}"


class ContentError(Exception):
    """Content that cannot be used; carries every problem found, never a traceback for the user."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def error(path: str, line: int, column: int, message: str) -> Problem:
    return Problem(path, line, column, "erreur", message)


def warning(path: str, line: int, column: int, message: str) -> Problem:
    return Problem(path, line, column, "avertissement", message)


def suggest(word: str, candidates: Iterable[str]) -> str:
    """A French 'did you mean' hint for a near miss, or nothing."""
    match = difflib.get_close_matches(str(word), list(candidates), n=1, cutoff=0.6)
    return f" ; vouliez-vous dire « {match[0]} » ?" if match else ""


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """French agreement: 0 and 1 take the singular."""
    return f"{count} {singular if count <= 1 else plural_form or singular + 's'}"


def summary(problems: list[Problem]) -> str:
    errors = sum(p.severity == "erreur" for p in problems)
    warnings = len(problems) - errors
    files = len({p.path for p in problems})
    return f"{plural(errors, 'erreur')}, {plural(warnings, 'avertissement')} dans {plural(files, 'fichier')}"
