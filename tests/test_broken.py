"""The corpus of broken fiches in tests/broken/: each is reported at its line, and passes once corrected.

Every file `tests/broken/<kind>/<name>` is copied into a minimal valid content folder as
`content/<kind>/<name>`; the check must report an error on the expected line whose French message
contains the expected words, and no error anywhere else. The corrected version (one replacement in
the text, or a new file name) must then pass with no problem at all: each rule is shown able to fail
and to pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from commun.stages.check import check
from factories import messages

BROKEN = Path(__file__).parent / "broken"

VALID_INITIATIVE = """---
titre: Jardin partagé
resume: Un jardin cultivé par les habitants du quartier.
etat: publie
mis_a_jour: 2024-05-02
porteur: ccas-reel
thematiques: [aide-alimentaire]
publics: [familles]
statut: en_cours
sources:
  - titre: Rapport d'activité 2023
---

Le jardin réunit les habitants du quartier.
"""
FRONT_MATTER = VALID_INITIATIVE[: VALID_INITIATIVE.index("\n---\n") + 5]
DEEP = "[" * 80 + "]" * 80
LOL = "lol, " * 8 + "lol"
BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{alias}'] * 9) if alias else LOL}]\n"
    for name, alias in (("a", ""), ("b", "a"), ("c", "b"))
)


@dataclass(frozen=True)
class Case:
    file: str  # path under tests/broken/, and under content/ once placed
    line: int  # line of the error
    message: str  # words the French message must contain
    fix: tuple[str | bytes, str | bytes] = ("", "")  # first `old` replaced by `new`; `old` empty: whole file
    fixed_file: str | None = None  # the corrected version goes under this name (file-name rules)


CASES = [
    # Reading and YAML.
    Case("initiatives/vide.md", 1, "fichier vide", ("", VALID_INITIATIVE)),
    Case("initiatives/latin1.md", 3, "enregistrez le fichier en UTF-8", (b"cultiv\xe9", "cultivé")),
    Case("initiatives/controle.md", 2, "caractère invisible U+0007", ("\x07", " ")),
    Case("initiatives/sans-en-tete.md", 1, "doit commencer par une ligne « --- »", ("## Contexte", FRONT_MATTER)),
    Case("initiatives/en-tete-ouvert.md", 1, "en-tête non refermé", ("\n## Contexte", "---\n## Contexte")),
    Case("initiatives/en-tete-vide.md", 2, "l'en-tête est vide", ("---\n---\n", FRONT_MATTER)),
    Case("initiatives/en-tete-liste.md", 2, "l'en-tête est une liste", ("", VALID_INITIATIVE)),
    Case("initiatives/yaml-deux-points.md", 9, "« : » attendu", ("statut en_cours", "statut: en_cours")),
    Case("initiatives/guillemet-ouvert.md", 2, "guillemet ou crochet non refermé", ("partagé\n", 'partagé"\n')),
    Case("initiatives/tabulation.md", 11, "indentez avec des espaces", ("\t- titre", "  - titre")),
    Case(
        "initiatives/etiquette-python.md",
        2,
        "étiquette YAML « !!python/object/apply:os.system » interdite",
        ('!!python/object/apply:os.system ["echo pwned"]', "Jardin partagé"),
    ),
    Case("initiatives/bombe-alias.md", 10, "les alias YAML", (BOMB, "")),
    Case("initiatives/cle-double.md", 10, "clé « titre » écrite deux fois", ("titre: Un autre titre\n", "")),
    Case("initiatives/cle-nombre.md", 10, "clé « 2024 » invalide", ("2024: une bonne année\n", "")),
    Case("initiatives/imbrication.md", 10, "imbrication trop profonde", (DEEP, "[Mairie]")),
    Case("initiatives/date-impossible.md", 5, "date invalide « 2024-02-30 »", ("2024-02-30", "2024-02-29")),
    Case(
        "initiatives/extension.yaml",
        1,
        "renommez le fichier en « .yml »",
        fixed_file="initiatives/extension.yml",
    ),
    # Fields and their values.
    Case(
        "initiatives/statut-inconnu.md",
        9,
        "valeur « en_cour » non autorisée",
        ("en_cour\n", "en_cours\n"),
    ),
    Case(
        "initiatives/champ-inconnu.md",
        10,
        "champ inconnu « partenaire » ; vouliez-vous dire « partenaires » ?",
        ("partenaire:", "partenaires:"),
    ),
    Case(
        "initiatives/titre-manquant.md",
        2,
        "champ obligatoire « titre » manquant",
        ("resume:", "titre: Jardin partagé\nresume:"),
    ),
    Case(
        "initiatives/resume-trop-long.md",
        3,
        "300 caractères au plus",
        ("Un jardin cultivé. " * 16, ""),
    ),
    Case("initiatives/date-avec-heure.md", 5, "date attendue sans heure", (" 10:30:00", "")),
    Case("initiatives/dates-inversees.md", 11, "date_fin est antérieure à date_debut", ("2022-01-15", "2024-01-15")),
    Case(
        "initiatives/thematique-inconnue.md",
        7,
        "vouliez-vous dire « acces-aux-droits » ?",
        ("acces-au-droits", "acces-aux-droits"),
    ),
    Case(
        "initiatives/public-inconnu.md",
        8,
        "« famille » n'est pas dans le vocabulaire publics",
        ("[famille]", "[familles]"),
    ),
    Case(
        "initiatives/Jardin_Partage.md",
        1,
        "nom de fichier invalide « Jardin_Partage.md »",
        fixed_file="initiatives/jardin-partage.md",
    ),
    Case("ccas/code-insee.md", 7, "code INSEE invalide « 9761 »", ('"9761"', '"97616"')),
    Case("outils/type-yml.yml", 5, "vouliez-vous dire « grille » ?", ("grile", "grille")),
    # References between fiches.
    Case(
        "initiatives/porteur-introuvable.md",
        6,
        "aucune fiche « ccas-inconnu » dans content/ccas/",
        ("ccas-inconnu", "ccas-reel"),
    ),
    Case(
        "initiatives/lien-mauvais-type.md",
        11,
        "c'est un module de formation",
        ("outils: [module-accueil]", "modules: [module-accueil]"),
    ),
    Case(
        "ccas/union-mauvais-type.md",
        8,
        "« ccas-reel » est de type ccas, or udccas est attendu",
        ("udccas: ccas-reel", "udccas: udccas-test"),
    ),
    Case(
        "ccas/ccas-reel.yml",
        1,
        "identifiant « ccas-reel » déjà pris par content/ccas/ccas-reel.md",
        fixed_file="ccas/ccas-voisin.yml",
    ),
    Case(
        "initiatives/reel-vers-exemple.md",
        11,
        "une fiche réelle ne peut pas renvoyer à la fiche d'exemple",
        ("projets: [projet-exemple]", "outils: [grille-entretien]"),
    ),
    Case(
        "projets/exemple-porteur-reel.md",
        7,
        "une fiche d'exemple ne peut pas être rattachée à une structure réelle",
        ("porteur: ccas-reel", "porteur: ccas-exemple"),
    ),
    # Rules across fields.
    Case(
        "projets/sans-referent.md",
        10,
        "au moins un referent",
        ("role: membre", "role: referent"),
    ),
    Case(
        "projets/equipe-trop-grande.md",
        10,
        "equipe : au plus 3 éléments",
        ("  - fonction: Stagiaire\n    role: membre\n", ""),
    ),
    Case(
        "ccas/ccas-sans-commune.md",
        2,
        "un CCAS doit indiquer sa commune",
        ("udccas:", 'commune: "97616"\nudccas:'),
    ),
    Case("modules/session-inversee.md", 12, "fin est antérieure à debut", ("fin: 2024-03-01", "fin: 2024-03-05")),
    Case("modules/objectifs-vides.md", 8, "au moins 1 élément", ("objectifs: []", "objectifs: [Lire un budget.]")),
    Case("outils/fichier-introuvable.md", 9, "« fichiers/absent.csv » introuvable", ("absent.csv", "grille.csv")),
    Case(
        "outils/fichier-hors-dossier.md",
        9,
        "hors de content/outils/fichiers/",
        ("../vocabulaires/publics.yml", "fichiers/grille.csv"),
    ),
    # Markdown bodies.
    Case("initiatives/balise-script.md", 22, "balise « <script> » interdite", ('<script>alert("jardin")</script>', "")),
    Case(
        "initiatives/balise-iframe.md",
        22,
        "balise « <iframe> » interdite",
        ('<iframe src="https://example.org/carte"></iframe>', "[La carte](https://example.org/carte)"),
    ),
    Case(
        "initiatives/balise-object.md",
        22,
        "balise « <object> » interdite",
        ('<object data="jardin.swf"></object>', ""),
    ),
    Case("initiatives/attribut-onclick.md", 22, "attribut « onclick » interdit", (' onclick="voler()"', "")),
    Case(
        "initiatives/lien-javascript.md",
        22,
        "lien « javascript: » interdit",
        ("javascript:alert(1)", "https://example.org/plan"),
    ),
    Case(
        "initiatives/lien-data.md",
        22,
        "lien « data: » interdit",
        ("![Plan](data:image/png;base64,iVBORw0KGgo=)", "[Plan](https://example.org/plan.png)"),
    ),
    Case(
        "initiatives/telephone.md",
        22,
        "numéro de téléphone dans le texte",
        ("appelez le 06 12 34 56 78", "adressez-vous à l'accueil du CCAS"),
    ),
    Case(
        "initiatives/email.md",
        22,
        "adresse e-mail dans le texte",
        ("écrivez à jardin.sada@example.fr", "adressez-vous à l'accueil du CCAS"),
    ),
    # Nothing reaches outside the site; no invisible character; messages that name the field.
    Case(
        "initiatives/image-exterieure.md",
        23,
        "image extérieure au site « https://example.org/plan.png »",
        ("![Plan du jardin]", "[Plan du jardin]"),  # a link the reader chooses to follow stays allowed
    ),
    Case(
        "initiatives/image-html.md",
        23,
        "ressource extérieure au site « https://example.org/plan.png » (attribut « src » de <img>)",
        ('<img src="https://example.org/plan.png" alt="Plan du jardin">', "[Plan du jardin](https://example.org/plan.png)"),
    ),
    Case(
        "initiatives/style-url.md",
        23,
        "attribut « style » de <p> qui charge « url( »",
        (' style="background: url(https://example.org/fond.png)"', ""),
    ),
    Case("initiatives/titre-nul.md", 2, "caractère invisible U+0000 (caractère nul)", ("\x00", "")),
    Case(
        "initiatives/titre-inverse.md",
        2,
        "titre : caractère invisible U+202E (inversion du sens d'écriture)",
        ("Jardin \u202eégatrap", "Jardin partagé"),
    ),
    Case("initiatives/resume-vide.md", 3, "champ « resume » vide : complétez-le", ("resume:", "resume: Un jardin.")),
    Case(
        "initiatives/date-mois-13.md",
        10,
        "date_debut : date invalide « 2024-13-01 » : le mois va de 01 à 12",
        ("2024-13-01", "2024-12-01"),
    ),
    Case(
        "initiatives/porteur-titre.md",
        6,
        "porteur : identifiant invalide « CCAS réel » : minuscules sans accents, chiffres et tirets ; "
        "vouliez-vous dire « ccas-reel » ?",
        ("CCAS réel", "ccas-reel"),
    ),
]


def _bytes(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode("utf-8")


def corrected(case: Case) -> bytes:
    raw = (BROKEN / case.file).read_bytes()
    old, new = map(_bytes, case.fix)
    if not old:
        return new or raw
    assert old in raw, f"the fix of {case.file} does not apply"
    return raw.replace(old, new, 1)


def place(content_dir: Path, name: str, raw: bytes) -> None:
    (content_dir / name).write_bytes(raw)


def test_corpus_is_large_and_every_file_has_a_case():
    files = {str(p.relative_to(BROKEN)) for p in BROKEN.rglob("*") if p.is_file()}
    assert files == {case.file for case in CASES}
    assert len(CASES) >= 25


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.file)
def test_broken_fiche_is_reported_at_its_line(case: Case, content_dir: Path, chdir_tmp: Path):
    place(content_dir, case.file, (BROKEN / case.file).read_bytes())
    content = check(Path("content"))
    shown = f"content/{case.file}"
    assert content.errors, f"{case.file} passed the check"
    assert [p.path for p in content.errors] == [shown] * len(content.errors), messages(content.problems)
    assert any(p.line == case.line and case.message in p.message for p in content.errors), messages(content.errors)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.file)
def test_corrected_fiche_passes(case: Case, content_dir: Path, chdir_tmp: Path):
    place(content_dir, case.fixed_file or case.file, corrected(case))
    content = check(Path("content"))
    assert content.problems == [], messages(content.problems)
    assert sum(1 for _ in content.all()) == 8
