"""The build cache (.cache/commun: pages' Markdown and HTML, PDFs, the offline copy's members): a build that
takes what it can from an earlier one writes the very bytes of a build from nothing.

A small project with every output on (search, PDFs, offline copy, web form) is built from nothing, then
again after a one-fiche edit (warm), then from nothing on the edited content, then warm after the edit is
undone: each warm site must equal its cold twin file for file, byte for byte (Pagefind's own index files
aside: Pagefind does not write them the same twice). The cache is shown to be used (a planted page comes
out), so the comparisons say something, and a planted page whose fiche changed since is shown not to be.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from exportkit import make_export_content
from projectkit import build, mkdocs_build, write_project

FICHE = Path("content") / "initiatives" / "epicerie-solidaire.md"
RESUME = "Une épicerie à petits prix pour les familles."
PLANTED = "Résumé planté dans le cache"
NAV = [{"Accueil": "index.md"}, {"Initiatives": "initiatives/index.md"}, {"Structures": "ccas/index.md"}]


def site_bytes(site: Path) -> dict[str, bytes]:
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file() and not path.relative_to(site).as_posix().startswith("pagefind/")
    }


def differences(one: dict[str, bytes], other: dict[str, bytes]) -> list[str]:
    return sorted(name for name in one.keys() | other.keys() if one.get(name) != other.get(name))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cache")
    home = "# Commun de test\n\nVoir les [initiatives](initiatives/index.md).\n"
    write_project(root, nav=NAV, pages={"index.md": home})
    make_export_content(root)
    return root


def built(project: Path, name: str, *, cold: bool) -> dict[str, bytes]:
    if cold:
        shutil.rmtree(project / ".cache", ignore_errors=True)
    site = project / name
    build(project, site)
    assert not [p for p in site.iterdir() if p.name.startswith(".")], "dossier de travail laissé dans le site"
    return site_bytes(site)


def test_a_warm_build_writes_the_bytes_of_a_cold_one(project: Path) -> None:
    fiche = project / FICHE
    original = fiche.read_text(encoding="utf-8")
    first = built(project, "site-froid", cold=True)
    assert "pagefind/pagefind.js" not in first and (project / "site-froid" / "pagefind" / "pagefind.js").is_file()
    assert any(name.endswith(".pdf") for name in first) and "telechargements/commun-hors-ligne.zip" in first
    assert any((project / ".cache" / "commun" / "html").iterdir())

    edited = original.replace("titre: Épicerie solidaire", "titre: Épicerie solidaire du bourg", 1)
    assert edited != original
    fiche.write_text(edited, encoding="utf-8")
    warm = built(project, "site-chaud", cold=False)
    cold = built(project, "site-froid-modifie", cold=True)
    changed = differences(first, cold)
    assert "initiatives/epicerie-solidaire/index.html" in changed  # the edit shows: the comparison can fail
    assert any(name.endswith(".pdf") for name in changed)  # and in a PDF (its structure lists the initiative)
    assert differences(warm, cold) == []

    fiche.write_text(original, encoding="utf-8")
    back = built(project, "site-retour", cold=False)
    assert differences(back, first) == []


def test_the_warm_build_takes_pages_from_the_cache(project: Path) -> None:
    """A page planted in the cache comes out as planted: warm builds do read it (and a wrong digest would
    show in the comparisons above)."""
    built(project, "site-avant", cold=True)
    entries = list((project / ".cache" / "commun" / "html").iterdir())
    planted = 0
    for entry in entries:
        title, _, html = entry.read_text(encoding="utf-8").partition("\n")
        if "Épicerie solidaire" in html:
            entry.write_text(title + "\n" + html.replace("Épicerie solidaire", "Page plantée"), encoding="utf-8")
            planted += 1
    assert planted
    warm = built(project, "site-plante", cold=False)
    assert any(b"Page plant\xc3\xa9e" in data for name, data in warm.items() if name.endswith(".html"))


def plant_markdown(project: Path, old: str, new: str) -> int:
    """Replace `old` by `new` in the stored Markdown (and HTML blocks) of every page; how many pages had it."""
    with sqlite3.connect(project / ".cache" / "commun" / "pages.sqlite") as db:
        rows = db.execute("SELECT name, entry FROM kept WHERE instr(entry, ?)", (old,)).fetchall()
        db.executemany("UPDATE kept SET entry = ? WHERE name = ?", [(e.replace(old, new), n) for n, e in rows])
    return len(rows)


def html_with(site: dict[str, bytes], text: str) -> list[str]:
    return [name for name, data in site.items() if name.endswith(".html") and text.encode() in data]


def test_a_page_s_markdown_is_taken_from_the_cache_until_something_it_read_changes(project: Path) -> None:
    """A page's Markdown planted in the cache comes out while nothing the page read has changed (warm builds
    do read it); once the fiche's résumé is edited, every page that showed it is rendered again and no
    planted text is left."""
    fiche = project / FICHE
    original = fiche.read_text(encoding="utf-8")
    assert RESUME in original
    built(project, "site-md-avant", cold=True)
    assert plant_markdown(project, RESUME, PLANTED) >= 2  # the fiche's page and at least one list showing it
    planted = built(project, "site-md-plante", cold=False)
    assert "initiatives/epicerie-solidaire/index.html" in html_with(planted, PLANTED)

    fiche.write_text(original.replace(RESUME, "Une épicerie ouverte à tous."), encoding="utf-8")
    try:
        stale = built(project, "site-md-perime", cold=False)
    finally:
        fiche.write_text(original, encoding="utf-8")
    assert html_with(stale, PLANTED) == []
    assert "initiatives/epicerie-solidaire/index.html" in html_with(stale, "Une épicerie ouverte à tous.")


def test_an_unchanged_rebuild_renders_no_page_again(project: Path) -> None:
    """Each page is found again under the same name in another process: nothing in its name or its reads
    depends on the process (addresses, hash seeds)."""
    shutil.rmtree(project / ".cache", ignore_errors=True)
    counts = []
    for name in ("site-compte-froid", "site-compte-chaud"):
        result = mkdocs_build(project, project / name)
        assert result.returncode == 0, result.stderr
        found = re.search(r"pages générées : (\d+) rendues, (\d+) reprises du cache", result.stderr)
        assert found, result.stderr
        counts.append((int(found[1]), int(found[2])))
    (rendered, taken), (again, kept) = counts
    assert rendered > 0 and taken == 0
    assert (again, kept) == (0, rendered)


def rendered(root: Path) -> tuple[dict[str, str], int]:
    """Every generated page's text (without the process's nonce) through the Markdown cache of `root`, and
    how many were rendered rather than taken."""
    import commun.build
    from commun.outputs.pages.render import stable_text

    builder = commun.build.Build(commun.build.Options.with_environment({}, root=root))
    builder.link(builder.check())
    texts = {page.path: stable_text(page.render().text) for page in builder.planned_pages()}
    assert builder.markdown_cache is not None
    builder.markdown_cache.close()
    return texts, builder.markdown_cache.rendered


def test_what_every_page_shares_is_part_of_each_page_s_name(tmp_path: Path) -> None:
    """A theme's label is read from the vocabularies, which every page shares: editing it renders every
    page again, and the pages are those of a build without cache."""
    content = make_export_content(tmp_path)
    first, count = rendered(tmp_path)
    assert count == len(first)
    again, count = rendered(tmp_path)
    assert (again, count) == (first, 0)

    themes = content / "vocabulaires" / "thematiques.yml"
    themes.write_text(themes.read_text(encoding="utf-8").replace("Aide alimentaire", "Alimentation"), "utf-8")
    edited, count = rendered(tmp_path)
    assert count == len(edited)
    assert any("Alimentation" in text and "Aide alimentaire" not in text for text in edited.values())
    shutil.rmtree(tmp_path / ".cache")
    assert rendered(tmp_path) == (edited, len(edited))


# --- a failing step leaves nothing half-written --------------------------------------------------------

FAILING_PAGEFIND = "#!/bin/sh\necho 'erreur simulée' >&2\nexit 3\n"


def hidden(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.name.startswith("."))


def test_a_failing_search_index_is_a_french_error_and_leaves_no_working_folder(
    project: Path, tmp_path: Path
) -> None:
    program = tmp_path / "faux-pagefind"
    program.write_text(FAILING_PAGEFIND, encoding="utf-8")
    program.chmod(0o755)
    site = project / "site-recherche-en-echec"
    result = mkdocs_build(project, site, PAGEFIND_BINARY_PATH=str(program))
    assert result.returncode != 0
    assert "Recherche : Pagefind n'a pas pu indexer le site (erreur simulée)" in result.stderr
    assert "Traceback" not in result.stderr
    assert hidden(site) == []
    assert not (site / "pagefind").exists()


def test_a_step_failing_while_pagefind_runs_stops_it_and_leaves_no_working_folder(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import commun.build

    site = project / "site-copie-en-echec"
    build(project, site)
    before = site_bytes(site)
    builder = commun.build.Build(commun.build.Options.with_environment({}, root=project))
    builder.link(builder.check())

    def failing(*args: object, **kwargs: object) -> None:
        raise OSError("disque plein (simulé)")

    monkeypatch.setattr(commun.build, "build_archive", failing)
    with pytest.raises(OSError, match="disque plein"):
        builder.after_site(site)
    assert hidden(site) == []
    assert (site / "pagefind" / "pagefind.js").is_file()  # the previous index stays whole
    assert site_bytes(site).keys() == before.keys()
