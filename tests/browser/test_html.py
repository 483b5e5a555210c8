"""The built HTML: valid for the Nu Html Checker (our templates; Material's known errors filtered by exact
pattern), in French (lang="fr", none of Material's English interface strings), a unique <title> per page, a text
alternative for every image.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from audit_kit import (
    ROOT,
    ParsedPage,
    describe_html_errors,
    english_in,
    html_pages,
    material_english,
    parse_page,
    theme_error,
    vnu,
)


@pytest.fixture(scope="module")
def parsed(built_site: Path) -> dict[str, ParsedPage]:
    return {p.relative_to(built_site).as_posix(): parse_page(p) for p in html_pages(built_site)}


# A page with errors of ours, and one of Material's, validated in the same run as the site (one JVM start).
BROKEN = (
    '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Cassée</title></head><body>\n'
    '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">\n'
    '<label class="md-overlay" for="__drawer"></label>\n'
    '<input class="commun-case" type="checkbox" id="ma-case" autocomplete="off">\n'
    "<ul><div>une division dans une liste</div></ul>\n"
    '<p id="double">un</p><p id="double">deux</p>\n'
    "</body></html>\n"
)


@pytest.fixture(scope="module")
def checked(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict], list[dict]]:
    """The checker's errors on the site's pages, and on the broken page."""
    broken = tmp_path_factory.mktemp("vnu") / "cassee.html"
    broken.write_text(BROKEN, encoding="utf-8")
    errors = vnu([*html_pages(built_site), broken])
    on_broken = [e for e in errors if e.get("url", "").endswith("/cassee.html")]
    return [e for e in errors if e not in on_broken], on_broken


def test_every_page_is_valid_html(built_site: Path, checked: tuple[list[dict], list[dict]]) -> None:
    ours = [e for e in checked[0] if theme_error(e) is None]
    assert ours == [], (
        f"Le validateur HTML (vnu) trouve {len(ours)} erreurs :\n{describe_html_errors(ours, built_site)}"
    )


def test_the_validator_finds_invalid_html_and_filters_only_the_theme(checked: tuple[list[dict], list[dict]]) -> None:
    errors = checked[1]
    ours = [e["lastLine"] for e in errors if theme_error(e) is None]
    theirs = [e["lastLine"] for e in errors if theme_error(e) is not None]
    assert theirs == [2], errors  # Material's drawer checkbox, exactly
    assert 4 in ours  # the same attribute on a checkbox of ours is reported
    assert 5 in ours  # <div> in <ul>
    assert 6 in ours  # duplicate id


def test_every_page_is_in_french(parsed: dict[str, ParsedPage]) -> None:
    wrong_lang = {path: page.lang for path, page in parsed.items() if page.lang != "fr"}
    assert wrong_lang == {}, f'Pages sans lang="fr" : {wrong_lang}'
    english = material_english()
    assert "Skip to content" in english and "Back to top" in english  # the list is Material's, not empty
    found = {path: hits for path, page in parsed.items() if (hits := english_in(page.text, english))}
    assert found == {}, f"Textes anglais du thème sur des pages : {found}"


def test_titles_are_unique(parsed: dict[str, ParsedPage]) -> None:
    pages_by_title: dict[str, list[str]] = defaultdict(list)
    for path, page in parsed.items():
        if page.title:
            pages_by_title[page.title].append(path)
    untitled = [path for path, page in parsed.items() if not page.title]
    duplicates = {title: paths for title, paths in pages_by_title.items() if len(paths) > 1}
    assert untitled == [], f"Pages sans <title> : {untitled}"
    assert duplicates == {}, f"Titres de page en double : {duplicates}"


def test_every_image_has_a_text_alternative(parsed: dict[str, ParsedPage]) -> None:
    missing = {path: page.images_without_alt for path, page in parsed.items() if page.images_without_alt}
    assert missing == {}, f"Images sans alternative textuelle : {missing}"


def test_static_checks_find_a_broken_page(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(
        '<html lang="en"><head><title>Même titre</title></head><body><a href="#">Skip to content</a>'
        '<img src="x.png"><svg role="img"></svg><img src="deco.png" alt=""></body></html>',
        encoding="utf-8",
    )
    (tmp_path / "b.html").write_text(
        "<html><head><title>Même titre</title></head><body></body></html>", encoding="utf-8"
    )
    a, b = parse_page(tmp_path / "a.html"), parse_page(tmp_path / "b.html")
    assert (a.lang, b.lang) == ("en", None)
    assert a.title == b.title == "Même titre"
    assert a.images_without_alt == ["x.png", "<svg role=img>"]
    assert english_in(a.text, material_english()) == ["Skip to content"]


STATUSES = ("non conforme", "partiellement conforme", "totalement conforme")


def footer_status_problems(parsed: dict[str, ParsedPage], status: str) -> list[str]:
    """Pages whose footer does not give the declaration's conformance status (« Accessibilité : … »)."""
    mention = f"Accessibilité : {status}"
    wrong = [f"Accessibilité : {s}" for s in STATUSES if s != status and s not in status]
    return [path for path, page in parsed.items() if mention not in page.text or any(w in page.text for w in wrong)]


def test_footer_gives_the_status_of_the_accessibility_statement(parsed: dict[str, ParsedPage]) -> None:
    statement = (ROOT / "docs" / "accessibilite.md").read_text(encoding="utf-8")
    found = re.findall(r"Le site Commun est \*\*(" + "|".join(STATUSES) + r")\*\*", statement)
    assert len(found) == 1, "la déclaration doit donner un seul état de conformité, en gras"
    pages = {path: page for path, page in parsed.items() if not path.startswith("admin/")}
    assert footer_status_problems(pages, found[0]) == []
    assert sorted(footer_status_problems(pages, "partiellement conforme")) == sorted(pages)  # the check can fail
