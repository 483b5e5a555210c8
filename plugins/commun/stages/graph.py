"""Stage 3, link: the graph of visible fiches, with links both ways, related fiches, taxonomies, places
and passports.

Only what the site shows is in the graph: published fiches, plus drafts when previews are asked
for. A reference to a fiche left out stays in the data but is not a link.
"""

from __future__ import annotations

import functools
import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..core.corpus import Content, Fiche, collector_paused
from ..core.fields import marked_values
from ..core.kinds import KINDS
from ..core.models import Ref, RegleModules
from ..core.reads import recorded, unrecorded
from ..core.territoires import Territoires, department_of
from ..core.text import slugify, words

RELATED_COUNT = 5

M = TypeVar("M", bound=Callable[..., Any])


def indexed(method: M) -> M:
    """An index over the whole graph, made once per graph: every department, commune and term page asks
    for it (a graph does not change once built). Callers must not change the answer."""

    @functools.wraps(method)
    def index(graph: Graph, *args: Any) -> Any:
        key = (method.__name__, *args)
        if key not in graph._indexes:
            with unrecorded():  # made for every page: each records its own question (see `recorded`)
                graph._indexes[key] = method(graph, *args)
        return graph._indexes[key]

    return index  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class Link:
    """A reference written in `source` (under `field`) to `target`."""

    source: Fiche
    field: str
    target: Fiche


@dataclass(frozen=True)
class Exigence:
    """One rule of a programme's passport applied to a structure: the modules it asks for, those followed."""

    regle: RegleModules
    modules: list[Fiche]
    """The programme's modules of the rule's category."""
    faits: list[Fiche]

    @property
    def requis(self) -> int:
        return len(self.modules) if self.regle.tous else self.regle.minimum or 0

    @property
    def remplie(self) -> bool:
        return 0 < self.requis <= len(self.faits)


@dataclass(frozen=True)
class Passeport:
    """A structure's professionalisation passport for one programme: each rule of the programme (its
    `passeport` field), against the modules of the programme the structure's staff followed."""

    programme: Fiche
    exigences: list[Exigence]

    @property
    def complet(self) -> bool:
        return bool(self.exigences) and all(e.remplie for e in self.exigences)


