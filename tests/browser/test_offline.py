"""The offline copy, opened from the disk (file://) in Chromium with every network request aborted: pages,
links, images, downloadable tools and search must all work, as on a CCAS laptop with no internet.

A small project (exportkit: the repository's theme and overrides, a home page with an image) is built
once; its archive is unzipped and browsed. The real site's archive, built by the session fixture, is
checked without a browser: every link of every page leads to a file of the archive.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from commun.outputs.offline import ARCHIVE, FOLDER, offline_href, rewrite_html
from exportkit import make_project
from playwright.sync_api import Page, expect
from projectkit import build


@pytest.fixture(scope="module")
def offline_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("hors-ligne"), site_url=None)
    site = project / "site"
    build(project, site)
    unzipped = project / "copie"
    with zipfile.ZipFile(site / ARCHIVE) as archive:
        archive.extractall(unzipped)
    return unzipped / FOLDER


@dataclass
class Traffic:
    """What a page asked for: requests sent to the network (aborted) and files that failed to load."""

    network: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def traffic(page: Page) -> Traffic:
    seen = Traffic()

    def route(route, request) -> None:
        if request.url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            seen.network.append(request.url)
            route.abort("internetdisconnected")

    page.route("**/*", route)
    # ERR_ABORTED is a load cut short by the next navigation (a favicon, say); a missing file is ERR_FILE_NOT_FOUND.
    page.on(
        "requestfailed",
        lambda request: None if "ERR_ABORTED" in (request.failure or "") else seen.failed.append(
            f"{request.url} ({request.failure})"
        ),
    )
    page.on("pageerror", lambda error: seen.errors.append(str(error)))
    page.on("console", lambda message: seen.errors.append(message.text) if message.type == "error" else None)
    return seen


def test_home_opens_from_disk_with_styles_and_image(page: Page, offline_root: Path, traffic: Traffic) -> None:
    page.goto((offline_root / "index.html").as_uri())
    expect(page.locator("h1").first).to_contain_text("Commun de test")
    image = page.locator("img[alt='Carte des communes']")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth") == 2
    # Material's stylesheet is applied: the header is fixed at the top, not a plain block.
    assert page.locator(".md-header").evaluate("node => getComputedStyle(node).position") == "sticky"
    assert traffic.network == []
    assert traffic.failed == []
    assert traffic.errors == []


def test_links_lead_from_page_to_page(page: Page, offline_root: Path, traffic: Traffic) -> None:
    page.goto((offline_root / "index.html").as_uri())
    page.get_by_role("link", name="outils", exact=True).click()
    assert page.url.endswith("/outils/index.html")
    page.get_by_role("link", name="Grille d'entretien").first.click()
    assert page.url.endswith("/outils/grille-entretien/index.html")
    expect(page.locator("h1").first).to_contain_text("Grille d'entretien")
    page.get_by_role("link", name="Épicerie solidaire").first.click()
    assert page.url.endswith("/initiatives/epicerie-solidaire/index.html")
    page.get_by_role("link", name="CCAS réel").first.click()
    assert page.url.endswith("/ccas/ccas-reel/index.html")
    page.go_back()
    assert page.url.endswith("/initiatives/epicerie-solidaire/index.html")
    assert traffic.network == [] and traffic.failed == []


def test_tool_file_downloads_from_disk(page: Page, offline_root: Path, traffic: Traffic) -> None:
    page.goto((offline_root / "outils" / "grille-entretien" / "index.html").as_uri())
    link = page.get_by_role("link", name="La grille")
    href = link.get_attribute("href")
    assert href is not None
    target = (offline_root / "outils" / "grille-entretien" / href).resolve()
    assert target.read_text(encoding="utf-8") == "question;réponse\n"
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert Path(download.path()).read_text(encoding="utf-8") == "question;réponse\n"
    assert traffic.network == [] and traffic.failed == []


def test_search_works_from_disk_without_fetch(page: Page, offline_root: Path, traffic: Traffic) -> None:
    page.goto((offline_root / "initiatives" / "index.html").as_uri())
    # The online search (Pagefind, in the header) cannot work from the disk: it is hidden, ours is shown.
    expect(page.locator(".md-search")).to_be_hidden()
    field_ = page.get_by_label("Rechercher dans la copie hors ligne")
    expect(field_).to_be_visible()
    field_.press_sequentially("epicerie")  # without its accent: the index folds them
    results = page.locator(".commun-hors-ligne__resultats a")
    expect(results.first).to_be_visible()
    assert "Épicerie solidaire" in results.all_inner_texts()
    expect(page.locator(".commun-hors-ligne__etat")).to_contain_text("trouvée")
    field_.fill("")
    field_.press_sequentially("epicerie zzzxq")  # every word must match
    expect(page.locator(".commun-hors-ligne__etat")).to_have_text("Aucune page ne contient ces mots.")
    expect(results).to_have_count(0)
    field_.fill("")
    field_.press_sequentially("urgente sos")  # the page whose title holds the words comes first
    expect(results.first).to_contain_text("Aide « urgente »")
    results.first.click()
    assert page.url.endswith("/initiatives/aide-urgente/index.html")
    expect(page.locator("h1").first).to_contain_text("Aide « urgente »")
    assert traffic.network == [] and traffic.failed == [] and traffic.errors == []


def test_search_shortcut_leads_to_the_offline_box_and_the_online_search_stays_idle(
    page: Page, offline_root: Path, traffic: Traffic
) -> None:
    page.goto((offline_root / "outils" / "index.html").as_uri())
    field_ = page.get_by_label("Rechercher dans la copie hors ligne")
    expect(field_).to_be_visible()
    page.keyboard.press("/")
    expect(field_).to_be_focused()
    page.keyboard.type("epicerie")
    expect(field_).to_have_value("epicerie")  # the « / » itself is not typed
    expect(page.locator(".commun-hors-ligne__resultats a").first).to_be_visible()
    field_.fill("")
    field_.press("s")  # typed in the box, a shortcut letter is a letter
    expect(field_).to_have_value("s")
    assert traffic.network == [] and traffic.failed == [] and traffic.errors == []


def test_the_bank_page_offline_lists_every_fiche_without_its_online_form(
    page: Page, offline_root: Path, traffic: Traffic
) -> None:
    """The « Banque d'expériences » searches with Pagefind: from the disk it stays the plain list of fiches."""
    page.goto((offline_root / "banque-d-experiences" / "index.html").as_uri())  # waits for its scripts (load)
    expect(page.locator("#commun-banque-liste a").first).to_be_visible()
    expect(page.locator("#commun-banque")).to_be_hidden()
    expect(page.locator("#commun-banque-liste")).to_be_visible()
    # Its text promises nothing the copy cannot do: no filters offline.
    assert "filtr" not in page.locator("article").inner_text().casefold()
    assert traffic.network == [] and traffic.failed == [] and traffic.errors == []


