"""The live figures of the home and showcase pages: never typed by hand."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ...core import reads
from ...core.kinds import KINDS
from ...core.reads import unrecorded
from ...core.text import slugify
from ...stages.graph import Graph, commune_codes


def compute_stats(graph: Graph) -> dict[str, Any]:
    """The live figures of the home and showcase pages: never typed by hand."""
    structures = graph.of_kind("ccas")
    real = [f for f in graph.all() if not f.meta.exemple]
    modules = graph.of_kind("modules")
    by_programme = Counter(m.meta.programme for m in modules)
    by_category = Counter((m.meta.programme, m.meta.categorie) for m in modules)
    communes = {code for f in real for code in commune_codes(f)}
    mayotte = [f for f in structures if f.meta.type == "ccas" and (f.meta.commune or "").startswith("976")]
    by_theme = graph.fiches_by_term("thematiques")
    themes = graph.content.vocabularies.get("thematiques", {})
    latest = sorted(real, key=lambda f: (f.meta.mis_a_jour, f.meta.titre), reverse=True)[:8]
    by_commune = graph.fiches_by_commune()
    return {
        "communes_liste": sorted(
            (
                (graph.communes[code].nom if code in graph.communes else code, f"communes/{code}/", len(found))
                for code, found in by_commune.items()
            ),
            key=lambda e: slugify(e[0]),
        ),
        "par_type": {kind: len(graph.of_kind(kind)) for kind in KINDS},
        "total": len(real),
        "exemples": sum(1 for f in graph.all() if f.meta.exemple),
        "communes": len(communes),
        "ccas": sum(1 for f in structures if f.meta.type in ("ccas", "cias")),
        "ccas_mayotte": len(mayotte),
        "population_mayotte": sum(f.meta.population.valeur for f in mayotte if f.meta.population),
        "unions": sum(1 for f in structures if f.meta.type in ("udccas", "unccas")),
        "modules_par_programme": dict(by_programme),
        "modules_par_categorie": {f"{p}/{c}": n for (p, c), n in by_category.items()},
        "dernieres": latest,
        "thematiques": sorted(
            ((t.libelle, f"thematiques/{s}/", len(by_theme[s])) for s, t in themes.items() if by_theme.get(s)),
            key=lambda e: (-e[2], e[0]),
        ),
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
