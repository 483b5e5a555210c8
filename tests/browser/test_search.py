"""Search in a real browser (Debian's Chromium), over the real content built once per session (conftest):
the header box and its « / » shortcut, French queries, the « Banque d'expériences » with two filters and its
state in the URL, the page without JavaScript, and no request leaving the site.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from banque import cards, option_count, settled
from commun.core.typography import typeset
from commun.outputs.search_index import EXCLUDED_SELECTORS
from commun.stages.check import check
from commun.stages.graph import build_graph
from playwright.sync_api import Page, expect

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
BANK = "banque-d-experiences/"


@pytest.fixture(scope="module")
def graph() -> Any:
    """The published fiches of the real content, as the built site shows them."""
    return build_graph(check(CONTENT))


def source(url: str) -> str:
    """The source file of the fiche at `url` (`/kind/slug/`)."""
    kind, slug = url.strip("/").split("/")
    path = next((CONTENT / kind).glob(f"{slug}.*"))
    return path.read_text(encoding="utf-8")


def header_search(page: Page, query: str) -> list[str]:
    """Type `query` key by key in the header box, opened with « / »; the result paths, best first."""
    field = page.locator(".commun-recherche input[name=q]")
    field.evaluate("field => field.blur()")
    page.keyboard.press("/")
    expect(field).to_be_focused()
    field.press("Control+a")
    field.press("Delete")
    field.press_sequentially(query)
    results = page.locator(f'.commun-recherche__resultats[data-pour="{query}"]')
    expect(results).to_have_count(1)
    return [urlparse(href).path for href in results.locator("a").evaluate_all("links => links.map(a => a.href)")]


def all_results(page: Page, query: str) -> list[str]:
    """Every result path Pagefind gives for `query` (the header box shows the first eight only)."""
    return page.evaluate(
        """async (query) => {
            const pagefind = await import(new URL("pagefind/pagefind.js", location.origin + "/").href);
            const found = await pagefind.search(query);
            return Promise.all(found.results.map(async (r) => new URL((await r.data()).url, location.href).pathname));
        }""",
        query,
    )


def title(page: Page, query: str, rank: int = 0) -> str:
    titles = page.locator(f'.commun-recherche__resultats[data-pour="{query}"] .commun-recherche__titre')
    return titles.nth(rank).inner_text()


def test_accents_and_case_do_not_matter(page: Page, site_url: str, outside_requests: list[str]) -> None:
    page.goto(site_url)
    accented = header_search(page, "accès aux droits")
    assert accented, "aucun résultat pour « accès aux droits »"
    assert "accès aux droits" in title(page, "accès aux droits").casefold()
    assert header_search(page, "acces aux droits") == accented
    assert header_search(page, "ACCÈS AUX DROITS") == accented
    assert outside_requests == []


def test_elisions_are_handled(page: Page, site_url: str, outside_requests: list[str]) -> None:
    page.goto(site_url + "initiatives/")
    plain = header_search(page, "accès aux droits")
    assert header_search(page, "l'accès aux droits") == plain
    assert header_search(page, "l’accès aux droits") == plain
    abs_ = header_search(page, "ABS")
    assert abs_ and "ABS" in title(page, "ABS")
    assert header_search(page, "l'ABS") == abs_
    assert outside_requests == []


def test_plural_and_singular_match(page: Page, site_url: str, outside_requests: list[str]) -> None:
    page.goto(site_url)
    plural = header_search(page, "permanences")
    assert plural and any("permanences" in title(page, "permanences", rank).casefold() for rank in range(len(plural)))
    assert header_search(page, "permanence") == plural
    assert outside_requests == []


def test_acronyms_and_expansions_find_each_other(page: Page, site_url: str, outside_requests: list[str]) -> None:
    page.goto(site_url)
    assert header_search(page, "FSE")[0] == "/initiatives/pass-palas/"
    assert header_search(page, "Fonds social européen")[0] == "/initiatives/pass-palas/"
    assert "ABS" in title(page, "ABS") if header_search(page, "ABS") else False
    header_search(page, "analyse des besoins sociaux")
    assert "analyse des besoins sociaux" in title(page, "analyse des besoins sociaux").casefold()
    # Both ways: an acronym finds fiches that only spell it out, the words find fiches that only use the acronym.
    for acronym in ("FSE", "ABS"):
        assert any(not re.search(rf"\b{acronym}\b", source(url)) for url in all_results(page, acronym)), acronym
    by_words = all_results(page, "centre communal d'action sociale")
    assert any(not re.search(r"centres? communa(l|ux)", source(url), re.IGNORECASE) for url in by_words)
    assert outside_requests == []


def test_an_excerpt_never_quotes_the_hidden_acronym_line(
    page: Page, site_url: str, graph: Any, outside_requests: list[str]
) -> None:
    """« Institut national de la statistique » is, on a CCAS page, only the expansion of « INSEE » in the hidden
    « Sigles » line: the result shows the fiche's résumé rather than an excerpt of that line."""
    page.goto(site_url)
    query = "Institut national de la statistique"
    found = header_search(page, query)
    url = next(u for u in found if u.startswith("/ccas/") and "Institut national" not in source(u))
    fiche = next(f for f in graph.all() if f"/{f.kind}/{f.slug}/" == url)
    item = page.locator(f'.commun-recherche__resultats[data-pour="{query}"] li').nth(found.index(url))
    shown = item.locator(".commun-recherche__extrait").inner_text()
    assert "Sigles" not in shown and not re.search("INSEE[ \u00a0]:", shown)
    resume = typeset(fiche.meta.resume, "text")  # as the page shows it: French typography, « 10 203 »
    assert shown == resume
    page.goto(f"{site_url}{BANK}?q={query.replace(' ', '+')}")
    card = page.locator("#commun-banque-resultats li").filter(has=page.locator(f'a[href$="{url}"]'))
    expect(card).to_have_count(1)
    expect(card.locator(".commun-carte__resume")).to_have_text(resume)
    expect(card.locator(".commun-carte__extrait")).to_have_count(0)
    assert outside_requests == []


