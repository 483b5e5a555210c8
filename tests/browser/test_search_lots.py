"""A large site's search index, built in lots (plugins/commun/outputs/search_index.py) and merged in the browser
(assets/recherche.js), answers as the index of the whole site does.

The real site, built once per session (conftest), is indexed again in lots of a few fiches, and once more in
lots whose lexicon page lacks the site's words: the test's own broken input, which it must tell apart.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from audit_kit import served
from banque import cards, settled
from commun.core.text import fold
from commun.outputs import search_index
from commun.outputs.search_index import BUNDLE, build_index
from playwright.sync_api import Browser, Page, expect
from projectkit import pagefind_fragments

LOT = 30  # the real content has about a hundred fiches: three lots or more
BANK = "banque-d-experiences/"
# What a copy of the site needs for search: pages, assets and the index (not PDFs, archives, web form).
UNNEEDED = shutil.ignore_patterns("telechargements", "admin", "donnees", "*.zip", "*.pdf")

# The search each variant answers, as assets/recherche.js makes it: Pagefind's module, the lots of
# commun-lots.json merged into it, their lexicon left out. The ids of the results, by query.
SEARCH = """async (queries) => {
  const base = new URL("/", location.href);
  const module = await import(new URL("pagefind/pagefind.js", base).href);
  await module.options({ baseUrl: "/", noWorker: true });
  await module.init();
  const manifest = await (await fetch(new URL("pagefind/commun-lots.json", base))).json();
  for (const lot of manifest.lots) await module.mergeIndex(`/pagefind/${lot}`, { baseUrl: "/" });
  const filters = manifest.lots.length ? { not: manifest.sans } : {};
  const found = {};
  for (const query of queries) found[query] = (await module.search(query, { filters })).results.map((r) => r.id);
  return found;
}"""


@pytest.fixture(scope="module")
def variants(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The site's URL with its own index (`entier`), in lots (`lots`), in lots without lexicon (`sans-lexique`)."""
    root = tmp_path_factory.mktemp("lots")
    for name in ("entier", "lots", "sans-lexique"):
        shutil.copytree(built_site, root / name, ignore=UNNEEDED)
    assert build_index(root / "lots", at_once=LOT, lot=LOT).lots >= 3
    with pytest.MonkeyPatch.context() as patch:
        lexicon_page = search_index.lexicon_page
        patch.setattr(search_index, "lexicon_page", lambda words: lexicon_page(set()))
        build_index(root / "sans-lexique", at_once=LOT, lot=LOT)
    with served(root / "entier") as whole, served(root / "lots") as lots, served(root / "sans-lexique") as bare:
        yield {"entier": whole, "lots": lots, "sans-lexique": bare}


def fragments(site: Path) -> dict[str, str]:
    """The text Pagefind holds of each fiche (its content and metadata), folded, by result id."""
    records = pagefind_fragments(site / BUNDLE).items()
    return {id_: fold(" ".join([record["content"], *record["meta"].values()])) for id_, record in records}


def searched(browser: Browser, url: str, queries: list[str]) -> dict[str, set[str]]:
    page = browser.new_page()
    page.goto(url)
    found = page.evaluate(SEARCH, queries)
    page.close()
    return {query: set(ids) for query, ids in found.items()}


def differences(whole: dict[str, set[str]], lots: dict[str, set[str]], texts: dict[str, str]) -> list[str]:
    """Where the lots do not answer as the whole index: a fiche lost, or a fiche found without a word that
    begins with the query.

    Two answers of the whole index are not asked of the lots. A fiche found *beyond* it, holding a word that
    begins with the query, is right: Pagefind loads only the index chunk where a query would sit, so one large
    index misses the words of a prefix that run on into the next chunk, and a lot, with fewer chunks, misses
    fewer. A word of no fiche (`…zq`) is answered with the fiches of the longest indexed word that begins it,
    found in that same chunk: a guess, which a lot need not repeat (and must not outdo)."""
    wrong = []
    for query, expected in whole.items():
        lost = set() if query.endswith("zq") else expected - lots[query]
        unfounded = {i for i in lots[query] - expected if not re.search(rf"\b{re.escape(query)}", texts[i])}
        if lost or unfounded:
            wrong.append(f"« {query} » : {len(lost)} fiches perdues, {len(unfounded)} trouvées sans le mot")
    return wrong


def test_lots_find_what_the_whole_index_finds_and_nothing_else(
    browser: Browser, variants: dict[str, str], built_site: Path
) -> None:
    texts = fragments(built_site)
    words = sorted({w for text in texts.values() for w in re.findall(r"\w{2,}", text)})
    prefixes = sorted({w[:4] for w in words if len(w) > 5})
    unknown = [f"{w}zq" for w in words[::25]]
    pairs = [f"{a} {b}" for a, b in zip(words[::60], words[30::60], strict=False)]
    queries = words + prefixes + unknown + pairs
    whole = searched(browser, variants["entier"], queries)
    assert sum(map(len, whole.values())) > len(queries), "l'index entier ne trouve presque rien : test sans objet"
    assert differences(whole, searched(browser, variants["lots"], queries), texts) == []
    # The same lots without their lexicon answer words they lack with fiches that lack them.
    assert len(differences(whole, searched(browser, variants["sans-lexique"], queries), texts)) > len(queries) // 10


def test_the_bank_shows_the_same_fiches_and_counts_from_lots(
    page: Page, browser: Browser, variants: dict[str, str], built_site: Path
) -> None:
    def bank(url: str, query: str) -> tuple[set[str], list[str]]:
        page.goto(url + BANK + f"?q={query}")
        settled(page)
        expect(page.locator("#commun-banque-resultats li").first).to_be_visible()
        options = page.locator("#commun-banque-filtres option").evaluate_all("o => o.map(x => x.textContent)")
        return set(cards(page)), options

    # A word some lots lack: their lexicon is what keeps them from answering it with other words.
    words = sorted({w for text in fragments(built_site).values() for w in re.findall(r"[a-z]{6,}", text)})
    whole, bare = searched(browser, variants["entier"], words), searched(browser, variants["sans-lexique"], words)
    word = next(w for w in words if whole[w] and bare[w] != whole[w])
    for query in ("accompagnement social", word):
        shown, options = bank(variants["entier"], query)
        assert shown
        assert bank(variants["lots"], query) == (shown, options), query
    assert bank(variants["sans-lexique"], word) != bank(variants["entier"], word)
