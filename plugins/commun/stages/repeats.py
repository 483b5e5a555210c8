"""The same long paragraph in several fiches: boilerplate, to be written once and linked to.

A warning, not an error: it tells contributors where filler crept in (the style guide's « Une seule fois »).
Paragraphs are compared once their white space is normalised; only long ones count, so that a shared short
sentence (« Voir la fiche du programme. ») is not reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..core.corpus import Fiche
from ..core.problems import Problem, plural, warning

MIN_LENGTH = 160
"""Characters of a paragraph (white space normalised) from which a repeat counts."""
MIN_FICHES = 3
"""Fiches a paragraph must appear in to be reported."""
NAMED = 3
"""Other occurrences named in a warning; the rest are counted."""

_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")


def paragraphs(body: str) -> list[str]:
    """The blocks of a Markdown body between blank lines."""
    return _BLANK_LINES.split(body)


def normalised(block: str) -> str | None:
    """A block with its white space normalised, if it is long enough to count."""
    if len(block) < MIN_LENGTH:  # normalising only shortens
        return None
    if "\n" in block or "  " in block or "\t" in block or "\u00a0" in block or "\u202f" in block:
        text = " ".join(block.split())
    else:  # one line with single spaces, as most paragraphs are: three times faster
        text = block.strip()
    return text if len(text) >= MIN_LENGTH else None


@dataclass(frozen=True)
class Occurrence:
    fiche: Fiche
    index: int
    """Which block of the fiche's body (see `paragraphs`)."""

    @property
    def line(self) -> int:
        """The block's first line in the fiche's file (found again only for the warnings)."""
        body, line = self.fiche.body, self.fiche.document.body_line
        offset = 0
        for number, separator in enumerate(_BLANK_LINES.finditer(body)):
            if number == self.index:
                break
            offset = separator.end()
        return line + body.count("\n", 0, offset)

    @property
    def name(self) -> str:
        return self.fiche.document.name

    @property
    def place(self) -> str:
        return f"{self.name}:{self.line}"


def excerpt(text: str, length: int = 40) -> str:
    """The first words of a paragraph, to recognise it."""
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def repeated_paragraphs(fiches: Iterable[Fiche]) -> list[Problem]:
    """One warning per occurrence of a long paragraph found in `MIN_FICHES` fiches or more, naming the others."""
    seen: dict[str, list[tuple[Fiche, int]]] = {}
    for fiche in fiches:
        for index, block in enumerate(paragraphs(fiche.body)):
            if (text := normalised(block)) is not None:
                seen.setdefault(text, []).append((fiche, index))
    problems = []
    for text, found in seen.items():
        if len(found) < MIN_FICHES or (fiches_count := len({id(fiche) for fiche, _ in found})) < MIN_FICHES:
            continue
        occurrences = sorted((Occurrence(fiche, index) for fiche, index in found), key=lambda o: (o.name, o.line))
        places = [o.place for o in occurrences]
        for occurrence, place in zip(occurrences, places, strict=True):
            others = [other for other in places if other != place]
            named = ", ".join(others[:NAMED])
            more = f" et {plural(len(others) - NAMED, 'autre')}" if len(others) > NAMED else ""
            problems.append(
                warning(
                    occurrence.name,
                    occurrence.line,
                    1,
                    f"paragraphe « {excerpt(text)} » repris à l'identique dans {fiches_count} fiches "
                    f"(aussi {named}{more}) : écrivez-le une seule fois, sur la fiche qui en est la source, "
                    "et faites-y un lien depuis les autres",
                )
            )
    return problems
