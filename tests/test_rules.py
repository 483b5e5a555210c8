"""Stage 2, validate: each content rule, shown failing with a French message at the right place, and passing."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from commun.core.kinds import KINDS
from commun.stages.check import check
from factories import FICHES, fiche_data, messages, write_fiche


def errors_in(content_dir: Path, kind: str, slug: str, suffix: str = ".md") -> list[str]:
    """`line:column: message` of every error of one fiche (and asserts no other file has errors)."""
    content = check(content_dir)
    target = str(content_dir / kind / f"{slug}{suffix}")
    others = [p for p in content.errors if p.path != target]
    assert others == [], messages(others)
    return [f"{p.line}:{p.column}: {p.message}" for p in content.errors]


def at(path: Path, text: str, after: str = "") -> str:
    """`line:column:` of the first `text` (written just after `after`) in the file, where a message must point."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if after + text in line:
            return f"{number}:{line.index(after + text) + len(after) + 1}:"
    raise AssertionError(f"{after + text!r} not in {path}")


def new_initiative(**changes) -> dict:
    return fiche_data("initiatives", "epicerie-solidaire", **changes)


# The minimal folder


def test_minimal_folder_is_valid_and_holds_every_kind(content_dir: Path):
    content = check(content_dir)
    assert content.problems == []
    assert {kind for kind, by_slug in content.fiches.items() if by_slug} == set(KINDS)
    assert content.fiches["initiatives"]["epicerie-solidaire"].meta.porteur == "ccas-reel"


def test_every_problem_is_reported_in_one_run_sorted_by_file_and_line(content_dir: Path, chdir_tmp: Path):
    write_fiche(content_dir, "outils", "b-outil", fiche_data("outils", "grille-entretien", type="gril", usage=""))
    write_fiche(content_dir, "initiatives", "a-init", new_initiative(titre="", statut="fini"))
    (content_dir / "modules" / "vide.md").write_text("", encoding="utf-8")
    (content_dir / "projets" / "Mauvais.md").write_text("---\ntitre: [\n---\n", encoding="utf-8")
    content = check(Path("content"))
    located = [(p.path, p.line) for p in content.errors]
    assert located == sorted(located)
    assert [p.path for p in content.errors] == [
        "content/initiatives/a-init.md",
        "content/initiatives/a-init.md",
        "content/modules/vide.md",
        "content/outils/b-outil.md",
        "content/outils/b-outil.md",
        "content/projets/Mauvais.md",
    ]


# References


def test_reference_to_a_missing_fiche_suggests_a_near_slug(write, content_dir: Path):
    path = write("initiatives", "jardin", new_initiative(porteur="ccas-reels"))
    assert errors_in(content_dir, "initiatives", "jardin") == [
        f"{at(path, 'ccas-reels')} porteur : aucune fiche « ccas-reels » dans content/ccas/ (structures) ; "
        "vouliez-vous dire « ccas-reel » ?"
    ]


def test_reference_to_a_fiche_of_another_kind_names_that_kind(write, content_dir: Path):
    write("initiatives", "jardin", new_initiative(liens={"modules": ["grille-entretien"]}))
    [problem] = errors_in(content_dir, "initiatives", "jardin")
    assert "liens › modules › n° 1 : aucune fiche « grille-entretien » dans content/modules/" in problem
    assert "c'est un outil" in problem


@pytest.mark.parametrize(
    ("kind", "changes", "where"),
    [
        ("initiatives", {"liens": {"inspire_de": ["absente"]}}, "liens › inspire_de › n° 1"),
        ("initiatives", {"liens": {"outils": ["absent"]}}, "liens › outils › n° 1"),
        ("initiatives", {"liens": {"projets": ["absent"]}}, "liens › projets › n° 1"),
        ("initiatives", {"recommandee_par": [{"structure": "absente"}]}, "recommandee_par › n° 1 › structure"),
        ("ccas", {"parrains": ["absent"]}, "parrains › n° 1"),
        ("ccas", {"parcours": [{"module": "absent"}]}, "parcours › n° 1 › module"),
        ("projets", {"outils": ["absent"]}, "outils › n° 1"),
        ("projets", {"initiative": "absente"}, "initiative"),
    ],
)
def test_every_reference_field_is_resolved(write, content_dir: Path, kind: str, changes: dict, where: str):
    base = {"initiatives": "epicerie-solidaire", "ccas": "ccas-reel", "projets": "projet-exemple"}[kind]
    write(kind, "nouvelle", fiche_data(kind, base, **changes))
    [problem] = errors_in(content_dir, kind, "nouvelle")
    assert f"{where} : aucune fiche" in problem


