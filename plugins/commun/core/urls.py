"""Where things are on the site: a fiche's page, a page's URL, the link from one page to another.

URLs are directory-style (`initiatives/slug/`), whatever the engine.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from .corpus import Fiche


def page_url(path: str) -> str:
    """Directory-style URL of a Markdown path: `a/b.md` → `a/b/`, `a/index.md` → `a/`."""
    stem = path.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"



def fiche_path(fiche: Fiche) -> str:
    return f"{fiche.kind}/{fiche.slug}.md"



def relative(here: str, url: str) -> str:
    """Relative link from the page at directory URL `here` to directory URL `url`.

    Called for every link of every page, so plain list work; `posixpath.relpath` only for `.`/`..`.
    """
    here_parts, url_parts = here.split("/"), url.split("/")
    if {".", ".."} & {*here_parts, *url_parts}:
        rel = posixpath.relpath("/" + url, "/" + here)
    else:
        here_parts = [p for p in here_parts if p]
        url_parts = [p for p in url_parts if p]
        common = 0
        for a, b in zip(here_parts, url_parts, strict=False):
            if a != b:
                break
            common += 1
        rel = "/".join([".."] * (len(here_parts) - common) + url_parts[common:]) or "."
    if rel == ".":
        return "./"
    return rel + "/" if url.endswith("/") and not rel.endswith("/") else rel


def posix_dir(path: str) -> str:
    """The directory URL of a file path (`donnees/flux/atom.xml` → `donnees/flux/`)."""
    return path.rsplit("/", 1)[0] + "/" if "/" in path else ""


def list_of(url: str, lists: Iterable[str]) -> str | None:
    """The list page a page belongs to: of the list pages' URLs (`initiatives/`, `thematiques/`), the longest
    that holds `url` (`initiatives/x/`, `ccas/x/attestation/`), never the page itself."""
    holding = [folder for folder in lists if folder and url != folder and url.startswith(folder)]
    return max(holding, key=len, default=None)
