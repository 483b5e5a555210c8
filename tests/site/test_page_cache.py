"""Under `mkdocs serve`, fiche pages whose inputs did not change are reused: never a stale page.

Each edit is made to a copy of the real content, then every page rendered with the cache is compared
with the same page rendered from scratch.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from commun.outputs.pages.cache import PageCache, Renderer, render_pages
from commun.stages.graph import build_graph
from sitekit import checked

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


def test_a_cache_blind_to_links_would_be_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The comparison above finds stale pages: a key that ignores the neighbourhood fails it."""
    import commun.outputs.pages.cache

    blind = lambda graph, fiche, digests: digests[(fiche.kind, fiche.slug)]  # noqa: E731
    monkeypatch.setattr(commun.outputs.pages.cache, "_neighbourhood", blind)
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    cache = PageCache()
    render(content, cache)
    retitle("modules", "design-palas-abs-volet-politique")(content)
    assert render(content, cache) != render(content, None)


def test_a_cache_blind_to_cards_would_be_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """List pages are keyed by the fiches they show and what their cards name: a key that only sees
    which fiches are listed keeps a stale porteur title."""
    import commun.outputs.pages.cache

    original = commun.outputs.pages.cache._fingerprint
    monkeypatch.setattr(commun.outputs.pages.cache, "_fingerprint", lambda value, cards: original(value, {}))
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    cache = PageCache()
    render(content, cache)
    rename_porteur(content)
    assert render(content, cache) != render(content, None)
