"""Nothing in a fiche reaches outside the site; no invisible character; messages that name and suggest.

Each rule is shown failing on a broken input with a French message at its line and column, and passing
on the input a contributor should write. The broken corpus (test_broken.py) holds one fiche per rule too.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from commun.core.text import slugify
from commun.stages import safety
from commun.stages.check import FULL_SLUG, CheckCache, check, title_letters
from factories import BODY, fiche_data, messages, write_fiche

LINE = 20  # the first line of the bodies given to `body_resources` checks below


def body_errors(text: str) -> list[str]:
    """`line:column: message` of what `commun check` says of a body, as if it started at line LINE."""
    refused, _ = safety.body_resources(text)
    found = []
    for offset, message in refused:
        line, column = safety.line_column(text, offset)
        found.append(f"{line + LINE - 1}:{column}: {message}")
    return found


def errors_of(content_dir: Path, path: Path) -> list[str]:
    content = check(content_dir)
    assert [p for p in content.errors if p.path != str(path)] == [], messages(content.errors)
    return [f"{p.line}:{p.column}: {p.message}" for p in content.errors]


def at(path: Path, text: str, nth: int = 0) -> str:
    """`line:column:` of the `nth` occurrence of `text` in the file (lines end at `\\n` only, as for the check)."""
    found = [
        f"{number}:{match.start() + 1}:"
        for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1)
        for match in re.finditer(re.escape(text), line)
    ]
    assert len(found) > nth, f"{text!r} not in {path}"
    return found[nth]


def plant(path: Path, char: str) -> Path:
    """Put `char` where the fiche says `§` (YAML would escape it if written through `yaml.dump`)."""
    path.write_text(path.read_text(encoding="utf-8").replace("§", char), encoding="utf-8")
    return path


def initiative(content_dir: Path, body: str = BODY, **changes: object) -> Path:
    """The fiche `jardin`: a copy of the minimal folder's initiative with `changes`, and `body`."""
    return write_fiche(
        content_dir, "initiatives", "jardin", fiche_data("initiatives", "epicerie-solidaire", **changes), body
    )


# --- resources from outside the site -------------------------------------------------------------------

