"""Printing: a fiche, a CCAS profile and an attestation printed to A4 PDF by Chromium (print stylesheet in
docs/assets/commun.css) carry their title, no navigation, the addresses of links leaving the site, and an identity
box on a single sheet. The PDFs are kept under test-results/impression/ for review.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from audit_kit import ROOT, page_types, pdf_pages, squeeze, url_of

PRINTS = ROOT / "test-results" / "impression"

READ = """() => {
  const lines = (el) => (el.innerText || el.textContent || '').split('\\n').map(s => s.trim()).filter(Boolean);
  const article = document.querySelector('article') || document.querySelector('main') || document.body;
  const chrome = [...document.querySelectorAll('header, nav, footer, .md-sidebar, .md-skip')]
    .filter(el => !article.contains(el));
  return {
    title: (() => {
      const h1 = article.querySelector('h1');
      if (!h1) return '';
      const copy = h1.cloneNode(true);
      copy.querySelectorAll('.headerlink').forEach(a => a.remove());
      return copy.textContent.trim();
    })(),
    chrome: [...new Set(chrome.flatMap(lines))],
    // Chromium prints folded parts (<details>) open: the article's text as printed.
    article: (() => {
      const closed = [...article.querySelectorAll('details:not([open])')];
      closed.forEach(d => { d.open = true; });
      const text = article.innerText;
      closed.forEach(d => { d.open = false; });
      return text;
    })(),
    boxes: [...document.querySelectorAll('.commun-identite')]
      .map(box => [...box.querySelectorAll('dt')].map(dt => dt.innerText.trim())),
    links: [...article.querySelectorAll('a[href^="http"]:not(.commun-url)')].map(a => a.getAttribute('href')),
  };
}"""


def print_problems(page: Any, name: str) -> tuple[list[str], list[str]]:
    """Print the page to A4 PDF (kept as test-results/impression/<name>.pdf); what is wrong, and each sheet's text."""
    seen = page.evaluate(READ)
    PRINTS.mkdir(parents=True, exist_ok=True)
    sheets = pdf_pages(page.pdf(path=str(PRINTS / f"{name}.pdf"), format="A4"))
    printed = " ".join(sheets)
    article = " ".join(seen["article"].split())
    problems = []
    if not seen["title"] or " ".join(seen["title"].split()) not in sheets[0]:
        problems.append(f"le titre « {seen['title']} » n'est pas sur la première page")
    # Navigation: the lines of the header, menus and footer that the content itself does not hold.
    chrome = [label for label in seen["chrome"] if len(label) > 3 and label not in article]
    problems += [f"navigation imprimée : « {label} »" for label in chrome if label in printed]
    problems += [
        f"adresse du lien non imprimée : {url}" for url in seen["links"] if squeeze(url) not in squeeze(printed)
    ]
    for box in seen["boxes"]:
        if box and not any(in_order(box, sheet) for sheet in sheets):
            problems.append(f"l'encadré d'identité ({', '.join(box)}) est coupé entre deux pages")
    return problems, sheets


def in_order(words: list[str], text: str) -> bool:
    position = 0
    for word in words:
        position = text.find(word, position)
        if position < 0:
            return False
        position += len(word)
    return True


@pytest.fixture(scope="module")
def types(built_site: Path) -> dict[str, str | None]:
    return page_types(built_site)


@pytest.mark.parametrize("name", ["fiche-initiatives", "profil-ccas", "fiche-modules"])
def test_page_prints_cleanly_on_a4(name: str, types: dict[str, str | None], page: Any, site_url: str) -> None:
    page.goto(site_url + url_of(types, name))
    problems, sheets = print_problems(page, name)
    assert problems == [], f"Impression de {name} :\n" + "\n".join(problems)
    assert len(sheets) >= 1


def test_links_leaving_the_site_are_written_out(types: dict[str, str | None], page: Any, site_url: str) -> None:
    page.goto(site_url + url_of(types, "accessibilite"))
    assert page.evaluate(READ)["links"], "la page n'a plus de lien externe : choisir une autre page pour ce test"
    problems, _ = print_problems(page, "liens-externes")
    assert problems == []


def test_attestation_prints_on_one_sheet(types: dict[str, str | None], page: Any, site_url: str) -> None:
    page.goto(site_url + url_of(types, "attestation"))
    problems, sheets = print_problems(page, "attestation")
    assert problems == []
    assert len(sheets) == 1, f"l'attestation tient sur {len(sheets)} pages"


BROKEN = """<!doctype html><html lang="fr"><head><style>
@media print { .commun-identite { break-inside: auto } }
</style></head><body>
<header><nav>
<p><a href="/">Commun – le commun des CCAS</a></p>
<p><a href="/outils/">Tous les outils</a></p>
</nav></header>
<article><h1>Une fiche mal imprimée</h1>
<div style="height: 225mm"></div>
<section class="commun-identite"><dl>
<div><dt>Porteur</dt><dd>Un CCAS</dd></div>
<div><dt>Statut</dt><dd>En cours</dd></div>
<div style="height: 80mm"><dt>Échelle</dt><dd>Communale</dd></div>
<div><dt>Budget</dt><dd>1 000 €</dd></div>
</dl></section>
<p><a href="https://exemple.fr/source">La source</a></p>
</article>
<footer><p>Mentions légales du site</p></footer>
</body></html>"""


def test_print_check_catches_navigation_hidden_links_and_a_split_box(page: Any) -> None:
    page.set_content(BROKEN)
    problems, sheets = print_problems(page, "cassee")
    assert len(sheets) >= 2
    assert sorted(problems) == sorted(
        [
            "navigation imprimée : « Commun – le commun des CCAS »",
            "navigation imprimée : « Tous les outils »",
            "navigation imprimée : « Mentions légales du site »",
            "adresse du lien non imprimée : https://exemple.fr/source",
            "l'encadré d'identité (Porteur, Statut, Échelle, Budget) est coupé entre deux pages",
        ]
    ), problems
