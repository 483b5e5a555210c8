"""Search without a browser (plugins/commun/search.py): the synonyms file, what each fiche gives the index,
and the Pagefind index of a small site really built by MkDocs (read back from Pagefind's fragment files).
"""

from __future__ import annotations

import json
import re
import stat
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from commun.core.corpus import Sigle
from commun.outputs.pages.facets import fiche_search, sigles_in
from commun.outputs.pages.facets import search_fold as fold
from commun.outputs.search_index import (
    LEXICON,
    LOTS_FILE,
    UNUSED,
    Lot,
    SearchError,
    build_index,
    indexed_words,
    readable,
    stage_pages,
)
from commun.stages.check import check
from commun.stages.graph import build_graph
from commun.stages.read import load_synonyms
from factories import BODY, COMMON, SOURCES, fiche_data, make_content, messages, write_fiche, write_territoires
from projectkit import build, pagefind_fragments, write_project

ROOT = Path(__file__).resolve().parent.parent
SYNONYMS = (
    "# Sigles\n"
    "ABS: analyse des besoins sociaux\n"
    "FSE: Fonds social européen\n"
    "MOOC: [cours en ligne ouvert et massif, formation en ligne ouverte à tous]\n"
)
ABS_BODY = "## Démarche\n\nRéaliser l’ABS de la commune avec les habitants.\n"
FSE_BODY = "## Financement\n\nCofinancé par le Fonds social européen.\n"


def synonyms_file(content: Path, text: str) -> Path:
    path = content / "vocabulaires" / "synonymes.yml"
    path.write_text(text, encoding="utf-8")
    return path


def search_content(root: Path) -> Path:
    """The minimal folder, plus synonyms, Mayotte's communes, two initiatives that use an acronym each way (one
    recommended by the union), and a training programme for the module."""
    content = make_content(root)
    synonyms_file(content, SYNONYMS)
    write_territoires(content, "976")
    initiative = {
        **COMMON,
        "porteur": "ccas-reel",
        "thematiques": ["acces-aux-droits"],
        "publics": ["familles"],
        "sources": SOURCES,
    }
    write_fiche(
        content,
        "initiatives",
        "diagnostic-partage",
        {
            **initiative,
            "titre": "Diagnostic partagé",
            "resume": "Un diagnostic social mené avec les habitants.",
            "statut": "experimentation",
            "communes": ["97611"],
            "date_debut": "2019-03-01",
            "date_fin": "2021-06-30",
            "recommandee_par": [{"structure": "udccas-test", "date": "2022"}],
        },
        ABS_BODY,
    )
    programme = {**initiative, "titre": "Parcours d'accueil des CCAS", "nom_court": "Parcours accueil",
                 "resume": "Un programme de formation."}
    write_fiche(content, "initiatives", "parcours-accueil", programme)
    module = fiche_data("modules", "module-accueil", programme="parcours-accueil")
    write_fiche(content, "modules", "module-accueil", module)
    write_fiche(
        content,
        "initiatives",
        "permanence-europe",
        {**initiative, "titre": "Permanence financée", "resume": "Une permanence d'accueil.", "statut": "en_cours"},
        FSE_BODY,
    )
    return content


# --- the synonyms file --------------------------------------------------------------------------------


def test_synonyms_are_read_as_acronyms_and_forms(content_dir: Path) -> None:
    synonyms_file(content_dir, SYNONYMS)
    sigles, problems = load_synonyms(content_dir)
    assert problems == []
    assert sigles == [
        Sigle("ABS", ("analyse des besoins sociaux",)),
        Sigle("FSE", ("Fonds social européen",)),
        Sigle("MOOC", ("cours en ligne ouvert et massif", "formation en ligne ouverte à tous")),
    ]