OUTSIDE = [
    # (body, what the message must say, where it points: the text its column is at)
    ("![Plan](https://example.org/plan.png)", "image extérieure au site « https://example.org/plan.png »", "https"),
    ('![Plan](https://example.org/plan.png "Le plan")', "image extérieure au site", "https"),
    ("![Plan](<https://example.org/plan.png>)", "image extérieure au site", "https"),
    ("![Plan](//example.org/plan.png)", "image extérieure au site « //example.org/plan.png »", "//"),
    ("![Plan](HTTP://EXAMPLE.ORG/PLAN.PNG)", "image extérieure au site", "HTTP"),
    ("![Plan](&#47;&#47;example.org/plan.png)", "image extérieure au site", "&#47;"),
    ("![Plan](ht\ntps://example.org/plan.png)", "image extérieure au site « https://example.org/plan.png »", "ht"),
    ("![Plan][plan]\n\n[plan]: https://example.org/plan.png", "image extérieure au site", "https"),
    ("![Plan] [plan]\n\n[plan]: <https://example.org/plan.png>", "image extérieure au site", "https"),
    ("![Plan]\n\n[plan]: https://example.org/plan.png", "image extérieure au site", "https"),
    ("[![badge](https://example.org/b.svg)](https://example.org)", "image extérieure au site", "https"),
    ("\\\\![Plan](https://example.org/plan.png)", "image extérieure au site", "https"),
    ('<img src="https://example.org/plan.png" alt="Plan">', "(attribut « src » de <img>)", "https"),
    ("<IMG/SRC=//example.org/plan.png alt=Plan>", "(attribut « src » de <img>)", "//"),
    ('<img alt=">" src="https://example.org/plan.png">', "(attribut « src » de <img>)", "https"),
    ('<img srcset="https://example.org/a.png 1x, b.png 2x" alt="a">', "(attribut « srcset » de <img>)", "https"),
    ('<video src="https://example.org/v.mp4"></video>', "(attribut « src » de <video>)", "https"),
    ('<video poster="https://example.org/p.png"></video>', "(attribut « poster » de <video>)", "https"),
    ('<audio src="https://example.org/a.mp3"></audio>', "(attribut « src » de <audio>)", "https"),
    ('<audio><source src="https://example.org/a.ogg"></audio>', "(attribut « src » de <source>)", "https"),
    ('<video><track src="https://example.org/t.vtt"></video>', "(attribut « src » de <track>)", "https"),
    ('<picture><source srcset="https://example.org/a.webp"></picture>', "(attribut « srcset » de <source>)", "https"),
    ('<svg><image href="https://example.org/i.png"/></svg>', "(attribut « href » de <image>)", "https"),
    ('<table background="https://example.org/f.png"><tr><td>a</td></tr></table>', "« background »", "https"),
    ('<a href="page.md" ping="https://traceur.example/p">lien</a>', "(attribut « ping » de <a>)", "https"),
    ('<input type="image" src="https://example.org/ok.png">', "(attribut « src » de <input>)", "https"),
    (
        '<div style="background: url(https://example.org/f.png)">a</div>',
        "« style » de <div> qui charge « url( »",
        "back",
    ),
    ('<div style="background: url(../images/fond.png)">a</div>', "qui charge « url( »", "back"),
    ("<p style='background-image: image-set(\"a.png\" 1x)'>a</p>", "qui charge « image-set( »", "back"),
    ('<p style="background: u\\72l(https://example.org/f.png)">a</p>', "qui charge « url( »", "back"),
    ('<p style="background: url&#40;https://example.org/f.png)">a</p>', "qui charge « url( »", "back"),
    ("<p style=\"@import 'https://example.org/x.css'\">a</p>", "qui charge « @import »", "@"),
    (
        'Un paragraphe.\n{: style="background: url(https://example.org/f.png)" }',
        "attribut « style » qui charge",
        "back",
    ),
    ('![Plan](../images/plan.png){: src="https://example.org/y.png" }', "(attribut « src »)", "https"),
    ('![Plan](../images/plan.png){: onerror="alert(1)" }', "attribut « onerror » interdit", "alert"),
    ('<img src="../images/plan.png" alt="Plan">', "insérée en HTML (attribut « src » de <img>)", "../"),
]


@pytest.mark.parametrize(("text", "expected", "column_at"), OUTSIDE)
def test_a_resource_from_outside_the_site_is_an_error_at_its_place(text: str, expected: str, column_at: str):
    problems = body_errors(f"Premier paragraphe.\n\n{text}\n")
    assert any(expected in p for p in problems), problems
    line, column = map(int, problems[0].split(":")[:2])
    written = f"Premier paragraphe.\n\n{text}\n".split("\n")[line - LINE]
    assert written[column - 1 :].startswith(column_at), (problems[0], written)


ALLOWED = [
    "Un [lien web](https://www.unccas.org) et une adresse <https://www.unccas.org/plan.png>.",
    '<a href="https://example.org/plan.png">le plan</a>, <a href="../outils/grille.md">la grille</a>.',
    "[Plan][plan]\n\n[plan]: https://example.org/plan.png",
    "![Plan du quartier](../images/plan.png) et ![Le même, en grand](../images/plan.png#grand).",
    '<p style="color: #1a3a5c">en couleur</p>, <span title="url(x)">un titre</span>.',
    'Un texte { entre accolades } et [un lien](https://example.org){: title="Le site" }.',
    "La fiche [Jardin](../initiatives/jardin.md) ; ![x](data:image/png;base64,AAAA) est refusé par une autre règle.",
    "\\![Plan](https://example.org/plan.png) reste du texte.",
]


@pytest.mark.parametrize("text", ALLOWED)
def test_links_the_reader_follows_and_local_images_are_allowed(text: str):
    assert body_errors(text) == []


def test_an_outside_image_in_a_fiche_fails_the_check_and_a_link_passes(content_dir: Path):
    path = initiative(content_dir, BODY + "\n![Plan du jardin](https://example.org/plan.png)\n")
    assert errors_of(content_dir, path) == [
        f"{at(path, 'https://')} image extérieure au site « https://example.org/plan.png » : une page du commun "
        "ne charge rien d'un autre site ; enregistrez l'image dans content/images/ et écrivez "
        "![description](../images/nom.png)"
    ]
    initiative(content_dir, BODY + "\n[Plan du jardin](https://example.org/plan.png)\n")
    assert check(content_dir).problems == []


