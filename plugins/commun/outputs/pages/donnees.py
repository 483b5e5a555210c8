"""The « Données » page: what the commun publishes as open data, where, and in which fields."""

from __future__ import annotations

from ...core.kinds import KINDS
from ..opendata import SiteFiles
from ..opendata.common import AGENDA, DATA_DIR, DEFAULT_LICENCE, VERSION, licence_info
from ..pdf.deliverables import deliverables
from .render import PlannedPage, Renderer


def donnees_page(renderer: Renderer, *, site_url: str | None = None) -> PlannedPage:
    """The « Données » page: what the commun publishes as open data, where, and in which fields.

    Its datasets, feeds and events are worked out with the plan, over every fiche: the page shows their
    titles and counts, which is what the serve cache then compares."""
    from ...outputs.offline import ARCHIVE

    files = SiteFiles(renderer.graph, site_url=site_url)
    datasets = files.datasets()
    return renderer.later(
        "donnees.md.j2",
        "donnees.md",
        datasets=datasets,
        feeds=files.feeds(),
        events=files.events(),
        agenda=AGENDA,
        catalogue=f"{DATA_DIR}/{VERSION}/catalogue.json",
        version=VERSION,
        licence=licence_info(DEFAULT_LICENCE),
        sitemap=bool(site_url),
        structures=deliverables(renderer.graph),
        archive=ARCHIVE,
        models={kind: KINDS[kind].model for kind in KINDS},
    )
