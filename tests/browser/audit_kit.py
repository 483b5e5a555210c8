"""The checks of the site audit (tests/browser/test_*.py), as plain functions that return what they find.

Each check runs on the real built site and on a deliberately broken page, so the tests can show it fails.
Imported by the test modules of `tests/browser/` (pytest puts this folder on `sys.path`).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import json
import posixpath
import re
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / "tools" / "audit" / "node_modules"
AXE = TOOLS / "axe-core" / "axe.min.js"
VNU = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = ROOT / "test-results" / "screenshots"

# axe-core's rules for WCAG 2.0 and 2.1, levels A and AA, and those it maps to the French RGAA 4.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "RGAAv4"]
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 360, "height": 740}
KINDS = ("initiatives", "projets", "modules", "outils", "ccas")
BANK = "banque-d-experiences/"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def served(folder: Path) -> Iterator[str]:
    """`folder` served on 127.0.0.1 while the block runs: its URL, ending with « / »."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


def tool(path: Path) -> Path:
    if not path.is_file():
        pytest.fail(f"Outil d'audit absent ({path.relative_to(ROOT)}) : lancez « make test », qui l'installe (npm ci)")
    return path


# --- Page types ------------------------------------------------------------------------------------------


def _pages_under(site: Path, folder: str) -> list[Path]:
    base = site / folder
    if not base.is_dir():
        return []
    return sorted(d for d in base.iterdir() if (d / "index.html").is_file())


def _richest(pages: list[Path]) -> Path | None:
    """The page with the most HTML: the one that shows most of its template (tables, lists, cards)."""
    return max(pages, key=lambda d: ((d / "index.html").stat().st_size, d.name), default=None)


def page_types(site: Path) -> dict[str, str | None]:
    """One URL (relative to the site root) per page type, found in the built site; None when there is none."""
    types: dict[str, str | None] = {"accueil": ""}
    for kind in KINDS:
        types[f"index-{kind}"] = f"{kind}/" if (site / kind / "index.html").is_file() else None
        richest = _richest(_pages_under(site, kind))
        types[f"fiche-{kind}"] = f"{kind}/{richest.name}/" if richest else None
    # A CCAS profile with a training path, and its attestation.
    with_attestation = [d for d in _pages_under(site, "ccas") if (d / "attestation" / "index.html").is_file()]
    ccas = [d for d in with_attestation if "<dt>Type</dt><dd>CCAS</dd>" in (d / "index.html").read_text("utf-8")]
    profile = _richest(ccas or with_attestation)
    types["profil-ccas"] = f"ccas/{profile.name}/" if profile else None
    types["attestation"] = f"ccas/{profile.name}/attestation/" if profile else None
    types["index-thematiques"] = "thematiques/"
    for folder, name in (
        ("thematiques", "thematique"),
        ("publics", "public"),
        ("communes", "commune"),
        ("epci", "epci"),
        ("departements", "departement"),
    ):
        richest = _richest(_pages_under(site, folder))
        types[name] = f"{folder}/{richest.name}/" if richest else None
    types["index-departements"] = "departements/" if (site / "departements" / "index.html").is_file() else None
    types["le-commun"] = "le-commun/"
    types["donnees"] = "donnees/" if (site / "donnees" / "index.html").is_file() else None
    types["accessibilite"] = "accessibilite/"
    types["recherche"] = BANK if (site / BANK / "index.html").is_file() else None
    types["404"] = "404.html"
    return types


PAGE_TYPES = [
    "accueil",
    *(f"index-{k}" for k in KINDS),
    *(f"fiche-{k}" for k in KINDS),
    "profil-ccas",
    "attestation",
    "index-thematiques",
    "thematique",
    "public",
    "commune",
    "epci",
    "index-departements",
    "departement",
    "le-commun",
    "donnees",
    "accessibilite",
    "recherche",
    "404",
]

MISSING = {
    "attestation": "aucune structure du contenu réel n'a de parcours de formation, donc pas d'attestation",
    "recherche": "la page « Banque d'expériences » (issue 5, recherche Pagefind) n'existe pas encore",
}


