"""The Labo's PDF deliverables: which structures get them, and what the PDFs say (read back with pypdf)."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from commun.adapters.cli import main
from commun.outputs.pdf.deliverables import deliverables
from commun.outputs.pdf.render import Layout, PdfRenderer, pdf_text
from commun.stages.check import check
from commun.stages.graph import build_graph
from exportkit import make_export_content
from factories import FICHES, write_fiche


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_export_content(tmp_path_factory.mktemp("pdf"))


@pytest.fixture(scope="module")
def graph(content: Path):
    checked = check(content)
    assert not checked.errors, checked.errors
    return build_graph(checked)


def read(data: bytes) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(data), strict=True)
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def test_which_structures_get_which_deliverables(graph) -> None:
    found = {d.slug: d for d in deliverables(graph)}
    # A CCAS always; a union never, unless it carries a Labo project; the example structure carries one.
    assert set(found) == {"ccas-reel", "ccas-exemple"}
    assert found["ccas-reel"].fiche_pdf == "ccas/ccas-reel/fiche-individuelle.pdf"
    assert found["ccas-reel"].certificate_pdf == "ccas/ccas-reel/certificat-assiduite.pdf"
    assert found["ccas-exemple"].certificate_pdf is None  # nothing to attest: no training, no Labo session


def test_individual_fiche_holds_project_activity_and_follow_up(graph) -> None:
    files = PdfRenderer(graph, site_name="Commun de test").files()
    pages, text = read(files["ccas/ccas-reel/fiche-individuelle.pdf"])
    text = flat(text)
    assert pages >= 1
    for expected in (
        "Fiche individuelle – CCAS réel",
        "Union départementale : UDCCAS de test",
        "Guichet des droits",  # its Labo project
        "Étape : Prototypage",
        "Labo n° 1 5 octobre 2021 Choix du thème.",
        "Labo n° 2 novembre 2021 Prototype.",  # a session known to the month says no more
        "Ouvrir une permanence",  # the project's roadmap
        "Épicerie solidaire",  # its activity: the initiatives it carries
        "Aide « urgente », dite \"SOS\", et secours",
        "Grille d'entretien",  # a tool its initiatives use
        "Socle numérique",  # training followed
        f"page {pages}/{pages}",
    ):
        assert expected in text, expected
    assert "Brouillon secret" not in text  # a draft never reaches a deliverable


def test_certificate_lists_labo_sessions_and_trainings_on_one_page(graph) -> None:
    files = PdfRenderer(graph).files()
    pages, text = read(files["ccas/ccas-reel/certificat-assiduite.pdf"])
    text = flat(text)
    assert pages == 1
    assert "Certificat d'assiduité – CCAS réel" in text
    assert "Labo n° 1 5 octobre 2021 Guichet des droits" in text
    assert "Socle numérique Parcours numérique 28 juin 2021 2" in text
    assert "Passeport Parcours numérique : 1 module socle sur 1 : passeport complet." in text
    assert "Fonction du signataire" in text
    assert "page 1/1" in text


def test_example_structure_says_it_is_fictitious(graph) -> None:
    _, text = read(PdfRenderer(graph).files(only="ccas-exemple")["ccas/ccas-exemple/fiche-individuelle.pdf"])
    assert "Fiche d'exemple" in flat(text)


def test_long_fiche_runs_over_several_pages(tmp_path: Path) -> None:
    content = make_export_content(tmp_path)
    paragraph = "Un long paragraphe sur l'activité du CCAS. " * 40
    body = "".join(f"## Partie {n}\n\n{paragraph}\n\n" for n in range(12))
    write_fiche(content, "ccas", "ccas-reel", {**FICHES[("ccas", "ccas-reel")]}, body)
    graph = build_graph(check(content))
    pages, text = read(PdfRenderer(graph).fiche_pdf(graph.get("ccas", "ccas-reel")))
    assert pages >= 3
    assert f"page {pages}/{pages}" in flat(text)
    assert "Partie 11" in text


def test_pdf_text_keeps_french_and_replaces_what_the_font_lacks() -> None:
    assert pdf_text("Cœur d’îlot « été » – 12 € …") == "Cœur d’îlot « été » – 12 € …"
    assert pdf_text("1\u202f500 habitants") == "1\u00a0500 habitants"
    assert pdf_text("a → b ≥ c") == "a -> b >= c"
    assert pdf_text("Mayotte 🌴") == "Mayotte ?"


def test_a_truncated_pdf_is_refused_by_the_reader(graph) -> None:
    data = PdfRenderer(graph).files(only="ccas-reel")["ccas/ccas-reel/certificat-assiduite.pdf"]
    with pytest.raises(pypdf.errors.PdfReadError):
        read(data[: len(data) // 2])


def test_cache_reuses_an_unchanged_pdf(graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = PdfRenderer(graph, cache_dir=tmp_path).files()
    assert len(list(tmp_path.glob("*.pdf"))) == len(first)

    def no_layout(*args: object) -> bytes:
        raise AssertionError("mise en page refaite alors que rien n'a changé")

    monkeypatch.setattr(Layout, "pdf", no_layout)
    assert PdfRenderer(graph, cache_dir=tmp_path).files() == first


def test_command_writes_the_pdfs_of_one_structure(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "livrables"
    code = main(["livrables", "--dossier", str(content), "--sortie", str(out), "--structure", "ccas-reel"])
    assert code == 0, capsys.readouterr()
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf")) == [
        "ccas-reel/certificat-assiduite.pdf",
        "ccas-reel/fiche-individuelle.pdf",
    ]
    assert read((out / "ccas-reel" / "certificat-assiduite.pdf").read_bytes())[0] == 1
    code = main(["livrables", "--dossier", str(content), "--sortie", str(out), "--structure", "udccas-test"])
    assert code == 2
    assert "pas de livrables pour « udccas-test »" in capsys.readouterr().err
