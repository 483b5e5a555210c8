"""The corpus: what `content/` holds once read and checked, as the stages and outputs share it.

Plain data, no parsing: the read stage makes `Located` documents and the check stage makes `Fiche`s.
"""

from __future__ import annotations

import functools
import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from . import reads
from .kinds import KINDS, Kind
from .problems import Problem
from .reads import FieldsView
from .territoires import Territoires


class Located(Protocol):
    """A content file as read: its path, its body, and where each of its values was written."""

    path: Path
    name: str
    body: str
    body_line: int

    def position(self, loc: tuple[str | int, ...], *, key: bool = False) -> tuple[int, int]: ...


def display(path: Path) -> str:
    """Paths in messages are relative to where the user runs the command, when possible."""
    if not path.is_absolute() and ".." not in path.parts:
        return str(path)  # already relative to the working directory
    return _relative(path, os.getcwd())



@functools.lru_cache(maxsize=8192)
def _relative(path: Path, cwd: str) -> str:
    """`display` of an absolute path, resolved once per working directory (a check shows each path often)."""
    try:
        return str(path.resolve().relative_to(Path(cwd).resolve()))
    except ValueError:
        return str(path)



@dataclass(frozen=True)
class Entry:
    """One value of a vocabulary: a theme or a public."""

    slug: str
    libelle: str
    description: str



Vocabularies = dict[str, dict[str, Entry]]



@dataclass(frozen=True)
class Sigle:
    """An acronym of the field and the words it stands for, from `vocabulaires/synonymes.yml`."""

    sigle: str
    formes: tuple[str, ...]

    @property
    def variants(self) -> tuple[str, ...]:
        return (self.sigle, *self.formes)


class Fiche:
    """A validated fiche: its fields (`meta`), its Markdown body and where it came from.

    While a page is recorded (`reads.Reads`), `meta` and `body` note what is read of them.
    """

    __slots__ = ("_body", "_meta", "document", "kind", "slug")

    def __init__(self, kind: str, slug: str, meta: Any, body: str, document: Located) -> None:
        self.kind = kind
        self.slug = slug
        self._meta = meta
        self._body = body
        self.document = document

    @property
    def meta(self) -> Any:
        recording = reads.current()
        return self._meta if recording is None else FieldsView(self._meta, self._body, self.ident, recording)

    @meta.setter
    def meta(self, value: Any) -> None:
        self._meta = value

    @property
    def body(self) -> str:
        if (recording := reads.current()) is not None:
            recording.note_field(self.ident, self._meta, self._body, reads.BODY, self._body)
        return self._body

    @property
    def ident(self) -> tuple[str, str]:
        return (self.kind, self.slug)

    @property
    def path(self) -> Path:
        return self.document.path

    @property
    def kind_info(self) -> Kind:
        return KINDS[self.kind]

    @property
    def published(self) -> bool:
        return self.meta.etat == "publie"

    def __repr__(self) -> str:
        return f"Fiche({self.kind}/{self.slug})"


@dataclass
class Content:
    """Everything `content/` holds once checked: the fiches that passed, and what is wrong with the rest."""

    root: Path
    fiches: dict[str, dict[str, Fiche]]
    vocabularies: Vocabularies
    territoires: Territoires
    """Communes, intercommunalities and departments (`vocabulaires/territoires/`), read as needed."""
    problems: list[Problem] = field(default_factory=list)
    synonymes: list[Sigle] = field(default_factory=list)
    """Acronyms ↔ expansions for search (`vocabulaires/synonymes.yml`)."""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "erreur"]

    def all(self) -> Iterator[Fiche]:
        for by_slug in self.fiches.values():
            yield from by_slug.values()



@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a stage allocates objects that all live on.

    Checking, linking and rendering thousands of fiches create millions of objects (the YAML nodes
    kept to locate values, links, pages): the collector would scan them again and again, doubling
    the time of a large check and slowing each `mkdocs serve` rebuild.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