def test_valid_references_of_every_field_pass(write, content_dir: Path):
    write(
        "ccas",
        "udccas-autre",
        fiche_data(
            "ccas", "udccas-test", parrains=["ccas-reel"], parcours=[{"module": "module-accueil", "participants": 3}]
        ),
    )
    write(
        "initiatives",
        "jardin",
        new_initiative(
            liens={"inspire_de": ["epicerie-solidaire"], "outils": ["grille-entretien"], "modules": ["module-accueil"]},
            recommandee_par=[{"structure": "udccas-test", "date": "2023-05"}],
        ),
    )
    assert check(content_dir).problems == []


@pytest.mark.parametrize(
    ("field", "value", "where"),
    [
        ("udccas", "ccas-reel", "udccas"),
        ("udccas", "ccas-exemple", "udccas"),
    ],
)
def test_structure_reference_restricted_to_a_type(write, content_dir: Path, field: str, value: str, where: str):
    write("ccas", "ccas-voisin", fiche_data("ccas", "ccas-reel", **{field: value}))
    problems = errors_in(content_dir, "ccas", "ccas-voisin")
    assert any(f"{where} : « {value} » est de type" in p and "or udccas est attendu" in p for p in problems)


def test_recommendation_must_come_from_a_union(write, content_dir: Path):
    path = write("initiatives", "jardin", new_initiative(recommandee_par=[{"structure": "ccas-reel"}]))
    assert errors_in(content_dir, "initiatives", "jardin") == [
        f"{at(path, 'ccas-reel', after='structure: ')} recommandee_par › n° 1 › structure : "
        "« ccas-reel » est de type ccas, or udccas ou unccas est attendu"
    ]


# Unique slugs and file names


def test_md_and_yml_of_the_same_slug_clash(content_dir: Path, chdir_tmp: Path):
    write_fiche(content_dir, "outils", "grille-entretien", FICHES[("outils", "grille-entretien")], suffix=".yml")
    assert messages(check(Path("content")).errors) == [
        "content/outils/grille-entretien.yml:1:1: erreur: identifiant « grille-entretien » déjà pris "
        "par content/outils/grille-entretien.md"
    ]


def test_same_slug_in_two_kinds_is_allowed(write, content_dir: Path):
    write("modules", "grille-entretien", FICHES[("modules", "module-accueil")])
    assert check(content_dir).problems == []


@pytest.mark.parametrize(
    "name", ["Jardin", "jardin_partage", "jardin--partage", "-jardin", "jardin-", "épicerie", "a b"]
)
def test_file_name_must_be_a_slug(write, content_dir: Path, name: str):
    write("initiatives", name, new_initiative())
    assert errors_in(content_dir, "initiatives", name) == [
        f"1:1: nom de fichier invalide « {name}.md » : minuscules sans accents, chiffres et tirets "
        "(ex. epicerie-solidaire.md)"
    ]


@pytest.mark.parametrize("name", ["jardin", "jardin-partage-2024", "2024", "a"])
def test_valid_file_names(write, content_dir: Path, name: str):
    write("initiatives", name, new_initiative())
    assert check(content_dir).problems == []


# Vocabularies and unknown keys


def test_vocabulary_near_miss_is_suggested(write, content_dir: Path):
    path = write("initiatives", "jardin", new_initiative(thematiques=["aide-alimentaire", "acces-au-droit"]))
    assert errors_in(content_dir, "initiatives", "jardin") == [
        f"{at(path, 'acces-au-droit')} thematiques › n° 2 : « acces-au-droit » n'est pas dans le vocabulaire "
        "thematiques ; vouliez-vous dire « acces-aux-droits » ?"
    ]


def test_vocabulary_far_miss_has_no_suggestion(write, content_dir: Path):
    write("initiatives", "jardin", new_initiative(publics=["xyz"]))
    [problem] = errors_in(content_dir, "initiatives", "jardin")
    assert problem.endswith("« xyz » n'est pas dans le vocabulaire publics")