def test_no_synonyms_file_means_no_synonyms(content_dir: Path) -> None:
    assert load_synonyms(content_dir) == ([], [])


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("- ABS\n- FSE\n", 1, "le fichier doit associer chaque sigle à sa forme développée"),
        ("ABS: analyse\nabs sociaux: analyse sociale\n", 2, "sigle invalide « abs sociaux » : écrivez-le en capitales"),
        ("ABS: analyse\nNO: nord-ouest\n", 2, "clé « NO » invalide"),
        ("ABS:\nFSE: fonds\n", 1, "« ABS » : forme développée attendue"),
        ("ABS: analyse\nFSE: [fonds, 3]\n", 2, "« FSE » : forme développée attendue"),
        ("ABS: analyse\nFSE: []\n", 2, "« FSE » : forme développée attendue"),
        ("ABS: analyse\nCCAS: centre\nANBS: [Analyse]\n", 3, "« ANBS » reprend une forme déjà donnée pour le sigle"),
        ("ABS: analyse\nABS: autre\n", 2, "clé « ABS » écrite deux fois"),
        ("ABS: analyse\nFSE: [fonds\n", 3, "crochet « ] » attendu"),
    ],
)
def test_synonym_errors_are_french_with_their_line(content_dir: Path, text: str, line: int, message: str) -> None:
    synonyms_file(content_dir, text)
    sigles, problems = load_synonyms(content_dir)
    assert len(problems) == 1, messages(problems)
    problem = problems[0]
    assert problem.path.endswith("vocabulaires/synonymes.yml")
    assert (problem.severity, problem.line) == ("erreur", line)
    assert message in problem.message
    assert len(sigles) <= 2


def test_check_reports_the_synonyms_file(content_dir: Path) -> None:
    synonyms_file(content_dir, SYNONYMS)
    assert [s.sigle for s in check(content_dir).synonymes] == ["ABS", "FSE", "MOOC"]
    synonyms_file(content_dir, "ABS: analyse\nabs: autre\n")
    errors = check(content_dir).errors
    assert [(Path(p.path).name, p.line) for p in errors] == [("synonymes.yml", 2)]


# --- acronyms found in a fiche --------------------------------------------------------------------------


def test_fold_ignores_case_accents_apostrophes_and_plural() -> None:
    assert fold("Analyses des Besoins SOCIAUX, l’accès") == "analyse des besoin sociaux l acce"


def test_acronyms_are_found_both_ways() -> None:
    abs_ = Sigle("ABS", ("analyse des besoins sociaux",))
    fse = Sigle("FSE", ("Fonds social européen",))
    assert sigles_in("Réaliser l’ABS du CCAS.", [abs_, fse]) == [abs_]
    assert sigles_in("Cofinancé par le fonds social europeen.", [abs_, fse]) == [fse]
    assert sigles_in("Les analyses des besoins sociaux.", [abs_, fse]) == [abs_]
    assert sigles_in("Absence, abs et Abs ne sont pas le sigle.", [abs_]) == []
    assert sigles_in("L'analyse des besoins reste à faire.", [abs_]) == []


# --- what a fiche gives the index -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> Any:
    content = check(search_content(tmp_path_factory.mktemp("graph")))
    assert content.errors == []
    return build_graph(content)


def test_facets_of_an_initiative(graph: Any) -> None:
    fiche = graph.get("initiatives", "diagnostic-partage")
    found = fiche_search(fiche, graph, graph.content.synonymes)
    assert found.filters == [
        ("type", "Initiative"),
        ("theme", "Accès aux droits"),
        ("public", "Familles"),
        ("commune", "Mamoudzou"),
        ("epci", "CA de Dembeni / Mamoudzou"),
        ("departement", "Mayotte (976)"),
        ("statut", "Expérimentation"),
        ("recommandation", "UDCCAS de test"),
        ("annee", "2019"),
        ("annee", "2020"),
        ("annee", "2021"),
    ]
    assert found.meta == {"type": "Initiative", "resume": "Un diagnostic social mené avec les habitants."}
    assert [s.sigle for s in found.sigles] == ["ABS"]


def test_facets_of_a_module_and_a_structure(graph: Any) -> None:
    module = fiche_search(graph.get("modules", "module-accueil"), graph)
    assert module.filters == [("type", "Module de formation"), ("programme", "Parcours accueil")]
    structure = fiche_search(graph.get("ccas", "ccas-reel"), graph)
    assert structure.filters == [
        ("type", "Structure"),
        ("commune", "Mamoudzou"),
        ("epci", "CA de Dembeni / Mamoudzou"),
        ("departement", "Mayotte (976)"),
    ]


# --- staging and errors ---------------------------------------------------------------------------------