def url_of(types: dict[str, str | None], name: str) -> str:
    url = types.get(name)
    if url is None:
        pytest.skip(MISSING.get(name, f"le site construit n'a pas de page du type « {name} »"))
    return url


def show_search_results(page: Any) -> None:
    """On the « Banque d'expériences » opened with `?q=…`: wait until its results are shown."""
    page.locator("#commun-banque-resultats li").first.wait_for(state="visible")


# --- axe-core -------------------------------------------------------------------------------------------


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations of WCAG 2.0/2.1 A and AA and RGAA 4 on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(tool(AXE)))
    result = page.evaluate(
        """(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})""",
        AXE_TAGS,
    )
    return result["violations"]


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}) : {v['help']} — {v['helpUrl']}")
        for node in v["nodes"][:5]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {' '.join(map(str, node['target']))} : {summary[:300]}")
    return "\n".join(lines)


# --- Static HTML: links, anchors, language, titles, images ----------------------------------------------


@dataclass
class ParsedPage:
    path: Path
    lang: str | None = None
    title: str = ""
    ids: set[str] | None = None
    links: list[tuple[str, str]] | None = None  # (attribute, value)
    images_without_alt: list[str] | None = None
    text: str = ""  # what a reader meets: text outside scripts and styles, and aria-label, title, alt, placeholder


class _Parser(HTMLParser):
    LINK_ATTRIBUTES: ClassVar[set[tuple[str, str]]] = {
        ("a", "href"),
        ("link", "href"),
        ("script", "src"),
        ("img", "src"),
        ("source", "src"),
        ("iframe", "src"),
        ("form", "action"),
        ("area", "href"),
    }

    def __init__(self, parsed: ParsedPage) -> None:
        super().__init__(convert_charrefs=True)
        self.parsed = parsed
        self.in_title = False
        self.in_svg = 0
        self.in_code = 0
        self.chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        page = self.parsed
        if tag == "html":
            page.lang = values.get("lang")
        if tag == "title" and not self.in_svg:
            self.in_title = True
        if tag == "svg":
            self.in_svg += 1
        if tag in ("script", "style"):
            self.in_code += 1
        self.chunks.extend(values.get(a) or "" for a in ("aria-label", "title", "alt", "placeholder"))
        for name in ("id", "name") if tag == "a" else ("id",):
            if values.get(name):
                page.ids.add(values[name])
        for element, attribute in self.LINK_ATTRIBUTES:
            if tag == element and values.get(attribute) is not None:
                page.links.append((f"{tag}[{attribute}]", values[attribute] or ""))
        if tag == "img" and values.get("alt") is None and values.get("role") != "presentation":
            page.images_without_alt.append(values.get("src") or "?")
        if values.get("role") == "img" and not (values.get("aria-label") or values.get("aria-labelledby")):
            page.images_without_alt.append(f"<{tag} role=img>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag == "svg" and self.in_svg:
            self.in_svg -= 1
        if tag in ("script", "style") and self.in_code:
            self.in_code -= 1

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.parsed.title += data
        if not self.in_code:
            self.chunks.append(data)


def parse_page(path: Path) -> ParsedPage:
    parsed = ParsedPage(path, ids=set(), links=[], images_without_alt=[])
    parser = _Parser(parsed)
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    parsed.text = " ".join(" ".join(parser.chunks).split())
    parsed.title = " ".join(parsed.title.split())
    return parsed


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if not p.relative_to(site).parts[0].startswith("."))


def _target(site: Path, page: Path, url: str) -> Path | None:
    """The file that a site-relative link resolves to, or None when it leaves the site's folder."""
    path = unquote(urlsplit(url).path)
    if path.startswith("/"):
        joined = posixpath.normpath(path.lstrip("/")) if path.strip("/") else "."
    else:
        base = page.parent.relative_to(site).as_posix()
        joined = posixpath.normpath(posixpath.join(base, path)) if path else page.relative_to(site).as_posix()
    if joined.startswith(".."):
        return None
    target = site / joined
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


@dataclass
class LinkReport:
    broken: list[str]
    external: list[str]
    checked: int


