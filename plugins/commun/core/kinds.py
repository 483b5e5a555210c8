"""The kinds of fiche and what each one is: its folder, model, French names, list grouping, search facets,
places and schema.org type. Code asks a `Kind` rather than testing a kind's name."""

from __future__ import annotations

from dataclasses import dataclass

from .labels import LABELS, group
from .models import Common, Initiative, Module, Outil, Projet, Structure


@dataclass(frozen=True)
class Grouping:
    """How a kind's list page groups its fiches: by a coded `field` (headings: its labels), in `order`, where None
    stands for the fiches whose field is empty (last when `order` does not place it); or, for a field that
    references other fiches (`by_reference`), under the name of each fiche referenced, most recent first
    (modules under their programme)."""

    field: str
    order: tuple[str | None, ...] = ()
    unknown: str = ""
    """The heading of the fiches whose field is empty (an optional field)."""
    by_reference: bool = False


@dataclass(frozen=True)
class Kind:
    """A kind of fiche: the folder it lives in, its model and its French names."""

    name: str
    model: type[Common]
    singular: str
    plural: str
    dataset_title: str
    """Title of its open-data file."""
    grouping: Grouping
    feminine: bool = True
    facets: tuple[tuple[str, str], ...] = ()
    """Search facets filled from one field: (facet, field path such as `recommandee_par.structure`); a coded
    value shows as its label, a reference as the name of the fiche it points at."""
    place_field: str = "communes"
    """The field holding the INSEE codes of the communes it concerns (a code or a list)."""
    schema_type: str = "CreativeWork"
    """Its schema.org type in the page's JSON-LD."""
    is_structure: bool = False
    """A structure (CCAS, union): other fiches are carried by it, and its page shows them."""
    also_asked: tuple[str, ...] = ()
    """Optional fields `commun new` asks all the same (an answer can be skipped)."""

    @property
    def article(self) -> str:
        return "une" if self.feminine else "un"


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "initiatives",
            Initiative,
            "initiative",
            "initiatives",
            "Banque d'expériences : les initiatives",
            Grouping(
                "statut",
                # What is done or under way first, what is only planned after (« Idée ») and what was dropped last.
                ("en_cours", "experimentation", "perennise", "termine", None, "idee", "abandonne"),
                unknown="Statut non connu",
            ),
            facets=(("statut", "statut"), ("recommandation", "recommandee_par.structure")),
            also_asked=("porteur", "statut"),
        ),
        Kind(
            "projets",
            Projet,
            "projet du Labo",
            "projets du Labo",
            "Projets du Labo",
            Grouping("etape", tuple(LABELS[group(Projet, "etape")])),
            feminine=False,
            schema_type="Project",
        ),
        Kind(
            "modules",
            Module,
            "module de formation",
            "modules de formation",
            "Modules de formation",
            Grouping("programme", unknown="Formations hors programme", by_reference=True),
            feminine=False,
            facets=(("programme", "programme"),),
            schema_type="Course",
            also_asked=("programme", "categorie"),
        ),
        Kind(
            "outils",
            Outil,
            "outil",
            "outils",
            "Outils",
            Grouping("type", tuple(LABELS[group(Outil, "type")])),
            feminine=False,
        ),
        Kind(
            "ccas",
            Structure,
            "structure",
            "structures",
            "Structures : CCAS, CIAS et unions",
            Grouping("type", ("unccas", "udccas", "ccas", "cias", "autre")),
            place_field="commune",
            schema_type="Organization",
            is_structure=True,
        ),
    )
}