def test_staging_keeps_fiche_pages_only_from_the_fiche_on_with_plain_apostrophes(tmp_path: Path) -> None:
    site = tmp_path / "site"
    pages = {
        "a/index.html": '<html><body><nav>menu</nav><div data-pagefind-body class="x"><p>l’ABS</p></div></body></html>',
        "b/index.html": "<p>Une page d’index</p>",
        "pagefind/old/index.html": "<div data-pagefind-body>vieux</div>",
        ".pagefind-pages-1/a/index.html": "<div data-pagefind-body>en cours</div>",
    }
    for name, text in pages.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    stage = tmp_path / "stage"
    assert stage_pages(site, stage) == [Lot(stage / "lot-1", "")]
    assert [p.relative_to(stage).as_posix() for p in stage.rglob("*.html")] == ["lot-1/a/index.html"]
    staged = (stage / "lot-1/a/index.html").read_text(encoding="utf-8")
    assert staged.startswith('<!doctype html><html lang="fr">')
    assert staged.endswith('<div data-pagefind-body class="x"><p>l\'ABS</p></div></body></html>')
    assert "menu" not in staged


def test_a_large_site_is_staged_in_lots_dealt_in_turn_each_with_the_lexicon_of_the_whole_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for n in range(7):
        (site / f"f{n}").mkdir(parents=True)
        (site / f"f{n}" / "index.html").write_text(f"<div data-pagefind-body><p>mot{n} commun</p></div>", "utf-8")
    stage = tmp_path / "stage"
    lots = stage_pages(site, stage, at_once=6, lot=3)
    assert lots == [Lot(stage / "lot-1", ""), Lot(stage / "lot-2", "lot-2/"), Lot(stage / "lot-3", "lot-3/")]
    shares = [sorted(p.parent.name for p in share.folder.glob("f*/index.html")) for share in lots]
    assert shares == [["f0", "f3", "f6"], ["f1", "f4"], ["f2", "f5"]]
    lexicons = {(share.folder / LEXICON / "index.html").read_text(encoding="utf-8") for share in lots}
    assert len(lexicons) == 1
    (lexicon,) = lexicons
    assert f'data-pagefind-filter="{LEXICON}:oui"' in lexicon
    assert all(f"mot{n}" in lexicon for n in range(7))
    assert not (tmp_path / "seul" / LEXICON).exists()
    assert stage_pages(site, tmp_path / "seul", at_once=7, lot=3) == [Lot(tmp_path / "seul" / "lot-1", "")]
    assert not (tmp_path / "seul" / "lot-1" / LEXICON).exists()


# Elements Pagefind spaces from their neighbours (headings, paragraphs, list items, cells, <br>) and elements
# it joins to them (definition lists, inline elements, table headings).
MIXED_PAGE = (
    '<!doctype html><html lang="fr"><head><meta charset="utf-8"></head><body><div data-pagefind-body>'
    "<h2>Titre</h2><p>Un <strong>mot</strong>clé, l'accès&nbsp;aux droits.</p><dl><dt>Statut</dt><dd>En cours</dd>"
    "</dl><ul><li>un</li><li>deux</li></ul><table><tr><th>Col</th><th>onne</th></tr><tr><td>a</td><td>b</td></tr>"
    "</table>ligne<br>suivante<span>bout</span><em>à bout</em></div></body></html>"
)


def test_the_lexicon_holds_every_word_as_pagefind_reads_it(tmp_path: Path) -> None:
    """The words Pagefind indexed (the text of its fragment, split as it splits it) are all among
    `indexed_words`; words cut at every tag, as a plain text extraction would, are not."""
    site = tmp_path / "site"
    (site / "page").mkdir(parents=True)
    (site / "page" / "index.html").write_text(MIXED_PAGE, encoding="utf-8")
    build_index(site)
    (record,) = pagefind_fragments(site / "pagefind").values()
    read = record["content"].split()
    assert "StatutEn" in read and "ColOnne".casefold() in (w.casefold() for w in read)
    words = set(indexed_words(MIXED_PAGE))
    assert [w for w in read if w not in words and w.rstrip(".") not in words] == []
    cut_at_every_tag = set(re.sub(r"<[^>]*>", " ", MIXED_PAGE).split())
    assert [w for w in read if w not in cut_at_every_tag and w.rstrip(".") not in cut_at_every_tag] != []


