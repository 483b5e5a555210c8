"""The pages of the previous build, kept across `mkdocs serve` rebuilds and reused while unchanged."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from ...core.corpus import Fiche, collector_paused
from ...stages.graph import Graph
from ..templating import TEMPLATES
from .render import Page, Renderer
from .site import plan


class PageCache:
    """Pages of the previous build, kept across `mkdocs serve` rebuilds and reused while unchanged.

    A fiche page shows the fiche and the titles of the fiches it links to, of those that cite it and of
    its « Fiches proches »; a structure page shows more of them (cards) and a second ring (the tools of
    the initiatives it carries). Its key is therefore what it shows of that neighbourhood, in order,
    plus everything shared (vocabularies, communes, acronyms, templates, options). A structure page
    also counts the Design'PALAS modules (its passeport): their programme and category join its key.
    A list page (theme, public, commune, kind…) is keyed by what its template is given, each fiche
    there with the fiches its card names (porteur). Other pages are always rendered again.
    """

    def __init__(self) -> None:
        self.entries: dict[Any, tuple[int, Page]] = {}

    def pages(self, renderer: Renderer) -> list[Page]:
        graph = renderer.graph
        digests = {(f.kind, f.slug): hash((repr(f.meta), f.body, str(f.path))) for f in graph.all()}
        shared = _shared_key(renderer)
        modules = tuple((m.slug, m.meta.programme, m.meta.categorie) for m in graph.of_kind("modules"))
        entries: dict[Any, tuple[int, Page]] = {}

        def reuse(ident: Any, key: int, render: Callable[[], Page]) -> Page:
            cached = self.entries.get(ident)
            page = cached[1] if cached and cached[0] == key else render()
            entries[ident] = (key, page)
            return page

        pages = []
        for fiche in graph.all():
            key = hash((shared, _neighbourhood(graph, fiche, digests), modules if fiche.kind == "ccas" else ()))
            pages.append(reuse((fiche.kind, fiche.slug), key, partial(renderer.fiche_page, fiche)))
        cards = {
            (f.kind, f.slug): (
                digests[(f.kind, f.slug)],
                tuple(digests.get((link.target.kind, link.target.slug)) for link in graph.links_from(f)),
            )
            for f in graph.all()
        }
        for planned in plan(renderer, fiches=False):
            if planned.shows is None:
                pages.append(planned.render())
            else:
                key = hash((shared, _fingerprint(planned.shows, cards)))
                pages.append(reuse(planned.path, key, planned.render))
        self.entries = entries
        return pages



def _fingerprint(value: Any, cards: dict[tuple[str, str], Any]) -> Any:
    """A hashable account of what a template is given: fiches by their card, the rest by value."""
    if isinstance(value, Fiche):
        return ("fiche", value.kind, value.slug, cards.get((value.kind, value.slug)))
    if isinstance(value, list | tuple):
        return tuple(_fingerprint(item, cards) for item in value)
    if isinstance(value, dict):
        return tuple((key, _fingerprint(item, cards)) for key, item in value.items())
    return repr(value)



def _neighbourhood(graph: Graph, fiche: Fiche, digests: dict[tuple[str, str], int]) -> tuple[Any, ...]:
    """What a fiche page shows of the graph: its first ring in order, and of its neighbours their title
    (links, « citée par », « Fiches proches »), or for a structure page the content of both rings (the
    cards of the initiatives it carries, the tools they use)."""
    first = [
        *(("→", link.field, link.target.kind, link.target.slug) for link in graph.links_from(fiche)),
        *(("←", link.field, link.source.kind, link.source.slug) for link in graph.links_to(fiche)),
        *(("≈", "", f.kind, f.slug) for f in graph.related.get((fiche.kind, fiche.slug), [])),
    ]
    if fiche.kind != "ccas":
        titles = tuple(near.meta.titre if (near := graph.get(kind, slug)) else None for _, _, kind, slug in first)
        return tuple(first), digests.get((fiche.kind, fiche.slug)), titles
    ring = {(fiche.kind, fiche.slug)} | {(kind, slug) for _, _, kind, slug in first}
    for kind, slug in list(ring):
        if (near := graph.get(kind, slug)) is not None:
            ring.update((link.target.kind, link.target.slug) for link in graph.links_from(near))
            ring.update((link.source.kind, link.source.slug) for link in graph.links_to(near))
    return tuple(first), tuple(sorted((ident, digests.get(ident)) for ident in ring))



def _shared_key(renderer: Renderer) -> int:
    """Everything every fiche page may show besides the graph, templates included (they can be edited)."""
    content = renderer.graph.content
    templates = tuple(sorted((str(p), p.stat().st_mtime_ns) for p in TEMPLATES.joinpath("site").rglob("*.j2")))
    names = renderer.env.globals
    options = (renderer.edit_url, renderer.drafts, renderer.html_blocks, names.get("site_url"), names.get("hors_ligne"))
    options += tuple(names.get("livrables", {}))
    return hash((repr(content.vocabularies), repr(content.communes), repr(content.synonymes), templates, options))



def materialise(pages: list[Page], folder: Path) -> list[Page]:
    """Write pages under `folder`, touching only those whose text changed; remove pages that are gone.

    Unchanged files keep their modification time, so an engine's incremental build (MkDocs `--dirty`)
    rebuilds only what an edit really changed: a page's HTML blocks stay aside (see `Page`), but their
    placeholders carry a digest of them. Returns the pages written.
    """
    written = []
    wanted = set()
    for page in pages:
        path = folder / page.path
        wanted.add(path)
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