@dataclass
class Graph:
    content: Content
    fiches: dict[str, dict[str, Fiche]]
    outgoing: dict[tuple[str, str], list[Link]] = field(default_factory=lambda: defaultdict(list))
    incoming: dict[tuple[str, str], list[Link]] = field(default_factory=lambda: defaultdict(list))
    related: dict[tuple[str, str], list[Fiche]] = field(default_factory=dict)
    _indexes: dict[tuple[Any, ...], Any] = field(default_factory=dict, repr=False, compare=False)
    answer_digests: dict[Any, int] = field(default_factory=dict, repr=False, compare=False)
    """The digest of each answer given to a page recording its reads (`core.reads`), computed once."""

    @recorded
    def get(self, kind: str, slug: str) -> Fiche | None:
        return self.fiches.get(kind, {}).get(slug)

    @recorded
    def all(self) -> list[Fiche]:
        return [fiche for by_slug in self.fiches.values() for fiche in by_slug.values()]

    @recorded
    def related_to(self, fiche: Fiche) -> list[Fiche]:
        """The « Fiches proches » of a fiche: close to it, and not linked to it either way."""
        return self.related.get((fiche.kind, fiche.slug), [])

    @recorded
    def of_kind(self, kind: str) -> list[Fiche]:
        return list(self.fiches.get(kind, {}).values())

    @recorded
    def links_from(self, fiche: Fiche) -> list[Link]:
        return self.outgoing.get((fiche.kind, fiche.slug), [])

    @recorded
    def links_to(self, fiche: Fiche) -> list[Link]:
        return self.incoming.get((fiche.kind, fiche.slug), [])

    @recorded
    def citing(self, fiche: Fiche, kind: str, field_name: str | None = None) -> list[Fiche]:
        """Fiches of `kind` that cite `fiche` (through `field_name` if given), without repeats."""
        seen: dict[tuple[str, str], Fiche] = {}
        for link in self.links_to(fiche):
            if link.source.kind == kind and (field_name is None or link.field == field_name):
                seen.setdefault((link.source.kind, link.source.slug), link.source)
        return sort_by_title(seen.values())

    @recorded
    def cited(self, fiche: Fiche, kind: str) -> list[Fiche]:
        seen: dict[str, Fiche] = {}
        for link in self.links_from(fiche):
            if link.target.kind == kind:
                seen.setdefault(link.target.slug, link.target)
        return sort_by_title(seen.values())

    @property
    def territoires(self) -> Territoires:
        return self.content.territoires

    @recorded
    @indexed
    def fiches_by_commune(self) -> dict[str, list[Fiche]]:
        index: dict[str, list[Fiche]] = defaultdict(list)
        for fiche in self.all():
            for code in commune_codes(fiche):
                index[code].append(fiche)
        return {code: sort_by_title(found) for code, found in sorted(index.items())}

    @recorded
    @indexed
    def fiches_by_term(self, vocabulary: str) -> dict[str, list[Fiche]]:
        index: dict[str, list[Fiche]] = {slug: [] for slug in self.content.vocabularies.get(vocabulary, {})}
        for fiche in self.all():
            for slug in getattr(fiche.meta, vocabulary, []) or []:
                index.setdefault(slug, []).append(fiche)
        return {slug: sort_by_title(found) for slug, found in index.items()}

    @recorded
    @indexed
    def epcis(self) -> dict[str, list[str]]:
        """The intercommunalities some fiche concerns (by SIREN, in name order), each with the codes of its
        communes that fiches concern: an intercommunality comes from its communes, in the referential."""
        by_siren: dict[str, list[str]] = defaultdict(list)
        for code in self.fiches_by_commune():
            commune = self.territoires.commune(code)
            if commune is not None and self.territoires.epci(commune.epci) is not None:
                by_siren[commune.epci].append(code)
        return dict(sorted(by_siren.items(), key=lambda item: slugify(self.territoires.epcis[item[0]].nom)))

    @recorded
    def departements_of(self, fiche: Fiche) -> list[str]:
        """The departments a fiche concerns: those of its communes, a structure's own, and for a fiche
        carried by a structure (`porteur`), the structure's."""
        return self._departements_index()[0].get(fiche.ident, [])

    @recorded
    def fiches_by_departement(self) -> dict[str, list[Fiche]]:
        """The fiches concerning each department of the referential (see `departements_of`), by code."""
        return self._departements_index()[1]

    @indexed
    def _departements_index(self) -> tuple[dict[tuple[str, str], list[str]], dict[str, list[Fiche]]]:
        known = self.territoires.departements
        own: dict[tuple[str, str], list[str]] = {}
        for fiche in self.all():
            codes = [department_of(code) for code in commune_codes(fiche)]
            if (departement := getattr(fiche.meta, "departement", None)) is not None:
                codes.append(departement)
            own[fiche.ident] = [code for code in dict.fromkeys(codes) if code in known]
        of_fiche: dict[tuple[str, str], list[str]] = {}
        for fiche in self.all():
            porteur = self.get("ccas", getattr(fiche.meta, "porteur", None) or "")
            carried = own.get(porteur.ident, []) if porteur is not None else []
            of_fiche[fiche.ident] = sorted(dict.fromkeys([*own[fiche.ident], *carried]))
        by_code: dict[str, list[Fiche]] = defaultdict(list)
        for fiche in self.all():
            for code in of_fiche[fiche.ident]:
                by_code[code].append(fiche)
        ordered = {code: sort_by_title(by_code[code]) for code in known if by_code.get(code)}
        return of_fiche, ordered

    @recorded
    @indexed
    def cited_through(self, kind: str, field_name: str) -> list[Fiche]:
        """The fiches that fiches of `kind` cite through `field_name`, most recent first, then by name."""
        found = {
            link.target.ident: link.target
            for fiche in self.of_kind(kind)
            for link in self.links_from(fiche)
            if link.field == field_name
        }
        return sorted(found.values(), key=_recent_first)

    def programmes(self) -> list[Fiche]:
        """The training programmes: the initiatives some module names as its `programme`."""
        return self.cited_through("modules", "programme")

    @recorded
    def modules_of(self, programme: Fiche) -> list[Fiche]:
        return self.citing(programme, "modules", "programme")

    @recorded
    def passeports(self, structure: Fiche) -> list[Passeport]:
        """The passports of a structure: one for each programme that has a passport rule (`passeport` of its
        fiche) and of which the structure's staff followed at least one module."""
        done = {step.module for step in structure.meta.parcours}
        passports = []
        for programme in self.programmes():
            rules = programme.meta.passeport
            modules = self.modules_of(programme)
            if not rules or not any(m.slug in done for m in modules):
                continue
            by_slug = sorted(modules, key=lambda m: m.slug)  # not by title: a retitled module changes no passport
            required = [
                Exigence(rule, of_rule, [m for m in of_rule if m.slug in done])
                for rule in rules
                for of_rule in [[m for m in by_slug if m.meta.categorie == rule.categorie]]
            ]
            passports.append(Passeport(programme, required))
        return passports


