"""The pages of the previous build, kept across `mkdocs serve` rebuilds and reused while unchanged."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

from ...core.corpus import Fiche, collector_paused
from ...core.reads import BODY, WHOLE, Reads, digest, identity, unrecorded
from ..templating import TEMPLATES
from .render import Page, Renderer
from .site import plan

MISSING = object()


class PageCache:
    """Pages of the previous rebuild, each with what rendering it read (`core.reads`): a page is reused
    while every field and body it read, every answer the graph gave it, the live figures it showed,
    what its plan handed its template and what every page shares (vocabularies, communes, acronyms,
    templates, options) are unchanged. Nothing here says what a template shows: a template that starts
    showing another field of a linked fiche records that read too.
    """

    def __init__(self) -> None:
        self.entries: dict[str, tuple[int, Any, Reads, Page]] = {}
        self.reused: set[str] = set()
        """The paths of the pages the last rebuild reused."""

    def pages(self, renderer: Renderer) -> list[Page]:
        shared = _shared_key(renderer)
        now = Answers(renderer)
        entries: dict[str, tuple[int, Any, Reads, Page]] = {}
        pages = []
        self.reused = set()
        for planned in plan(renderer):
            shows = identity(planned.shows)
            cached = self.entries.get(planned.path)
            if cached is not None and cached[:2] == (shared, shows) and now.unchanged(cached[2]):
                reads, page = cached[2], cached[3]
                self.reused.add(planned.path)
            else:
                with Reads() as reads:
                    page = planned.render()
            entries[planned.path] = (shared, shows, reads, page)
            pages.append(page)
        self.entries = entries
        return pages


class Answers:
    """The corpus of this rebuild, asked again what a page read of the previous one. A fiche whose
    fields object and body are the very ones the page read (an unchanged file: the check reuses it) is
    unchanged without looking further; each answer of the graph is computed once per rebuild."""

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer
        self.graph = renderer.graph
        self.known: dict[Any, int] = {}

    def unchanged(self, reads: Reads) -> bool:
        with unrecorded():
            return all(self.same_fiche(ident, seen) for ident, seen in reads.fiches.items()) and all(
                self.digest(read, reads) == value for read, value in reads.digests.items()
            )

    def same_fiche(self, ident: tuple[str, str], seen: tuple[Any, str, dict[str, Any]]) -> bool:
        fiche = self.graph.get(*ident)
        if fiche is None:
            return False
        meta, body, values = seen
        if fiche.meta is meta and fiche.body is body:
            return True
        for name, value in values.items():
            if name == WHOLE:
                now = fiche.meta
            elif name == BODY:
                now = fiche.body
            else:
                now = getattr(fiche.meta, name, MISSING)
            if now is not value and now != value:
                return False
        return True

    def digest(self, read: tuple[Any, ...], reads: Reads) -> int:
        if read not in self.known:
            self.known[read] = digest(self.answer(read, reads))
        return self.known[read]

    def answer(self, read: tuple[Any, ...], reads: Reads) -> Any:
        if read[0] == "figure":
            return self.renderer.figures.values()[read[1]]
        method, args = reads.questions[read]
        now = []
        for arg in args:
            if isinstance(arg, Fiche):
                arg = self.graph.get(arg.kind, arg.slug)
                if arg is None:
                    return MISSING
            now.append(arg)
        return getattr(self.graph, method)(*now)


def _shared_key(renderer: Renderer) -> int:
    """Everything every page may show besides the corpus, templates included (they can be edited)."""
    content = renderer.graph.content
    templates = tuple(sorted((str(p), p.stat().st_mtime_ns) for p in TEMPLATES.joinpath("site").rglob("*.j2")))
    options = tuple(renderer.settings())
    return hash((repr(content.vocabularies), repr(content.territoires), repr(content.synonymes), templates, options))



def materialise(pages: list[Page], folder: Path, unchanged: Collection[str] = ()) -> list[Page]:
    """Write pages under `folder`, touching only those whose text changed; remove pages that are gone.

    Unchanged files keep their modification time, so an engine's incremental build (MkDocs `--dirty`)
    rebuilds only what an edit really changed: a page's HTML blocks stay aside (see `Page`), but their
    placeholders carry a digest of them. The pages of `unchanged` paths (reused by `PageCache`), once
    written, are not read again. Returns the pages written.
    """
    written = []
    wanted = set()
    for page in pages:
        path = folder / page.path
        wanted.add(path)
        if page.path in unchanged and path.is_file():
            continue
        data = page.markdown.encode("utf-8")
        try:
            if path.read_bytes() == data:
                continue
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(page)
    if folder.is_dir():
        for stale in folder.rglob("*.md"):
            if stale not in wanted:
                stale.unlink()
    return written


def render_pages(renderer: Renderer, previous: PageCache | None = None) -> list[Page]:
    """Every generated page of the site; pages found unchanged in `previous` are not rendered again."""
    with collector_paused():
        if previous is None:
            return [planned.render() for planned in plan(renderer)]
        return previous.pages(renderer)
