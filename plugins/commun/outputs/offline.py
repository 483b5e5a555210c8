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

import dataclasses
import datetime as dt
import functools
import json
import os
import posixpath
import re
import unicodedata
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import lxml.etree

from ..core.kinds import KINDS
from .templating import environment
from .zipwriter import Member, MemberCache, ZipWriter, member

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
THREADS = 2
WINDOW = 64
"""Members being deflated at most at once: the archive is written as they come, never held whole."""

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
    return ATTRIBUTE.sub(lambda match: _rewritten(match[0], folder, site_url), html)


@functools.lru_cache(maxsize=1 << 16)
def _rewritten(attribute: str, folder: str, site_url: str | None) -> str:
    """One attribute, rewritten for a page in `folder`: the menus repeat the same links on every page."""
    match = ATTRIBUTE.fullmatch(attribute)
    assert match is not None
    value = match["value"]
    parts = urlsplit(value)
    if not (parts.scheme or parts.netloc or value.startswith(("/", "#"))) and parts.path:
        target = posixpath.normpath(posixpath.join(folder, parts.path))
        if f"{target}/".startswith(EXCLUDED):  # normpath drops the slash of `../admin/`
            value = site_url.rstrip("/") + "/" + target if site_url else posixpath.relpath(README, folder or ".")
            return f"{match['lead']}{match['quote']}{value}{match['quote']}"
    return f"{match['lead']}{match['quote']}{offline_href(value)}{match['quote']}"


def fold(text: str) -> str:
    """Lower case without accents, as the search script folds what is typed."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


# Left out of a page's indexed text: scripts, styles, menus, templates, the offline search box itself (and
# comments, which `itertext` never gives).
LEFT_OUT = ".//script | .//style | .//nav | .//template | .//*[@id='commun-recherche-hors-ligne']"
PARSER = lxml.etree.HTMLParser()


def page_entry(html: str, url: str) -> Entry:
    """The offline index entry of a built page: its title (its article's `<h1>`, else its `<title>`), its
    description and the distinct words of its article.

    Only the `<head>` and the `<article>` are parsed, with libxml2's HTML parser (lxml): the menus, repeated on
    every page, are most of the bytes. Text nodes are kept apart, as the page shows them.
    """
    head_end = html.find("</head>")
    start, end = html.find("<article"), html.rfind("</article>")
    text = html[: head_end + 7] if head_end >= 0 else ""
    if 0 <= start < end:
        text += "<body>" + html[start : end + len("</article>")]
    root = lxml.etree.fromstring(text or "<html></html>", PARSER)
    description = "".join(root.xpath("(//head/meta[@name='description'])[last()]/@content"))
    chunks: list[str] = []
    h1 = []
    for article in root.xpath("//article[not(ancestor::article)]"):
        for element in article.xpath(LEFT_OUT):
            element.clear(keep_tail=True)  # its tail, text of the parent, stays
        h1 += ["".join(heading.itertext()) for heading in article.iter("h1")]
        chunks += article.itertext()
    words = WORD.findall(fold("\0".join(chunks)))
    title = " ".join("".join(h1).split()) or " ".join("".join(root.xpath("//head/title//text()")).split())
    distinct = " ".join(list(dict.fromkeys(words))[:MAX_WORDS])
    return Entry(title.removesuffix("¶").strip(), url, page_kind(url), " ".join(description.split()), distinct)


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


def site_files(site_dir: Path) -> list[str]:
    """The files of a built site that go into the copy, as sorted site paths. Hidden folders are the build's
    working folders (the search index being written, say): never walked, whatever they hold meanwhile."""
    found = []
    for folder, folders, files in os.walk(site_dir):
        relative = Path(folder).relative_to(site_dir).as_posix()
        prefix = "" if relative == "." else relative + "/"
        folders[:] = [f for f in folders if not f.startswith(".") and not f"{prefix}{f}/".startswith(EXCLUDED)]
        found += [
            f"{prefix}{name}"
            for name in files
            if not f"{prefix}{name}".startswith(EXCLUDED) and not unused(f"{prefix}{name}")
        ]
    return sorted(found, key=lambda name: name.split("/"))


def html_pages(site_dir: Path) -> Iterator[Path]:
    """The pages of a built site that the offline search index lists."""
    for name in site_files(site_dir):
        if name.endswith(".html") and name != "404.html":
            yield site_dir / name


def search_entries(site_dir: Path) -> list[Entry]:
    """The offline search index of a built site: title, kind, description and distinct words of each page."""
    return [
        page_entry(path.read_text(encoding="utf-8"), path.relative_to(site_dir).as_posix())
        for path in html_pages(site_dir)
    ]


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
    site_dir: Path,
    archive: Path,
    *,
    date: dt.date,
    site_name: str = "Commun",
    site_url: str | None = None,
    cache_dir: Path | None = None,
) -> ArchiveReport:
    """Zip the built site at `site_dir` into `archive`, as a folder that opens from the disk.

    Each page is read once: its search entry and its rewritten links come from the same text. Members are
    deflated by a few threads (zlib works outside the interpreter lock) while the next pages are read. With
    `cache_dir`, a file whose bytes an earlier build already took (same path, same site address) comes
    from there, deflated, with its search entry.
    """
    archive.parent.mkdir(parents=True, exist_ok=True)
    cache = MemberCache(cache_dir) if cache_dir is not None else None
    entries: list[Entry] = []
    names = [name for name in site_files(site_dir) if site_dir / name != archive]
    pages = 0
    partial = archive.with_name(archive.name + ".partiel")
    try:
        with partial.open("wb") as stream, ThreadPoolExecutor(THREADS) as pool:
            writer = ZipWriter(stream, date)
            waiting: deque[Future[Member] | Member] = deque()

            def add(item: Future[Member] | Member) -> None:
                waiting.append(item)
                while len(waiting) > WINDOW or (waiting and isinstance(waiting[0], Member)):
                    first = waiting.popleft()
                    writer.add(first if isinstance(first, Member) else first.result())

            def made(name: str, data: bytes, key: str | None, note: bytes = b"") -> Future[Member]:
                done = pool.submit(member, f"{FOLDER}/{name}", data)
                if cache is not None and key is not None:
                    done.add_done_callback(lambda future: cache.store(key, future.result(), note))
                return done

            add(made(README, readme(date, site_name).encode("utf-8-sig"), None))
            for name in names:
                data = (site_dir / name).read_bytes()
                page = name.endswith(".html")
                pages += page
                key = cache.key(name.encode(), (site_url or "").encode(), data) if cache is not None else None
                if cache is not None and key is not None and (found := cache.load(key, f"{FOLDER}/{name}")):
                    if found[1]:
                        entries.append(Entry(**json.loads(found[1])))
                    add(found[0])
                    continue
                note = b""
                if page:
                    html = data.decode("utf-8")
                    if name != "404.html":
                        entries.append(entry := page_entry(html, name))
                        note = json.dumps(dataclasses.asdict(entry), ensure_ascii=False).encode("utf-8")
                    data = rewrite_html(html, name, site_url).encode("utf-8")
                add(made(name, data, key, note))
            add(made(SEARCH_INDEX, search_script(entries).encode("utf-8"), None))
            while waiting:
                first = waiting.popleft()
                writer.add(first if isinstance(first, Member) else first.result())
            writer.close()
        partial.replace(archive)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    if cache is not None:
        cache.prune()
    return ArchiveReport(archive, len(names) + 2, pages, archive.stat().st_size)