def _recent_first(fiche: Fiche) -> tuple[int, str]:
    years = fiche.meta.years()
    return (-(years[0] if years else 0), slugify(getattr(fiche.meta, "nom", None) or fiche.meta.titre))


_title_order = functools.lru_cache(maxsize=1 << 16)(slugify)
"""Titles are sorted by their slug again and again (every list of fiches): each is folded once."""


def sort_by_title(fiches: Iterable[Fiche]) -> list[Fiche]:
    return sorted(fiches, key=lambda f: (_title_order(f.meta.titre), f.slug))


def commune_codes(fiche: Fiche) -> list[str]:
    """The INSEE codes of the communes a fiche concerns (a structure's own commune, or a list)."""
    codes = getattr(fiche.meta, fiche.kind_info.place_field, None)
    return [codes] if isinstance(codes, str) else list(codes or [])


def visible(fiche: Fiche, drafts: bool) -> bool:
    return fiche.published or drafts


def _features(fiche: Fiche) -> dict[str, float]:
    """What two fiches can share, weighted: vocabulary terms, communes, the porteur, and title/summary words."""
    meta = fiche.meta
    features: dict[str, float] = {}
    for theme in meta.thematiques:
        features[f"t:{theme}"] = 3.0
    for public in getattr(meta, "publics", []) or []:
        features[f"p:{public}"] = 2.0
    for code in commune_codes(fiche):
        features[f"c:{code}"] = 1.0
    if fiche.kind_info.is_structure and meta.epci:
        features[f"e:{meta.epci}"] = 2.0
    porteur = getattr(meta, "porteur", None)
    if porteur:
        features[f"s:{porteur}"] = 1.5
    for word, count in Counter(words(f"{meta.titre} {meta.titre} {meta.resume}")).items():
        features[f"w:{word}"] = float(count)
    return features


class RelatedMemory:
    """What `link_related` computed at the previous rebuild of `mkdocs serve`, so that a rebuild ranks again
    only the fiches whose ranking an edit can have changed.

    A fiche's ranking depends on nothing but its own features, the fiches it is linked to, the number of
    fiches in the graph (their order breaks ties) and, for each of its features, how many fiches share it
    and which come first (`limit`). When all of these are the same, so is its ranking; an edit of one
    fiche's summary ranks again the fiches sharing one of the words it added or removed.
    """

    def __init__(self) -> None:
        self.idents: list[tuple[str, str]] = []
        self.features: dict[tuple[str, str], tuple[Any, dict[str, float]]] = {}
        self.views: dict[str, tuple[int, list[tuple[int, float]]]] = {}
        self.ranked_by: list[dict[str, float]] = []
        self.linked: list[set[int]] = []
        self.ranked: list[list[int]] = []

    def ranking(
        self, index: int, features: dict[str, float], linked: set[int], changed: set[str]
    ) -> list[int] | None:
        """The fiche's ranking of the previous rebuild, if nothing it depends on changed (`changed`: the
        features shared by other fiches, or first shared, than before)."""
        if self.ranked_by[index] == features and self.linked[index] == linked and changed.isdisjoint(features):
            return self.ranked[index]
        return None

    def features_of(self, fiche: Fiche) -> dict[str, float]:
        """The fiche's features, computed again only when its fields changed (an unchanged file keeps its
        fields object: the check reuses it)."""
        key = (fiche.kind, fiche.slug)
        known = self.features.get(key)
        if known is not None and known[0] is fiche.meta:
            return known[1]
        features = _features(fiche)
        self.features[key] = (fiche.meta, features)
        return features


