"""The « Banque d'expériences »: search and facets with JavaScript, every fiche listed without."""

from __future__ import annotations

from ...core.kinds import KINDS
from ...core.labels import FACETS
from ...stages.graph import sort_by_title
from .render import PlannedPage, Renderer

PAGE_PATH = "banque-d-experiences.md"



def search_page(renderer: Renderer) -> PlannedPage:
    """The « Banque d'expériences »: search and facets with JavaScript, every fiche listed without."""
    graph = renderer.graph
    by_kind = [(kind, sort_by_title(graph.of_kind(kind))) for kind in KINDS if graph.of_kind(kind)]
    fiches = [f for _, of_kind in by_kind for f in of_kind]
    examples = sum(1 for f in fiches if f.meta.exemple)
    return renderer.later(
        "recherche.md.j2", PAGE_PATH, by_kind=by_kind, facets=FACETS, total=len(fiches), examples=examples
    )
