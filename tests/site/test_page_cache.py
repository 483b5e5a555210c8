"""Under `mkdocs serve`, fiche pages whose inputs did not change are reused: never a stale page.

Each edit is made to a copy of the real content, then every page rendered with the cache is compared
with the same page rendered from scratch.
"""

from __future__ import annotations

import re
import shutil
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from commun.core.corpus import Content
from commun.core.fields import field_plan, strip_optional
from commun.core.models import Ref, Term
from commun.outputs.pages.cache import PageCache, Renderer, render_pages
from commun.stages.graph import build_graph
from pydantic import BaseModel
from sitekit import checked, make_site_content

ROOT = Path(__file__).resolve().parents[2]


def replace(path: Path, pattern: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    changed = re.sub(pattern, new, text, count=1, flags=re.M)
    assert changed != text, f"{pattern!r} absent de {path.name}"
    path.write_text(changed, encoding="utf-8")


def retitle(kind: str, slug: str) -> Callable[[Path], None]:
    return lambda content: replace(content / kind / f"{slug}.md", r"^titre: .*$", "titre: Titre modifié pour le test")


def change_porteur(content: Path) -> None:
    path = content / "initiatives" / "labo-des-solutions-innovantes.md"
    replace(path, r"^porteur: unccas$", "porteur: udccas-mayotte")


def new_initiative(content: Path) -> None:
    source = content / "initiatives" / "udccas-93-indicateurs-sociaux.md"
    text = source.read_text(encoding="utf-8").replace("\ntitre: ", "\ntitre: Copie de ", 1)
    (content / "initiatives" / "copie-pour-le-test.md").write_text(text, encoding="utf-8")


def publish(content: Path) -> None:
    replace(content / "outils" / "indicateurs-sociaux-partages.md", r"^etat: en_relecture$", "etat: publie")


def recategorise(content: Path) -> None:
    """A core module becomes optional: every structure's passeport counts change, even those that did not follow it."""
    path = next(p for p in sorted((content / "modules").glob("*.md")) if "\ncategorie: socle\n" in p.read_text("utf-8"))
    replace(path, r"^categorie: socle$", "categorie: a-la-carte")


def rename_porteur(content: Path) -> None:
    """The name of a structure appears on the cards of the initiatives it carries, in every list page that
    shows them; a suffix keeps every list in the same order, so only the cards tell the change."""
    replace(content / "ccas" / "unccas.md", r"^titre: \"(.*)\"$", r"titre: \"\1 (nom modifié)\"")


def new_resume(content: Path) -> None:
    """Shown on the card of an initiative in its porteur's page, not on the pages that only link to it."""
    path = content / "initiatives" / "labo-des-solutions-innovantes.md"
    replace(path, r"^resume: .*$", "resume: Un résumé modifié pour le test, avec d'autres mots.")


EDITS = {
    "titre d'un module": retitle("modules", "design-palas-abs-volet-politique"),
    "titre d'une structure citée": retitle("ccas", "unccas"),
    "titre d'un outil": retitle("outils", "feuille-de-route-ccas"),
    "porteur changé": change_porteur,
    "fiche ajoutée": new_initiative,
    "outil cité publié": publish,
    "module socle devenu à la carte": recategorise,
    "titre d'un porteur": rename_porteur,
    "résumé d'une initiative": new_resume,
}


def render(content: Path, cache: PageCache | None) -> dict[str, str]:
    """Every page as `mkdocs serve` renders it (HTML blocks aside), with everything in place."""
    renderer = Renderer(build_graph(checked(content)), html_blocks=True)
    return {page.path: page.text for page in render_pages(renderer, cache)}


@pytest.mark.parametrize("edit", list(EDITS.values()), ids=list(EDITS))
def test_a_cached_build_equals_a_fresh_build_after_an_edit(tmp_path: Path, edit: Callable[[Path], None]):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    cache = PageCache()
    before = render(content, cache)
    edit(content)
    fresh = render(content, None)
    rendered = []
    original = Renderer.fiche_page

    def counting(self: Renderer, fiche: object) -> object:
        rendered.append(fiche)
        return original(self, fiche)  # type: ignore[arg-type]

    Renderer.fiche_page = counting  # type: ignore[method-assign]
    try:
        cached = render(content, cache)
    finally:
        Renderer.fiche_page = original  # type: ignore[method-assign]
    changed = {path for path in fresh if before.get(path) != fresh[path]}
    assert len(changed) >= 2, "l'édition doit changer d'autres pages que la sienne, sinon le test ne prouve rien"
    assert cached == fresh
    assert len(rendered) < len(list(p for p in fresh if p.count("/") == 1)) / 2


def test_a_cache_that_forgets_what_pages_read_would_be_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The comparison above finds stale pages: a cache that reuses every page whatever it read fails it."""
    import commun.outputs.pages.cache

    monkeypatch.setattr(commun.outputs.pages.cache.Answers, "unchanged", lambda self, reads: True)
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    cache = PageCache()
    render(content, cache)
    retitle("modules", "design-palas-abs-volet-politique")(content)
    assert render(content, cache) != render(content, None)


def test_a_cache_blind_to_graph_answers_would_be_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A new link is an answer of the graph, not a field of the page's fiche: a cache that ignored the
    graph's answers would keep the page of the fiche now cited without its « citée par »."""
    import commun.outputs.pages.cache

    original = commun.outputs.pages.cache.Answers.unchanged

    def fields_only(self, reads):  # type: ignore[no-untyped-def]
        kept = {read: value for read, value in reads.digests.items() if read[0] != "graph"}
        saved, reads.digests = reads.digests, kept
        try:
            return original(self, reads)
        finally:
            reads.digests = saved

    monkeypatch.setattr(commun.outputs.pages.cache.Answers, "unchanged", fields_only)
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    cache = PageCache()
    render(content, cache)
    new_initiative(content)
    assert render(content, cache) != render(content, None)


def mutated(meta: Any, name: str, content: Content) -> Any:
    """Another value for the field `name` of a fiche, of the same kind as the present one (None if the
    field cannot be changed without making the fiche meaningless)."""
    value = getattr(meta, name)
    info = type(meta).model_fields[name]
    marker = next((m for m in info.metadata if isinstance(m, Ref | Term)), None)
    plan = {field: found for field, found, _ in field_plan(type(meta))}
    marker = marker or plan.get(name)
    if isinstance(marker, Ref):
        present = value if isinstance(value, list) else [value]
        others = sorted(s for s in content.fiches[marker.kind] if s not in present)
        if not others:
            return None
        return [*value, others[0]] if isinstance(value, list) else others[0]
    if isinstance(marker, Term):
        terms = sorted(content.vocabularies[marker.vocabulary])
        spare = [t for t in terms if t not in value]
        return [*value[1:], spare[0]] if spare else None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        allowed = typing.get_args(strip_optional(info.annotation))
        if allowed and all(isinstance(a, str) for a in allowed):
            return next(a for a in allowed if a != value)
        return value + " (modifié)"
    if isinstance(value, int | float):
        return value + 1
    if isinstance(value, list) and value and isinstance(value[0], str):
        return [value[0] + " (modifié)", *value[1:]]
    if isinstance(value, BaseModel):
        text = next((f for f, v in value if isinstance(v, str)), None)
        return value.model_copy(update={text: getattr(value, text) + " (modifié)"}) if text else None
    if isinstance(value, list) and value and isinstance(value[0], BaseModel):
        first = mutated_part(value[0])
        return [first, *value[1:]] if first is not None else None
    return None


def mutated_part(part: BaseModel) -> BaseModel | None:
    text = next((f for f, v in part if isinstance(v, str) and f not in ("module", "chemin")), None)
    return part.model_copy(update={text: getattr(part, text) + " (modifié)"}) if text else None


def test_every_field_of_every_linked_fiche_edited_in_turn(tmp_path: Path) -> None:
    """Each field of each fiche that links or is linked to others is changed in turn, as an edit would; the pages
    the cache serves are then those of a fresh build, and after the edit is undone, those of before."""
    content = checked(make_site_content(tmp_path))
    cache = PageCache()

    def pages(cached: PageCache | None) -> dict[str, str]:
        renderer = Renderer(build_graph(content), html_blocks=True)
        return {page.path: page.text for page in render_pages(renderer, cached)}

    original = pages(cache)
    graph = build_graph(content)
    linked = [f for f in graph.all() if graph.links_to(f) or graph.links_from(f)]
    assert {f.kind for f in linked} >= {"ccas", "initiatives", "modules", "outils"}
    edits = changed_pages = 0
    for fiche in linked:
        meta = fiche.meta
        for name in type(meta).model_fields:
            new = mutated(meta, name, content)
            if new is None:
                continue
            fiche.meta = meta.model_copy(update={name: new})
            try:
                fresh = pages(None)
                served = pages(cache)
            finally:
                fiche.meta = meta
            stale = sorted(path for path in fresh if served.get(path) != fresh[path])
            assert not stale, f"{fiche.kind}/{fiche.slug} › {name} : pages périmées {stale[:5]}"
            edits += 1
            changed_pages += sum(1 for path in fresh if original.get(path) != fresh[path])
            assert pages(cache) == original
    assert edits >= 40 and changed_pages >= edits, (edits, changed_pages)
