"""Stage 1, load: any input gives a French error with a line, never a traceback; nothing is executed."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from commun.core.problems import ContentError, Problem
from commun.stages.check import check
from commun.stages.read import (
    MAX_BYTES,
    each_document,
    load_document,
    load_vocabularies,
    parse_yaml,
    split_front_matter,
)
from factories import FICHES, fiche_text, messages

VALID = fiche_text(FICHES[("outils", "grille-entretien")])

# Words of PyYAML's English messages: none may reach the user.
ENGLISH = re.compile(r"\b(found|expected|could not|while|cannot|not allowed|the|character|but|stream)\b", re.I)


def load_problems(path: Path, kind: str = "outils") -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_document(path, kind)
    return [f"{p.line}:{p.column}: {p.message}" for p in caught.value.problems]


def write_bytes(tmp_path: Path, raw: bytes, name: str = "fiche.md") -> Path:
    path = tmp_path / name
    path.write_bytes(raw)
    return path


def test_valid_fiche_loads_with_its_body_and_lines(tmp_path: Path):
    path = write_bytes(tmp_path, VALID.encode())
    document = load_document(path, "outils")
    assert document.data["titre"] == "Grille d'entretien"
    assert document.slug == "fiche"
    assert document.body.startswith("## Présentation")
    assert document.body_line == VALID.splitlines().index("## Présentation") + 1
    assert document.position(("titre",)) == (2, 8)
    assert document.position(("titre",), key=True) == (2, 1)


def test_utf8_bom_and_crlf_are_accepted(tmp_path: Path):
    raw = ("\ufeff" + VALID).replace("\n", "\r\n").encode()
    document = load_document(write_bytes(tmp_path, raw), "outils")
    assert document.data == load_document(write_bytes(tmp_path, VALID.encode(), "lf.md"), "outils").data
    assert document.position(("etat",)) == (4, 7)
    assert "\r" not in document.body


def test_old_mac_line_ends_are_accepted(tmp_path: Path):
    document = load_document(write_bytes(tmp_path, VALID.replace("\n", "\r").encode()), "outils")
    assert document.data["type"] == "grille"


def test_bom_and_crlf_fiche_passes_the_whole_check(content_dir: Path):
    path = content_dir / "outils" / "grille-entretien.md"
    path.write_bytes(("\ufeff" + path.read_text(encoding="utf-8")).replace("\n", "\r\n").encode())
    assert check(content_dir).problems == []


def test_bom_and_crlf_keep_error_lines_right(tmp_path: Path):
    broken = VALID.replace("type: grille", "type: grile")
    raw = ("\ufeff" + broken).replace("\n", "\r\n").encode()
    content = tmp_path / "content"
    (content / "outils").mkdir(parents=True)
    (content / "outils" / "x.md").write_bytes(raw)
    line = broken.splitlines().index("type: grille".replace("grille", "grile")) + 1
    assert any(p.line == line and "grile" in p.message for p in check(content).errors)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"", "1:1: fichier vide"),
        (b"  \n\n\t\n", "1:1: fichier vide"),
        (b"---\ntitre: a\x00b\n---\n", "2:9: caractère invisible U+0000 (caractère nul) : retirez-le"),
        (b"---\ntitre: caf\xe9\n---\n", "2:11: caractère illisible : enregistrez le fichier en UTF-8"),
        (b"\xff\xfe-\x00-\x00-\x00", "1:1: caractère illisible"),  # UTF-16
        (b"Du texte sans en-t\xc3\xaate.\n", "1:1: la fiche doit commencer par une ligne « --- »"),
        (b"--- \ntitre: a\n", "1:1: en-tête non refermé"),
        (b"---\ntitre: a\n----\n", "1:1: en-tête non refermé"),
        (b"---\n---\nTexte.\n", "2:1: l'en-tête est vide"),
        (b"---\n- a\n- b\n---\n", "2:1: l'en-tête est une liste ou une valeur seule"),
        (b"---\njuste du texte\n---\n", "2:1: l'en-tête est une liste ou une valeur seule"),
        (b"---\ntitre: a\ntitre: b\n---\n", "3:1: clé « titre » écrite deux fois"),
        (b"---\ncontact:\n  email: a@b.fr\n  email: c@d.fr\n---\n", "4:3: clé « email » écrite deux fois"),
        (b"---\ntitre: a\n1: b\n---\n", "3:1: clé « 1 » invalide"),
        (b"---\ntitre: a\nyes: b\n---\n", "3:1: clé « yes » invalide"),
        (b"---\ntitre: a\n~: b\n---\n", "3:1: clé « ~ » invalide"),
        (b"---\ntitre: a\n<<: {resume: b}\n---\n", "3:1: clé « << » invalide"),
        (b"---\ntitre: a\n? [x]\n: b\n---\n", "3:3: une clé doit être un texte simple"),
        (b"---\ntitre: a\nresume\netat: b\n---\n", "3:1: « : » attendu après une clé"),
        (b"---\ntitre: a: b\n---\n", "2:9: « : » inattendu ici"),
        (b'---\ntitre: "abc\netat: b\n---\n', "2:8: guillemet ou crochet non refermé"),
        (b"---\ntitre: [a, b\netat: b\n---\n", "3:5: crochet « ] » attendu"),
        (b"---\ntitre: {a: b\netat: b\n---\n", "3:5: accolade « } » attendue"),
        (b"---\ntitre: [a:? b]\n---\n", "2:10: « : » inattendu dans une liste entre crochets"),
        (b'---\ntitre: "a\\qb"\n---\n', "2:10: séquence d'échappement inconnue"),
        (b"---\nsources:\n\t- titre: a\n---\n", "3:1: caractère interdit en début de valeur (tabulation"),
        (b"---\ntitre: @moi\n---\n", "2:8: caractère interdit en début de valeur"),
        (b"---\ntitre: a\x07b\n---\n", "2:9: caractère invisible U+0007 (caractère de contrôle)"),
        (b"---\ntitre: *inconnu\n---\n", "2:8: alias YAML inconnu"),
        (b"---\ntitre: !perso a\n---\n", "2:8: étiquette YAML « !perso » interdite"),
        (b"---\ntitre: !x!y a\n---\n", "2:8: étiquette YAML inconnue"),
        (b"---\ntitre: !!python/name:os.system a\n---\n", "2:8: étiquette YAML « !!python/name:os.system » interdite"),
        (b"---\ntitre: !!binary a\n---\n", "2:8: valeur illisible : retirez l'étiquette YAML"),
        (b"---\ntitre: !!timestamp hier\n---\n", "2:8: titre : date invalide « hier »"),
        (b"---\ntitre: !!int dix\n---\n", "2:8: titre : nombre illisible ou trop long « dix »"),
        (b"---\ntitre: !!float dix\n---\n", "2:8: titre : nombre illisible « dix »"),
        (b"---\nparticipants: " + b"9" * 5000 + b"\n---\n", "2:15: participants : nombre illisible ou trop long"),
        (b"---\n%YAML 1.1\ntitre: a\n---\n", "3:1: texte inattendu après une ligne « ... » ou une directive"),
        (b"---\ntitre: a\n...\netat: b\n---\n", "4:1: texte inattendu après une ligne « ... »"),
        (b"---\ntitre: &a a\netat: &a b\n---\n", "3:7: les alias YAML"),
        (b"---\ntitre: & a\n---\n", "2:9: « & » ou « * » en début de valeur"),
        (b"---\nsources:\n  - titre: a\n  url: b\n---\n", "4:3: liste mal indentée"),
    ],
)
def test_unreadable_fiche_gets_a_french_error_at_its_line(tmp_path: Path, raw: bytes, expected: str):
    problems = load_problems(write_bytes(tmp_path, raw))
    assert len(problems) == 1
    assert problems[0].startswith(expected), problems
    assert not ENGLISH.search(problems[0].split(": ", 1)[1]), problems


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"- a\n- b\n", "1:1: l'en-tête est une liste"),
        (b"titre: a\n---\ntitre: b\n", "2:1: une seule suite de champs attendue"),
        (b"titre: a\n  etat: b\n", "2:7: « : » inattendu ici"),
        (b"# rien que des commentaires\n", "1:1: l'en-tête est vide"),
    ],
)
def test_yml_fiche_errors_have_no_front_matter_offset(tmp_path: Path, raw: bytes, expected: str):
    problems = load_problems(write_bytes(tmp_path, raw, "fiche.yml"))
    assert problems[0].startswith(expected), problems


def test_yaml_tags_are_never_executed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    witness = tmp_path / "pwned"
    payloads = [
        f'!!python/object/apply:os.system ["touch {witness}"]',
        f'!!python/object/new:subprocess.check_call [["touch", "{witness}"]]',
        f"!!python/object/apply:pathlib.Path.touch [!!python/object/apply:pathlib.Path ['{witness}']]",
    ]
    for payload in payloads:
        path = write_bytes(tmp_path, f"---\ntitre: {payload}\n---\n".encode())
        assert "étiquette YAML" in load_problems(path)[0]
    assert not witness.exists()


def test_billion_laughs_is_refused_quickly(tmp_path: Path):
    levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for index in range(1, 10):
        previous, name = chr(ord("a") + index - 1), chr(ord("a") + index)
        levels.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    path = write_bytes(tmp_path, ("---\n" + "\n".join(levels) + "\n---\n").encode())
    problems = load_problems(path)
    assert "les alias YAML (&ancre, *alias) ne sont pas acceptés" in problems[0]


def test_a_single_alias_is_refused_too(tmp_path: Path):
    path = write_bytes(tmp_path, b"---\ntitre: &t Jardin\nresume: *t\n---\n")
    assert "les alias YAML" in load_problems(path)[0]


@pytest.mark.parametrize(
    ("nesting", "line"),
    [
        ("[" * 100_000 + "]" * 100_000, 3),  # crashed libyaml (C recursion) before the depth check
        ("\n  " + "- " * 100_000 + "x", 4),
        ("{a: " * 60 + "b" + "}" * 60, 3),
        ("[" * 51 + "]" * 51, 3),
    ],
    ids=["flow-100k", "block-100k", "mappings-60", "just-over-the-limit"],
)
def test_deep_nesting_is_refused_without_crashing(tmp_path: Path, nesting: str, line: int):
    path = write_bytes(tmp_path, f"---\ntitre: a\nmateriel: {nesting}\n---\n".encode())
    code = (
        "import sys; from pathlib import Path; from commun.stages.read import load_document; "
        "from commun.core.problems import ContentError\n"
        "try:\n    load_document(Path(sys.argv[1]), 'outils')\nexcept ContentError as exc:\n    print(exc)\n"
    )
    # In a child process: a crash of the C parser must fail this test, not kill the test run.
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "imbrication trop profonde (plus de 50 niveaux)" in result.stdout
    assert f"fiche.md:{line}:" in result.stdout


def test_nesting_up_to_the_limit_is_accepted(tmp_path: Path):
    path = write_bytes(tmp_path, f"---\ntitre: a\nmateriel: {'[' * 49}{']' * 49}\n---\n".encode())
    assert load_document(path, "outils").data["titre"] == "a"


def test_file_over_one_mebibyte_is_refused_before_reading(tmp_path: Path):
    padding = "Un paragraphe de texte ordinaire.\n" * (MAX_BYTES // 34 + 1)
    path = write_bytes(tmp_path, (VALID + padding).encode())
    assert path.stat().st_size > MAX_BYTES
    problems = load_problems(path)
    assert problems == [f"1:1: fichier trop gros ({path.stat().st_size // 1024} Kio, 1 024 Kio au plus)"]


def test_file_of_exactly_one_mebibyte_is_read(tmp_path: Path):
    raw = VALID.encode()
    raw += b"x" * (MAX_BYTES - len(raw) - 1) + b"\n"
    assert len(raw) == MAX_BYTES
    assert load_document(write_bytes(tmp_path, raw), "outils").data["type"] == "grille"


def test_front_matter_delimiter_may_carry_trailing_spaces(tmp_path: Path):
    text, body, line = split_front_matter("--- \ntitre: a\n---  \nCorps\n", "x.md")
    assert (text, body, line) == ("titre: a\n", "Corps\n", 4)


def test_body_may_contain_horizontal_rules(tmp_path: Path):
    path = write_bytes(tmp_path, (VALID + "\n---\n\nSuite.\n").encode())
    document = load_document(path, "outils")
    assert document.body.endswith("---\n\nSuite.\n")


def test_parse_yaml_returns_data_and_nodes():
    data, node = parse_yaml("a: 1\nb: [x, y]\n", "x.yml")
    assert data == {"a": 1, "b": ["x", "y"]}
    assert node is not None and node.start_mark.line == 0
    assert parse_yaml("", "x.yml") == (None, None)
    assert parse_yaml("# commentaire\n", "x.yml") == (None, None)


def test_every_broken_file_is_reported_and_the_rest_still_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "content" / "outils"
    folder.mkdir(parents=True)
    (folder / "a.md").write_bytes(b"")
    (folder / "b.md").write_bytes(b"---\ntitre: [\n---\n")
    (folder / "c.md").write_text(VALID, encoding="utf-8")
    (folder / "d.yml").write_bytes(b"\xff")
    problems: list[Problem] = []
    documents = list(each_document(tmp_path / "content", problems))
    assert [d.slug for d in documents] == ["c"]
    assert [p.path for p in problems] == ["content/outils/a.md", "content/outils/b.md", "content/outils/d.yml"]


def test_other_files_are_ignored_with_a_warning_and_yaml_extension_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "content" / "outils"
    (folder / "fichiers").mkdir(parents=True)
    (folder / "notes.txt").write_text("brouillon", encoding="utf-8")
    (folder / ".cache").write_text("x", encoding="utf-8")
    (folder / "fiche.yaml").write_text("titre: a\n", encoding="utf-8")
    (tmp_path / "content" / "divers").mkdir()
    problems: list[Problem] = []
    list(each_document(tmp_path / "content", problems))
    assert messages(problems) == [
        "content/divers:1:1: avertissement: dossier inconnu, ignoré",
        "content/outils/fiche.yaml:1:1: erreur: extension « .yaml » : renommez le fichier en « .yml »",
        "content/outils/notes.txt:1:1: avertissement: fichier ignoré : une fiche se termine par .md ou .yml",
    ]


def test_vocabularies_load_with_their_labels(content_dir: Path):
    vocabularies, problems = load_vocabularies(content_dir)
    assert problems == []
    assert vocabularies["thematiques"]["acces-aux-droits"].libelle == "Accès aux droits"
    assert set(vocabularies["publics"]) == {"familles", "jeunes", "seniors"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Acces: {libelle: a}\n", "1:1: identifiant invalide « Acces »"),
        ("acces: Accès\n", "1:1: « acces » : « libelle » (texte) attendu"),
        ("acces: {description: a}\n", "1:1: « acces » : « libelle » (texte) attendu"),
        ("- acces\n", "1:1: le vocabulaire doit associer chaque identifiant à un libellé"),
        ("acces: {libelle: a}\nacces: {libelle: b}\n", "2:1: clé « acces » écrite deux fois"),
        ("2024: {libelle: a}\n", "1:1: clé « 2024 » invalide"),
    ],
)
def test_broken_vocabulary_is_reported(content_dir: Path, text: str, expected: str):
    (content_dir / "vocabulaires" / "publics.yml").write_text(text, encoding="utf-8")
    _, problems = load_vocabularies(content_dir)
    assert next(f"{p.line}:{p.column}: {p.message}" for p in problems).startswith(expected)
    assert all(p.path.endswith("publics.yml") for p in problems)


def test_missing_vocabulary_is_an_error(content_dir: Path):
    (content_dir / "vocabulaires" / "publics.yml").unlink()
    errors = check(content_dir).errors
    assert any("vocabulaire « publics » introuvable" in p.message for p in errors)