def link_related(graph: Graph, count: int = RELATED_COUNT, memory: RelatedMemory | None = None) -> None:
    """The 'Fiches proches' of every fiche: a weighted, IDF-scaled overlap of features, via an inverted index.
    Fiches linked to it either way are left out: its page lists them already (`link_backrefs` comes first).

    Only the rarer features of a fiche gather candidates, so the cost stays near-linear at thousands of fiches.
    With a `memory` of the previous rebuild, a fiche whose ranking cannot have changed keeps it.
    """
    fiches = list(graph.all())
    idents = [(f.kind, f.slug) for f in fiches]
    previous = memory if memory is not None and memory.idents == idents else None
    features = [memory.features_of(f) for f in fiches] if memory is not None else [_features(f) for f in fiches]
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)  # feature → (fiche, its weight there)
    for index, feats in enumerate(features):
        for name, value in feats.items():
            postings[name].append((index, value))
    total = len(fiches)
    idf = {name: math.log(1 + total / len(posted)) for name, posted in postings.items()}
    limit = max(50, int(math.sqrt(total)) * 4)
    views = {name: (len(posted), posted[:limit]) for name, posted in postings.items()}
    changed = {name for name, view in views.items() if previous is None or previous.views.get(name) != view}
    order = sorted(range(total), key=lambda i: idents[i])
    tie = {index: rank for rank, index in enumerate(order)}
    position = {ident: i for i, ident in enumerate(idents)}

    def rank(index: int, feats: dict[str, float], linked: set[int]) -> list[int]:
        scores: dict[int, float] = defaultdict(float)
        for name in sorted(feats, key=lambda n: len(postings[n])):
            posted = postings[name]
            if len(posted) > limit and scores:
                continue
            weight = feats[name] * idf[name]
            for other, value in posted[:limit]:
                if other != index and other not in linked:
                    scores[other] += weight * value
        best = heapq.nsmallest(count, ((-score, tie[other], other) for other, score in scores.items()))
        return [other for _, _, other in best]

    all_linked, all_ranked = [], []
    for index, key in enumerate(idents):
        linked = {position[(link.target.kind, link.target.slug)] for link in graph.outgoing.get(key, [])}
        linked |= {position[(link.source.kind, link.source.slug)] for link in graph.incoming.get(key, [])}
        feats = features[index]
        kept = previous.ranking(index, feats, linked, changed) if previous is not None else None
        ranked = kept if kept is not None else rank(index, feats, linked)
        graph.related[key] = [fiches[i] for i in ranked]
        all_linked.append(linked)
        all_ranked.append(ranked)
    if memory is not None:
        memory.idents, memory.views, memory.ranked_by = idents, views, features
        memory.linked, memory.ranked = all_linked, all_ranked
        memory.features = {key: memory.features[key] for key in idents}


def _ref_field(loc: tuple) -> str:
    return next(str(part) for part in reversed(loc) if isinstance(part, str))


def link_backrefs(graph: Graph) -> None:
    """Record every reference between visible fiches in both directions."""
    for fiche in graph.all():
        for loc, value, marker in marked_values(fiche.meta):
            if not isinstance(marker, Ref):
                continue
            target = graph.get(marker.kind, value)
            if target is None or target is fiche:
                continue
            link = Link(fiche, _ref_field(loc), target)
            graph.outgoing[(fiche.kind, fiche.slug)].append(link)
            graph.incoming[(target.kind, target.slug)].append(link)


def build_graph(content: Content, *, drafts: bool = False, related: RelatedMemory | None = None) -> Graph:
    """The graph of `content`'s visible fiches; `related`: the previous rebuild's related fiches (serve)."""
    fiches = {
        kind: {slug: f for slug, f in sorted(content.fiches.get(kind, {}).items()) if visible(f, drafts)}
        for kind in KINDS
    }
    graph = Graph(content, fiches)
    with collector_paused():
        link_backrefs(graph)
        link_related(graph, memory=related)
    return graph