def test_shortcut_opens_and_escape_closes(page: Page, site_url: str, outside_requests: list[str]) -> None:
    page.goto(site_url + "initiatives/pass-palas/")
    toggle = page.locator("#__search")
    expect(toggle).not_to_be_checked()
    found = header_search(page, "immersion")
    expect(toggle).to_be_checked()
    assert found
    item = page.locator('.commun-recherche__resultats[data-pour="immersion"] li').first
    expect(item.locator(".commun-recherche__type")).to_have_text(re.compile(r"\w"))
    expect(item.locator("mark").first).to_be_visible()
    page.keyboard.press("Escape")
    expect(toggle).not_to_be_checked()
    page.locator(".commun-recherche input[name=q]").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/banque-d-experiences/\?q=immersion$"))
    expect(page.locator("#commun-banque-resultats li").first).to_be_visible()
    assert outside_requests == []


def test_bank_combines_two_filters_and_keeps_them_in_the_url(
    page: Page, site_url: str, outside_requests: list[str], graph: Any
) -> None:
    page.goto(site_url + BANK)
    expect(page.locator("#commun-banque")).to_be_visible()
    settled(page)
    page.locator("#commun-banque-filtres summary").click()  # the filters are folded into one control
    page.select_option("#commun-filtre-type", "Initiative")
    settled(page)
    initiatives = graph.of_kind("initiatives")
    assert option_count(page, "type", "Initiative") == len(initiatives)
    # A theme that narrows the initiatives down without emptying them.
    themes = graph.content.vocabularies["thematiques"]
    label, slug = next(
        (t.libelle, s)
        for s, t in sorted(themes.items())
        if 0 < sum(s in f.meta.thematiques for f in initiatives) < len(initiatives)
    )
    expected = {f"/initiatives/{f.slug}/" for f in initiatives if slug in f.meta.thematiques}
    assert option_count(page, "theme", label) == len(expected)
    page.select_option("#commun-filtre-theme", label)
    settled(page)
    query = parse_qs(urlparse(page.url).query)
    assert query == {"type": ["Initiative"], "theme": [label]}
    shown = cards(page)
    assert set(shown) == expected and len(shown) == len(expected)
    expect(page.locator("#commun-banque-etat")).to_contain_text(str(len(expected)))
    expect(page.locator("#commun-banque-liste")).to_be_hidden()

    page.reload()
    settled(page)
    expect(page.locator("#commun-banque-actifs")).to_have_text("(2 actifs)")
    expect(page.locator("#commun-filtre-type")).to_have_value("Initiative")
    expect(page.locator("#commun-filtre-theme")).to_have_value(label)
    assert cards(page) == shown
    assert outside_requests == []