def test_the_command_exits_1_without_traceback_and_leaves_the_file_as_written(content_dir: Path, chdir_tmp: Path):
    path = initiative(content_dir, BODY + '\n<p style="background: url(https://example.org/f.png)">Jardin</p>\n')
    before = path.read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "commun", "check", "content"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert re.search(r"content/initiatives/jardin\.md:\d+:\d+: erreur: attribut « style » de <p>", result.stdout)
    assert path.read_bytes() == before


# --- images of the repository -------------------------------------------------------------------------


def image(content_dir: Path, name: str = "plan.png", size: int = 100) -> Path:
    path = content_dir / safety.IMAGES / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x89PNG" + b"\0" * (size - 4))
    return path


def test_an_image_of_the_images_folder_with_a_description_passes(content_dir: Path):
    image(content_dir)
    image(content_dir, "sous-dossier/photo.JPG")
    initiative(
        content_dir, BODY + "\n![Plan du jardin](../images/plan.png)\n\n![Photo](../images/sous-dossier/photo.JPG)\n"
    )
    assert check(content_dir).problems == []


@pytest.mark.parametrize(
    ("written", "expected", "column_at"),
    [
        ("![](../images/plan.png)", "image « ../images/plan.png » sans texte de remplacement : décrivez-la", "!["),
        ("![  ](../images/plan.png)", "sans texte de remplacement", "!["),
        (
            "![Plan](../images/autre.png)",
            "image « ../images/autre.png » introuvable : ajoutez le fichier content/images/autre.png",
            "../",
        ),
        (
            "![Plan](plan.png)",
            "image « plan.png » hors du dossier content/images/ : placez-la dans ce dossier et "
            "écrivez ![description](../images/plan.png)",
            "plan",
        ),
        ("![Plan](/images/plan.png)", "hors du dossier content/images/", "/images"),
        ("![Plan](../images/../outils/fichiers/grille.csv)", "hors du dossier content/images/", "../"),
        ("![Plan](../images/dessin.svg)", "format « .svg » refusé pour une image : PNG, JPEG, WebP, GIF, AVIF", "../"),
    ],
)
def test_an_image_needs_a_description_a_file_in_the_folder_and_a_format(
    content_dir: Path, written: str, expected: str, column_at: str
):
    image(content_dir)
    (content_dir / safety.IMAGES / "dessin.svg").write_text("<svg/>", encoding="utf-8")
    path = initiative(content_dir, BODY + f"\nAvant l'image. {written}\n")
    problems = errors_of(content_dir, path)
    assert any(p.startswith(at(path, column_at if column_at != "![" else "![")) and expected in p for p in problems), (
        problems
    )


def test_an_image_of_500_kio_passes_and_one_byte_more_fails_naming_its_size(content_dir: Path):
    image(content_dir, size=safety.IMAGE_MAX_BYTES)
    path = initiative(content_dir, BODY + "\n![Plan du jardin](../images/plan.png)\n")
    assert check(content_dir).problems == []
    image(content_dir, size=safety.IMAGE_MAX_BYTES + 1)
    assert errors_of(content_dir, path) == [
        f"{at(path, '../images')} image « ../images/plan.png » trop lourde : 501 Kio, 500 Kio au plus ; "
        "réduisez ses dimensions ou sa qualité"
    ]


def test_a_link_in_the_images_folder_to_a_file_outside_it_is_refused(content_dir: Path, tmp_path: Path):
    secret = tmp_path / "ailleurs.png"
    secret.write_bytes(b"\x89PNG")
    (content_dir / safety.IMAGES).mkdir()
    (content_dir / safety.IMAGES / "lien.png").symlink_to(secret)
    path = initiative(content_dir, BODY + "\n![Plan](../images/lien.png)\n")
    assert any("hors du dossier content/images/" in p for p in errors_of(content_dir, path))


