"""Accessibility audit with axe-core (WCAG 2.0/2.1 A and AA, RGAA 4) on every page type, in Chromium,
at a desktop width and at 360 px; no request may leave the site. Screenshots at 360 px are saved under
test-results/screenshots/ for review.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from audit_kit import (
    DESKTOP,
    MOBILE,
    PAGE_TYPES,
    SCREENSHOTS,
    axe_violations,
    describe_violations,
    page_types,
    show_search_results,
    url_of,
)

# A page with what axe must catch: an image without text alternative, grey on white text, an empty link,
# a form field without label, and no language.
BROKEN = """<!doctype html><html><head><title>Page cassée</title></head><body><main>
<h1>Page cassée</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<p style="color:#aaaaaa;background:#ffffff">Texte trop pâle pour être lu.</p>
<a href="/ailleurs/"></a>
<input type="text">
</main></body></html>"""


@pytest.fixture(scope="module")
def types(built_site: Path) -> dict[str, str | None]:
    return page_types(built_site)


def settle(page: Any) -> None:
    """Two animation frames: the layout has followed a change of window size."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_type_has_no_axe_violation(
    name: str, types: dict[str, str | None], page: Any, site_url: str, outside_requests: list[str]
) -> None:
    url = url_of(types, name)
    page.set_viewport_size(DESKTOP)
    if name == "recherche":
        page.goto(site_url + url + "?q=formation")
        show_search_results(page)
    else:
        page.goto(site_url + url)
    found = {}
    found["bureau, 1280 px"] = axe_violations(page)
    page.set_viewport_size(MOBILE)
    settle(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-360px.png"), full_page=True)
    found["mobile, 360 px"] = axe_violations(page)
    report = "\n".join(f"{width} :\n{describe_violations(v)}" for width, v in found.items() if v)
    assert not report, f"axe-core trouve des non-conformités sur {url or 'l’accueil'} :\n{report}"
    assert outside_requests == [], f"{url or 'l’accueil'} demande des ressources hors du site : {outside_requests}"


def test_axe_finds_the_faults_of_a_broken_page(page: Any) -> None:
    page.set_content(BROKEN)
    found = {v["id"] for v in axe_violations(page)}
    assert {"image-alt", "color-contrast", "link-name", "label", "html-has-lang"} <= found, found


def test_outside_requests_are_caught(page: Any, outside_requests: list[str]) -> None:
    # The Google Fonts stylesheet stock Material loads: the fixture must see it, and block it.
    font = "https://fonts.googleapis.com/css?family=Roboto:300,400&display=fallback"
    page.set_content(
        f'<!doctype html><html lang="fr"><head><link rel="stylesheet" href="{font}"></head><body></body></html>'
    )
    assert outside_requests == [font]
