"""The built site repeats no long paragraph on three fiche pages or more: what is shared is written once, on
one page, and linked to (the content's paragraphs are checked by `commun check`; this also covers the
templates' notices)."""

from __future__ import annotations

from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

from commun.core.kinds import KINDS
from commun.stages.repeats import MIN_FICHES, MIN_LENGTH

BLOCKS = {"p", "li", "blockquote"}
"""Paragraphs, list items and quotes; not the values of the identity box (a list of communes, a module's public)."""


class Paragraphs(HTMLParser):
    """The text of each paragraph of a page's `<article>` that readers see, white space normalised."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.article = 0
        self.hidden: list[str] = []  # the element hidden from readers (search data) and its open namesakes
        self.open: list[list[str]] = []
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.article += tag == "article"
        if (self.hidden and tag == self.hidden[0]) or (not self.hidden and "hidden" in dict(attrs)):
            self.hidden.append(tag)
        elif self.article and not self.hidden and tag in BLOCKS:
            self.open.append([])

    def handle_endtag(self, tag: str) -> None:
        if self.hidden and tag == self.hidden[0]:
            self.hidden.pop()
        elif self.article and not self.hidden and tag in BLOCKS and self.open:
            self.found.append(" ".join("".join(self.open.pop()).split()))
        self.article -= tag == "article"

    def handle_data(self, data: str) -> None:
        if self.open and not self.hidden:
            self.open[-1].append(data)


def fiche_pages(site: Path) -> list[Path]:
    """The page of every fiche: `<kind>/<slug>/index.html`, not the lists nor the certificates."""
    return sorted(page for kind in KINDS for page in (site / kind).glob("*/index.html"))


def repeated_on_fiche_pages(site: Path) -> dict[str, list[str]]:
    """Paragraphs of `MIN_LENGTH` characters or more found on `MIN_FICHES` fiche pages or more → those pages."""
    pages: dict[str, set[str]] = defaultdict(set)
    for page in fiche_pages(site):
        parser = Paragraphs()
        parser.feed(page.read_text(encoding="utf-8"))
        for text in parser.found:
            if len(text) >= MIN_LENGTH:
                pages[text].add(page.relative_to(site).as_posix())
    return {text: sorted(found) for text, found in pages.items() if len(found) >= MIN_FICHES}


def test_no_long_paragraph_is_repeated_on_three_fiche_pages(built_site: Path) -> None:
    assert len(fiche_pages(built_site)) > 50
    assert repeated_on_fiche_pages(built_site) == {}


def test_the_check_sees_a_paragraph_repeated_on_three_pages_not_two(tmp_path: Path) -> None:
    notice = "Une notice commune, " * 10
    for number, kind in enumerate(["initiatives", "outils", "ccas"]):
        page = tmp_path / kind / f"fiche-{number}" / "index.html"
        page.parent.mkdir(parents=True)
        own = f"<p>{notice}</p>" if number < 2 else f"<ul><li>{notice.replace(' ', '  ')}</li></ul>"
        page.write_text(f"<html><body><article><h1>Fiche {number}</h1>{own}</article></body></html>")
    (tmp_path / "ccas" / "index.html").write_text(f"<article><p>{notice}</p></article>")  # a list page
    hidden = f"<article><div hidden><p>{notice}</p></div><p hidden>{notice}</p><dl><dd>{notice}</dd></dl></article>"
    for number in (3, 4):
        (tmp_path / "outils" / f"fiche-{number}").mkdir()
        (tmp_path / "outils" / f"fiche-{number}" / "index.html").write_text(hidden)  # unseen, or values
    assert repeated_on_fiche_pages(tmp_path) == {
        notice.strip(): ["ccas/fiche-2/index.html", "initiatives/fiche-0/index.html", "outils/fiche-1/index.html"]
    }
    (tmp_path / "ccas" / "fiche-2" / "index.html").unlink()
    assert repeated_on_fiche_pages(tmp_path) == {}