def test_a_missing_pagefind_program_is_a_french_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "index.html").write_text("<div data-pagefind-body>texte</div>", encoding="utf-8")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "absent" / "pagefind"))
    with pytest.raises(SearchError, match="programme Pagefind introuvable"):
        build_index(tmp_path)


# A stand-in for the Pagefind program: writes what `$FAKE_WRITES` says into its --output-path, then exits
# with `$FAKE_EXIT` (with 3 if its --site is the lot `$FAKE_FAILING_LOT`).
FAKE_PAGEFIND = """#!/bin/sh
out=""
site=""
while [ $# -gt 0 ]; do
  [ "$1" = "--output-path" ] && out="$2"
  [ "$1" = "--site" ] && site="$2"
  shift
done
mkdir -p "$out" && echo 'export {}' > "$out/pagefind.js"
[ -n "${FAKE_WRITES+x}" ] && printf '%s' "$FAKE_WRITES" > "$out/pagefind-entry.json"
echo "erreur simulée" >&2
case "$site" in *"${FAKE_FAILING_LOT:-none}") exit 3;; esac
exit "${FAKE_EXIT:-0}"
"""


def use_fake_pagefind(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`build_index` runs the stand-in above, written as `folder/faux-pagefind`."""
    program = folder / "faux-pagefind"
    program.write_text(FAKE_PAGEFIND, encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(program))


@pytest.mark.parametrize(
    ("writes", "exit_code", "message"),
    [
        ("", "0", "Pagefind n'a pas écrit un index complet"),  # the entry file left empty
        ('{"languages": {}}', "0", "Pagefind n'a pas écrit un index complet"),
        ('{"languages": {"fr": {"page_count": 1}}}', "3", r"Pagefind n'a pas pu indexer le site \(erreur simulée\)"),
    ],
)
def test_an_incomplete_or_failed_index_is_a_french_error_and_the_site_keeps_its_previous_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, writes: str, exit_code: str, message: str
) -> None:
    (tmp_path / "index.html").write_text("<div data-pagefind-body>texte</div>", encoding="utf-8")
    (tmp_path / "pagefind").mkdir()
    (tmp_path / "pagefind" / "pagefind-entry.json").write_text("précédent", encoding="utf-8")
    use_fake_pagefind(tmp_path, monkeypatch)
    monkeypatch.setenv("FAKE_WRITES", writes)
    monkeypatch.setenv("FAKE_EXIT", exit_code)
    with pytest.raises(SearchError, match=message):
        build_index(tmp_path)
    assert (tmp_path / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8") == "précédent"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["faux-pagefind", "index.html", "pagefind"]


def test_the_fake_program_makes_a_bundle_when_its_entry_is_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stand-in above is a fair one: given a complete entry, build_index accepts what it writes."""
    (tmp_path / "index.html").write_text("<div data-pagefind-body>texte</div>", encoding="utf-8")
    use_fake_pagefind(tmp_path, monkeypatch)
    monkeypatch.setenv("FAKE_WRITES", '{"languages": {"fr": {"page_count": 1}}}')
    assert build_index(tmp_path).pages == 1


def test_lots_are_merged_into_one_bundle_that_lists_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(5):
        (tmp_path / f"f{n}").mkdir()
        (tmp_path / f"f{n}" / "index.html").write_text(f"<div data-pagefind-body>mot{n}</div>", encoding="utf-8")
    use_fake_pagefind(tmp_path, monkeypatch)
    monkeypatch.setenv("FAKE_WRITES", '{"languages": {"fr": {"page_count": 3}}}')
    report = build_index(tmp_path, at_once=4, lot=2)
    bundle = tmp_path / "pagefind"
    assert (report.lots, report.pages) == (3, 3 * 3 - 3)
    assert json.loads((bundle / LOTS_FILE).read_text(encoding="utf-8")) == {
        "lots": ["lot-2/", "lot-3/"],
        "sans": {LEXICON: "oui"},
    }
    assert (bundle / "pagefind.js").is_file()
    assert sorted(p.name for p in (bundle / "lot-2").iterdir()) == ["pagefind-entry.json"]
    assert "(3 lots, " in str(report)


def test_a_failing_lot_is_a_french_error_and_the_site_keeps_its_previous_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(5):
        (tmp_path / f"f{n}").mkdir()
        (tmp_path / f"f{n}" / "index.html").write_text(f"<div data-pagefind-body>mot{n}</div>", encoding="utf-8")
    (tmp_path / "pagefind").mkdir()
    (tmp_path / "pagefind" / "pagefind-entry.json").write_text("précédent", encoding="utf-8")
    use_fake_pagefind(tmp_path, monkeypatch)
    monkeypatch.setenv("FAKE_WRITES", '{"languages": {"fr": {"page_count": 3}}}')
    monkeypatch.setenv("FAKE_FAILING_LOT", "lot-3")
    with pytest.raises(SearchError, match=r"Pagefind n'a pas pu indexer le site \(erreur simulée\)"):
        build_index(tmp_path, at_once=4, lot=2)
    assert (tmp_path / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8") == "précédent"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_the_single_bundle_lists_no_lots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "index.html").write_text("<div data-pagefind-body>texte</div>", encoding="utf-8")
    use_fake_pagefind(tmp_path, monkeypatch)
    monkeypatch.setenv("FAKE_WRITES", '{"languages": {"fr": {"page_count": 1}}}')
    assert build_index(tmp_path).lots == 1
    assert json.loads((tmp_path / "pagefind" / LOTS_FILE).read_text(encoding="utf-8")) == {"lots": [], "sans": {}}


# --- the index of a small site built by MkDocs ----------------------------------------------------------


def make_project(root: Path) -> Path:
    """A MkDocs project: the repository's mkdocs.yml, theme overrides and assets; one editorial page."""
    page = "# Accueil\n\nUne page éditoriale, mot unique zorglub.\n"
    write_project(root, nav=[{"Accueil": "index.md"}], pages={"index.md": page})
    search_content(root)
    return root


def fragments(bundle: Path) -> dict[str, dict[str, Any]]:
    """Pagefind's per-page records, by URL."""
    return {record["url"]: record for record in pagefind_fragments(bundle).values()}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict[str, Any]]]:
    root = make_project(tmp_path_factory.mktemp("search-site"))
    site = root / "site"
    build(root, site)
    return site, fragments(site / "pagefind")