def test_images_are_checked_on_disk_at_every_check_even_from_the_cache(content_dir: Path):
    stored = image(content_dir)
    initiative(content_dir, BODY + "\n![Plan du jardin](../images/plan.png)\n")
    cache = CheckCache()
    assert check(content_dir, cache).problems == []
    stored.unlink()  # the fiche has not changed: its own checks come from the cache
    assert [p.message for p in check(content_dir, cache).errors] == [
        "image « ../images/plan.png » introuvable : ajoutez le fichier content/images/plan.png"
    ]


def test_the_images_folder_is_not_an_unknown_folder(content_dir: Path):
    image(content_dir)
    assert check(content_dir).problems == []


# --- invisible characters ------------------------------------------------------------------------------


def test_the_bytes_search_finds_every_invisible_character_wherever_it_is():
    """Files are searched for invisible characters in their UTF-8 bytes first: none may be missed there."""
    around = "« l’été à Mamoudzou » — Œuvre 😀 ".encode()
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        if safety.INVISIBLE.match(char):
            assert safety.may_hide(char.encode()) and safety.may_hide(around + char.encode() + around), hex(code)
        elif char not in "\t\n\r":
            assert not safety.may_hide(char.encode()), hex(code)  # alone, a visible character is never taken for one
    assert not safety.may_hide(around)
    assert all(safety.INVISIBLE.match(chr(c)) for c in [0, 0x1B, 0x7F, 0x85, 0x9F, 0x200B, 0x202E, 0x2069, 0xFEFF])
    assert not any(safety.INVISIBLE.match(c) for c in "\t\né’ «»\u00a0\u202f\u200e😀")


@pytest.mark.parametrize(
    ("char", "name"),
    [
        ("\x00", "U+0000 (caractère nul)"),
        ("\x01", "U+0001 (caractère de contrôle)"),
        ("\x1b", "U+001B (échappement)"),
        ("\x0b", "U+000B (tabulation verticale)"),
        ("\x7f", "U+007F (suppression)"),
        ("\x85", "U+0085 (caractère de contrôle)"),
    ],
)
@pytest.mark.parametrize("where", ["titre", "corps"])
def test_a_control_character_is_an_error_at_its_line_and_column(content_dir: Path, char: str, name: str, where: str):
    if where == "titre":
        path = plant(initiative(content_dir, titre="Jardin§ partagé"), char)
    else:
        path = plant(initiative(content_dir, BODY + "\nLe jardin§ ouvre le samedi.\n"), char)
    assert errors_of(content_dir, path) == [f"{at(path, char)} caractère invisible {name} : retirez-le"]


@pytest.mark.parametrize(
    "char", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
)
def test_a_bidirectional_control_is_an_error_naming_its_field(content_dir: Path, char: str):
    path = plant(initiative(content_dir, titre="Jardin §partagé", sources=[{"titre": "Rapport§ 2023"}]), char)
    name = f"caractère invisible U+{ord(char):04X} ({safety.NAMES[ord(char)]}) : retirez-le"
    assert errors_of(content_dir, path) == [
        f"{at(path, char)} titre : {name}",
        f"{at(path, char, 1)} sources › n° 1 › titre : {name}",
    ]


def test_a_bidirectional_override_in_a_title_is_named_in_french(content_dir: Path):
    path = plant(initiative(content_dir, titre="Jardin §égatrap"), "\u202e")
    assert errors_of(content_dir, path) == [
        f"{at(path, chr(0x202E))} titre : caractère invisible U+202E (inversion du sens d'écriture) : retirez-le"
    ]


@pytest.mark.parametrize(
    ("field", "written", "name"),
    [
        ("titre", '"Jardin \\u202Epartagé"', "U+202E (inversion du sens d'écriture)"),
        ("etat", '"\\x1F"', "U+001F (caractère de contrôle)"),
        ("resume", '"Un jardin\\0"', "U+0000 (caractère nul)"),
    ],
)
def test_an_invisible_character_written_as_an_escape_is_an_error_too(
    content_dir: Path, field: str, written: str, name: str
):
    path = initiative(content_dir)
    text = re.sub(
        rf"^{field}: .*$", lambda _: f"{field}: {written}", path.read_text(encoding="utf-8"), count=1, flags=re.M
    )
    path.write_text(text, encoding="utf-8")
    assert errors_of(content_dir, path) == [
        f"{at(path, written)} {field} : caractère invisible {name}, écrit sous forme d'échappement : retirez-le"
    ]