def check_links(site: Path) -> LinkReport:
    """Every internal link and anchor of every HTML page under `site`; external links listed, not fetched."""
    pages = {p: parse_page(p) for p in html_pages(site)}
    broken: list[str] = []
    external: set[str] = set()
    checked = 0
    for path, parsed in pages.items():
        where = path.relative_to(site).as_posix()
        for attribute, url in parsed.links:
            parts = urlsplit(url)
            if parts.scheme in ("http", "https"):
                external.add(url)
                continue
            if parts.scheme or url.startswith("//"):
                if parts.scheme not in ("mailto", "tel", "data", "javascript") or url.startswith("//"):
                    external.add(url)
                continue
            checked += 1
            target = _target(site, path, url)
            if target is None or not target.is_file():
                broken.append(f"{where} : {attribute}=« {url} » → fichier introuvable")
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html":
                ids = (pages.get(target) or parse_page(target)).ids
                if fragment not in ids:
                    broken.append(f"{where} : {attribute}=« {url} » → ancre #{fragment} introuvable")
    return LinkReport(sorted(broken), sorted(external), checked)


# Material's English interface strings (its `en` language file), as they would show if a page were not in French.
def material_english() -> list[str]:
    import material

    folder = Path(material.__file__).parent / "templates" / "partials" / "languages"

    def strings(name: str) -> dict[str, str]:
        text = (folder / f"{name}.html").read_text(encoding="utf-8")
        return dict(re.findall(r'^\s*"([a-z.]+)": "(.*)",?$', text, flags=re.M))

    english, french = strings("en"), strings("fr")
    return sorted(
        value
        for key, value in english.items()
        if not key.startswith(("search.config", "language", "direction"))
        and len(value) >= 5
        and "#" not in value
        and value != french.get(key)
    )


def english_in(text: str, phrases: list[str]) -> list[str]:
    return [p for p in phrases if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text)]


# --- Nu Html Checker -------------------------------------------------------------------------------------

# Errors of Material for MkDocs' own markup (not of our templates), each matched on the exact message AND the
# exact markup it is found in. Material drives its drawer, search and table of contents with the « checkbox
# hack » (hidden checkboxes toggled by <label>s): valid for browsers, but the checker objects to three details.
THEME_ERRORS: list[tuple[str, re.Pattern[str], str]] = [
    (
        "Attribute “autocomplete” is only allowed when the input type is “color”, “date”, “datetime-local”, "
        "“email”, “hidden”, “month”, “number”, “password”, “range”, “search”, “tel”, “text”, “time”, “url”, "
        "or “week”.",
        re.compile(
            r'<input class="md-toggle(?: md-nav__toggle)?" (?:data-md-toggle="(?:drawer|search|toc)" )?'
            r'type="checkbox" id="__(?:drawer|search|toc)" autocomplete="off">'
        ),
        "Material's drawer/search/toc checkboxes keep the form state from being restored on « back »",
    ),
    (
        "The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control.",
        re.compile(
            r'<label class="md-(?:nav__title|nav__link md-nav__link--active|overlay|header__button md-icon|'
            r'search__overlay|search__icon md-icon)" for="__(?:toc|drawer|search)"'
        ),
        "Material's labels toggle checkboxes it hides with CSS `display: none`, not with the hidden attribute",
    ),
    (
        "Bad value “” for attribute “tabindex” on element “label”: The empty string is not a valid integer.",
        re.compile(
            r'<label class="md-nav__link(?: | md-nav__link--active)?" for="__nav_[0-9_]+" '
            r'id="__nav_[0-9_]+_label" tabindex="">'
        ),
        "Material's navigation.indexes section labels (partials/nav-item.html) print an empty tabindex",
    ),
]


