"""Reading the « Banque d'expériences » page in a browser, for the search tests."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from playwright.sync_api import Page, expect


def cards(page: Page) -> list[str]:
    """The result paths the page shows, every « more » button pressed."""
    more = page.locator("#commun-banque-plus")
    while more.is_visible():
        shown = page.locator("#commun-banque-resultats li").count()
        more.click()
        expect(page.locator("#commun-banque-resultats li")).not_to_have_count(shown)
    links = page.locator("#commun-banque-resultats h2 a").evaluate_all("a => a.map(x => x.href)")
    return [urlparse(href).path for href in links]


def settled(page: Page) -> None:
    """Wait until the page shows the state its URL holds."""
    query = urlparse(page.url).query
    expect(page.locator("#commun-banque")).to_have_attribute("data-etat", f"?{query}" if query else "")


def option_count(page: Page, facet: str, value: str) -> int:
    text = page.locator(f"#commun-filtre-{facet} option[value=\"{value}\"]").inner_text()
    return int(re.search(r"\((\d+)\)$", text).group(1))
