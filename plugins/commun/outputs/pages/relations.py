"""The links of a fiche's page to other fiches, grouped by what they mean (`core.labels.RELATIONS`), each
under a plain French heading (the « Fiches proches », `Graph.related_to`, are the fiches not linked)."""

from __future__ import annotations

from dataclasses import dataclass

from ...core.corpus import Fiche
from ...core.labels import RELATIONS
from ...stages.graph import Graph, sort_by_title


@dataclass(frozen=True)
class LinkSection:
    """A heading of a fiche's page and the fiches it lists (as cards or as links)."""

    heading: str
    fiches: list[Fiche]
    cards: bool = False


def link_sections(graph: Graph, fiche: Fiche) -> list[LinkSection]:
    """The fiches this one cites (those its facts box does not show) and the fiches that cite it, by relation."""
    outgoing: dict[str, dict[str, Fiche]] = {}
    for link in graph.links_from(fiche):
        outgoing.setdefault(link.field, {}).setdefault(f"{link.target.kind}/{link.target.slug}", link.target)
    incoming: dict[tuple[str, str], dict[str, Fiche]] = {}
    for link in graph.links_to(fiche):
        by_source = incoming.setdefault((link.source.kind, link.field), {})
        by_source.setdefault(f"{link.source.kind}/{link.source.slug}", link.source)
    sections = []
    for relation in RELATIONS:
        cited = outgoing.get(relation.field) if fiche.kind == relation.kind else None
        if cited and relation.outgoing:
            sections.append(LinkSection(relation.outgoing, sort_by_title(cited.values())))
        citing = incoming.get((relation.kind, relation.field))
        if citing:
            singular, plural = relation.incoming
            sections.append(
                LinkSection(singular if len(citing) == 1 else plural, sort_by_title(citing.values()), relation.cards)
            )
    return sections

