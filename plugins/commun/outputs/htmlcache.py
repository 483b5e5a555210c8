"""Built pages kept between builds, each under a digest of everything that made it: a build after a one-fiche
edit takes the unchanged pages' HTML from here instead of converting their Markdown and laying out the theme.

Nothing here knows an engine: the caller says what a page is made of (`Digest`); the MkDocs adapter puts in
the site's configuration, theme, documents and file list once (`shared`), then each page's Markdown, HTML
blocks, front matter and date. A page whose inputs are all in its digest cannot come out stale; a digest
that misses something would show in the test that compares a warm build with a cold one, byte for byte.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

from .cachefolder import CacheFolder

PACKAGE = Path(__file__).resolve().parents[1]
ENGINE_PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "jinja2", "pymdown-extensions", "lxml")


class Digest:
    """A digest of values and files, each part tagged and length-prefixed so that no two sequences of parts collide."""

    def __init__(self, *parts: Any) -> None:
        self.state = hashlib.blake2b(digest_size=20, person=b"commun-html")
        for part in parts:
            self.add(part)

    def add(self, part: Any) -> Digest:
        """A part: bytes as they are, text in UTF-8 (a page's text is not escaped into JSON first), anything
        else as JSON; each tagged with its kind and length."""
        if isinstance(part, bytes):
            tag, data = b"b", part
        elif isinstance(part, str):
            tag, data = b"s", part.encode("utf-8", "surrogatepass")
        else:
            tag, data = b"j", json.dumps(part, sort_keys=True, default=repr).encode()
        self.state.update(tag + len(data).to_bytes(8, "little"))
        self.state.update(data)
        return self

    def add_files(self, paths: Iterable[Path], root: Path) -> Digest:
        for path in sorted(paths):
            self.add(path.relative_to(root).as_posix()).add(path.read_bytes())
        return self

    def hexdigest(self) -> str:
        return self.state.hexdigest()


def code_digest() -> str:
    """The commun's own code, templates and data (the map's outlines), and the versions of the engine's
    packages: a change to any of them may change every page."""
    digest = Digest()
    digest.add_files((p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts), PACKAGE)
    for name in ENGINE_PACKAGES:
        try:
            digest.add(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            digest.add(f"{name} absent")
    return digest.hexdigest()


class HtmlCache(CacheFolder):
    """The pages of earlier builds in `folder`, one file per digest: the page's title, then its HTML."""

    def title(self, key: str) -> tuple[str | None] | None:
        """The title of the page made from what `key` digests, if an earlier build made it; its HTML is read
        only when the page is written (`html`): a build holds no cached page's HTML until then."""
        try:
            with self.entry(key).open(encoding="utf-8") as stream:
                return (json.loads(stream.readline()),)
        except FileNotFoundError:
            return None

    def html(self, key: str) -> str:
        return (self.folder / key).read_text(encoding="utf-8").partition("\n")[2]

    def put(self, key: str, title: str | None, html: str) -> None:
        self.write(key, (json.dumps(title, ensure_ascii=False) + "\n" + html).encode("utf-8"))
