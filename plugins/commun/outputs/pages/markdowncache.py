"""Pages' Markdown kept on disk between builds, each with what rendering it read: a build after a one-fiche
edit renders again only the pages that read something the edit changed.

A page is recorded as it renders (`core.reads`): every field and body of a fiche it read, every question it
asked of the graph, every live figure it showed, each kept under a digest that is the same in every process.
The next build asks the new corpus the same questions; a page is taken from here only if every answer has
the same digest, and if what every page shares (code, templates, engine versions, vocabularies, territories,
options) and what its plan handed its template are unchanged too. Nothing here says what a template shows.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from ...core.corpus import Fiche
from ...core.reads import BODY, WHOLE, Reads, digest, identity, unrecorded
from ..htmlcache import Digest, code_digest
from .render import Page, PlannedPage, Renderer, nonce, renonced

ABSENT = "absent"
"""Stands for a fiche, a field or a figure that is no longer there: it has no digest."""


class Unkept(Exception):
    """A read that cannot be asked again in a later build (an argument that is neither a fiche nor plain data)."""


class MarkdownCache:
    """The pages of earlier builds in one SQLite file (thousands of small files would cost more to open than
    to read), under a digest of the page's path, its plan and what every page shares. `render` of each planned
    page goes through `planned`; `rendered` and `taken` count the pages rendered in this build and taken from here.
    What a build adds is written when it ends (`close`): a build that fails leaves the cache as it was."""

    def __init__(self, path: Path, renderer: Renderer) -> None:
        self.path = path
        self.shared = shared_digest(renderer)
        self.answers = StableAnswers(renderer)
        self.used: set[str] = set()
        self.rendered = self.taken = 0
        self._db: sqlite3.Connection | None = None

    def planned(self, pages: list[PlannedPage]) -> list[PlannedPage]:
        return [replace(page, render=partial(self.render, page)) for page in pages]

    def render(self, planned: PlannedPage) -> Page:
        name = Digest(self.shared, planned.path, repr(identity(planned.shows))).hexdigest()
        self.used.add(name)
        found = self.db().execute("SELECT entry FROM pages WHERE name = ?", (name,)).fetchone()
        entry = json.loads(found[0]) if found is not None else None
        if entry is not None and self.answers.unchanged(entry["reads"]):
            self.taken += 1
            markdown = renonced(entry["markdown"], entry["nonce"])
            return Page(planned.path, markdown, planned.source, tuple(entry["blocks"]))
        with Reads() as reads:
            page = planned.render()
        self.rendered += 1
        try:
            kept = self.answers.kept(reads)
        except Unkept:
            self.used.discard(name)
            return page
        entry = {"nonce": nonce(), "reads": kept, "blocks": list(page.html_blocks), "markdown": page.markdown}
        self.db().execute("INSERT OR REPLACE INTO pages VALUES (?, ?)", (name, json.dumps(entry, ensure_ascii=False)))
        return page

    def db(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=60)
            self._db.execute("CREATE TABLE IF NOT EXISTS pages (name TEXT PRIMARY KEY, entry TEXT NOT NULL)")
        return self._db

    def close(self) -> None:
        """Keep this build's pages and forget those it did not plan: the file holds one site's worth."""
        if self._db is None:
            return
        names = [row[0] for row in self._db.execute("SELECT name FROM pages")]
        self._db.executemany("DELETE FROM pages WHERE name = ?", [(n,) for n in names if n not in self.used])
        self._db.commit()
        self._db.close()
        self._db = None


def stored_argument(arg: Any) -> Any:
    if isinstance(arg, Fiche):
        return ["fiche", arg.kind, arg.slug]
    if arg is None or isinstance(arg, str | int | bool):
        return arg
    raise Unkept(repr(arg))


class StableAnswers:
    """The corpus of this build, asked again what a page read of an earlier one; each answer's digest is
    computed once per build, however many pages read it."""

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer
        self.graph = renderer.graph
        self.known: dict[str, int | str] = {}
        """Each read, as JSON text, with the digest of its answer in this build."""
        self.keys: dict[tuple[Any, ...], str] = {}

    def kept(self, reads: Reads) -> dict[str, int | str]:
        """What a page read, each read as JSON text with its digest: ["champ", kind, slug, field],
        ["graphe", method, arguments] (a fiche argument as ["fiche", kind, slug]) and ["chiffre", name].
        A field's digest is computed once per build, however many pages read it."""
        kept: dict[str, int | str] = {}
        for (kind, slug), (_, _, values) in reads.fiches.items():
            for name, value in values.items():
                key = self.key(("champ", kind, slug, name))
                if key not in self.known:
                    self.known[key] = digest(value)
                kept[key] = self.known[key]
        for read, value in reads.digests.items():
            if read[0] == "figure":
                kept[self.key(("chiffre", read[1]))] = value
            else:
                key = self.keys.get(read)
                if key is None:
                    method, args = reads.questions[read]
                    key = self.keys[read] = json.dumps(["graphe", method, [stored_argument(arg) for arg in args]])
                kept[key] = value
        return kept

    def key(self, read: tuple[Any, ...]) -> str:
        if (key := self.keys.get(read)) is None:
            key = self.keys[read] = json.dumps(read)
        return key

    def unchanged(self, kept: dict[str, int | str]) -> bool:
        known = self.known
        with unrecorded():
            for read, value in kept.items():
                if read not in known:
                    known[read] = self.digest(json.loads(read))
                if known[read] != value:
                    return False
        return True

    def digest(self, read: list[Any]) -> int | str:
        if read[0] == "champ":
            _, kind, slug, name = read
            fiche = self.graph.fiches.get(kind, {}).get(slug)
            if fiche is None:
                return ABSENT
            if name == WHOLE:
                return digest(fiche.meta)
            if name == BODY:
                return digest(fiche.body)
            return digest(getattr(fiche.meta, name)) if hasattr(fiche.meta, name) else ABSENT
        if read[0] == "chiffre":
            figures = self.renderer.figures.values()
            return digest(figures[read[1]]) if read[1] in figures else ABSENT
        _, method, args = read
        now = []
        for arg in args:
            if isinstance(arg, list):
                arg = self.graph.fiches.get(arg[1], {}).get(arg[2])
                if arg is None:
                    return ABSENT
            now.append(arg)
        return digest(getattr(self.graph, method)(*now))


def shared_digest(renderer: Renderer) -> str:
    """Everything every page may show besides the corpus: the commun's code and templates, the engine's
    versions, the vocabularies, acronyms and territories, the renderer's options."""
    content = renderer.graph.content
    names = renderer.env.globals
    shared = Digest(
        code_digest(),
        repr(content.vocabularies),
        repr(content.synonymes),
        [renderer.edit_url, renderer.drafts, renderer.html_blocks, renderer.links_from_source],
        [names.get("site_url"), names.get("hors_ligne"), repr(identity(names.get("livrables")))],
    )
    folder = content.territoires.folder
    if folder is not None:
        shared.add_files((p for p in folder.rglob("*") if p.is_file()), folder)
    return shared.hexdigest()
