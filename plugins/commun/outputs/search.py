"""Search: what each fiche tells the search index, the « Banque d'expériences » page, and the Pagefind index.

Knows nothing of MkDocs. Only fiche pages are indexed: their templates wrap the fiche in `data-pagefind-body`
and add hidden `data-pagefind-filter` / `data-pagefind-meta` elements built from `fiche_search()`.

Acronyms ↔ expansions (`content/vocabulaires/synonymes.yml`) work by injection: a fiche that mentions
« ABS » or « analyse des besoins sociaux » carries a hidden line « ABS : analyse des besoins sociaux »
inside its indexed content, so either form finds it with one ordinary Pagefind query (and exact filter
counts), whatever the interface that queries the index.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.corpus import Sigle
from ..core.kinds import KINDS
from ..core.labels import FACETS
from ..stages.graph import commune_codes, sort_by_title

if TYPE_CHECKING:
    from ..core.corpus import Fiche
    from ..outputs.pages.render import PlannedPage, Renderer
    from ..stages.graph import Graph

PAGE_PATH = "banque-d-experiences.md"
BUNDLE = "pagefind"
LANGUAGE = "fr"
BODY_ATTRIBUTE = "data-pagefind-body"


# Inside a fiche's indexed content, what is not the fiche's own text: heading anchors (« ¶ ») and the
# « Modifier » button of the theme, the « Fiche d'exemple » notice of fictive fiches, the labels of the
# « En bref » box (Pagefind would glue « Porteur » to its value: « PorteurUNCCAS ») and of table columns,
# the « non renseigné » of empty fields, lists and cards of *other* fiches, the page footer, and what the
# templates mark `commun-hors-index` (the headings of sections about other fiches, generated documents and
# notices). Class names come from the theme and from templates/site/.
EXCLUDED_SELECTORS = (
    ".headerlink",
    ".md-content__button",
    ".admonition.example",
    ".commun-identite dt",
    ".commun-tableau thead",
    ".commun-vide",
    ".commun-liens",
    ".commun-cartes",
    ".commun-pied-fiche",
    ".commun-hors-index",
)

# Pagefind splits « l'accès » into « l » and « accès », but not « l’accès » (typographic apostrophe):
# pages are indexed with plain apostrophes so that « accès » finds both spellings.
APOSTROPHES = ("\u2019", "\u02bc", "\u2032")
STAGED_PAGE = f'<!doctype html><html lang="{LANGUAGE}"><head><meta charset="utf-8"></head><body>'
# Pagefind's ready-made interfaces, unused (assets/recherche.js queries pagefind.js): not published.
UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)
YEARS_MAX = 30
MISSING_PROGRAM = "programme Pagefind introuvable : installez le paquet « pagefind[bin] » (make test l'installe)"


class SearchError(Exception):
    """The search index could not be built; the message is in French."""


# --- what a fiche gives the index --------------------------------------------------------------------


@dataclass(frozen=True)
class FicheSearch:
    """The search data of one fiche page: filter values, metadata and the acronyms it uses.

    No sort keys: Pagefind loads them all with its first query (about 11 KB per key at 5,000 fiches); a
    listing without words keeps the index's order (kind, then file name).
    """

    filters: list[tuple[str, str]]
    meta: dict[str, str]
    sigles: list[Sigle] = field(default_factory=list)


def fold(text: str) -> str:
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
    phrases = tuple(tuple(f" {p} " for form in s.formes if (p := fold(form))) for s in sigles)
    return pattern, phrases


def sigles_in(text: str, sigles: Iterable[Sigle]) -> list[Sigle]:
    """The acronyms of `sigles` that `text` uses, as the acronym (exact case) or as one of its expansions."""
    sigles = tuple(sigles)
    pattern, phrases = _sigle_matcher(sigles)
    used = set(pattern.findall(text)) if pattern else set()
    folded = f" {fold(text)} "
    return [s for s, forms in zip(sigles, phrases, strict=True) if s.sigle in used or any(f in folded for f in forms)]


def _years(fiche: Fiche) -> list[int]:
    meta = fiche.meta
    if fiche.kind == "initiatives":
        dates = [d for d in (meta.date_debut, meta.date_fin) if d]
        if not dates:
            return []
        first, last = min(d.year for d in dates), max(d.year for d in dates)
        return list(range(first, min(last, first + YEARS_MAX) + 1))
    if fiche.kind == "modules":
        return sorted({d.year for s in meta.sessions for d in (s.debut, s.fin) if d})
    if fiche.kind == "projets":
        return sorted({labo.date.year for labo in meta.labos if labo.date})
    return []


def fiche_search(
    fiche: Fiche, graph: Graph, labels: Mapping[str, Mapping[str, str]], sigles: Iterable[Sigle] = ()
) -> FicheSearch:
    """Filters (facets) and metadata of a fiche for the index; `labels` gives the names of coded values."""
    meta = fiche.meta
    kind = KINDS[fiche.kind].singular
    filters: list[tuple[str, str]] = [("type", kind[:1].upper() + kind[1:])]
    vocabularies = graph.content.vocabularies
    for facet, vocabulary in (("theme", "thematiques"), ("public", "publics")):
        for slug in getattr(meta, vocabulary, None) or []:
            entry = vocabularies.get(vocabulary, {}).get(slug)
            filters.append((facet, entry.libelle if entry else slug))
    epcis: list[str] = []
    for code in commune_codes(fiche):
        commune = graph.communes.get(code)
        filters.append(("commune", commune.nom if commune else code))
        if commune and commune.epci:
            epcis.append(commune.epci)
    if fiche.kind == "ccas" and meta.epci:
        epcis.append(meta.epci)
    filters += [("epci", name) for name in dict.fromkeys(epcis)]
    if fiche.kind == "initiatives":
        filters.append(("statut", labels["statut"].get(meta.statut, meta.statut)))
    if fiche.kind == "modules":
        filters.append(("programme", labels["programme"].get(meta.programme, meta.programme)))
    filters += [("annee", str(year)) for year in _years(fiche)]
    return FicheSearch(
        filters=list(dict.fromkeys(filters)),
        meta={"type": filters[0][1], "resume": meta.resume},
        sigles=sigles_in(fiche_text(fiche), sigles),
    )


# --- the « Banque d'expériences » page ---------------------------------------------------------------


def search_page(renderer: Renderer) -> PlannedPage:
    """The « Banque d'expériences »: search and facets with JavaScript, every fiche listed without."""
    graph = renderer.graph
    by_kind = [(kind, sort_by_title(graph.of_kind(kind))) for kind in KINDS if graph.of_kind(kind)]
    fiches = [f for _, of_kind in by_kind for f in of_kind]
    examples = sum(1 for f in fiches if f.meta.exemple)
    return renderer.later(
        "recherche.md.j2", PAGE_PATH, by_kind=by_kind, facets=FACETS, total=len(fiches), examples=examples
    )