def test_vocabulary_term_must_be_a_slug(write, content_dir: Path):
    write("initiatives", "jardin", new_initiative(publics=["Familles"]))
    [problem] = errors_in(content_dir, "initiatives", "jardin")
    assert "publics › n° 1 : identifiant invalide « Familles »" in problem


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"thematique": ["acces-aux-droits"]}, "champ inconnu « thematique » ; vouliez-vous dire « thematiques » ?"),
        ({"Titre": "x"}, "champ inconnu « Titre » ; vouliez-vous dire « titre » ?"),
        ({"zzz": "x"}, "champ inconnu « zzz »"),
        ({"liens": {"outil": ["grille-entretien"]}}, "champ inconnu « outil » ; vouliez-vous dire « outils » ?"),
        ({"contact": {"mail": "a@b.fr"}}, "champ inconnu « mail » ; vouliez-vous dire « email » ?"),
        ({"sources": [{"titre": "a", "lien": "https://a.fr"}]}, "champ inconnu « lien »"),
    ],
)
def test_unknown_key_is_an_error_pointing_at_the_key(write, content_dir: Path, changes: dict, expected: str):
    path = write("initiatives", "jardin", new_initiative(**changes))
    [problem] = errors_in(content_dir, "initiatives", "jardin")
    assert problem.split(": ", 1)[1] == expected
    line, column = map(int, problem.split(":")[:2])
    key = expected.split("« ")[1].split(" »")[0]
    assert path.read_text(encoding="utf-8").splitlines()[line - 1][column - 1 :].startswith(f"{key}:")


# Required fields, types, lengths


REQUIRED = [
    (kind, name)
    for (kind, slug) in [
        ("initiatives", "epicerie-solidaire"),
        ("projets", "projet-exemple"),
        ("modules", "module-accueil"),
        ("outils", "grille-entretien"),
        ("ccas", "ccas-exemple"),
    ]
    for name, info in KINDS[kind].model.model_fields.items()
    if info.is_required()
]


def test_required_fields_are_the_expected_ones():
    assert {kind for kind, _ in REQUIRED} == set(KINDS)
    assert ("projets", "porteur") in REQUIRED and ("projets", "equipe") in REQUIRED
    assert ("initiatives", "porteur") not in REQUIRED and ("initiatives", "statut") not in REQUIRED


@pytest.mark.parametrize(("kind", "field"), REQUIRED, ids=[f"{k}-{f}" for k, f in REQUIRED])
def test_missing_required_field(content_dir: Path, kind: str, field: str):
    base = {
        "initiatives": "epicerie-solidaire",
        "projets": "projet-exemple",
        "modules": "module-accueil",
        "outils": "grille-entretien",
        "ccas": "ccas-exemple",
    }[kind]
    data = fiche_data(kind, base)
    data.pop(field, None)
    write_fiche(content_dir, kind, "nouvelle", data)
    assert f"2:1: champ obligatoire « {field} » manquant" in errors_in(content_dir, kind, "nouvelle")


def test_empty_key_means_not_filled_in(write, content_dir: Path):
    path = write("initiatives", "jardin", new_initiative())
    path.write_text(path.read_text(encoding="utf-8").replace("statut: en_cours", "statut:\nechelle:"), encoding="utf-8")
    assert errors_in(content_dir, "initiatives", "jardin") == []
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^mis_a_jour: .*$", "mis_a_jour:", text, count=1, flags=re.M), encoding="utf-8")
    empty = f"{at(path, 'mis_a_jour:')} champ « mis_a_jour » vide : complétez-le"
    assert errors_in(content_dir, "initiatives", "jardin") == [empty]


