"""The same site from three engines: MkDocs 1.6.1 (the default), ProperDocs (its maintained fork, running
the plugin unchanged) and Zensical (which runs no plugin: `commun zensical` writes every page first, then
runs the steps that follow the site). Every fiche has its page in the three, with the same links to the
rest of the site.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from commun.build import ATTACHMENTS
from commun.core.urls import fiche_path, page_url
from commun.stages.check import check
from projectkit import ROOT, environment

BIN = Path(sys.executable).parent
ENGINES = {
    "mkdocs": [str(BIN / "mkdocs"), "build", "--strict", "-q", "-f", "mkdocs.yml", "--site-dir", "site-mkdocs"],
    "properdocs": [str(BIN / "properdocs"), "build", "--strict", "-q", "-f", "mkdocs.yml", "--site-dir", "site-pd"],
    "zensical": [str(BIN / "commun"), "zensical", "--sortie", "site-zensical"],
}
OUTPUT = {"mkdocs": "site-mkdocs", "properdocs": "site-pd", "zensical": "site-zensical"}


class FicheLinks(HTMLParser):
    """The links inside a fiche's own element (`data-pagefind-body`), as the engine wrote them."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if self.depth:
            self.depth += tag not in ("br", "img", "input", "meta", "link", "hr", "wbr", "source")
        elif "data-pagefind-body" in names:
            self.depth = 1
        if self.depth and tag == "a" and names.get("href"):
            self.links.append(str(names["href"]))

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1


def as_mkdocs_links(path: str) -> str:
    """Zensical rewrites every link to a Markdown file into a page link: the tools' Markdown templates,
    a download under MkDocs, open as a page there (the file itself is copied beside it)."""
    if path.startswith(f"/{ATTACHMENTS}/") and path.endswith("/"):
        return path.removesuffix("/") + ".md"
    return path


def site_links(site: Path, url: str) -> list[str] | None:
    """The site paths the fiche page at `url` links to, or None without such a page."""
    page = site / url / "index.html"
    if not page.is_file():
        return None
    parser = FicheLinks()
    parser.feed(page.read_text(encoding="utf-8"))
    resolved = []
    for href in parser.links:
        target = urlsplit(urljoin(f"http://site/{url}", href))
        if target.netloc == "site" and not href.startswith("#"):
            resolved.append(target.path)
    return resolved


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The repository's site built by each engine, from one copy of its content and pages."""
    root = tmp_path_factory.mktemp("moteurs")
    for name in ("content", "docs"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    env = environment(COMMUN_RECHERCHE="0", NO_MKDOCS_2_WARNING="1")
    for engine, command in ENGINES.items():
        done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=300, check=False)
        assert done.returncode == 0, f"{engine} : {done.stderr[-2000:]}"
    return {engine: root / folder for engine, folder in OUTPUT.items()}


def test_every_fiche_has_the_same_links_in_the_three_engines(built: dict[str, Path]) -> None:
    content = check(ROOT / "content")
    fiches = [f for f in content.all() if f.published]
    assert len(fiches) > 50
    differing = []
    for fiche in fiches:
        url = page_url(fiche_path(fiche))
        links = {engine: site_links(site, url) for engine, site in built.items()}
        links["zensical"] = [as_mkdocs_links(path) for path in links["zensical"] or []] or None
        assert links["mkdocs"], f"{url} : page sans liens sous MkDocs"
        if len({repr(found) for found in links.values()}) > 1:
            differing.append((url, links))
    assert not differing, differing[:2]


def test_the_comparison_sees_a_missing_or_different_page(built: dict[str, Path], tmp_path: Path) -> None:
    """The check above can fail: a page gone, or a link changed, is seen."""
    fiche = next(f for f in check(ROOT / "content").all() if f.published and f.kind == "initiatives")
    url = page_url(fiche_path(fiche))
    copy = tmp_path / "site"
    shutil.copytree(built["zensical"] / url, copy / url)
    page = copy / url / "index.html"
    original = site_links(copy, url)
    assert original
    html = page.read_text(encoding="utf-8")
    first = html.index("data-pagefind-body")
    link = html.index('href="', first) + len('href="')
    page.write_text(html[:link] + "../../ailleurs/" + html[link:], encoding="utf-8")
    assert site_links(copy, url) != original
    page.unlink()
    assert site_links(copy, url) is None


def test_zensical_runs_the_steps_that_follow_the_site(built: dict[str, Path]) -> None:
    site = built["zensical"]
    assert (site / "donnees" / "v1" / "catalogue.json").is_file()
    assert (site / "telechargements" / "commun-hors-ligne.zip").is_file()
    assert any((site / "ccas").rglob("*.pdf"))
    assert (site / "outils" / "fichiers").is_dir()
    for name in sorted(p.name for p in (ROOT / "content" / "outils" / "fichiers").iterdir()):
        assert (site / "outils" / "fichiers" / name).is_file(), name