# --- the Pagefind index ------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexReport:
    """What `build_index` did: pages indexed, seconds taken, files and bytes of the bundle on disk."""

    pages: int
    seconds: float
    files: int
    bytes: int

    def __str__(self) -> str:
        return (
            f"recherche : {self.pages} fiches indexées en {self.seconds:.1f} s "
            f"({self.files} fichiers, {self.bytes / 1024:.0f} Kio)"
        )


def stage_pages(site_dir: Path, stage_dir: Path) -> int:
    """Copy the fiche pages of a built site (those with `data-pagefind-body`) under `stage_dir`, for Pagefind;
    returns how many. Each copy starts at the fiche's element: what precedes it (header, navigation,
    sidebars) is never indexed, and leaving it out saves Pagefind a third of its work on thousands of pages.
    Apostrophes are made plain. The bundle folder and the working folders of `build_index` are skipped."""
    marker = BODY_ATTRIBUTE.encode()
    count = 0
    for path in sorted(site_dir.rglob("*.html")):
        relative = path.relative_to(site_dir)
        if relative.parts[0] == BUNDLE or relative.parts[0].startswith(f".{BUNDLE}-"):
            continue
        data = path.read_bytes()
        found = data.find(marker)
        if found < 0:
            continue
        text = data[data.rfind(b"<", 0, found) :].decode("utf-8", errors="replace")
        for mark in APOSTROPHES:
            text = text.replace(mark, "'")
        target = stage_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(STAGED_PAGE + text, encoding="utf-8")
        count += 1
    return count


def _index_into(stage: Path, fresh: Path) -> int:
    """Run Pagefind's own command on the staged pages, writing the bundle into `fresh`; returns the page count.

    The command, not Pagefind's Python service: the service answers « files written » while its last writes
    are still pending, and the wrapper then stops it, which left pagefind-entry.json empty (and search
    broken) in about one build in fifteen. The command finishes its writes before it exits.
    """
    from pagefind.service import get_executable

    program = get_executable()
    if program is None:
        raise SearchError(MISSING_PROGRAM)
    command = [str(program), "--site", str(stage), "--output-path", str(fresh), "--force-language", LANGUAGE]
    for selector in EXCLUDED_SELECTORS:
        command += ["--exclude-selectors", selector]
    # Only these options: no pagefind.* file of the working folder, no PAGEFIND_* setting of the shell.
    env = {key: value for key, value in os.environ.items() if not key.startswith("PAGEFIND_")}
    try:
        result = subprocess.run([*command, "--quiet"], cwd=stage, env=env, capture_output=True, text=True)
    except (FileNotFoundError, PermissionError) as exc:
        raise SearchError(MISSING_PROGRAM) from exc
    if result.returncode != 0:
        raise SearchError(f"Pagefind n'a pas pu indexer le site ({(result.stderr or result.stdout).strip()})")
    try:
        entry = json.loads((fresh / "pagefind-entry.json").read_text(encoding="utf-8"))
        pages = int(entry["languages"][LANGUAGE]["page_count"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SearchError("Pagefind n'a pas écrit un index complet (pagefind-entry.json vide ou illisible)") from exc
    if not (fresh / "pagefind.js").is_file():
        raise SearchError("Pagefind n'a pas écrit un index complet (pagefind.js manquant)")
    for name in UNUSED:
        (fresh / name).unlink(missing_ok=True)
    return pages


def build_index(site_dir: Path) -> IndexReport:
    """Index the fiche pages of the built site `site_dir` with Pagefind (French), into `site_dir/pagefind/`.

    The bundle is written aside, then put in place at once: a served site never shows half an index.
    """
    start = time.perf_counter()
    site_dir = site_dir.resolve()
    bundle = site_dir / BUNDLE
    fresh = Path(tempfile.mkdtemp(prefix=f".{BUNDLE}-", dir=site_dir))
    try:
        with tempfile.TemporaryDirectory(prefix=f".{BUNDLE}-pages-", dir=site_dir) as stage:
            stage_pages(site_dir, Path(stage))
            pages = _index_into(Path(stage), fresh)
        old = site_dir / f"{fresh.name}-ancien"
        if bundle.exists():
            bundle.rename(old)
        fresh.rename(bundle)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
    files = [p for p in bundle.rglob("*") if p.is_file()]
    return IndexReport(pages, time.perf_counter() - start, len(files), sum(p.stat().st_size for p in files))
