"""The templates' finished HTML is handed past Markdown as placeholders (render.Page): same pages, less parsing.

Every page of the real content is converted with the site's Markdown extensions both ways: whole, as an
engine reading only Markdown gets it, and with its HTML blocks set aside then put back. The HTML must be
the same, byte for byte.
"""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
import yaml
from commun.outputs.pages.cache import render_pages
from commun.outputs.pages.render import HtmlBlockError, Page, Renderer
from commun.stages.graph import build_graph
from sitekit import checked

ROOT = Path(__file__).resolve().parents[2]


def site_markdown() -> markdown.Markdown:
    """Python-Markdown with the extensions of the repository's mkdocs.yml."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.Loader)
    names, options = [], {}
    for entry in config["markdown_extensions"]:
        name = entry if isinstance(entry, str) else next(iter(entry))
        names.append(name)
        if isinstance(entry, dict):
            options[name] = entry[name]
    return markdown.Markdown(extensions=names, extension_configs=options)


@pytest.fixture(scope="module")
def both() -> list[tuple[Page, Page]]:
    graph = build_graph(checked(ROOT / "content"))
    whole = render_pages(Renderer(graph))
    split = render_pages(Renderer(graph, html_blocks=True))
    return list(zip(whole, split, strict=True))


def test_pages_with_blocks_set_aside_read_the_same(both: list[tuple[Page, Page]]) -> None:
    for whole, split in both:
        assert split.path == whole.path
        assert not whole.html_blocks
        assert split.text == whole.markdown, split.path
    assert sum(len(split.html_blocks) for _, split in both) > len(both)  # identity boxes, lists, cards…


def test_engine_output_is_the_same_byte_for_byte(both: list[tuple[Page, Page]]) -> None:
    md = site_markdown()
    for whole, split in both:
        expected = md.reset().convert(whole.markdown)
        assert split.fill(md.reset().convert(split.markdown)) == expected, split.path


def test_markdown_left_to_parse_is_much_smaller(both: list[tuple[Page, Page]]) -> None:
    whole = sum(len(page.markdown) for page, _ in both)
    split = sum(len(page.markdown) for _, page in both)
    assert split < whole / 2


def test_hand_written_pages_keep_their_html(both: list[tuple[Page, Page]]) -> None:
    renderer = Renderer(build_graph(checked(ROOT / "content")), html_blocks=True)
    text = "# Accueil\n\n{{ ui.cards(stats.dernieres) }}\n"
    page = renderer.editorial('{% import "_macros.md.j2" as ui with context %}\n' + text, "index.md")
    assert '<ul class="commun-cartes">' in page
    assert "commun-bloc-html" not in page


def test_a_block_that_is_not_a_paragraph_of_its_own_is_refused() -> None:
    renderer = Renderer(build_graph(checked(ROOT / "content")), html_blocks=True)
    good = render_pages(renderer)[0]
    md = site_markdown()
    assert good.fill(md.convert(good.markdown))
    # The same placeholder glued to text: Markdown makes it part of a paragraph, and the block has no place.
    glued = Page(
        good.path,
        good.markdown.replace("\n\ncommun-bloc-html-", "\nTexte collé commun-bloc-html-", 1),
        html_blocks=good.html_blocks,
    )
    assert glued.markdown != good.markdown
    with pytest.raises(HtmlBlockError, match="bloc HTML n° 0 introuvable"):
        glued.fill(md.reset().convert(glued.markdown))
