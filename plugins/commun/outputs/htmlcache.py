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
import os
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parents[1]
ENGINE_PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "jinja2", "pymdown-extensions", "lxml")


class Digest:
    """A digest of values and files, each part length-prefixed so that no two sequences of parts collide."""

    def __init__(self, *parts: Any) -> None:
        self.state = hashlib.blake2b(digest_size=20, person=b"commun-html")
        for part in parts:
            self.add(part)

    def add(self, part: Any) -> Digest:
        data = part if isinstance(part, bytes) else json.dumps(part, sort_keys=True, default=repr).encode()
        self.state.update(len(data).to_bytes(8, "little"))
        self.state.update(data)
        return self

    def add_files(self, paths: Iterable[Path], root: Path) -> Digest:
        for path in sorted(paths):
            self.add(path.relative_to(root).as_posix()).add(path.read_bytes())
        return self

    def hexdigest(self) -> str:
        return self.state.hexdigest()


def code_digest() -> str:
    """The commun's own code and templates, and the versions of the engine's packages: a change to any of
    them may change every page."""
    digest = Digest()
    digest.add_files((p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix in (".py", ".j2")), PACKAGE)
    for name in ENGINE_PACKAGES:
        try:
            digest.add(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            digest.add(f"{name} absent")
    return digest.hexdigest()


class HtmlCache:
    """The pages of earlier builds in `folder`, one file per digest: the page's title, then its HTML."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()

    def get(self, key: str) -> tuple[str | None, str] | None:
        """The title and HTML of the page made from what `key` digests, if an earlier build made it."""
        self.used.add(key)
        try:
            text = (self.folder / key).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        first, _, html = text.partition("\n")
        return json.loads(first), html

    def put(self, key: str, title: str | None, html: str) -> None:
        self.used.add(key)
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = self.folder / f"{key}.{os.getpid()}.partiel"
        partial.write_text(json.dumps(title, ensure_ascii=False) + "\n" + html, encoding="utf-8")
        partial.replace(self.folder / key)

    def prune(self) -> None:
        """Forget the pages no build of this run used: the folder holds one site's worth."""
        if self.folder.is_dir():
            for path in self.folder.iterdir():
                if path.name not in self.used:
                    path.unlink(missing_ok=True)
