"""What the pipeline reports about content: problems with a file, a line and a French message."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from .text import slugify

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


def names_index(names: Mapping[str, str]) -> dict[str, str]:
    """Identifier by the slug of itself and of its title or label, for `hint` (`CCAS de Koungou` → ccas-koungou)."""
    index = {slugify(title): ident for ident, title in names.items() if title}
    index.update((slugify(ident), ident) for ident in names)
    return index


def hint(value: str, index: Mapping[str, str]) -> str:
    """A French 'did you mean' for a title or a label written where an identifier is expected.

    The value is made an identifier by the one slug rule; if that is an identifier, or the slug of an
    identifier's title or label, that identifier is suggested; otherwise the nearest by spelling, if any.
    """
    wanted = slugify(str(value))
    if wanted in index:
        return f" ; vouliez-vous dire « {index[wanted]} » ?"
    match = difflib.get_close_matches(wanted, list(index), n=1, cutoff=0.6)
    return f" ; vouliez-vous dire « {index[match[0]]} » ?" if match else ""


def field_path(loc: Iterable[str | int]) -> str:
    """A field's place as messages name it: `sources › n° 2 › url`."""
    return " › ".join(f"n° {part + 1}" if isinstance(part, int) else str(part) for part in loc)


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """French agreement: 0 and 1 take the singular."""
    return f"{count} {singular if count <= 1 else plural_form or singular + 's'}"


def summary(problems: list[Problem]) -> str:
    errors = sum(p.severity == "erreur" for p in problems)
    warnings = len(problems) - errors
    files = len({p.path for p in problems})
    return f"{plural(errors, 'erreur')}, {plural(warnings, 'avertissement')} dans {plural(files, 'fichier')}"
