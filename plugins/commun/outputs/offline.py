"""The offline copy: a zip of the built site that opens from the disk (`file://`), with no server, no
network and no Python — for a CCAS that carries the commun on a laptop or a USB key.

Why post-processing rather than a second build: from `file://` a browser does not turn `initiatives/x/`
into `initiatives/x/index.html`, so every relative link to a folder gets its `index.html` — the only
difference a second MkDocs build with `use_directory_urls: false` would make, at the cost of a whole
build. Search engines that fetch their index (Material's search worker, Pagefind) are blocked from
`file://`: the copy carries its own small index as a script that sets a global (`<script src>` works from
the disk where `fetch` does not), read by `docs/assets/commun-hors-ligne.js`, which shows a search field
only when the page is opened from the disk.
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from ..core.kinds import KINDS
from .templating import environment

ARCHIVE = "telechargements/commun-hors-ligne.zip"
FOLDER = "commun-hors-ligne"
SEARCH_INDEX = "assets/commun-recherche-index.js"
README = "LISEZMOI.txt"
# Left out of the copy: the online search indexes (useless from the disk) and the downloads folder (the copy
# would hold itself).
EXCLUDED = ("search/", "pagefind/", "telechargements/", "admin/", "sitemap.xml.gz")
# Left out too, as no reader of the copy uses them: the theme's own search (lunr and its worker: the commun
# searches with Pagefind online and with the copy's index offline) and source maps (for developers' tools).
UNUSED = ("assets/javascripts/lunr/", "assets/javascripts/workers/")
UNUSED_SUFFIXES = (".map",)
MAX_WORDS = 400

ATTRIBUTE = re.compile(r"""(?P<lead>\s(?:href|src)\s*=\s*)(?P<quote>["'])(?P<value>[^"'<>]*)(?P=quote)""", re.I)
WORD = re.compile(r"[a-z0-9]{2,}")


def offline_href(value: str) -> str:
    """The link as it must read from the disk: a relative link to a folder gets `index.html`."""
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or value.startswith(("/", "#")) or not parts.path:
        return value
    path = parts.path
    if path.endswith("/"):
        path += "index.html"
    elif path.rsplit("/", 1)[-1] in (".", ".."):
        path += "/index.html"
    else:
        return value
    return path + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")


def rewrite_html(html: str, page: str = "index.html", site_url: str | None = None) -> str:
    """Every `href` and `src` of the HTML page at `page` (its path in the site), made to work from the disk.

    A link to what the copy leaves out (the archive itself, the online search indexes) goes to the online
    site when its address is known, else to the copy's LISEZMOI.txt, which says what the copy is.
    """
    folder = posixpath.dirname(page)

    def rewrite(match: re.Match[str]) -> str:
        value = match["value"]
        parts = urlsplit(value)
        if not (parts.scheme or parts.netloc or value.startswith(("/", "#"))) and parts.path:
            target = posixpath.normpath(posixpath.join(folder, parts.path))
            if f"{target}/".startswith(EXCLUDED):  # normpath drops the slash of `../admin/`
                value = site_url.rstrip("/") + "/" + target if site_url else posixpath.relpath(README, folder or ".")
                return f"{match['lead']}{match['quote']}{value}{match['quote']}"
        return f"{match['lead']}{match['quote']}{offline_href(value)}{match['quote']}"

    return ATTRIBUTE.sub(rewrite, html)


def fold(text: str) -> str:
    """Lower case without accents, as the search script folds what is typed."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


class _PageText(HTMLParser):
    """Title, description and text of a built page (its article, without scripts, menus nor the search box)."""

    SKIPPED = ("script", "style", "nav", "template")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.h1 = ""
        self.description = ""
        self.words: list[str] = []
        self._article = 0
        self._skip: tuple[str, int] | None = None  # the tag being skipped and how deep in it we are
        self._in: str | None = None  # "title" or "h1"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if self._skip is not None:
            if tag == self._skip[0]:
                self._skip = (tag, self._skip[1] + 1)
            return
        if tag == "meta" and values.get("name") == "description":
            self.description = values.get("content") or ""
        elif tag == "title" or (tag == "h1" and self._article):
            self._in = tag
        elif tag == "article":
            self._article += 1
        elif self._article and (tag in self.SKIPPED or values.get("id") == "commun-recherche-hors-ligne"):
            self._skip = (tag, 1)

    def handle_endtag(self, tag: str) -> None:
        if self._skip is not None:
            if tag == self._skip[0]:
                depth = self._skip[1] - 1
                self._skip = (tag, depth) if depth else None
            return
        if tag == self._in:
            self._in = None
        elif tag == "article" and self._article:
            self._article -= 1

    def handle_data(self, data: str) -> None:
        if self._skip is not None:
            return
        if self._in == "title":
            self.title += data
        if not self._article:
            return
        if self._in == "h1":
            self.h1 += data
        self.words.extend(WORD.findall(fold(data)))


@dataclass(frozen=True)
class Entry:
    """One page in the offline search index."""

    title: str
    url: str
    kind: str
    summary: str
    text: str

    def as_json(self) -> dict[str, str]:
        return {"t": self.title, "u": self.url, "k": self.kind, "r": self.summary, "x": self.text}


def page_kind(url: str) -> str:
    parts = url.split("/")
    if len(parts) == 3 and parts[0] in KINDS and parts[2] == "index.html":
        return KINDS[parts[0]].singular.capitalize()
    return "Page"


def html_pages(site_dir: Path) -> Iterator[Path]:
    for path in sorted(site_dir.rglob("*.html")):
        relative = path.relative_to(site_dir).as_posix()
        if relative == "404.html" or relative.startswith(EXCLUDED):
            continue
        yield path


def search_entries(site_dir: Path) -> list[Entry]:
    """The offline search index: title, kind, description and the distinct words of each page's article."""
    entries = []
    for path in html_pages(site_dir):
        html = path.read_text(encoding="utf-8")
        parser = _PageText()
        # Only the <head> and the <article> are parsed: the menus, repeated on every page, are most of the bytes.
        head_end = html.find("</head>")
        start, end = html.find("<article"), html.rfind("</article>")
        parser.feed(html[: head_end + 7] if head_end >= 0 else "")
        if 0 <= start < end:
            parser.feed(html[start : end + len("</article>")])
        parser.close()
        seen: dict[str, None] = {}
        for word in parser.words:
            seen.setdefault(word, None)
            if len(seen) >= MAX_WORDS:
                break
        title = " ".join((parser.h1 or parser.title).split()).removesuffix("¶").strip()
        url = path.relative_to(site_dir).as_posix()
        entries.append(Entry(title, url, page_kind(url), " ".join(parser.description.split()), " ".join(seen)))
    return entries


def search_script(entries: list[Entry]) -> str:
    env = environment("exports", html=False, keep_trailing_newline=True)
    data = json.dumps([e.as_json() for e in entries], ensure_ascii=False, separators=(",", ":"))
    # `</` never ends the script early, whatever a title holds.
    return env.get_template("recherche-index.js.j2").render(data=data.replace("</", "<\\/"))


def readme(date: dt.date, site_name: str) -> str:
    env = environment("exports", html=False, keep_trailing_newline=True)
    text = env.get_template("lisezmoi.txt.j2").render(date=date, site_name=site_name)
    return text.replace("\r\n", "\n").replace("\n", "\r\n")  # Windows' Notepad


def unused(name: str) -> bool:
    """A file of the built site that no reader of the offline copy uses (see UNUSED)."""
    return name.startswith(UNUSED) or name.endswith(UNUSED_SUFFIXES)


@dataclass
class ArchiveReport:
    path: Path
    files: int
    pages: int
    size: int


def build_archive(
    site_dir: Path, archive: Path, *, date: dt.date, site_name: str = "Commun", site_url: str | None = None
) -> ArchiveReport:
    """Zip the built site at `site_dir` into `archive`, as a folder that opens from the disk."""
    archive.parent.mkdir(parents=True, exist_ok=True)
    entries = search_entries(site_dir)
    count = pages = 0
    stamp = (date.year, date.month, date.day, 0, 0, 0)
    partial = archive.with_name(archive.name + ".partiel")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zipped:

        def add(name: str, data: bytes) -> None:
            info = zipfile.ZipInfo(f"{FOLDER}/{name}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zipped.writestr(info, data)

        add(README, readme(date, site_name).encode("utf-8-sig"))
        for path in sorted(site_dir.rglob("*")):
            name = path.relative_to(site_dir).as_posix()
            if not path.is_file() or name.startswith(EXCLUDED) or path == archive or unused(name):
                continue
            if path.suffix == ".html":
                add(name, rewrite_html(path.read_text(encoding="utf-8"), name, site_url).encode("utf-8"))
                pages += 1
            else:
                add(name, path.read_bytes())
            count += 1
        add(SEARCH_INDEX, search_script(entries).encode("utf-8"))
    partial.replace(archive)
    return ArchiveReport(archive, count + 2, pages, archive.stat().st_size)


