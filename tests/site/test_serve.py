"""`mkdocs serve` builds the same pages as `mkdocs build`, and an edited fiche shows at the next rebuild.

Under serve the plugin writes pages to disk for `--dirty`, reuses unchanged pages and checked files,
and puts the templates' HTML blocks back after Markdown: the article of every page must still be what a
full build makes. The serve builds run in a child process, as MkDocs' own serve command drives them.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest
from projectkit import environment, mkdocs_build
from test_site_build import make_project

SERVE = """
import os, sys
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config

site, fiche, old, new = sys.argv[1:]
url = "http://127.0.0.1:8000/"

def rebuild(first=False):
    config = load_config("mkdocs.yml", site_dir=site)
    config.site_url = url
    if first:
        config.plugins.on_startup(command="serve", dirty=True)
    build(config, serve_url=url, dirty=True)

rebuild(first=True)
path = Path(fiche)
path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
status = path.stat()
os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))
rebuild()
"""

ARTICLE = re.compile(r"<article.*?</article>", re.S)


def articles(site: Path) -> dict[str, str]:
    found = {}
    for page in site.rglob("index.html"):
        match = ARTICLE.search(page.read_text(encoding="utf-8"))
        if match:
            found[page.relative_to(site).as_posix()] = match[0]
    return found


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], dict[str, str], Path]:
    # Neither PDFs nor the offline copy are made under serve (pages link to them only when they exist).
    project = make_project(tmp_path_factory.mktemp("serve"), livrables=False, hors_ligne=False)
    fiche = next((project / "content" / "initiatives").glob("*.md"))
    old = re.search(r"^titre: .*$", fiche.read_text(encoding="utf-8"), re.M)[0]  # type: ignore[index]
    new = "titre: Titre modifié pendant l'aperçu"
    serve_site = project / "site-serve"
    result = subprocess.run(
        [sys.executable, "-c", SERVE, str(serve_site), str(fiche), old, new],
        cwd=project,
        env=environment(COMMUN_RECHERCHE="0"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    built = mkdocs_build(project, project / "site-build", COMMUN_RECHERCHE="0")
    assert built.returncode == 0, built.stderr[-3000:]
    return articles(serve_site), articles(project / "site-build"), fiche


def test_served_pages_are_the_built_pages(served: tuple[dict[str, str], dict[str, str], Path]) -> None:
    serve, build, _ = served
    assert set(serve) == set(build)
    assert len(build) > 20
    # « Données » says whether the sitemap is filled, which depends on the site's address: serve has one.
    different = [path for path in build if serve[path] != build[path] and path != "donnees/index.html"]
    assert not different, different[:5]


def test_the_edit_shows_in_its_page_and_in_the_lists(served: tuple[dict[str, str], dict[str, str], Path]) -> None:
    serve, _, fiche = served
    showing = [path for path, article in serve.items() if "Titre modifié pendant l&#39;aperçu" in article]
    assert f"initiatives/{fiche.stem}/index.html" in showing
    assert "initiatives/index.html" in showing
    assert "index.html" in showing  # the home page's latest updates, though docs/index.md did not change
    assert not any("commun-bloc-html" in article for article in serve.values())


# Serve rebuilds of a fiche broken then mended: after each rebuild, the articles are copied aside.
SERVE_BROKEN = """
import os, shutil, sys
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config

site, fiche, old, broken, snapshots = sys.argv[1:]
url = "http://127.0.0.1:8000/"

def rebuild(name, first=False):
    config = load_config("mkdocs.yml", site_dir=site)
    config.site_url = url
    if first:
        config.plugins.on_startup(command="serve", dirty=True)
    build(config, serve_url=url, dirty=True)
    shutil.copytree(site, Path(snapshots) / name)

def save(text):
    path = Path(fiche)
    path.write_text(text, encoding="utf-8")
    status = path.stat()
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))

original = Path(fiche).read_text(encoding="utf-8")
rebuild("avant", first=True)
save(original.replace(old, broken, 1))
rebuild("cassee")
save(original)
rebuild("reparee")
"""
BANNER = "Aperçu : 1 erreur dans le contenu"
BANNER_BLOCK = re.compile(r'<div class="admonition failure commun-erreurs".*?</ul>\s*</div>\s*', re.S)


@pytest.fixture(scope="module")
def broken_then_mended(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, dict[str, str]], Path, int]:
    project = make_project(tmp_path_factory.mktemp("serve-erreur"), livrables=False, hors_ligne=False)
    fiche = next((project / "content" / "initiatives").glob("*.md"))
    old = re.search(r"^porteur: .*$", fiche.read_text(encoding="utf-8"), re.M)[0]  # type: ignore[index]
    line = fiche.read_text(encoding="utf-8").splitlines().index(old) + 1
    snapshots = project / "instantanes"
    result = subprocess.run(
        [sys.executable, "-c", SERVE_BROKEN, str(project / "site"), str(fiche), old, "porteur: ccas-inconnu",
         str(snapshots)],
        cwd=project,
        env=environment(COMMUN_RECHERCHE="0"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"{fiche.stem}.md:{line}:10: erreur: porteur" in result.stderr  # the terminal says it too
    states = {name: articles(snapshots / name) for name in ("avant", "cassee", "reparee")}
    return states, fiche, line


def test_a_broken_fiche_shows_its_error_on_every_page_over_the_last_valid_content(
    broken_then_mended: tuple[dict[str, dict[str, str]], Path, int],
) -> None:
    states, fiche, line = broken_then_mended
    before, broken = states["avant"], states["cassee"]
    assert set(broken) == set(before)
    assert [path for path, article in broken.items() if BANNER not in article] == []
    page = html.unescape(broken[f"initiatives/{fiche.stem}/index.html"])
    assert f"{fiche.stem}.md:{line}:10: erreur: porteur : aucune fiche « ccas-inconnu »" in page
    # Below the errors, every page is the one served before the fiche broke.
    assert {path: BANNER_BLOCK.sub("", article) for path, article in broken.items()} == before


def test_mending_the_fiche_takes_every_error_away(
    broken_then_mended: tuple[dict[str, dict[str, str]], Path, int],
) -> None:
    states, _, _ = broken_then_mended
    assert states["reparee"] == states["avant"]