@pytest.mark.parametrize("key", ["resume", "mis_a_jour", "titre", "etat"])
def test_an_empty_required_key_is_reported_empty_at_its_own_line(write, content_dir: Path, key: str):
    """`resume:` with nothing after is empty, at its line, not « missing » at the line of the first field."""
    path = write("initiatives", "jardin", new_initiative())
    text = re.sub(rf"^{key}: .*$", f"{key}:", path.read_text(encoding="utf-8"), count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")
    empty = f"{at(path, key + ':')} champ « {key} » vide : complétez-le"
    assert errors_in(content_dir, "initiatives", "jardin") == [empty]
    path.write_text(re.sub(rf"^{key}:\n", "", text, flags=re.M), encoding="utf-8")  # no key at all: missing
    assert errors_in(content_dir, "initiatives", "jardin") == [f"2:1: champ obligatoire « {key} » manquant"]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"titre": ""}, "titre : valeur vide : écrivez un texte ou retirez la ligne"),
        ({"titre": "   "}, "titre : valeur vide"),
        ({"titre": ["a"]}, "titre : texte attendu"),
        ({"statut": "fini"},
         "statut : valeur « fini » non autorisée ; valeurs possibles : idee (Idée), experimentation (Expérimentation)"),
        ({"budget_eur": "beaucoup"}, "budget_eur : nombre attendu"),
        ({"budget_eur": -5}, "budget_eur : doit valoir au moins 0"),
        ({"exemple": "peut-être"}, "exemple : true ou false attendu"),
        ({"communes": ["976"]}, "communes › n° 1 : code INSEE invalide « 976 »"),
        ({"contact": {"email": "pas-une-adresse"}}, "contact › email : adresse e-mail invalide"),
        ({"contact": {"telephone": "appeler"}}, "contact › telephone : numéro de téléphone invalide"),
        ({"contact": "l'accueil"}, "contact : bloc de champs attendu"),
        ({"sources": [{"titre": "a", "url": "www.a.fr"}]}, "sources › n° 1 › url : adresse web invalide"),
        ({"publics": []}, "publics : au moins 1 élément attendu"),
        ({"publics": "familles"}, "publics : liste attendue"),
    ],
)
def test_field_value_errors_are_in_french(write, content_dir: Path, changes: dict, expected: str):
    write("initiatives", "jardin", new_initiative(**changes))
    problems = errors_in(content_dir, "initiatives", "jardin")
    assert any(expected in p for p in problems), problems


def test_resume_of_300_characters_passes_and_301_fails(write, content_dir: Path):
    write("initiatives", "jardin", new_initiative(resume="é" * 300))
    assert check(content_dir).problems == []
    path = write("initiatives", "jardin", new_initiative(resume="é" * 301))
    assert errors_in(content_dir, "initiatives", "jardin") == [
        f"{at(path, 'éé')} resume : 300 caractères au plus (ici 301)"
    ]


# Dates


@pytest.mark.parametrize("value", ["2024-05-02", "2024-02-29"])
def test_valid_update_dates(write, content_dir: Path, value: str):
    path = write("initiatives", "jardin", new_initiative())
    text = path.read_text(encoding="utf-8").replace("mis_a_jour: '2024-05-02'", f"mis_a_jour: {value}")
    path.write_text(text, encoding="utf-8")
    assert check(content_dir).problems == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-02-29", "5:13: mis_a_jour : date invalide « 2023-02-29 » : ce jour n'existe pas"),
        ("'2023-02-29'", "5:13: mis_a_jour : date invalide « 2023-02-29 » : ce jour n'existe pas"),
        ("2024-13-01", "5:13: mis_a_jour : date invalide « 2024-13-01 » : le mois va de 01 à 12"),
        ("02/05/2024", "5:13: mis_a_jour : date invalide « 02/05/2024 » : écrivez-la AAAA-MM-JJ"),
        ("2024-05-02T10:00:00", "5:13: mis_a_jour : date attendue sans heure"),
        ("20240502", "5:13: mis_a_jour : date attendue (AAAA-MM-JJ)"),
        ("hier", "5:13: mis_a_jour : date invalide « hier »"),
    ],
)
def test_invalid_update_dates(write, content_dir: Path, value: str, expected: str):
    path = write("initiatives", "jardin", new_initiative())
    path.write_text(
        path.read_text(encoding="utf-8").replace("mis_a_jour: '2024-05-02'", f"mis_a_jour: {value}"), encoding="utf-8"
    )
    problems = errors_in(content_dir, "initiatives", "jardin")
    assert any(p.startswith(expected) for p in problems), problems


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("date_debut: 2024-13-01", "date_debut : date invalide « 2024-13-01 » : le mois va de 01 à 12"),
        ("date_debut: 2023-02-29", "date_debut : date invalide « 2023-02-29 » : ce jour n'existe pas"),
        ("date_debut: 2024-13", "date_debut : date invalide « 2024-13 » : le mois va de 01 à 12"),
        ("date_debut: vers 2024", "date_debut : date invalide « vers 2024 » : écrivez-la AAAA-MM-JJ, AAAA-MM ou AAAA"),
        ("date_fin: 2021-04-31", "date_fin : date invalide « 2021-04-31 » : ce jour n'existe pas"),
        (
            "recommandee_par: [{structure: udccas-test, date: 2022-00}]",
            "recommandee_par › n° 1 › date : date invalide « 2022-00 » : le mois va de 01 à 12",
        ),
    ],
)
def test_a_date_that_does_not_exist_is_named_with_its_field(write, content_dir: Path, written: str, expected: str):
    """Every date error names its field, and a date that does not exist leaves the fiche's other errors shown."""
    path = write("initiatives", "jardin", new_initiative(date_debut=None, statut="fini"))
    text = path.read_text(encoding="utf-8").replace("statut: fini", f"statut: fini\n{written}")
    path.write_text(text, encoding="utf-8")
    value = written.split(": ", 1)[1].removeprefix("[{structure: udccas-test, date: ").removesuffix("}]")
    problems = errors_in(content_dir, "initiatives", "jardin")
    assert f"{at(path, value)} {expected}" in problems, problems
    assert any("statut : valeur « fini » non autorisée" in p for p in problems), problems


