"""`commun import csv`: messy spreadsheets (Excel's Windows-1252 export, semicolons, empty lines, cells over
several lines, duplicate titles, accents) become draft fiches that pass `commun check`, or rejected rows
with their row number and a French reason; nothing is ever overwritten."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import yaml
from commun.adapters.cli import main
from commun.authoring.importer import (
    ImportProblem,
    Mapping,
    decode,
    delimiter_of,
    import_csv,
    load_mapping,
    read_table,
)
from commun.core.text import SLUG_LENGTH, slugify
from commun.stages.check import check
from factories import write_territoires
from hypothesis import given
from hypothesis import strategies as st

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
BANQUE = FIXTURES / "banque-excel-windows-1252.csv"
STRUCTURES = FIXTURES / "structures-utf8-bom.csv"
OUTILS = FIXTURES / "outils-texte-unicode.txt"
TODAY = dt.date(2026, 11, 23)

# Spreadsheet row → what the report must say about it (see the fixture: the header is row 1).
REJECTED = {
    4: "titre manquant (colonne « Nom de l'action »)",
    5: "même identifiant « epicerie-sociale-itinerante » que la ligne 2",
    6: "« jardinage » n'est pas dans le vocabulaire thematiques",
    8: "existe déjà : l'import n'écrase jamais une fiche",
    9: "adresse e-mail dans le texte",
    11: "porteur : aucune fiche « ccas-de-nulle-part »",
    12: "date_debut : date invalide « 31/02/2021 »",
    13: "12 cellules pour 10 colonnes",
}
CREATED = {2: "epicerie-sociale-itinerante", 7: "coeur-de-quartier-l-accueil"}
EMPTY = {3, 10}


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def import_banque(content_dir: Path, **options):
    return import_csv(
        BANQUE, "initiatives", content_dir, mapping=load_mapping(FIXTURES / "correspondance-banque.yml"),
        today=TODAY, **options,
    )  # fmt: skip


def test_messy_excel_export_gives_drafts_and_a_reason_for_every_rejected_row(content_dir: Path) -> None:
    report = import_banque(content_dir)
    assert report.table.encoding == "cp1252"
    assert report.table.delimiter == ";"
    assert {r.line: r.slug for r in report.created} == CREATED
    assert {r.line for r in report.empty} == EMPTY
    reasons = {r.line: " / ".join(r.reasons) for r in report.rejected}
    assert set(reasons) == set(REJECTED)
    for line, expected in REJECTED.items():
        assert expected in reasons[line], (line, reasons[line])
    # Every row is accounted for, once.
    assert sorted(r.line for r in report.results) == list(range(2, 14))


def test_imported_fiches_pass_commun_check_with_the_spreadsheet_values(content_dir: Path) -> None:
    import_banque(content_dir)
    content = check(content_dir)
    assert content.errors == []
    epicerie = content.fiches["initiatives"]["epicerie-sociale-itinerante"]
    meta = epicerie.meta
    assert meta.titre == "Épicerie sociale itinérante"
    assert meta.etat == "brouillon"
    assert meta.mis_a_jour == TODAY
    assert meta.thematiques == ["aide-alimentaire", "acces-aux-droits"]  # labels of the vocabulary, matched
    assert meta.publics == ["familles"]
    assert meta.porteur == "ccas-reel"  # the structure's title, matched
    assert meta.statut == "en_cours"
    assert meta.date_debut == dt.date(2021, 1, 4)
    assert meta.budget_eur == 1500.5
    assert meta.echelle == "communale"  # a fixed value of the mapping
    assert [s.titre for s in meta.sources] == ["UNCCAS, rapport d’activité (2021)"]
    assert epicerie.body.strip() == (
        "Le camion s’arrête sur la place ; les familles orientées par le CCAS y font leurs courses."
    )
    coeur = content.fiches["initiatives"]["coeur-de-quartier-l-accueil"]
    assert coeur.meta.titre == "Cœur de quartier : l’accueil"
    assert coeur.meta.statut == "experimentation"
    assert coeur.meta.date_debut.year == 2022 and coeur.meta.date_debut.precision == "annee"
    assert "Deuxième ligne ; avec un point-virgule." in coeur.body
    assert front_matter(content_dir / "initiatives" / "coeur-de-quartier-l-accueil.md")["etat"] == "brouillon"


def test_import_never_overwrites_and_a_second_run_rejects_every_row(content_dir: Path) -> None:
    existing = content_dir / "initiatives" / "epicerie-solidaire.md"
    before = existing.read_bytes()
    import_banque(content_dir)
    assert existing.read_bytes() == before
    after_first = snapshot(content_dir)
    again = import_banque(content_dir)
    assert again.created == []
    for line in CREATED:
        reasons = next(r.reasons for r in again.results if r.line == line)
        assert any("existe déjà" in reason for reason in reasons)
    assert snapshot(content_dir) == after_first


def test_dry_run_writes_nothing_and_reports_the_same(content_dir: Path) -> None:
    before = snapshot(content_dir)
    report = import_banque(content_dir, dry_run=True)
    assert snapshot(content_dir) == before
    assert {r.line: r.slug for r in report.created} == CREATED
    assert {r.line for r in report.rejected} == set(REJECTED)


def test_command_reports_rows_in_french_with_file_and_row_number(
    content_dir: Path, capsys: pytest.CaptureFixture[str], chdir_tmp: Path
) -> None:
    shutil.copy(BANQUE, chdir_tmp / "banque.csv")
    code = main(
        ["import", "csv", "banque.csv", "--kind", "initiatives", "--correspondance",
         str(FIXTURES / "correspondance-banque.yml"), "--dossier", "content", "--dry-run"]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 1  # some rows rejected
    assert "banque.csv : lu en Windows-1252 (Excel), séparateur point-virgule, 12 lignes sous l'en-tête" in out
    assert "banque.csv:4: ligne rejetée : titre manquant" in out
    assert "banque.csv:2: fiche serait créée : content/initiatives/epicerie-sociale-itinerante.md" in out
    assert "2 fiches à créer (à l'état brouillon), 8 lignes rejetées, 2 lignes vides ignorées" in out
    assert "Traceback" not in out
    assert not (chdir_tmp / "content" / "initiatives" / "epicerie-sociale-itinerante.md").exists()


def test_command_columns_as_flags(content_dir: Path, capsys: pytest.CaptureFixture[str], chdir_tmp: Path) -> None:
    sheet = chdir_tmp / "simple.csv"
    sheet.write_text(
        "Action;Résumé;Thèmes;Publics;Statut\n"
        "Bus solidaire;Un bus pour aller au marché.;aide-alimentaire;seniors;en cours\n",
        encoding="utf-8",
    )
    code = main(
        ["import", "csv", "simple.csv", "--kind", "initiatives", "--colonne", "titre=Action",
         "--colonne", "thematiques=Thèmes", "--valeur", "porteur=ccas-reel"]
    )  # fmt: skip
    assert code == 0, capsys.readouterr()
    fiche = check(content_dir).fiches["initiatives"]["bus-solidaire"]
    assert fiche.meta.porteur == "ccas-reel"
    assert fiche.meta.thematiques == ["aide-alimentaire"]
    assert fiche.meta.statut == "en_cours"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--colonne", "titr=Nom de l'action"], "champ « titr » inconnu"),
        (["--colonne", "titre=Intitulé"], "colonne « Intitulé » absente"),
        (["--colonne", "financements=Porteur"], "champ « financements » inconnu ou non importable"),
        (["--valeur", "porteur"], "--valeur « porteur » : écrivez CHAMP=VALEUR"),
    ],
)
def test_command_refuses_a_bad_mapping_with_exit_code_2(
    content_dir: Path, capsys: pytest.CaptureFixture[str], chdir_tmp: Path, arguments: list[str], message: str
) -> None:
    before = snapshot(content_dir)
    code = main(["import", "csv", str(BANQUE), "--kind", "initiatives", *arguments])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert snapshot(content_dir) == before


def test_command_refuses_a_kind_it_cannot_import(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["import", "csv", str(BANQUE), "--kind", "projets"])
    assert exit_info.value.code == 2
    assert "choix invalide" in capsys.readouterr().err


def test_structures_from_an_utf8_export_with_bom(content_dir: Path) -> None:
    report = import_csv(STRUCTURES, "ccas", content_dir, today=TODAY)
    assert report.table.encoding == "utf-8-sig" and report.table.delimiter == ","
    assert report.table.headers[0] == "Titre"  # no BOM left in the first column's name
    assert [r.slug for r in report.created] == ["ccas-de-testville"]
    reasons = {r.line: " ".join(r.reasons) for r in report.rejected}
    assert "type : valeur « Union départementale » non autorisée" in reasons[3]
    assert "code INSEE invalide « Mamoudzou »" in reasons[4]
    assert "un CCAS doit indiquer sa commune" in reasons[5]
    structure = check(content_dir).fiches["ccas"]["ccas-de-testville"].meta
    assert (structure.type, structure.commune, structure.mis_a_jour) == ("ccas", "97602", dt.date(2024, 3, 15))


def test_tools_from_excel_unicode_text(content_dir: Path) -> None:
    report = import_csv(OUTILS, "outils", content_dir, today=TODAY)
    assert (report.table.encoding, report.table.delimiter) == ("utf-16", "\t")
    assert [r.slug for r in report.created] == ["grille-d-observation"]
    tool = check(content_dir).fiches["outils"]["grille-d-observation"].meta
    assert tool.titre == "Grille d’observation"
    assert tool.materiel == ["Crayon", "grille imprimée"]


def test_commune_names_are_matched_with_the_referential(content_dir: Path) -> None:
    write_territoires(content_dir)
    report = import_csv(STRUCTURES, "ccas", content_dir, today=TODAY)
    assert sorted(r.slug for r in report.created) == ["ccas-de-testville", "ccas-sans-code"]
    assert check(content_dir).fiches["ccas"]["ccas-sans-code"].meta.commune == "97611"


def test_decoding_tells_windows_1252_from_utf8() -> None:
    text = "Cœur d’îlot – 1 500 €"
    assert decode(text.encode("cp1252")) == (text, "cp1252")
    assert decode(text.encode("utf-8")) == (text, "utf-8")
    assert decode(("\ufeff" + text).encode("utf-8")) == (text, "utf-8-sig")
    assert decode(text.encode("utf-16")) == (text, "utf-16")


def test_delimiter_is_found_outside_quotes() -> None:
    assert delimiter_of('"a,b";c;d\n') == ";"
    assert delimiter_of("\n\na,b,c\n") == ","
    assert delimiter_of("a\tb;c\td\n") == "\t"


def test_duplicate_header_is_refused(tmp_path: Path) -> None:
    sheet = tmp_path / "double.csv"
    sheet.write_text("Titre;Résumé;Titre\nA;B;C\n", encoding="utf-8")
    with pytest.raises(ImportProblem, match="la colonne « Titre » apparaît deux fois"):
        read_table(sheet)


def test_mapping_without_title_is_refused(content_dir: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "sans-titre.csv"
    sheet.write_text("Nom;Résumé\nA;B\n", encoding="utf-8")
    with pytest.raises(ImportProblem, match="aucune colonne pour le titre"):
        import_csv(sheet, "initiatives", content_dir, mapping=Mapping())


@given(st.text(max_size=120))
def test_any_title_makes_a_valid_identifier(title: str) -> None:
    slug = slugify(title)
    assert slug == "" or re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug)
    assert len(slug) <= SLUG_LENGTH


def test_imported_fiches_are_named_by_the_slug_rule(content_dir: Path, tmp_path: Path) -> None:
    titles = ["Cœur de quartier : l’accueil", "Épicerie sociale d'Acoua", "Accompagnement " * 10]
    sheet = tmp_path / "titres.csv"
    sheet.write_text(
        "Titre;Résumé;Thématiques;Publics\n"
        + "".join(f"{title};Un résumé.;aide-alimentaire;familles\n" for title in titles),
        encoding="utf-8",
    )
    report = import_csv(sheet, "initiatives", content_dir, dry_run=True)
    assert [r.slug for r in report.results] == [slugify(title) for title in titles]
    assert (
        report.results[0].slug == "coeur-de-quartier-l-accueil" and report.results[1].slug == "epicerie-sociale-d-acoua"
    )


def test_french_headers_map_by_themselves_and_every_other_column_is_listed(
    content_dir: Path, capsys: pytest.CaptureFixture[str], chdir_tmp: Path
) -> None:
    sheet = chdir_tmp / "banque.csv"
    sheet.write_text(
        "Titre;Résumé;Porteur;Thématiques;Publics;Commune(s);Statut;Échelle;Date de début;Date de fin;Budget;"
        "Partenaires financiers;Commentaire;\n"
        "Bus solidaire;Un bus pour aller au marché.;CCAS réel;Aide alimentaire;Familles;97611;Pérennisée;"
        "Communale;03/2021;2023;1 200 €;Département;À relire avec l'union;note\n",
        encoding="utf-8",
    )
    code = main(["import", "csv", "banque.csv", "--kind", "initiatives"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert [line for line in out.splitlines() if "ignorée" in line] == [
        'banque.csv : colonne « Partenaires financiers » ignorée : --colonne "partenaires=Partenaires financiers" ?',
        "banque.csv : colonne « Commentaire » ignorée : aucun champ ne lui ressemble ; "
        '--colonne "CHAMP=Commentaire" pour la reprendre, ou --texte "Commentaire" pour en faire le texte des fiches',
        "banque.csv : colonne n° 14 (sans titre) ignorée : donnez-lui un titre pour la reprendre",
    ]
    meta = check(content_dir).fiches["initiatives"]["bus-solidaire"].meta
    assert (meta.porteur, meta.thematiques, meta.publics, meta.communes) == (
        "ccas-reel", ["aide-alimentaire"], ["familles"], ["97611"]
    )
    assert (meta.statut, meta.echelle, str(meta.date_debut), str(meta.date_fin), meta.budget_eur) == (
        "perennise", "communale", "2021-03", "2023", 1200
    )
