"""The links of a fiche's page to other fiches, grouped by what they mean (`core.labels.RELATIONS`), each
under a plain French heading (the « Fiches proches », `Graph.related_to`, are the fiches not linked)."""

from __future__ import annotations

from dataclasses import dataclass

from ...core.corpus import Fiche
from ...core.labels import RELATIONS, Relation
from ...stages.graph import Graph, Link, sort_by_title


@dataclass(frozen=True)
class LinkSection:
    """A heading of a fiche's page and the fiches it lists (as cards or as links)."""

    heading: str
    fiches: list[Fiche]
    cards: bool = False


def _written_by(relation: Relation, link: Link) -> bool:
    return link.field == relation.field and relation.kind in (None, link.source.kind)


def link_sections(graph: Graph, fiche: Fiche) -> list[LinkSection]:
    """The fiches this one cites and the fiches that cite it, by relation, where the relation has a heading
    (the facts box, the review line and a programme's modules show theirs their own way)."""
    sections = []
    for relation in RELATIONS:
        if relation.outgoing:
            written = [k for k in graph.links_from(fiche) if _written_by(relation, k)]
            cited = {(k.target.kind, k.target.slug): k.target for k in written}
            if cited:
                sections.append(LinkSection(relation.outgoing, sort_by_title(cited.values())))
        if relation.incoming:
            written = [k for k in graph.links_to(fiche) if _written_by(relation, k)]
            citing = {(k.source.kind, k.source.slug): k.source for k in written}
            if citing:
                singular, plural = relation.incoming
                heading = singular if len(citing) == 1 else plural
                sections.append(LinkSection(heading, sort_by_title(citing.values()), relation.cards))
    return sections
