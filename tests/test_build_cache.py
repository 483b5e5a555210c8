"""The build cache (.cache/commun: pages' HTML, PDFs, the offline copy's members): a build that takes what it
can from an earlier one writes the very bytes of a build from nothing.

A small project with every output on (search, PDFs, offline copy, web form) is built from nothing, then
again after a one-fiche edit (warm), then from nothing on the edited content, then warm after the edit is
undone: each warm site must equal its cold twin file for file, byte for byte (Pagefind's own index files
aside: Pagefind does not write them the same twice). The cache is shown to be used (a planted page comes
out), so the comparisons say something.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from exportkit import make_export_content
from projectkit import build, mkdocs_build, write_project

FICHE = Path("content") / "initiatives" / "epicerie-solidaire.md"
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