def test_what_only_the_online_site_offers_is_hidden_in_the_copy(
    page: Page, offline_root: Path, traffic: Traffic
) -> None:
    """The link to download the copy (« Données », the home page) leads nowhere from the copy itself."""
    html = (offline_root / "donnees" / "index.html").read_text(encoding="utf-8")
    assert "commun-en-ligne-seulement" in html
    page.goto((offline_root / "donnees" / "index.html").as_uri())
    expect(page.locator(".commun-en-ligne-seulement")).to_be_hidden()
    page.route("http://commun.test/**", lambda route: route.fulfill(body=html, content_type="text/html"))
    page.goto("http://commun.test/donnees/index.html")
    expect(page.locator(".commun-en-ligne-seulement")).to_be_attached()
    assert page.locator(".commun-en-ligne-seulement").evaluate("e => getComputedStyle(e).display") != "none"


def test_search_box_stays_hidden_online(page: Page, offline_root: Path) -> None:
    """Served over HTTP the copy behaves as the site: no offline box (the header search is the online one)."""
    html = (offline_root / "index.html").read_text(encoding="utf-8")
    page.route("http://commun.test/**", lambda route: route.fulfill(body=html, content_type="text/html"))
    page.goto("http://commun.test/index.html")
    expect(page.locator("#commun-recherche-hors-ligne")).to_be_hidden()


# --- every link of the real site's archive, without a browser --------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value and tag in ("a", "link", "img", "script"):
                self.links.append(value)


