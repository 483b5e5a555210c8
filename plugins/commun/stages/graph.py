"""Stage 3, link: the graph of visible fiches, with links both ways, related fiches and taxonomies.

Only what the site shows is in the graph: published fiches, plus drafts when previews are asked
for. A reference to a fiche left out stays in the data but is not a link.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..core.corpus import Commune, Content, Fiche, collector_paused
from ..core.fields import marked_values
from ..core.kinds import KINDS
from ..core.models import Ref
from ..core.reads import recorded
from ..core.text import slugify, words

RELATED_COUNT = 5
DESIGN_PALAS_MIN_A_LA_CARTE = 6


@dataclass(frozen=True, slots=True)
class Link:
    """A reference written in `source` (under `field`) to `target`."""

    source: Fiche
    field: str
    target: Fiche


@dataclass(frozen=True)
class Epci:
    slug: str
    nom: str
    communes: tuple[str, ...]


@dataclass
class Passeport:
    """Design'PALAS professionalisation passport: core modules done out of all, optional ones against the minimum."""

    socles_faits: list[Fiche]
    socles_requis: list[Fiche]
    a_la_carte_faits: list[Fiche]
    minimum_a_la_carte: int = DESIGN_PALAS_MIN_A_LA_CARTE

    @property
    def complet(self) -> bool:
        return (
            len(self.socles_faits) >= len(self.socles_requis) > 0
            and len(self.a_la_carte_faits) >= self.minimum_a_la_carte
        )


@dataclass
class Graph:
    content: Content
    fiches: dict[str, dict[str, Fiche]]
    outgoing: dict[tuple[str, str], list[Link]] = field(default_factory=lambda: defaultdict(list))
    incoming: dict[tuple[str, str], list[Link]] = field(default_factory=lambda: defaultdict(list))
    related: dict[tuple[str, str], list[Fiche]] = field(default_factory=dict)

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
    def communes(self) -> dict[str, Commune]:
        return self.content.communes

    @recorded
    def fiches_by_commune(self) -> dict[str, list[Fiche]]:
        index: dict[str, list[Fiche]] = defaultdict(list)
        for fiche in self.all():
            for code in commune_codes(fiche):
                index[code].append(fiche)
        return {code: sort_by_title(found) for code, found in sorted(index.items())}

    @recorded
    def fiches_by_term(self, vocabulary: str) -> dict[str, list[Fiche]]:
        index: dict[str, list[Fiche]] = {slug: [] for slug in self.content.vocabularies.get(vocabulary, {})}
        for fiche in self.all():
            for slug in getattr(fiche.meta, vocabulary, []) or []:
                index.setdefault(slug, []).append(fiche)
        return {slug: sort_by_title(found) for slug, found in index.items()}

    @recorded
    def epcis(self) -> list[Epci]:
        by_name: dict[str, list[str]] = defaultdict(list)
        for code in sorted(self.fiches_by_commune()):
            commune = self.communes.get(code)
            if commune and commune.epci:
                by_name[commune.epci].append(code)
        for fiche in self.of_kind("ccas"):
            if fiche.meta.epci and fiche.meta.commune:
                codes = by_name[fiche.meta.epci]
                if fiche.meta.commune not in codes:
                    codes.append(fiche.meta.commune)
        return [Epci(slugify(name), name, tuple(sorted(codes))) for name, codes in sorted(by_name.items())]

    @recorded
    def passeport(self, structure: Fiche) -> Passeport:
        done = {p.module for p in structure.meta.parcours}
        design = [m for m in self.of_kind("modules") if m.meta.programme == "design-palas"]
        socles = [m for m in design if m.meta.categorie == "socle"]
        return Passeport(
            socles_faits=[m for m in socles if m.slug in done],
            socles_requis=socles,
            a_la_carte_faits=[m for m in design if m.meta.categorie == "a-la-carte" and m.slug in done],
        )


def sort_by_title(fiches: Iterable[Fiche]) -> list[Fiche]:
    return sorted(fiches, key=lambda f: (slugify(f.meta.titre), f.slug))


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


def link_related(graph: Graph, count: int = RELATED_COUNT) -> None:
    """The 'Fiches proches' of every fiche: a weighted, IDF-scaled overlap of features, via an inverted index.
    Fiches linked to it either way are left out: its page lists them already (`link_backrefs` comes first).

    Only the rarer features of a fiche gather candidates, so the cost stays near-linear at thousands of fiches.
    """
    fiches = list(graph.all())
    features = [_features(f) for f in fiches]
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)  # feature → (fiche, its weight there)
    for index, feats in enumerate(features):
        for name, value in feats.items():
            postings[name].append((index, value))
    total = len(fiches)
    idf = {name: math.log(1 + total / len(posted)) for name, posted in postings.items()}
    limit = max(50, int(math.sqrt(total)) * 4)
    order = sorted(range(total), key=lambda i: (fiches[i].kind, fiches[i].slug))
    tie = {index: rank for rank, index in enumerate(order)}
    position = {(f.kind, f.slug): i for i, f in enumerate(fiches)}
    for index, fiche in enumerate(fiches):
        key = (fiche.kind, fiche.slug)
        linked = {position[(link.target.kind, link.target.slug)] for link in graph.outgoing.get(key, [])}
        linked |= {position[(link.source.kind, link.source.slug)] for link in graph.incoming.get(key, [])}
        feats = features[index]
        scores: dict[int, float] = defaultdict(float)
        for name in sorted(feats, key=lambda n: len(postings[n])):
            posted = postings[name]
            if len(posted) > limit and scores:
                continue
            weight = feats[name] * idf[name]
            for other, value in posted[:limit]:
                if other != index and other not in linked:
                    scores[other] += weight * value
        ranked = heapq.nsmallest(count, ((-score, tie[other], other) for other, score in scores.items()))
        graph.related[(fiche.kind, fiche.slug)] = [fiches[i] for _, _, i in ranked]


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


def build_graph(content: Content, *, drafts: bool = False) -> Graph:
    fiches = {
        kind: {slug: f for slug, f in sorted(content.fiches.get(kind, {}).items()) if visible(f, drafts)}
        for kind in KINDS
    }
    graph = Graph(content, fiches)
    with collector_paused():
        link_backrefs(graph)
        link_related(graph)
    return graph


