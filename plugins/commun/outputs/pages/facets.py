"""What each fiche tells the search index: its facets (filters), its metadata and the acronyms it uses.

Fiche templates wrap the fiche in `data-pagefind-body` and add hidden `data-pagefind-filter` /
`data-pagefind-meta` elements from `fiche_search()`.

Acronyms ↔ expansions (`content/vocabulaires/synonymes.yml`) work by injection: a fiche that mentions
« ABS » or « analyse des besoins sociaux » carries a hidden line « ABS : analyse des besoins sociaux »
inside its indexed content, so either form finds it with one ordinary Pagefind query (and exact filter
counts), whatever the interface that queries the index.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pydantic import BaseModel

from ...core.corpus import Fiche, Sigle
from ...core.fields import field_plan, is_coded
from ...core.kinds import KINDS
from ...core.labels import group, label
from ...core.models import Ref, Term
from ...stages.graph import Graph, commune_codes


@dataclass(frozen=True)
class FicheSearch:
    """The search data of one fiche page: filter values, metadata and the acronyms it uses.

    No sort keys: Pagefind loads them all with its first query (about 11 KB per key at 5,000 fiches); a
    listing without words keeps the index's order (kind, then file name).
    """

    filters: list[tuple[str, str]]
    meta: dict[str, str]
    sigles: list[Sigle] = field(default_factory=list)
    reperes: list[str] = field(default_factory=list)
    """The words of the fiche's facts box (places, themes, publics, status, objectives, the structures it
    cites…): indexed apart, as the box itself is not, so that they find the fiche without an excerpt ever
    quoting the box."""



def search_fold(text: str) -> str:
    """Lowercase, without accents, apostrophes or punctuation; final plural « s » dropped from long words."""
    spaced = re.sub(r"[\W_]+", " ", text.casefold())
    tokens = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode().split()
    return " ".join(t[:-1] if len(t) > 3 and t.endswith("s") else t for t in tokens)



def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)



def fiche_text(fiche: Fiche) -> str:
    """Every text of a fiche: the values of its fields and its body."""
    return "\n".join([*_strings(fiche.meta.model_dump()), fiche.body])



@cache
def _sigle_matcher(sigles: tuple[Sigle, ...]) -> tuple[re.Pattern[str] | None, tuple[tuple[str, ...], ...]]:
    """One pattern for all the acronyms, and each acronym's expansions folded: built once per build."""
    words = sorted({s.sigle for s in sigles}, key=len, reverse=True)
    pattern = re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, words))})(?!\w)") if words else None
    phrases = tuple(tuple(f" {p} " for form in s.formes if (p := search_fold(form))) for s in sigles)
    return pattern, phrases



def sigles_in(text: str, sigles: Iterable[Sigle]) -> list[Sigle]:
    """The acronyms of `sigles` that `text` uses, as the acronym (exact case) or as one of its expansions."""
    sigles = tuple(sigles)
    pattern, phrases = _sigle_matcher(sigles)
    used = set(pattern.findall(text)) if pattern else set()
    folded = f" {search_fold(text)} "
    return [s for s, forms in zip(sigles, phrases, strict=True) if s.sigle in used or any(f in folded for f in forms)]



# What a fiche's page shows elsewhere than in its facts box (title, résumé, sources) or not at all.
NOT_FACTS = frozenset(
    {"titre", "resume", "etat", "mis_a_jour", "licence", "sources", "exemple", "liens", "relecture"}
)