def test_a_bidirectional_override_in_the_body_is_an_error(content_dir: Path):
    path = plant(initiative(content_dir, BODY + "\nLe jardin \u2067ouvre§ le samedi.\n"), "\u2069")
    assert errors_of(content_dir, path) == [
        f"{at(path, chr(0x2067))} caractère invisible U+2067 (isolement de droite à gauche) : retirez-le",
        f"{at(path, chr(0x2069))} caractère invisible U+2069 (fin d'isolement) : retirez-le",
    ]


@pytest.mark.parametrize("char", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"])
def test_a_zero_width_character_in_an_identifier_is_named(content_dir: Path, char: str):
    path = plant(initiative(content_dir, porteur="ccas-§reel", thematiques=["aide-alimentaire§"]), char)
    name = f"caractère invisible U+{ord(char):04X} ({safety.NAMES[ord(char)]})"
    assert errors_of(content_dir, path) == [
        f"{at(path, char)} porteur : {name} dans l'identifiant « ccas-reel » : retirez-le",
        f"{at(path, char, 1)} thematiques › n° 1 : {name} dans l'identifiant « aide-alimentaire » : retirez-le",
    ]


def test_zero_width_characters_are_allowed_in_text(content_dir: Path):
    """A zero-width joiner makes one emoji of several (👩‍👧); text that is not an identifier may hold it."""
    path = initiative(
        content_dir, BODY + "\nLes familles 👩\u200d👧 et les mots com\u00adposés.\n", titre="Jardin§ partagé"
    )
    plant(path, "\u200b")
    assert check(content_dir).problems == []


def test_a_zero_width_character_in_a_file_name_or_a_vocabulary_is_named(content_dir: Path):
    write_fiche(
        content_dir, "initiatives", "jardin\u200b", fiche_data("initiatives", "epicerie-solidaire", titre="Jardin")
    )
    vocabulary = content_dir / "vocabulaires" / "publics.yml"
    vocabulary.write_text(
        vocabulary.read_text(encoding="utf-8") + "aines\u2060:\n  libelle: Aînés \u202eseniA\n", encoding="utf-8"
    )
    found = messages(check(content_dir).errors)
    assert any(
        "jardin\u200b.md:1:1: erreur: nom de fichier invalide « jardin.md » : caractère invisible U+200B "
        "(espace sans largeur) : retirez-le" in p
        for p in found
    ), found
    assert any("publics.yml" in p and "U+2060 (gluon de mots) dans l'identifiant « aines »" in p for p in found), found
    assert any("publics.yml" in p and "U+202E (inversion du sens d'écriture)" in p for p in found), found


def test_a_fiche_that_cannot_be_read_is_not_reported_missing_by_the_fiches_that_cite_it(content_dir: Path):
    path = plant(
        write_fiche(content_dir, "ccas", "ccas-reel", fiche_data("ccas", "ccas-reel", titre="CCAS§ réel")), "\0"
    )
    found = check(content_dir).errors
    assert [p.path for p in found] == [str(path)], messages(found)


# --- messages: names and suggestions -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "where", "expected"),
    [
        (
            {"porteur": "CCAS réel"},
            "CCAS réel",
            "porteur : identifiant invalide « CCAS réel » : minuscules sans accents, "
            "chiffres et tirets ; vouliez-vous dire « ccas-reel » ?",
        ),
        (
            {"porteur": "ccas-de-reel"},
            "ccas-de-reel",
            "porteur : aucune fiche « ccas-de-reel » dans content/ccas/ "
            "(structures) ; vouliez-vous dire « ccas-reel » ?",
        ),
        (
            {"thematiques": ["Aide alimentaire"]},
            "Aide",
            "thematiques › n° 1 : identifiant invalide « Aide alimentaire » "
            ": minuscules sans accents, chiffres et tirets ; vouliez-vous dire « aide-alimentaire » ?",
        ),
        (
            {"thematiques": ["acces aux droits"]},
            "acces",
            "thematiques › n° 1 : identifiant invalide « acces aux droits » "
            ": minuscules sans accents, chiffres et tirets ; vouliez-vous dire « acces-aux-droits » ?",
        ),
        (
            {"publics": ["Personnes très âgées"]},
            "Personnes",
            "publics › n° 1 : identifiant invalide « Personnes très "
            "âgées » : minuscules sans accents, chiffres et tirets ; vouliez-vous dire « aines » ?",
        ),
        (
            {"liens": {"outils": ["Grille d'entretien"]}},
            "Grille",
            "liens › outils › n° 1 : identifiant invalide « Grille d'entretien » : minuscules sans accents, "
            "chiffres et tirets ; vouliez-vous dire « grille-entretien » ?",
        ),
    ],
)
def test_a_title_or_a_label_written_for_an_identifier_gets_a_suggestion(
    content_dir: Path, changes: dict, where: str, expected: str
):
    publics = content_dir / "vocabulaires" / "publics.yml"  # a label that is not its identifier
    publics.write_text(publics.read_text(encoding="utf-8") + "aines:\n  libelle: Personnes très âgées\n", "utf-8")
    path = initiative(content_dir, **changes)
    assert errors_of(content_dir, path) == [f"{at(path, where)} {expected}"]


