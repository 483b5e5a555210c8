"""Content you can trust: the review status of a fiche (`relecture`) from the check to the built page, the open
data, the JSON-LD, the web form and the new-fiche model; and French typography on a built page, in the
engine-neutral pages (Zensical) and in the PDFs, with code, addresses and attributes left as written."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pypdf
import pytest
from commun.build import Build, Options
from commun.outputs import cms
from commun.outputs.opendata import SiteFiles
from commun.outputs.opendata.datasets import V1_FIELDS
from commun.outputs.pdf.render import PdfRenderer
from commun.outputs.scaffold import render_new
from commun.stages.check import check
from commun.stages.graph import build_graph
from exportkit import EXTRA, PARCOURS, SITE_URL, make_project
from factories import FICHES, fiche_data, write_fiche
from projectkit import build

NB, NN = "\u00a0", "\u202f"
REVIEW = {"par": "udccas-test", "date": "2026-03-03"}
# A body with every case: prose to typeset, and code, a link, an attribute and an indented block to leave alone.
BODY = """## Présentation

Le CCAS accueille 4 000 personnes par an ; budget : 1 300 € ! Il dit « bienvenue ».

La clé `etat : publie ; x ? y` reste telle quelle ; voir [le guide](https://exemple.org/guide?page=2 "Guide : accueil").

<abbr title="Centre communal : CCAS ?">CCAS</abbr> de test.

    exemple : de code ; 1 000 ?
"""


def project(root: Path) -> Path:
    """The export project, with a reviewed project of the Labo and a body full of typography."""
    folder = make_project(root)
    content = folder / "content"
    write_fiche(content, "projets", "projet-reel", {**EXTRA[("projets", "projet-reel")], "relecture": REVIEW})
    write_fiche(content, "initiatives", "aide-urgente", EXTRA[("initiatives", "aide-urgente")], BODY)
    write_fiche(content, "ccas", "ccas-reel", {**FICHES[("ccas", "ccas-reel")], "parcours": PARCOURS}, BODY)
    return folder


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return project(tmp_path_factory.mktemp("confiance"))


@pytest.fixture(scope="module")
def graph(folder: Path):
    content = check(folder / "content")
    assert not content.errors, content.errors
    return build_graph(content)


@pytest.fixture(scope="module")
def built(folder: Path) -> Path:
    site = folder / "site"
    build(folder, site)
    return site


class Article(HTMLParser):
    """The text of a page's `<article>` (spaces kept as they are), its tags with their attributes, its code."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inside = 0
        self.text: list[str] = []
        self.tags: list[str] = []
        self.code: list[str] = []
        self._code = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.inside += tag == "article"
        if self.inside:
            self.tags.append(f"<{tag} {attrs}>")
            if tag in ("code", "pre"):
                self._code += 1
                self.code.append("")

    def handle_endtag(self, tag: str) -> None:
        self.inside -= tag == "article"
        if tag in ("code", "pre") and self._code:
            self._code -= 1

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.text.append(data)
            if self._code:
                self.code[-1] += data


def article(page: Path) -> Article:
    parser = Article()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def sentence(page: Path, start: str) -> str:
    """The text of the built page from `start` to the end of its sentence."""
    text = "".join(article(page).text)
    found = re.search(re.escape(start) + r"[^.]*\.", text)
    assert found, f"« {start} » absent de {page}"
    return found[0]


# --- the field and its check ----------------------------------------------------------------------------------


def test_a_review_by_a_union_passes(tmp_path: Path) -> None:
    assert check(project(tmp_path) / "content").problems == []


def line_of(path: Path, start: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.lstrip().startswith(start))


@pytest.mark.parametrize(
    ("relecture", "where", "expected"),
    [
        (
            {"par": "ccas-reel", "date": "2026-03-03"},
            "par:",
            "relecture › par : « ccas-reel » est de type ccas, or udccas ou unccas est attendu",
        ),
        (
            {"par": "udccas-tset", "date": "2026-03-03"},
            "par:",
            "relecture › par : aucune fiche « udccas-tset » dans content/ccas/ (structures) ; "
            "vouliez-vous dire « udccas-test » ?",
        ),
        (
            {"par": "udccas-test", "date": "2026-03"},
            "date:",
            "relecture › date : date invalide « 2026-03 » : écrivez-la AAAA-MM-JJ",
        ),
        ({"par": "udccas-test"}, "par:", "champ obligatoire « relecture › date » manquant"),  # at the block
        ({"par": "udccas-test", "date": "2026-03-03", "nom": "X"}, "nom:", "champ inconnu « nom »"),
    ],
)
def test_a_review_names_a_union_and_a_day(tmp_path: Path, relecture: dict, where: str, expected: str) -> None:
    content = make_project(tmp_path) / "content"
    data = fiche_data("initiatives", "epicerie-solidaire", relecture=relecture)
    path = write_fiche(content, "initiatives", "relue", data)
    [problem] = check(content).errors
    assert (problem.path, problem.line, problem.message) == (str(path), line_of(path, where), expected)


def test_an_example_fiche_cannot_claim_a_real_union_s_review(tmp_path: Path) -> None:
    content = make_project(tmp_path) / "content"
    write_fiche(content, "projets", "projet-exemple", {**FICHES[("projets", "projet-exemple")], "relecture": REVIEW})
    [problem] = check(content).errors
    assert "une fiche d'exemple ne peut pas être rattachée à une structure réelle" in problem.message


def test_no_fiche_of_the_repository_claims_a_review() -> None:
    """No union has reviewed the first fiches: none may say so (content/ as committed)."""
    content = check(Path(__file__).resolve().parents[1] / "content")
    assert [f.slug for f in content.all() if f.meta.relecture] == []


# --- the page -----------------------------------------------------------------------------------------------


def test_built_page_of_a_reviewed_fiche_names_the_union_and_the_day(built: Path) -> None:
    page = built / "projets" / "projet-reel" / "index.html"
    assert sentence(page, "Relue par") == "Relue par l'UDCCAS de test le 3 mars 2026."
    assert "pas encore relue" not in "".join(article(page).text)
    html = page.read_text(encoding="utf-8")
    assert 'Relue par l&#39;<a href="../../ccas/udccas-test/">UDCCAS de test</a> le' in html


def test_built_page_of_a_fiche_not_reviewed_says_so(built: Path) -> None:
    page = built / "initiatives" / "epicerie-solidaire" / "index.html"
    assert sentence(page, "Rédigée") == f"Rédigée d'après les documents cités{NN}; pas encore relue par une union."
    assert "Relue par" not in "".join(article(page).text)
    example = "".join(article(built / "projets" / "projet-exemple" / "index.html").text)
    assert "relue" not in example.lower()  # an example is fictive: it was written from no document


def test_the_union_page_lists_what_it_reviewed(built: Path) -> None:
    html = (built / "ccas" / "udccas-test" / "index.html").read_text(encoding="utf-8")
    start = html.index('id="fiche-relue-par-cette-union-1"')
    reviewed = html[start : html.index("</ul>", start)]
    assert '<a href="../../projets/projet-reel/">Guichet des droits</a>' in reviewed


# --- the data, the JSON-LD, the form, the model ---------------------------------------------------------------


def test_open_data_v1_gains_the_review_at_the_end(graph) -> None:
    files = SiteFiles(graph).files()
    projets = {r["identifiant"]: r for r in json.loads(files["donnees/v1/projets.json"])["fiches"]}
    assert projets["projet-reel"]["relecture"] == REVIEW
    assert projets["projet-exemple"]["relecture"] is None
    rows = {r["identifiant"]: r for r in csv.DictReader(io.StringIO(files["donnees/v1/projets.csv"].decode()))}
    assert (rows["projet-reel"]["relecture.par"], rows["projet-reel"]["relecture.date"]) == tuple(REVIEW.values())
    assert list(rows["projet-reel"])[-2:] == ["relecture.par", "relecture.date"]  # new columns come last
    assert [fields[-1] for fields in V1_FIELDS.values()] == ["relecture"] * len(V1_FIELDS)


def test_jsonld_says_who_reviewed_the_page_and_when(graph) -> None:
    site = SiteFiles(graph, site_url=SITE_URL)
    page = site.jsonld(graph.get("projets", "projet-reel"))["mainEntityOfPage"]
    assert page == {
        "@type": "WebPage",
        "url": f"{SITE_URL}projets/projet-reel/",
        "reviewedBy": {"@type": "Organization", "name": "UDCCAS de test", "url": f"{SITE_URL}ccas/udccas-test/"},
        "lastReviewed": "2026-03-03",
    }
    assert "mainEntityOfPage" not in site.jsonld(graph.get("initiatives", "epicerie-solidaire"))


def test_the_web_form_asks_for_a_union_and_a_day(graph) -> None:
    content = graph.content
    config = cms.config(content.vocabularies, cms.Options())
    for collection in config["collections"]:
        field = next(f for f in collection["fields"] if f["name"] == "relecture")
        assert (field["widget"], field["required"]) == ("object", False)
        par, date = field["fields"]
        assert (par["name"], par["widget"], par["collection"]) == ("par", "relation", "ccas")
        assert par["filters"] == [{"field": "type", "values": ["udccas", "unccas"]}]
        assert (date["name"], date["widget"], date["format"]) == ("date", "datetime", "YYYY-MM-DD")


def test_a_new_fiche_explains_the_review_and_leaves_it_empty() -> None:
    text = render_new("initiatives", today=dt.date(2026, 3, 3))
    block = text[text.index("# Relecture") : text.index("\nlicence:")]
    assert "\nrelecture:\n" in block
    assert "#   par:   # Union qui a relu la fiche" in block and "#   date:   # Date de la relecture" in block


# --- typography on built pages, engine-neutral pages and PDFs --------------------------------------------------


def test_built_page_is_typeset_and_its_code_links_and_attributes_are_not(built: Path) -> None:
    parsed = article(built / "initiatives" / "aide-urgente" / "index.html")
    text = "".join(parsed.text)
    assert f"4{NN}000 personnes par an{NN}; budget{NB}: 1{NN}300{NN}€{NN}! Il dit «{NN}bienvenue{NN}»." in text
    assert f"documents cités{NN}; pas encore relue" in text  # the templates' text too
    assert "etat : publie ; x ? y" in parsed.code
    assert "exemple : de code ; 1 000 ?\n" in parsed.code
    assert "<a [('href', 'https://exemple.org/guide?page=2'), ('title', 'Guide : accueil')]>" in parsed.tags
    assert "<abbr [('title', 'Centre communal : CCAS ?')]>" in parsed.tags
    assert [tag for tag in parsed.tags if NN in tag or NB in tag] == []


def test_pages_written_for_another_engine_are_typeset_too(folder: Path, tmp_path: Path) -> None:
    """Zensical builds from `Build.write_docs`: the typography is in the Markdown it reads."""
    run = Build(Options(root=folder, cms={"actif": False}))
    run.link(run.check(), html_blocks=False, links_from_source=True)
    run.write_docs(folder / "docs", tmp_path / "docs")
    page = (tmp_path / "docs" / "initiatives" / "aide-urgente.md").read_text(encoding="utf-8")
    assert f"4{NN}000 personnes par an{NN}; budget{NB}: 1{NN}300{NN}€{NN}!" in page
    assert "`etat : publie ; x ? y`" in page and "    exemple : de code ; 1 000 ?\n" in page
    assert '(https://exemple.org/guide?page=2 "Guide : accueil")' in page
    assert f"documents cités{NN}; pas encore relue" in page
    assert page.startswith('---\ntitle: "Aide « urgente », dite \\"SOS\\", et secours"\n')  # front matter as is


def test_pdfs_are_typeset_with_the_no_break_space_their_fonts_have(graph) -> None:
    """fpdf lays a no-break space out as a space that never ends a line: the HTML it is given holds them."""
    renderer = PdfRenderer(graph)
    html = renderer.html("fiche-individuelle.html.j2", graph.get("ccas", "ccas-reel"))
    assert f"Union départementale{NB}:</b>" in html
    assert f"Aide «{NB}urgente{NB}», dite" in html  # the narrow one becomes a no-break space: Helvetica lacks it
    assert NN not in html
    assert f"4{NB}000 personnes par an{NB}; budget{NB}: 1{NB}300{NB}€{NB}!" in html  # the structure's own text
    assert "<code>etat : publie ; x ? y</code>" in html and "exemple : de code ; 1 000 ?" in html
    text = "".join(
        page.extract_text()
        for page in pypdf.PdfReader(io.BytesIO(renderer.fiche_pdf(graph.get("ccas", "ccas-reel")))).pages
    )
    assert "Union départementale : UDCCAS de test" in text  # and the PDF reads as before