def fact_texts(
    values: Any, model: type[BaseModel], graph: Graph, left_out: frozenset[str] = NOT_FACTS
) -> Iterator[str]:
    """The words of a fiche's facts box: its free texts (objectives, public, contact, partners…) and the names
    of the structures it cites; not the coded values, the vocabulary terms nor the communes' codes (their
    labels and names are filters), nor what `left_out` names. `values` holds the fields of `model` (a fiche's
    fields may come through the serve cache's recording view)."""
    fields = model.model_fields
    for name, marker, nested in field_plan(model):
        if name in left_out or isinstance(marker, Term) or is_coded(fields[name].annotation):
            continue
        value = getattr(values, name)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, BaseModel) and nested is not None:
                yield from fact_texts(item, nested, graph, frozenset())
            elif isinstance(marker, Ref) and isinstance(item, str):
                target = graph.get(marker.kind, item)
                if target is not None and target.kind_info.is_structure:
                    yield target.meta.titre
            elif isinstance(item, str) and marker is None:
                yield item


def fiche_search(fiche: Fiche, graph: Graph, sigles: Iterable[Sigle] = ()) -> FicheSearch:
    """Filters (facets) and metadata of a fiche for the index; coded values by their labels."""
    meta = fiche.meta
    kind = KINDS[fiche.kind].singular
    filters: list[tuple[str, str]] = [("type", kind[:1].upper() + kind[1:])]
    vocabularies = graph.content.vocabularies
    for facet, vocabulary in (("theme", "thematiques"), ("public", "publics")):
        for slug in getattr(meta, vocabulary, None) or []:
            entry = vocabularies.get(vocabulary, {}).get(slug)
            filters.append((facet, entry.libelle if entry else slug))
    territoires = graph.territoires
    epcis: list[str] = []
    for code in commune_codes(fiche):
        commune = territoires.commune(code)
        filters.append(("commune", commune.nom if commune else code))
        if commune and (epci := territoires.epci(commune.epci)):
            epcis.append(epci.nom)
    if fiche.kind_info.is_structure and meta.epci and not epcis:
        epcis.append(meta.epci)
    filters += [("epci", name) for name in dict.fromkeys(epcis)]
    for code in graph.departements_of(fiche):
        filters.append(("departement", f"{territoires.departements[code].nom} ({code})"))
    for facet, path in fiche.kind_info.facets:
        found = _values(meta, fiche.kind_info.model, path)
        filters += [(facet, _facet_label(value, marker, owner, name, graph)) for value, marker, owner, name in found]
    filters += [("annee", str(year)) for year in meta.years()]
    if meta.exemple:  # not a facet: assets/recherche.js ranks the example fiches after the others with it
        filters.append(("exemple", "oui"))
    filters = list(dict.fromkeys(filters))
    reperes = [value for name, value in filters[1:] if name not in ("annee", "exemple")]
    reperes += fact_texts(meta, fiche.kind_info.model, graph, NOT_FACTS | {fiche.kind_info.place_field})
    return FicheSearch(
        filters=filters,
        meta={"type": filters[0][1], "resume": meta.resume, **({"exemple": "exemple"} if meta.exemple else {})},
        sigles=sigles_in(fiche_text(fiche), sigles),
        reperes=list(dict.fromkeys(reperes)),
    )


def _values(model: Any, cls: type[BaseModel], path: str) -> Iterator[tuple[str, Any, type[BaseModel], str]]:
    """The values at a field path (`statut`, `recommandee_par.structure`) of `model` (of class `cls`), through
    lists, with their marker, the model holding the field and the field's name."""
    name, _, rest = path.partition(".")
    plan = {field: (marker, nested) for field, marker, nested in field_plan(cls)}
    marker, nested = plan[name]
    value = getattr(model, name)
    for item in value if isinstance(value, list) else [value]:
        if item is None:
            continue
        if rest and nested is not None:
            yield from _values(item, nested, rest)
        elif not rest:
            yield item, marker, cls, name


def _facet_label(value: str, marker: Any, owner: type[BaseModel], name: str, graph: Graph) -> str:
    """What a facet shows of a value: the name of the fiche a reference points at, the label of a coded value."""
    if isinstance(marker, Ref) and (target := graph.get(marker.kind, value)) is not None:
        return getattr(target.meta, "nom", None) or target.meta.titre
    return label(value, group(owner, name))