def text_of(site: Path, url: str) -> str:
    return (site / url.strip("/") / "index.html").read_text(encoding="utf-8")


def test_only_fiche_pages_are_indexed(built: tuple[Path, dict[str, dict[str, Any]]]) -> None:
    site, records = built
    graph = build_graph(check(site.parent / "content"))
    assert set(records) == {f"/{f.kind}/{f.slug}/" for f in graph.all()}
    for other in ("index.html", "banque-d-experiences/index.html", "initiatives/index.html"):
        assert (site / other).is_file()
    assert "zorglub" in (site / "index.html").read_text(encoding="utf-8")
    assert not any("zorglub" in r["content"] for r in records.values())


def test_a_fiche_is_indexed_without_what_is_not_its_own_text(built: tuple[Path, dict[str, dict[str, Any]]]) -> None:
    site, records = built
    url = "/ccas/ccas-reel/"
    html, content = text_of(site, url), records[url]["content"]
    # The structure's page lists the initiatives it carries, and has anchors, labels and a footer: not indexed.
    pairs = (("Épicerie solidaire", "Épicerie solidaire"), ('class="headerlink"', "¶"), ("<dt>Type</dt>", "Type"))
    for seen, hidden in pairs:
        assert seen in html
        assert hidden not in content
    assert "Mise à jour le" in html and "Mise à jour le" not in content
    example = "/projets/projet-exemple/"
    assert "Cette fiche est fictive" in text_of(site, example)
    assert "Cette fiche est fictive" not in records[example]["content"]
    assert records[url]["meta"]["title"] == "CCAS réel"
    assert "Un texte simple, sans code ni coordonnées personnelles." in content
    assert BODY.split("\n")[0].removeprefix("## ") in content


# Shown on a fiche page, left out of its index: (page, text seen in the HTML, words that must not be indexed).
NOT_OWN_TEXT = [
    ("/initiatives/epicerie-solidaire/", "Outils utilisés", ["Outils utilisés", "Grille d'entretien"]),
    ("/initiatives/epicerie-solidaire/", "Fiches proches", ["Fiches proches"]),
    ("/outils/grille-entretien/", "Initiative qui utilise cet outil", ["utilise cet outil"]),
    ("/ccas/ccas-reel/", "Initiatives portées", ["Initiatives portées"]),
    ("/ccas/ccas-reel/", "Documents à imprimer", ["Documents à imprimer", "Fiche individuelle"]),
    ("/initiatives/epicerie-solidaire/", "<dt>Porteur</dt>", ["Porteur"]),
]


