"""The « Données » page: what readers can download and reuse (the technical notes are in the README)."""

from __future__ import annotations

from ...core.models import DEFAULT_LICENCE
from ..opendata import SiteFiles
from ..opendata.common import AGENDA, DATA_DIR, VERSION, licence_info
from ..pdf.deliverables import deliverables
from .render import PlannedPage, Renderer


def donnees_page(renderer: Renderer, *, site_url: str | None = None) -> PlannedPage:
    """The « Données » page: what readers can download and reuse, and how to open it.

    Its datasets, feeds and events are worked out with the plan, over every fiche: the page shows their
    titles and counts, which is what the serve cache then compares."""
    files = SiteFiles(renderer.graph, site_url=site_url)
    return renderer.later(
        "donnees.md.j2",
        "donnees.md",
        datasets=files.datasets(),
        feeds=files.feeds(),
        events=files.events(),
        agenda=AGENDA,
        catalogue=f"{DATA_DIR}/{VERSION}/catalogue.json",
        licence=licence_info(DEFAULT_LICENCE),
        structures=deliverables(renderer.graph),
    )
