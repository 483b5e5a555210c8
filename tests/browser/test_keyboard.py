"""The site with the keyboard alone, in Chromium: a skip link that works, a visible focus on everything Tab
reaches, the main navigation and the content reachable, Enter follows links; at 360 px the menu opens too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from audit_kit import DESKTOP, FOCUSED, MOBILE, focus_problem, page_types, tab_walk, url_of


@pytest.fixture(scope="module")
def types(built_site: Path) -> dict[str, str | None]:
    return page_types(built_site)


def skip_link_problem(page: Any) -> str | None:
    """Tab from the top of the page must focus a visible skip link; Enter on it moves to the content, so that
    the next Tab lands in the main content. What goes wrong, or None."""
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUSED)
    if first is None or not (first["href"] or "").startswith("#"):
        return f"le premier Tab ne mène pas à un lien d'évitement : {first}"
    if problem := focus_problem(first):
        return problem
    target = first["href"][1:]
    if not page.evaluate("(id) => !!document.getElementById(id)", target):
        return f"le lien d'évitement mène à #{target}, qui n'existe pas"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    after = page.evaluate(FOCUSED)
    if after is None or not after["inContent"]:
        return f"après le lien d'évitement, Tab mène hors du contenu : {after}"
    return None


def press_until(page: Any, wanted: str, presses: int = 80) -> list[dict[str, Any] | None]:
    """Press Tab until the focused element matches the CSS selector `wanted`; what was focused on the way."""
    seen = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(FOCUSED))
        if page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", wanted):
            return seen
    pytest.fail(f"{presses} appuis sur Tab sans atteindre {wanted} ; focus successifs : {seen[-10:]}")


def problems_on_the_way(seen: list[dict[str, Any] | None]) -> list[str]:
    return [p for f in seen if (p := focus_problem(f))]


@pytest.mark.parametrize("name", ["fiche-initiatives", "accueil", "404"])
def test_skip_link_leads_to_the_content(name: str, types: dict[str, str | None], page: Any, site_url: str) -> None:
    page.set_viewport_size(DESKTOP)
    page.goto(site_url + url_of(types, name))
    assert skip_link_problem(page) is None


def test_keyboard_alone_reaches_the_navigation_and_follows_a_content_link(
    types: dict[str, str | None], page: Any, site_url: str
) -> None:
    page.set_viewport_size(DESKTOP)
    page.goto(site_url + url_of(types, "fiche-initiatives"))
    # A link of the page's own text (not the breadcrumb, whose « Accueil » would not prove much).
    seen = press_until(page, ".md-content article a[href]:not([href^='#']):not(.headerlink):not(.md-path__link)")
    assert any(f and f["inNav"] for f in seen), "Tab n'atteint pas les onglets de navigation"
    assert problems_on_the_way(seen) == []
    href = page.evaluate("document.activeElement.getAttribute('href')")
    expected = urljoin(page.url, href)
    page.keyboard.press("Enter")
    page.wait_for_url(expected)
    # Then a tab of the main navigation leading elsewhere, reached and followed with the keyboard alone (Enter
    # on a link to the page itself would leave a navigation running that wait_for_url does not wait for).
    seen = press_until(page, ".md-tabs__item:not(.md-tabs__item--active) .md-tabs__link")
    assert problems_on_the_way(seen) == []
    expected = urljoin(page.url, page.evaluate("document.activeElement.getAttribute('href')"))
    assert expected != page.url
    page.keyboard.press("Enter")
    page.wait_for_url(expected)


def test_menu_of_small_screens_opens_with_the_keyboard(types: dict[str, str | None], page: Any, site_url: str) -> None:
    page.set_viewport_size(MOBILE)
    page.goto(site_url + url_of(types, "fiche-initiatives"))
    seen = press_until(page, 'label[for="__drawer"]')
    assert problems_on_the_way(seen) == []  # the closed menu's links are not focused, unseen
    button = page.evaluate(FOCUSED)
    assert button["text"] == "Menu"
    assert page.get_attribute('.md-header label[for="__drawer"]', "aria-expanded") == "false"
    page.keyboard.press("Enter")
    assert page.locator("#__drawer").is_checked()
    assert page.get_attribute('.md-header label[for="__drawer"]', "aria-expanded") == "true"
    seen = press_until(page, ".md-nav--primary a.md-nav__link[href]")
    assert problems_on_the_way([page.evaluate(FOCUSED)]) == []
    expected = urljoin(page.url, page.evaluate("document.activeElement.getAttribute('href')"))
    page.keyboard.press("Enter")
    page.wait_for_url(expected)


def test_focus_checks_catch_an_invisible_focus(page: Any) -> None:
    page.set_viewport_size(DESKTOP)
    page.set_content(
        '<!doctype html><html lang="fr"><head><style>a:focus { outline: none }</style></head><body>'
        '<a href="#x">sans contour</a> <a href="#y" style="position:absolute; left:-999px">hors écran</a></body></html>'
    )
    problems = problems_on_the_way(tab_walk(page, 2))
    assert len(problems) == 2, problems
    assert "sans indicateur visible" in problems[0]
    assert "pas visible à l'écran" in problems[1]


@pytest.mark.parametrize(
    ("body", "fault"),
    [
        ('<main class="md-content"><h1 id="t">Titre</h1><a href="/x/">lien</a></main>', "lien d'évitement"),
        ('<a href="#absent">Aller au contenu</a><main class="md-content"><h1>Titre</h1></main>', "n'existe pas"),
        (
            '<a href="#t">Aller au contenu</a><nav><h2 id="t">Menu</h2><a href="/a/">a</a></nav>'
            '<main class="md-content"><a href="/b/">b</a></main>',
            "hors du contenu",
        ),
    ],
)
def test_skip_link_check_catches_a_missing_or_broken_skip_link(page: Any, body: str, fault: str) -> None:
    style = "<style>a:focus { outline: 3px solid #a5430a }</style>"  # a visible focus: only the skip link is wrong
    page.set_content(f'<!doctype html><html lang="fr"><head>{style}</head><body>{body}</body></html>')
    problem = skip_link_problem(page)
    assert problem is not None and fault in problem, problem
