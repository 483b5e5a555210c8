"""Which structures get the Labo's PDF deliverables, and where they are published on the site.

Apart from `pdf`, which writes them: pages link to the deliverables without loading the PDF library.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...core.corpus import Fiche
from ...stages.graph import Graph, sort_by_title

STRUCTURE_TYPES = ("ccas", "cias")


@dataclass(frozen=True)
class Deliverable:
    """The PDF files of one structure, as paths under the site."""

    fiche: Fiche
    fiche_pdf: str
    certificate_pdf: str | None

    @property
    def slug(self) -> str:
        return self.fiche.slug


def deliverables(graph: Graph) -> list[Deliverable]:
    """The structures that get deliverables: every published CCAS or CIAS, and any structure that carries a
    Labo project. The certificate needs something to attest: a training followed or a Labo session."""
    result = []
    for fiche in sort_by_title(graph.of_kind("ccas")):
        if not fiche.published:
            continue
        projets = labo_projects(graph, fiche)
        if fiche.meta.type not in STRUCTURE_TYPES and not projets:
            continue
        attends = bool(fiche.meta.parcours) or any(p.meta.labos for p in projets)
        folder = f"ccas/{fiche.slug}"
        result.append(
            Deliverable(
                fiche,
                f"{folder}/fiche-individuelle.pdf",
                f"{folder}/certificat-assiduite.pdf" if attends else None,
            )
        )
    return result


def labo_projects(graph: Graph, fiche: Fiche) -> list[Fiche]:
    """The published Labo projects a structure carries."""
    return [p for p in graph.citing(fiche, "projets", "porteur") if p.published]