@pytest.mark.parametrize(("url", "seen", "hidden"), NOT_OWN_TEXT)
def test_sections_about_other_fiches_and_generated_notices_are_not_indexed(
    built: tuple[Path, dict[str, dict[str, Any]]], url: str, seen: str, hidden: list[str]
) -> None:
    site, records = built
    assert seen in text_of(site, url).replace("&#39;", "'")
    assert [words for words in hidden if words in records[url]["content"]] == []
    assert "Sources" in records[url]["content"]  # the fiche's own sections stay


def test_typographic_apostrophes_are_indexed_plain(built: tuple[Path, dict[str, dict[str, Any]]]) -> None:
    site, records = built
    url = "/initiatives/diagnostic-partage/"
    assert "l’ABS" in text_of(site, url)
    assert "l'ABS" in records[url]["content"]
    assert "l’ABS" not in records[url]["content"]


def test_acronyms_and_expansions_are_indexed_together(built: tuple[Path, dict[str, dict[str, Any]]]) -> None:
    site, records = built
    fse, abs_ = records["/initiatives/permanence-europe/"], records["/initiatives/diagnostic-partage/"]
    assert "FSE" not in (site.parent / "content" / "initiatives" / "permanence-europe.md").read_text(encoding="utf-8")
    assert "FSE : Fonds social européen" in fse["content"]
    assert "ABS : analyse des besoins sociaux" in abs_["content"]
    assert "Sigles" not in records["/modules/module-accueil/"]["content"]


def test_filters_and_meta_come_from_the_fiche(built: tuple[Path, dict[str, dict[str, Any]]]) -> None:
    site, records = built
    graph = build_graph(check(site.parent / "content"))
    for fiche in graph.all():
        record = records[f"/{fiche.kind}/{fiche.slug}/"]
        expected = fiche_search(fiche, graph, graph.content.synonymes)
        grouped: dict[str, list[str]] = defaultdict(list)
        for name, value in expected.filters:
            grouped[name].append(value)
        assert {k: sorted(v) for k, v in record["filters"].items()} == {k: sorted(v) for k, v in grouped.items()}
        assert record["meta"]["title"] == fiche.meta.titre
        assert record["meta"]["type"] == expected.meta["type"]
        assert record["meta"]["resume"] == fiche.meta.resume
        assert record["meta"]["faits"]
    assert records["/projets/projet-exemple/"]["meta"]["exemple"] == "exemple"
    assert "exemple" not in records["/ccas/ccas-reel/"]["meta"]


def test_the_bundle_holds_the_index_and_nothing_unused(built: tuple[Path, dict[str, dict[str, Any]]]) -> None:
    site, records = built
    bundle = site / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["fr"]["page_count"] == len(records)
    assert (bundle / "pagefind.js").is_file()
    assert [name for name in UNUSED if (bundle / name).exists()] == []


def modes_not_like_a_site(folder: Path) -> list[str]:
    """Folders not 0755 and files not 0644 under `folder`, itself included."""
    wrong = []
    for path in [folder, *folder.rglob("*")]:
        expected = 0o755 if path.is_dir() else 0o644
        if stat.S_IMODE(path.stat().st_mode) != expected:
            wrong.append(f"{path.relative_to(folder.parent)} {oct(stat.S_IMODE(path.stat().st_mode))}")
    return wrong


def test_the_bundle_is_readable_by_a_web_server_running_as_another_user(
    built: tuple[Path, dict[str, dict[str, Any]]], tmp_path: Path
) -> None:
    site, _ = built
    assert modes_not_like_a_site(site / "pagefind") == []
    # What the bundle would be without `readable`: written in a temporary folder, 0700 for its owner alone.
    fresh = Path(tempfile.mkdtemp(dir=tmp_path))
    (fresh / "fragment").mkdir()
    (fresh / "fragment" / "a.pf_fragment").write_bytes(b"x")
    (fresh / "fragment" / "a.pf_fragment").chmod(0o600)
    assert modes_not_like_a_site(fresh) != []
    readable(fresh)
    assert modes_not_like_a_site(fresh) == []