def unused_by_readers(name: str) -> bool:
    return name.startswith(("assets/javascripts/lunr/", "assets/javascripts/workers/")) or name.endswith(".map")


def dead_links(names: set[str], read) -> Iterator[tuple[str, str]]:
    for name in sorted(n for n in names if n.endswith(".html")):
        parser = _Links()
        parser.feed(read(name))
        for href in parser.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith(("#", "/")) or not parts.path:
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), unquote(parts.path)))
            if target not in names:
                yield name, href


def test_every_link_of_the_real_site_archive_leads_to_a_file(built_site: Path) -> None:
    with zipfile.ZipFile(built_site / ARCHIVE) as archive:
        names = {n.removeprefix(f"{FOLDER}/") for n in archive.namelist() if not n.endswith("/")}
        read = lambda name: archive.read(f"{FOLDER}/{name}").decode("utf-8")  # noqa: E731
        pages = [n for n in names if n.endswith(".html")]
        assert len(pages) > 100
        assert "LISEZMOI.txt" in names and "assets/commun-recherche-index.js" in names
        assert not any(n.startswith(("pagefind/", "search/", "telechargements/")) for n in names)
        # Nor what no reader uses: the theme's own search (lunr, its worker) and source maps; the site has them.
        unused = [n for n in names if unused_by_readers(n)]
        assert unused == []
        site_files = [p.relative_to(built_site).as_posix() for p in built_site.rglob("*") if p.is_file()]
        assert [name for name in site_files if unused_by_readers(name)]
        assert list(dead_links(names, read)) == []
        # The same check finds the links of the online pages dead from the disk: it would catch a copy
        # whose links were not rewritten.
        online = {n: (built_site / n).read_text(encoding="utf-8") for n in pages}
        assert list(dead_links(names, online.__getitem__))


def test_offline_href_rewrites_only_relative_links_to_folders() -> None:
    assert offline_href("../initiatives/x/") == "../initiatives/x/index.html"
    assert offline_href("..") == "../index.html"
    assert offline_href(".") == "./index.html"
    assert offline_href("./#haut") == "./index.html#haut"
    assert offline_href("x/?q=1#a") == "x/index.html?q=1#a"
    for unchanged in ("https://www.etalab.gouv.fr/", "mailto:a@b.fr", "#haut", "/", "fichier.csv", "a.png"):
        assert offline_href(unchanged) == unchanged


def test_links_to_what_the_copy_leaves_out_go_online_or_to_the_readme() -> None:
    html = '<a href="../telechargements/commun-hors-ligne.zip" download>copie</a> <a href="../ccas/">ccas</a>'
    assert rewrite_html(html, "donnees/index.html") == (
        '<a href="../LISEZMOI.txt" download>copie</a> <a href="../ccas/index.html">ccas</a>'
    )
    online = rewrite_html(html, "donnees/index.html", "https://commun.example.org/")
    assert 'href="https://commun.example.org/telechargements/commun-hors-ligne.zip"' in online


def test_search_index_is_a_script_not_data_to_fetch(offline_root: Path) -> None:
    text = (offline_root / "assets" / "commun-recherche-index.js").read_text(encoding="utf-8")
    assert re.match(r"/\*.*?\*/\nwindow\.COMMUN_RECHERCHE = \[", text, re.S)
    assert "Épicerie solidaire" in text
    assert "Brouillon secret" not in text


def test_command_makes_the_copy_of_a_built_site(offline_root: Path, tmp_path: Path, capsys) -> None:
    from commun.adapters.cli import main

    site = offline_root.parents[1] / "site"
    archive = tmp_path / "copie.zip"
    assert main(["hors-ligne", "--site", str(site), "--sortie", str(archive)]) == 0
    assert "Copie hors ligne écrite" in capsys.readouterr().out
    with zipfile.ZipFile(archive) as zipped:
        assert f"{FOLDER}/index.html" in zipped.namelist()
        assert 'href="outils/index.html"' in zipped.read(f"{FOLDER}/index.html").decode("utf-8")
    assert main(["hors-ligne", "--site", str(tmp_path / "absent")]) == 2
    assert "pas de site construit" in capsys.readouterr().err
