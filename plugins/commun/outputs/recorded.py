"""Outputs kept on disk between builds with what making them read: a build after a one-fiche edit makes again
only the pages and PDFs that read something the edit changed.

An output is recorded as it is made (`core.reads`): every field and body of a fiche it read, every question
it asked of the graph, every live figure it showed, each kept under a digest that is the same in every
process. The next build asks the new corpus the same questions; an output is taken from here only if every
answer has the same digest, and if what every output of its sort shares (`shared`: code, templates, engine
versions, vocabularies, territories, options) is unchanged too. Nothing here says what a template shows.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..core.corpus import Content, Fiche
from ..core.reads import BODY, WHOLE, Reads, digest, unrecorded
from ..stages.graph import Graph
from .htmlcache import Digest, code_digest

ABSENT = "absent"
"""Stands for a fiche, a field or a figure that is no longer there: it has no digest."""


class Unkept(Exception):
    """A read that cannot be asked again in a later build (an argument that is neither a fiche nor plain data)."""


class RecordedStore:
    """Outputs of earlier builds in one SQLite file (thousands of small files would cost more to create than
    to write), each under a name, with what making it read and what the caller keeps of it (JSON data).
    What a build adds is written when it ends (`close`): a build that fails leaves the store as it was.
    `made` and `taken` count the outputs made in this build and taken from here."""

    def __init__(self, path: Path, shared: str, answers: StableAnswers) -> None:
        self.path = path
        self.shared = shared
        self.answers = answers
        self.used: set[str] = set()
        self.made = self.taken = 0
        self._db: sqlite3.Connection | None = None

    def name(self, *parts: Any) -> str:
        return Digest(self.shared, *parts).hexdigest()

    def get(self, name: str) -> Any | None:
        """What was kept of the output `name`, if every read of it has the same answer in this build."""
        self.used.add(name)
        found = self.db().execute("SELECT entry FROM kept WHERE name = ?", (name,)).fetchone()
        if found is None:
            return None
        entry = json.loads(found[0])
        if not self.answers.unchanged(entry["reads"]):
            return None
        self.taken += 1
        return entry["data"]

    def put(self, name: str, reads: Reads, data: Any) -> None:
        """Keep `data` of the output `name`, just made with `reads` (not kept if a read cannot be asked again)."""
        self.made += 1
        try:
            kept = self.answers.kept(reads)
        except Unkept:
            self.used.discard(name)
            return
        entry = json.dumps({"reads": kept, "data": data}, ensure_ascii=False)
        self.db().execute("INSERT OR REPLACE INTO kept VALUES (?, ?)", (name, entry))

    def db(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=60)
            self._db.execute("CREATE TABLE IF NOT EXISTS kept (name TEXT PRIMARY KEY, entry TEXT NOT NULL)")
        return self._db

    def close(self, *, forget: bool = True) -> None:
        """Keep this build's outputs and (`forget`) forget those it did not ask for: the file holds one
        site's worth."""
        if self._db is None:
            return
        if forget:
            names = [row[0] for row in self._db.execute("SELECT name FROM kept")]
            self._db.executemany("DELETE FROM kept WHERE name = ?", [(n,) for n in names if n not in self.used])
        self._db.commit()
        self._db.close()
        self._db = None


class StableAnswers:
    """The corpus of this build, asked again what an output read in an earlier one; each answer's digest is
    computed once per build, however many outputs read it. `figures`: the live figures, if outputs show some."""

    def __init__(self, graph: Graph, figures: Callable[[], dict[str, Any]] | None = None) -> None:
        self.graph = graph
        self.figures = figures
        self.known: dict[str, int | str] = {}
        """Each read, as JSON text, with the digest of its answer in this build."""
        self.keys: dict[tuple[Any, ...], str] = {}

    def kept(self, reads: Reads) -> dict[str, int | str]:
        """What an output read, each read as JSON text with its digest: ["champ", kind, slug, field],
        ["graphe", method, arguments] (a fiche argument as ["fiche", kind, slug]) and ["chiffre", name].
        A field's digest is computed once per build, however many outputs read it."""
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
            figures = self.figures() if self.figures is not None else {}
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


def stored_argument(arg: Any) -> Any:
    if isinstance(arg, Fiche):
        return ["fiche", arg.kind, arg.slug]
    if arg is None or isinstance(arg, str | int | bool):
        return arg
    raise Unkept(repr(arg))


def shared_digest(content: Content, *parts: Any) -> Digest:
    """What every output may show besides the fiches: the commun's code, templates and data, the engine's
    versions, the vocabularies, acronyms and territories' files; and the caller's `parts` (its options)."""
    shared = Digest(code_digest(), repr(content.vocabularies), repr(content.synonymes), *parts)
    folder = content.territoires.folder
    if folder is not None:
        shared.add_files((p for p in folder.rglob("*") if p.is_file()), folder)
    return shared
