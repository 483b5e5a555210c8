"""The `commun` command: check (text, json, github), new, schema; exit codes 0, 1 and 2."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from commun.adapters.cli import main
from commun.core.kinds import KINDS
from commun.core.schema import render_schemas
from commun.stages.check import check
from commun.stages.read import load_vocabularies
from factories import fiche_data, write_fiche

LINE = re.compile(
    r"^(?P<path>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<severity>erreur|avertissement): (?P<message>.+)$"
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def break_two_fiches(content_dir: Path) -> None:
    write_fiche(content_dir, "initiatives", "jardin", fiche_data("initiatives", "epicerie-solidaire", statut="fini"))
    write_fiche(content_dir, "outils", "kit", fiche_data("outils", "grille-entretien", materiel="une table"))


def tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        stat = path.lstat()
        digest.update(f"{path.relative_to(folder)}|{stat.st_mode}|{stat.st_mtime_ns}".encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


# check


def test_check_valid_content_exits_0(capsys, content_dir: Path, chdir_tmp: Path):
    code, out, err = run(capsys, "check", "content")
    assert code == 0
    assert out == "Aucun problème : 7 fiches valides.\n"
    assert err == ""


def test_check_defaults_to_the_content_folder(capsys, content_dir: Path, chdir_tmp: Path):
    assert run(capsys, "check")[0] == 0


def test_check_warnings_only_exits_0(capsys, content_dir: Path, chdir_tmp: Path):
    write_fiche(content_dir, "initiatives", "jardin", fiche_data("initiatives", "epicerie-solidaire", sources=None))
    code, out, _ = run(capsys, "check", "content")
    assert code == 0
    assert out.splitlines() == [
        "content/initiatives/jardin.md:4:7: avertissement: fiche publiée sans source : "
        "citez les documents qui la fondent dans « sources »",
        "0 erreur, 1 avertissement dans 1 fichier",
    ]


def test_check_reports_every_error_sorted_then_a_summary_and_exits_1(capsys, content_dir: Path, chdir_tmp: Path):
    break_two_fiches(content_dir)
    (content_dir / "modules" / "vide.md").write_text("", encoding="utf-8")
    code, out, _ = run(capsys, "check", "content")
    assert code == 1
    *lines, summary = out.splitlines()
    parsed = [LINE.match(line) for line in lines]
    assert all(parsed), lines
    assert [m["path"] for m in parsed] == [
        "content/initiatives/jardin.md",
        "content/modules/vide.md",
        "content/outils/kit.md",
    ]
    assert [(m["path"], int(m["line"])) for m in parsed] == sorted((m["path"], int(m["line"])) for m in parsed)
    assert summary == "3 erreurs, 0 avertissement dans 3 fichiers"
    assert "statut : valeur « fini » non autorisée" in lines[0]


def test_check_json_format(capsys, content_dir: Path, chdir_tmp: Path):
    break_two_fiches(content_dir)
    code, out, _ = run(capsys, "check", "content", "--format", "json")
    assert code == 1
    payload = json.loads(out)
    assert payload["erreurs"] == 2
    assert payload["avertissements"] == 0
    assert payload["fiches"] == 7
    first = payload["problemes"][0]
    assert set(first) == {"fichier", "ligne", "colonne", "gravite", "message"}
    assert first["fichier"] == "content/initiatives/jardin.md"
    assert first["gravite"] == "erreur"
    assert isinstance(first["ligne"], int) and first["ligne"] > 1
    assert "« fini »" in first["message"]


def test_check_json_format_of_valid_content(capsys, content_dir: Path, chdir_tmp: Path):
    code, out, _ = run(capsys, "check", "content", "--format", "json")
    assert code == 0
    assert json.loads(out) == {"problemes": [], "erreurs": 0, "avertissements": 0, "fiches": 7}


def test_check_github_format(capsys, content_dir: Path, chdir_tmp: Path):
    break_two_fiches(content_dir)
    write_fiche(content_dir, "modules", "budget", fiche_data("modules", "module-accueil", sources=None))
    code, out, _ = run(capsys, "check", "content", "--format", "github")
    assert code == 1
    annotations = [line for line in out.splitlines() if line.startswith("::")]
    assert len(annotations) == 3
    pattern = re.compile(r"^::(error|warning) file=([^,]+),line=(\d+),col=(\d+)::(.+)$")
    parsed = [pattern.match(line) for line in annotations]
    assert all(parsed), annotations
    assert ("error", "content/initiatives/jardin.md") in [(m[1], m[2]) for m in parsed]
    assert ("warning", "content/modules/budget.md") in [(m[1], m[2]) for m in parsed]
    assert any(line.startswith("::error file=content/outils/kit.md,line=") for line in annotations)


def test_github_format_escapes_newlines_and_percent(capsys, content_dir: Path, chdir_tmp: Path):
    write_fiche(content_dir, "initiatives", "jardin", fiche_data("initiatives", "epicerie-solidaire", statut="50%\nx"))
    _, out, _ = run(capsys, "check", "content", "--format", "github")
    [annotation] = [line for line in out.splitlines() if line.startswith("::error")]
    assert "50%25%0Ax" in annotation


def test_check_missing_folder_is_a_usage_error(capsys, tmp_path: Path):
    code, out, err = run(capsys, "check", str(tmp_path / "absent"))
    assert code == 2
    assert out == ""
    assert "commun : erreur : le dossier" in err and "n'existe pas" in err


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["chek"],
        ["check", "--format", "xml"],
        ["new", "fiches", "x"],
        ["schema", "--inconnu"],
    ],
)
def test_bad_arguments_exit_2_in_french(capsys, argv: list[str]):
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "utilisation : commun" in err
    assert "erreur" in err
    assert "error:" not in err and "usage:" not in err


@pytest.mark.parametrize("argv", [["check", "absent"], ["new", "outils"], ["new", "outils", "a_b"]])
def test_usage_errors_found_by_the_commands_exit_2(capsys, content_dir: Path, chdir_tmp: Path, argv: list[str]):
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert err.startswith("commun : erreur : ")


def test_help_is_french(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert "utilisation : commun" in out and "affiche cette aide et quitte" in out


def test_check_never_writes_to_the_content(capsys, content_dir: Path, chdir_tmp: Path):
    break_two_fiches(content_dir)
    (content_dir / "projets" / "casse.md").write_bytes(b"---\ntitre: [\n---\n\xff")
    before = tree_hash(chdir_tmp)
    for fmt in ("texte", "json", "github"):
        run(capsys, "check", "content", "--format", fmt)
    check(content_dir)
    assert tree_hash(chdir_tmp) == before


def test_installed_command_runs(content_dir: Path, chdir_tmp: Path):
    """The console script and `python -m commun` both exist and share the exit codes."""
    command = Path(sys.executable).parent / "commun"
    for argv in ([str(command)], [sys.executable, "-m", "commun"]):
        result = subprocess.run([*argv, "check", "content"], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert "7 fiches valides" in result.stdout
        write_fiche(content_dir, "outils", "kit", fiche_data("outils", "grille-entretien", type="x"))
        assert subprocess.run([*argv, "check"], capture_output=True, timeout=60).returncode == 1
        (content_dir / "outils" / "kit.md").unlink()


# new

FILL = {
    "resume": '"Une fiche créée pour le test."',
    "porteur": "ccas-reel",
    "thematiques": "[acces-aux-droits]",
    "publics": "[familles]",
    "statut": "idee",
    "etape": "ideation",
    "equipe": "[{fonction: Directrice, role: referent}]",
    "categorie": "socle",
    "objectifs": "[Savoir accueillir.]",
    "type": {"ccas": "cias", "outils": "guide"},
}


def fill_required(text: str, kind: str) -> str:
    for key, value in FILL.items():
        value = value.get(kind, "") if isinstance(value, dict) else value
        if value:
            text = re.sub(rf"^{key}:.*$", f"{key}: {value}", text, count=1, flags=re.M)
    return text


@pytest.mark.parametrize("kind", list(KINDS))
def test_new_writes_a_template_that_validates_once_filled(capsys, content_dir: Path, chdir_tmp: Path, kind: str):
    code, out, _ = run(capsys, "new", kind, "nouvelle-fiche", "--titre", "Une « nouvelle » fiche : essai")
    assert code == 0
    path = content_dir / kind / "nouvelle-fiche.md"
    assert out.splitlines()[0] == f"Fiche créée : content/{kind}/nouvelle-fiche.md"
    text = path.read_text(encoding="utf-8")
    for name, info in KINDS[kind].model.model_fields.items():
        assert re.search(rf"^{name}:", text, re.M), f"{name} missing from the template"
        if info.is_required():
            assert f"(obligatoire)\n{name}:" in text
    assert 'titre: "Une « nouvelle » fiche : essai"' in text

    unfilled = check(Path("content"))
    assert {p.path for p in unfilled.errors} == {f"content/{kind}/nouvelle-fiche.md"}

    path.write_text(fill_required(text, kind), encoding="utf-8")
    content = check(Path("content"))
    assert content.errors == [], [str(p) for p in content.errors]
    fiche = content.fiches[kind]["nouvelle-fiche"]
    assert fiche.meta.titre == "Une « nouvelle » fiche : essai"
    assert fiche.meta.etat == "brouillon"


@pytest.mark.parametrize("suffix", [".md", ".yml"])
def test_new_refuses_to_overwrite(capsys, content_dir: Path, chdir_tmp: Path, suffix: str):
    existing = content_dir / "outils" / f"grille-entretien{suffix}"
    existing.write_text("titre: à garder\n", encoding="utf-8")
    before = existing.read_bytes()
    code, out, err = run(capsys, "new", "outils", "grille-entretien")
    assert code == 1
    assert out == ""
    assert "existe déjà ; rien n'a été écrit" in err
    assert existing.read_bytes() == before


def test_new_refuses_an_invalid_slug(capsys, content_dir: Path, chdir_tmp: Path):
    code, _, err = run(capsys, "new", "outils", "Grille_Entretien")
    assert code == 2
    assert "identifiant invalide « Grille_Entretien »" in err
    assert not (content_dir / "outils" / "Grille_Entretien.md").exists()


def test_new_creates_the_kind_folder(capsys, tmp_path: Path):
    code, _, _ = run(capsys, "new", "projets", "atelier", "--dossier", str(tmp_path / "ailleurs"))
    assert code == 0
    assert (tmp_path / "ailleurs" / "projets" / "atelier.md").is_file()


# schema


def test_schema_writes_one_file_per_kind_then_verifies(capsys, content_dir: Path, chdir_tmp: Path):
    code, out, _ = run(capsys, "schema", "--sortie", "schemas")
    assert code == 0
    assert out == "5 schémas écrits dans schemas\n"
    written = sorted(p.name for p in (chdir_tmp / "schemas").iterdir())
    assert written == sorted(f"{kind}.schema.json" for kind in KINDS)
    schema = json.loads((chdir_tmp / "schemas" / "initiatives.schema.json").read_text(encoding="utf-8"))
    assert schema["properties"]["thematiques"]["items"]["enum"] == [
        "acces-aux-droits",
        "aide-alimentaire",
        "personnes-agees",
    ]
    assert run(capsys, "schema", "--sortie", "schemas", "--verifier")[0] == 0
    assert run(capsys, "schema", "--sortie", "schemas")[1] == "0 schéma écrit dans schemas\n"


def test_schema_verifier_fails_when_stale_or_missing(capsys, content_dir: Path, chdir_tmp: Path):
    run(capsys, "schema", "--sortie", "schemas")
    vocabulary = content_dir / "vocabulaires" / "publics.yml"
    vocabulary.write_text(vocabulary.read_text(encoding="utf-8") + "aidants:\n  libelle: Aidants\n", encoding="utf-8")
    code, _, err = run(capsys, "schema", "--sortie", "schemas", "--verifier")
    assert code == 1
    assert "schemas/initiatives.schema.json : schéma périmé ; lancez « commun schema »" in err
    run(capsys, "schema", "--sortie", "schemas")
    (chdir_tmp / "schemas" / "outils.schema.json").unlink()
    code, _, err = run(capsys, "schema", "--sortie", "schemas", "--verifier")
    assert code == 1 and "outils.schema.json" in err


def test_schema_with_broken_vocabulary_fails(capsys, content_dir: Path, chdir_tmp: Path):
    (content_dir / "vocabulaires" / "publics.yml").write_text("- a\n", encoding="utf-8")
    code, _, err = run(capsys, "schema", "--sortie", "schemas")
    assert code == 1
    assert "publics.yml:1:1: erreur:" in err
    assert not (chdir_tmp / "schemas").exists()


def test_schemas_are_deterministic(content_dir: Path):
    vocabularies, _ = load_vocabularies(content_dir)
    assert render_schemas(vocabularies) == render_schemas(load_vocabularies(content_dir)[0])


def test_json_counts_agree_with_the_problems_listed_for_given_files(capsys, content_dir: Path, chdir_tmp: Path):
    write_fiche(content_dir, "initiatives", "cassee", fiche_data("initiatives", "epicerie-solidaire", statut="x"))
    unsourced = fiche_data("initiatives", "epicerie-solidaire", sources=None)
    write_fiche(content_dir, "initiatives", "sans-source", unsourced)
    code, out, _ = run(capsys, "check", "content", "content/initiatives/sans-source.md", "--format", "json")
    payload = json.loads(out)
    assert code == 0
    assert [p["fichier"] for p in payload["problemes"]] == ["content/initiatives/sans-source.md"]
    assert (payload["erreurs"], payload["avertissements"]) == (0, 1)