@pytest.mark.parametrize(("written", "code"), [("En cours", "en_cours"), ("Pérennisée", "perennise")])
def test_a_label_written_for_a_coded_value_gets_its_code(content_dir: Path, written: str, code: str):
    path = initiative(content_dir, statut=written)
    (problem,) = errors_of(content_dir, path)
    assert problem.startswith(f"{at(path, written)} statut : valeur « {written} » non autorisée ; valeurs possibles : ")
    assert problem.endswith(f" ; vouliez-vous dire « {code} » ?")


def test_no_suggestion_for_a_value_near_nothing(content_dir: Path):
    path = initiative(content_dir, porteur="Mairie de Quelque Part")
    assert errors_of(content_dir, path) == [
        f"{at(path, 'Mairie')} porteur : identifiant invalide « Mairie de Quelque Part » : minuscules sans accents, "
        "chiffres et tirets"
    ]


def test_titles_are_first_compared_by_the_letters_of_their_slug():
    """`title_letters` must agree with the slug rule, character by character (both work one character at a
    time), so that two titles with one slug are never kept apart."""
    for code in range(0x30000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        assert title_letters(char) == slugify(char, max_length=FULL_SLUG).replace("-", "").encode(), hex(code)
    assert (
        title_letters("Cœur de l’Épicerie ß ½")
        == title_letters("COEUR DE L'EPICERIE SS 1/2")
        == b"coeurdelepiceriess12"
    )


def test_two_fiches_with_one_title_and_one_porteur_are_a_warning_naming_the_other(content_dir: Path, chdir_tmp: Path):
    data = fiche_data("initiatives", "epicerie-solidaire", titre="EPICERIE  solidaire !")
    write_fiche(content_dir, "initiatives", "epicerie-bis", data)
    problems = check(Path("content")).problems
    assert messages(problems) == [
        "content/initiatives/epicerie-bis.md:2:8: avertissement: même titre et même porteur (« ccas-reel ») que "
        "content/initiatives/epicerie-solidaire.md : une même fiche écrite deux fois ?",
        "content/initiatives/epicerie-solidaire.md:2:8: avertissement: même titre et même porteur (« ccas-reel ») que "
        "content/initiatives/epicerie-bis.md : une même fiche écrite deux fois ?",
    ]
    write_fiche(content_dir, "ccas", "ccas-voisin", fiche_data("ccas", "ccas-reel"))
    write_fiche(content_dir, "initiatives", "epicerie-bis", {**data, "porteur": "ccas-voisin"})  # another porteur
    assert check(Path("content")).problems == []
    write_fiche(content_dir, "initiatives", "epicerie-bis", {**data, "titre": "Épicerie solidaire du centre"})
    assert check(Path("content")).problems == []
