"""Every generated page of the site: the plan that the build hands to the engine."""

from __future__ import annotations

from functools import partial

from ...core.kinds import KINDS
from ...core.urls import fiche_path
from .banque import search_page
from .donnees import donnees_page
from .render import PlannedPage, Renderer


def plan(renderer: Renderer, *, fiches: bool = True) -> list[PlannedPage]:
    """Every generated page of the site, to be rendered when needed (fiche pages left out if not `fiches`)."""
    planned = []
    if fiches:
        planned += [PlannedPage(fiche_path(f), f.path, partial(renderer.fiche_page, f)) for f in renderer.graph.all()]
    planned += [
        PlannedPage(f"ccas/{f.slug}/attestation.md", f.path, partial(renderer.certificate_page, f))
        for f in renderer.graph.of_kind("ccas")
        if f.meta.parcours
    ]
    planned += [renderer.kind_index(kind) for kind in KINDS]
    planned += renderer.vocabulary_pages("thematiques", "Thématiques")
    planned += renderer.vocabulary_pages("publics", "Publics")
    planned += renderer.commune_pages()
    planned += renderer.departement_pages()
    planned.append(search_page(renderer))
    planned.append(donnees_page(renderer))
    return planned