def test_bank_restores_a_query_from_its_url(page: Page, site_url: str, outside_requests: list[str]) -> None:
    page.goto(site_url + BANK + "?q=l%27ABS&type=Module+de+formation")
    settled(page)
    expect(page.locator("#commun-banque-q")).to_have_value("l'ABS")
    expect(page.locator("#commun-filtre-type")).to_have_value("Module de formation")
    shown = cards(page)
    assert shown and all(url.startswith("/modules/") for url in shown)
    expect(page.locator("#commun-banque-resultats li").first.locator("mark").first).to_be_visible()
    assert outside_requests == []


def test_bank_lists_every_fiche_without_javascript(browser: Any, site_url: str, graph: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + BANK)
    expect(page.locator("#commun-banque")).to_be_hidden()
    links = page.locator("#commun-banque-liste a").evaluate_all("a => a.map(x => x.href)")
    assert {urlparse(h).path for h in links} == {f"/{f.kind}/{f.slug}/" for f in graph.all()}
    context.close()


def examples_after_real_ones(urls: list[str], graph: Any) -> bool:
    fictive = {f"/{f.kind}/{f.slug}/" for f in graph.all() if f.meta.exemple}
    marks = [url in fictive for url in urls]
    return marks == sorted(marks)


def test_example_fiches_come_after_the_real_ones(
    page: Page, site_url: str, graph: Any, outside_requests: list[str]
) -> None:
    query = "accès aux droits"
    page.goto(site_url)
    found = all_results(page, query)
    fictive = {f"/{f.kind}/{f.slug}/" for f in graph.all() if f.meta.exemple}
    assert fictive & set(found[:8]), "Pagefind ranks an example among the first: the check below must see it moved"
    assert not examples_after_real_ones(found, graph)
    page.goto(f"{site_url}{BANK}?q={query.replace(' ', '+')}")
    settled(page)
    shown = cards(page)
    assert set(shown) == set(found)
    assert examples_after_real_ones(shown, graph)
    example = page.locator("#commun-banque-resultats li.commun-carte--exemple").first
    expect(example.locator(".commun-carte__type")).to_contain_text("exemple")
    page.goto(site_url)
    header = header_search(page, query)
    assert examples_after_real_ones(header, graph) and header == [u for u in shown if u in header][: len(header)]
    assert outside_requests == []


OWN_TEXT = """async ([url, excluded]) => {
    const html = await (await fetch(url)).text();
    const doc = new DOMParser().parseFromString(html, "text/html");
    const body = doc.querySelector("[data-pagefind-body]");
    body.querySelectorAll(excluded).forEach(e => e.remove());
    body.querySelectorAll("td, th, li, p, dd, h2, h3").forEach(e => e.append(" "));  // cells stay apart
    return body.textContent;
}"""
# The fiche's own text, as readers see it and as the index holds it: never its facts box, never hidden lines.
NOT_OWN = ", ".join((".commun-identite", "[hidden]", *EXCLUDED_SELECTORS))


def words(text: str) -> str:
    """The words of a text, whatever its punctuation (Pagefind ends each block with a full stop) and spaces."""
    return " ".join(re.findall(r"\w+", text.replace("’", "'").casefold()))


@pytest.mark.parametrize("query", ["Seine-Saint-Denis", "accès aux droits", "Mamoudzou"])
def test_excerpts_quote_the_fiches_own_text_never_its_facts(
    page: Page, site_url: str, query: str, outside_requests: list[str]
) -> None:
    page.goto(f"{site_url}{BANK}?q={query.replace(' ', '+')}")
    settled(page)
    items = page.locator("#commun-banque-resultats li")
    checked = 0
    for index in range(items.count()):
        item = items.nth(index)
        excerpt = item.locator(".commun-carte__extrait")
        if not excerpt.count():
            continue
        url = item.locator("h2 a").get_attribute("href")
        own = words(page.evaluate(OWN_TEXT, [url, NOT_OWN]))
        quoted = words(excerpt.inner_text())
        assert quoted in own, (url, quoted)
        checked += 1
    assert checked >= 2
    assert outside_requests == []
