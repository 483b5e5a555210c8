"""The live figures of the site: never typed by hand, and every count from one definition (`counted`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ...core import reads
from ...core.corpus import Fiche
from ...core.kinds import KINDS
from ...core.reads import unrecorded
from ...core.territoires import department_of
from ...core.text import slugify
from ...stages.graph import Graph, commune_codes
from .carte import carte


@dataclass(frozen=True)
class Chiffres:
    """The live figures of one department, for its page and the hand-written pages (`stats.departements['976']`)."""

    code: str
    nom: str
    fiches: int
    structures: int
    ccas: int
    """CCAS and CIAS with a fiche."""
    unions: int
    initiatives: int
    projets: int
    communes: int
    """Communes of the department, in the referential."""
    communes_concernees: int
    """Communes of the department that some fiche concerns."""
    population: int
    population_ccas: int
    """Population of the communes whose CCAS (or CIAS) has a fiche."""
    annee_population: int | None


def department_figures(graph: Graph, code: str) -> Chiffres:
    territoires = graph.territoires
    fiches = counted(graph.fiches_by_departement().get(code, []))
    structures = [f for f in fiches if f.kind_info.is_structure]
    ccas = [f for f in structures if f.meta.type in ("ccas", "cias") and f.meta.commune]
    communes = territoires.communes_of(code)
    covered = {c for c, found in graph.fiches_by_commune().items() if department_of(c) == code and counted(found)}
    population = {c.code: c.population or 0 for c in communes}
    department = territoires.departement(code)
    return Chiffres(
        code=code,
        nom=department.nom if department else code,
        fiches=len(fiches),
        structures=len(structures),
        ccas=len(ccas),
        unions=sum(1 for f in structures if f.meta.type in ("udccas", "unccas")),
        initiatives=sum(1 for f in fiches if f.kind == "initiatives"),
        projets=sum(1 for f in fiches if f.kind == "projets"),
        communes=len(communes),
        communes_concernees=len(covered),
        population=sum(population.values()),
        population_ccas=sum(population.get(c, 0) for c in {f.meta.commune for f in ccas}),
        annee_population=department.annee_population if department else None,
    )


def counted(fiches: Iterable[Fiche]) -> list[Fiche]:
    """What every count of the site counts: the fiches shown, example fiches apart (`examples`)."""
    return [f for f in fiches if not f.meta.exemple]


def examples(fiches: Iterable[Fiche]) -> list[Fiche]:
    """The example fiches (fictive, `exemple: true`): shown, marked, and counted apart."""
    return [f for f in fiches if f.meta.exemple]


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: its label, the page it leads to (if any) and its count."""

    label: str
    count: int
    url: str | None = None


def by_theme(graph: Graph, fiches: Iterable[Fiche]) -> list[Bar]:
    """Counted fiches per theme, the largest first; themes without a fiche left out."""
    themes = graph.content.vocabularies.get("thematiques", {})
    found = Counter(slug for f in counted(fiches) for slug in dict.fromkeys(f.meta.thematiques))
    bars = [Bar(themes[s].libelle if s in themes else s, n, f"thematiques/{s}/") for s, n in found.items()]
    return sorted(bars, key=lambda b: (-b.count, slugify(b.label)))


def by_year(fiches: Iterable[Fiche]) -> list[Bar]:
    """Counted fiches per year they concern (dates, sessions, Labos), every year from the first to the last."""
    found = Counter(year for f in counted(fiches) for year in f.meta.years())
    if not found:
        return []
    return [Bar(str(year), found[year]) for year in range(min(found), max(found) + 1)]


@dataclass(frozen=True)
class Charts:
    """The charts of a page (home, commune, intercommunality): fiches by theme and by year."""

    themes: list[Bar]
    years: list[Bar]


def charts(graph: Graph, fiches: Iterable[Fiche]) -> Charts:
    fiches = list(fiches)
    return Charts(by_theme(graph, fiches), by_year(fiches))


def compute_stats(graph: Graph) -> dict[str, Any]:
    """The live figures of the home and showcase pages."""
    shown = graph.all()
    real = counted(shown)
    structures = counted(graph.of_kind("ccas"))
    modules = counted(graph.of_kind("modules"))
    by_programme = Counter(m.meta.programme for m in modules)
    by_category = Counter((m.meta.programme, m.meta.categorie) for m in modules)
    communes = {code for f in real for code in commune_codes(f)}
    latest = sorted(real, key=lambda f: (f.meta.mis_a_jour, f.meta.titre), reverse=True)[:8]
    by_commune = graph.fiches_by_commune()
    territoires = graph.territoires
    return {
        "communes_liste": sorted(
            (
                (commune.nom if (commune := territoires.commune(code)) else code, f"communes/{code}/", len(found))
                for code, found in by_commune.items()
                if counted(found)
            ),
            key=lambda e: slugify(e[0]),
        ),
        "par_type": {kind: len(counted(graph.of_kind(kind))) for kind in KINDS},
        "exemples_par_type": {kind: len(examples(graph.of_kind(kind))) for kind in KINDS},
        "total": len(real),
        "exemples": len(examples(shown)),
        "communes": len(communes),
        "ccas": sum(1 for f in structures if f.meta.type in ("ccas", "cias")),
        "unions": sum(1 for f in structures if f.meta.type in ("udccas", "unccas")),
        "departements": {code: department_figures(graph, code) for code in graph.fiches_by_departement()},
        "carte": carte(graph),
        "modules_par_programme": dict(by_programme),
        "modules_par_categorie": {f"{p}/{c}": n for (p, c), n in by_category.items()},
        "dernieres": latest,
        "thematiques": [(b.label, b.url, b.count) for b in by_theme(graph, shown)],
        "graphiques": charts(graph, shown),
    }


class LiveFigures:
    """The live figures as templates read them (`stats.total`): computed once, at the first read, and
    each figure read noted for the serve cache (`core.reads`)."""

    def __init__(self, graph: Graph) -> None:
        self._graph = graph
        self._values: dict[str, Any] | None = None

    def values(self) -> dict[str, Any]:
        if self._values is None:
            with unrecorded():
                self._values = compute_stats(self._graph)
        return self._values

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            value = self.values()[name]
        except KeyError:
            raise AttributeError(name) from None
        if (recording := reads.current()) is not None:
            recording.note(("figure", name), value)
        return value