def test_end_date_before_start_date(write, content_dir: Path):
    path = write("initiatives", "jardin", new_initiative(date_debut="2022-03-01", date_fin="2022-02-28"))
    assert errors_in(content_dir, "initiatives", "jardin") == [
        f"{at(path, chr(39) + '2022-02-28')} date_fin : date_fin est antérieure à date_debut"
    ]


@pytest.mark.parametrize(("debut", "fin"), [("2022-03-01", "2022-03-01"), ("2022-03-01", "2023-01-01")])
def test_dates_in_order_pass(write, content_dir: Path, debut: str, fin: str):
    write("initiatives", "jardin", new_initiative(date_debut=debut, date_fin=fin))
    assert check(content_dir).problems == []


def test_session_end_before_start(write, content_dir: Path):
    sessions = [{"debut": "2024-03-04", "fin": "2024-03-05"}, {"debut": "2024-04-04", "fin": "2024-04-03"}]
    path = write("modules", "budget", fiche_data("modules", "module-accueil", sessions=sessions))
    assert errors_in(content_dir, "modules", "budget") == [
        f"{at(path, chr(39) + '2024-04-03')} sessions › n° 2 › fin : fin est antérieure à debut"
    ]


# Project teams


def member(role: str, fonction: str = "Agent") -> dict:
    return {"fonction": fonction, "role": role}


@pytest.mark.parametrize(
    "team",
    [
        [member("referent")],
        [member("referent"), member("membre")],
        [member("membre"), member("referent"), member("membre")],
        [member("referent"), member("referent")],
    ],
)
def test_team_of_one_to_three_with_a_referent_passes(write, content_dir: Path, team: list):
    write("projets", "atelier", fiche_data("projets", "projet-exemple", equipe=team))
    assert check(content_dir).problems == []


@pytest.mark.parametrize(
    ("team", "expected"),
    [
        ([], "equipe : au moins 1 élément attendu"),
        ([member("membre")], "au moins un referent"),
        ([member("referent"), member("membre"), member("membre"), member("membre")], "equipe : au plus 3 éléments"),
        ([{"fonction": "Agent", "role": "chef"}], "equipe › n° 1 › role : valeur « chef » non autorisée"),
        ([{"role": "referent"}], "champ obligatoire « equipe › n° 1 › fonction » manquant"),
    ],
)
def test_invalid_teams(write, content_dir: Path, team: list, expected: str):
    path = write("projets", "atelier", fiche_data("projets", "projet-exemple", equipe=team))
    problems = errors_in(content_dir, "projets", "atelier")
    assert any(expected in p for p in problems), problems
    line = at(path, "equipe:").split(":")[0]
    assert all(p.split(":")[0] in (line, str(int(line) + 1), str(int(line) + 2)) for p in problems), problems


# Structures


def test_ccas_must_give_its_commune(write, content_dir: Path):
    write("ccas", "ccas-voisin", fiche_data("ccas", "ccas-reel", commune=None))
    assert errors_in(content_dir, "ccas", "ccas-voisin") == [
        "2:1: commune : un CCAS doit indiquer sa commune (code INSEE)"
    ]


@pytest.mark.parametrize("type_", ["cias", "udccas", "unccas", "autre"])
def test_other_structures_need_no_commune(write, content_dir: Path, type_: str):
    write("ccas", "structure", fiche_data("ccas", "udccas-test", type=type_))
    assert check(content_dir).problems == []


# Tool files


