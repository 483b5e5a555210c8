"""The referential of territories (`content/vocabulaires/territoires/`): every French commune, read by
department as fiches need it; unknown codes are errors with file, line and column, names get their code."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from commun.stages.check import check
from factories import TERRITOIRES, fiche_data, messages, write_fiche, write_territoires


def referential_row(department: str, code: str) -> dict[str, str]:
    """A commune's row, read from the repository's file with the csv module (not through the code tested)."""
    with (TERRITOIRES / "communes" / f"{department}.csv").open(encoding="utf-8", newline="") as stream:
        return next(row for row in csv.DictReader(stream) if row["code"] == code)


@pytest.fixture
def national(content_dir: Path) -> Path:
    """The minimal folder with the whole referential of France."""
    write_territoires(content_dir)
    return content_dir


def initiative(**changes: object) -> dict[str, object]:
    return fiche_data("initiatives", "epicerie-solidaire", **changes)


def line_of(path: Path, text: str) -> int:
    return next(number for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_the_minimal_folder_is_valid_against_the_referential(national: Path) -> None:
    assert messages(check(national).problems) == []


def test_only_the_departments_the_fiches_name_are_read(national: Path) -> None:
    write_fiche(national, "initiatives", "a-bobigny", initiative(communes=["93008"]))
    content = check(national)
    assert content.errors == []
    assert content.territoires.departements_lus == ["93", "976"]  # of 109 files
    commune = content.territoires.commune("93008")
    row = referential_row("93", "93008")
    assert (commune.nom, commune.population, commune.epci) == (row["nom"], int(row["population"]), row["epci"])


def test_unknown_commune_code_is_an_error_with_file_line_and_column(national: Path) -> None:
    path = write_fiche(national, "initiatives", "code-inconnu", initiative(communes=["93008", "93999"]))
    errors = check(national).errors
    assert len(errors) == 1
    line = line_of(path, "- '93999'")
    assert (errors[0].path, errors[0].line, errors[0].column) == (str(path), line, 3)
    assert errors[0].message == "communes › n° 2 : aucune commune de Seine-Saint-Denis n'a le code INSEE « 93999 »"


def test_without_the_referential_codes_are_checked_for_their_form_only(content_dir: Path) -> None:
    write_fiche(content_dir, "initiatives", "code-inconnu", initiative(communes=["93999"]))
    assert check(content_dir).errors == []


def test_a_commune_name_written_instead_of_its_code_gets_the_code(national: Path) -> None:
    write_fiche(national, "ccas", "ccas-bobigny", fiche_data("ccas", "ccas-reel", commune="Bobigny", udccas=None))
    (error,) = check(national).errors
    assert error.message.startswith("commune : code INSEE invalide « Bobigny »")
    assert error.message.endswith("écrivez le code INSEE de la commune : « 93008 » (Bobigny, Seine-Saint-Denis)")


def test_a_name_shared_by_several_communes_offers_each(national: Path) -> None:
    write_fiche(national, "initiatives", "saint-denis", initiative(communes=["Saint-Denis"]))
    (error,) = check(national).errors
    assert "« 93066 » (Saint-Denis, Seine-Saint-Denis) ou « 97411 » (Saint-Denis, La Réunion)" in error.message


def test_the_structure_department_narrows_a_name(national: Path) -> None:
    data = fiche_data("ccas", "ccas-reel", commune="Saint-Denis", departement="974", udccas=None)
    write_fiche(national, "ccas", "ccas-saint-denis", data)
    (error,) = check(national).errors
    assert error.message.endswith("« 97411 » (Saint-Denis, La Réunion)")


def test_a_municipal_arrondissement_points_to_its_commune(national: Path) -> None:
    write_fiche(national, "initiatives", "marseille", initiative(communes=["13201"]))
    (error,) = check(national).errors
    assert "« 13201 » est le code de Marseille 1er Arrondissement, un arrondissement municipal" in error.message
    assert error.message.endswith("« 13055 » (Marseille, Bouches-du-Rhône)")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("99", "departement : aucun département ni collectivité d'outre-mer n'a le numéro « 99 »"),
        ("Seine-Saint-Denis", "écrivez son numéro : « 93 » (Seine-Saint-Denis)"),
        ("Seine Saint Denis", "écrivez son numéro : « 93 » (Seine-Saint-Denis)"),
    ],
)
def test_unknown_department_of_a_structure(national: Path, value: str, expected: str) -> None:
    path = write_fiche(national, "ccas", "udccas-test", fiche_data("ccas", "udccas-test", departement=value))
    (error,) = check(national).errors
    assert error.message.endswith(expected)
    assert (error.path, error.line) == (str(path), line_of(path, "departement:"))


def test_a_department_that_is_not_the_commune_s_is_an_error(national: Path) -> None:
    write_fiche(national, "ccas", "ccas-reel", fiche_data("ccas", "ccas-reel", departement="93"))
    (error,) = check(national).errors
    assert error.message == (
        "departement : « 93 », or la commune 97611 (Mamoudzou, Mayotte) est dans le département « 976 »"
    )


def test_an_epci_that_is_not_the_commune_s_is_a_warning(national: Path) -> None:
    write_fiche(national, "ccas", "ccas-reel", fiche_data("ccas", "ccas-reel", epci="CC du Sud"))
    (problem,) = check(national).problems
    assert problem.severity == "avertissement"
    assert problem.message.startswith("epci : « CC du Sud », or la commune 97611 appartient à « CA de Dembeni")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"nom,code\nMamoudzou,97611\n", "1:1: erreur: référentiel des territoires illisible : colonne « epci »"),
        (
            b"code,nom,epci,population\n97601,Acoua,200060465,5192\n97611,Mamoudzou,200060457,beaucoup\n",
            "3:1: erreur: référentiel des territoires illisible : fichier mal formé (nombre illisible)",
        ),
        (b"code,nom,epci,population\n97611,Mamoudzou\xe9,,1\n", "1:1: erreur: référentiel des territoires illisible"),
    ],
)
def test_broken_referential_file_is_reported(national: Path, raw: bytes, expected: str) -> None:
    broken = national / "vocabulaires" / "territoires" / "communes" / "976.csv"
    broken.write_bytes(raw)
    problems = [str(p) for p in check(national).problems]
    assert any(p.startswith(str(broken)) and expected in p for p in problems), problems
