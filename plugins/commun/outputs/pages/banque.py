"""The « Banque d'expériences »: search and facets with JavaScript, every fiche listed without."""

from __future__ import annotations

from ...core.kinds import KINDS
from ...core.labels import FACETS
from ...stages.graph import sort_by_title
from .render import PlannedPage, Renderer
from .stats import counted, examples

PAGE_PATH = "banque-d-experiences.md"


def search_page(renderer: Renderer) -> PlannedPage:
    """The « Banque d'expériences »: search and facets with JavaScript, every fiche listed without (by kind,
    the example fiches after the others)."""
    graph = renderer.graph
    by_kind = []
    for kind in KINDS:
        fiches = sort_by_title(graph.of_kind(kind))
        if fiches:
            by_kind.append((kind, counted(fiches), examples(fiches)))
    total = sum(len(real) for _, real, _ in by_kind)
    fictive = sum(len(shown) for _, _, shown in by_kind)
    return renderer.later(
        "recherche.md.j2", PAGE_PATH, by_kind=by_kind, facets=FACETS, total=total, examples=fictive
    )