@pytest.mark.parametrize(
    ("chemin", "expected"),
    [
        ("fichiers/absent.csv", "fichier « fichiers/absent.csv » introuvable"),
        ("fichiers", "fichier « fichiers » introuvable"),
        ("grille-entretien.md", "hors de content/outils/fichiers/"),
        ("../vocabulaires/publics.yml", "hors de content/outils/fichiers/"),
        ("fichiers/../../vocabulaires/publics.yml", "hors de content/outils/fichiers/"),
        ("/etc/passwd", "hors de content/outils/fichiers/"),
        ("fichiers/a\x00b", "fichiers › n° 1 › chemin : caractère invisible U+0000 (caractère nul), écrit sous forme"),
        ("fichiers/" + "a" * 300, "chemin de fichier invalide"),
    ],
)
def test_tool_files_must_exist_inside_their_folder(write, content_dir: Path, chemin: str, expected: str):
    fichiers = [{"titre": "Kit", "chemin": chemin}]
    path = write("outils", "kit", fiche_data("outils", "grille-entretien", fichiers=fichiers))
    problems = errors_in(content_dir, "outils", "kit")
    assert len(problems) == 1 and expected in problems[0], problems
    assert problems[0].startswith(at(path, "", after="chemin: ")), problems


def test_symlink_escaping_the_files_folder_is_refused(write, content_dir: Path, tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    os.symlink(secret, content_dir / "outils" / "fichiers" / "lien.txt")
    fichiers = [{"titre": "K", "chemin": "fichiers/lien.txt"}]
    write("outils", "kit", fiche_data("outils", "grille-entretien", fichiers=fichiers))
    [problem] = errors_in(content_dir, "outils", "kit")
    assert "hors de content/outils/fichiers/" in problem


def test_tool_files_in_subfolders_pass(write, content_dir: Path):
    (content_dir / "outils" / "fichiers" / "kits").mkdir()
    (content_dir / "outils" / "fichiers" / "kits" / "kit.ods").write_bytes(b"PK")
    write(
        "outils",
        "kit",
        fiche_data("outils", "grille-entretien", fichiers=[{"titre": "Kit", "chemin": "fichiers/kits/kit.ods"}]),
    )
    assert check(content_dir).problems == []


# Example and real fiches


def test_example_fiche_cannot_be_attached_to_a_real_structure(write, content_dir: Path):
    path = write("projets", "atelier", fiche_data("projets", "projet-exemple", porteur="ccas-reel"))
    assert errors_in(content_dir, "projets", "atelier") == [
        f"{at(path, 'ccas-reel')} porteur : une fiche d'exemple ne peut pas être rattachée "
        "à une structure réelle (« ccas-reel »)"
    ]


def test_example_fiche_may_link_to_real_fiches_that_are_not_structures(write, content_dir: Path):
    write("projets", "atelier", fiche_data("projets", "projet-exemple", outils=["grille-entretien"]))
    assert check(content_dir).problems == []


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"porteur": "ccas-exemple"}, "porteur"),
        ({"liens": {"projets": ["projet-exemple"]}}, "liens › projets › n° 1"),
    ],
)
def test_real_fiche_cannot_refer_to_an_example(write, content_dir: Path, changes: dict, where: str):
    write("initiatives", "jardin", new_initiative(**changes))
    [problem] = errors_in(content_dir, "initiatives", "jardin")
    assert f"{where} : une fiche réelle ne peut pas renvoyer à la fiche d'exemple" in problem


def test_example_fiches_may_refer_to_each_other(write, content_dir: Path):
    write(
        "initiatives",
        "jardin",
        new_initiative(exemple=True, porteur="ccas-exemple", liens={"projets": ["projet-exemple"]}),
    )
    assert check(content_dir).problems == []


# Warnings


def test_published_real_fiche_without_source_is_a_warning_only(write, content_dir: Path):
    path = write("initiatives", "jardin", new_initiative(sources=None))
    content = check(content_dir)
    assert content.errors == []
    assert [(p.severity, f"{p.line}:{p.column}:") for p in content.problems] == [("avertissement", at(path, "publie"))]
    assert "fiche publiée sans source" in content.problems[0].message


@pytest.mark.parametrize("changes", [{"etat": "brouillon"}, {"exemple": True, "porteur": "ccas-exemple"}])
def test_drafts_and_examples_need_no_source(write, content_dir: Path, changes: dict):
    write("initiatives", "jardin", new_initiative(sources=None, **changes))
    assert check(content_dir).problems == []