def vnu(paths: list[Path]) -> list[dict[str, Any]]:
    """The Nu Html Checker's errors on `paths` (one Java run), each a dict with url, line, message, extract."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java est introuvable : lancez « make test », qui l'installe (default-jre-headless)")
    result = subprocess.run(
        [java, "-Xss8m", "-jar", str(tool(VNU)), "--errors-only", "--format", "json", *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        messages = json.loads(result.stderr)["messages"]
    except (json.JSONDecodeError, KeyError):
        pytest.fail(f"Sortie illisible du validateur HTML (code {result.returncode}) :\n{result.stderr[:2000]}")
    return [m for m in messages if m.get("type") in ("error", "non-document-error")]


def theme_error(message: dict[str, Any]) -> str | None:
    """The reason a checker error is Material's own (see THEME_ERRORS), or None when it is ours."""
    extract = message.get("extract") or ""
    for text, markup, reason in THEME_ERRORS:
        if message.get("message") == text and markup.search(extract):
            return reason
    return None


def describe_html_errors(errors: list[dict[str, Any]], root: Path) -> str:
    lines = []
    for m in errors[:40]:
        url = m.get("url", "").removeprefix("file:")
        with contextlib.suppress(ValueError):
            url = Path(url).relative_to(root).as_posix()
        extract = " ".join((m.get("extract") or "").split())
        lines.append(f"- {url}:{m.get('lastLine', '?')} : {m.get('message')}\n    {extract[:200]}")
    more = f"\n… et {len(errors) - 40} autres" if len(errors) > 40 else ""
    return "\n".join(lines) + more


# --- Keyboard --------------------------------------------------------------------------------------------

FOCUSED = """async () => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  // First let the transitions of the element and its ancestors end (Material fades the skip link in, slides
  // the menu): at most one second.
  const running = document.getAnimations().filter(a => a.effect && a.effect.target && a.effect.target.contains(e)
    && a.effect.getTiming().iterations !== Infinity);
  const ended = Promise.all(running.map(a => a.finished.catch(() => null)));
  await Promise.race([ended, new Promise(r => setTimeout(r, 1000))]);
  const r = e.getBoundingClientRect();
  const s = getComputedStyle(e);
  let hidden = false;
  for (let n = e; n; n = n.parentElement) {
    const t = getComputedStyle(n);
    if (t.visibility === 'hidden' || t.display === 'none' || t.opacity === '0') hidden = true;
  }
  const inView = r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0
    && r.left < window.innerWidth && r.top < window.innerHeight;
  return {
    tag: e.tagName.toLowerCase(), cls: e.className && e.className.baseVal === undefined ? e.className : '',
    text: (e.innerText || e.getAttribute('aria-label') || e.value || '').trim().slice(0, 60),
    href: e.getAttribute('href'), visible: inView && !hidden,
    outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) || 0, boxShadow: s.boxShadow,
    inNav: !!e.closest('.md-tabs, .md-nav--primary'), inContent: !!e.closest('.md-content'),
  };
}"""


def focus_problem(focused: dict[str, Any] | None) -> str | None:
    """Why the focused element's focus is not visible (RGAA 10.7), or None when it is."""
    if focused is None:
        return "aucun élément n'a le focus"
    name = f"<{focused['tag']} class=« {focused['cls']} »> « {focused['text']} »"
    if not focused["visible"]:
        return f"{name} a le focus mais n'est pas visible à l'écran"
    ring = focused["outlineStyle"] not in ("none", "") and focused["outlineWidth"] >= 2
    shadow = focused["boxShadow"] not in ("none", "")
    if not (ring or shadow):
        return (
            f"{name} : focus sans indicateur visible (outline {focused['outlineStyle']} "
            f"{focused['outlineWidth']} px, box-shadow {focused['boxShadow']})"
        )
    return None


def tab_walk(page: Any, presses: int) -> list[dict[str, Any] | None]:
    """Press Tab `presses` times from where the page is; what each press focused."""
    seen = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(FOCUSED))
    return seen


# --- PDF -------------------------------------------------------------------------------------------------


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page of a PDF, whitespace collapsed."""
    from pypdf import PdfReader

    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def block_outside(page: Any, is_own: Callable[[str], bool]) -> list[str]:
    """Requests of `page` to anything `is_own` (given the URL's host) refuses are blocked and recorded."""
    seen: list[str] = []

    def route(route: Any, request: Any) -> None:
        if request.url.startswith(("data:", "blob:")) or is_own(urlsplit(request.url).netloc):
            route.continue_()
        else:
            seen.append(request.url)
            route.abort()

    page.route("**/*", route)
    return seen
