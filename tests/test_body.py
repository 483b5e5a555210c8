"""Markdown bodies: no code, no script links, no personal contact details; ordinary prose passes."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from commun.stages.check import body_problems, check
from factories import fiche_data, fiche_text, write_fiche

UNSAFE = [
    ("<script>alert(1)</script>", "balise « <script> » interdite"),
    ('<SCRIPT src="https://example.org/x.js"></SCRIPT>', "balise « <SCRIPT> » interdite"),
    ("< script>alert(1)</script>", "balise « <script> » interdite"),
    ('<iframe src="https://example.org"></iframe>', "balise « <iframe> » interdite"),
    ('<object data="x.swf"></object>', "balise « <object> » interdite"),
    ('<embed src="x.swf">', "balise « <embed> » interdite"),
    ('<form action="https://example.org"><input></form>', "balise « <form> » interdite"),
    ("<style>body { display: none }</style>", "balise « <style> » interdite"),
    ('<img src="x.png" onerror="alert(1)">', "attribut « onerror » interdit"),
    ('<a href="#" onclick="alert(1)">lien</a>', "attribut « onclick » interdit"),
    ('<div\nonmouseover="alert(1)">texte</div>', "attribut « onmouseover » interdit"),
    ("[clic](javascript:alert(1))", "lien « javascript: » interdit"),
    ("[clic]( JavaScript:alert(1))", "lien « JavaScript: » interdit"),
    ("[clic](<javascript:alert(1)>)", "lien « javascript: » interdit"),
    ("<javascript:alert(1)>", "lien « javascript: » interdit"),
    ('<a href="javascript:alert(1)">clic</a>', "lien « javascript: » interdit"),
    ("[ref]: javascript:alert(1)", "lien « javascript: » interdit"),
    ("![x](data:image/svg+xml;base64,PHN2Zz4=)", "lien « data: » interdit"),
    ('<img src="data:image/png;base64,AAAA">', "lien « data: » interdit"),
    ("[clic](vbscript:msgbox(1))", "lien « vbscript: » interdit"),
    # Disguised forms that browsers still run.
    ("<svg/onload=alert(1)>", "attribut « onload » interdit"),
    ('<img src="x.png"/onerror=alert(1)>', "attribut « onerror » interdit"),
    ('<a href="#"onclick="alert(1)">lien</a>', "attribut « onclick » interdit"),
    ('<img alt="a" /onerror=alert(1)>', "attribut « onerror » interdit"),
    ('<a href="jav&#x61;script:alert(1)">clic</a>', "lien à l'adresse codée"),
    ('<a href="&#106;avascript:alert(1)">clic</a>', "lien à l'adresse codée"),
    ('<a href="javascript&colon;alert(1)">clic</a>', "lien à l'adresse codée"),
    ('<a href="javascript&#58;alert(1)">clic</a>', "lien à l'adresse codée"),
    ('<a href="java\tscript:alert(1)">clic</a>', "lien à l'adresse codée"),
    ("[clic](jav&#x61;script:alert(1))", "lien à l'adresse codée"),
    ("[ref]: d&#97;ta:text/html,x", "lien à l'adresse codée"),
    ("Écrire à accueil.ccas@example.fr pour s'inscrire.", "adresse e-mail dans le texte"),
    ("Contact : prenom.nom+ccas@mairie-exemple.fr", "adresse e-mail dans le texte"),
    ("Appeler le 06 12 34 56 78.", "numéro de téléphone dans le texte"),
    ("Appeler le 0612345678.", "numéro de téléphone dans le texte"),
    ("Appeler le 02.62.12.34.56.", "numéro de téléphone dans le texte"),
    ("Appeler le 05-12-34-56-78.", "numéro de téléphone dans le texte"),
    ("Appeler le +33 6 12 34 56 78.", "numéro de téléphone dans le texte"),
    ("Appeler le +262 269 61 12 34.", "numéro de téléphone dans le texte"),
    ("Appeler le 0033 1 23 45 67 89.", "numéro de téléphone dans le texte"),
]

SAFE = [
    "Un texte **simple** avec un [lien web](https://www.unccas.org) et un [autre](http://example.org/a?b=c).",
    "Voir la fiche [grille d'entretien](../outils/grille-entretien.md).",
    '<strong>important</strong>, <em>vraiment</em>, un saut<br>de ligne, <abbr title="CCAS">CCAS</abbr>.',
    "Le CCAS a accueilli 1 250 personnes en 2021, pour un budget de 45 000 €.",
    "Code INSEE 97611, session du 28/06/2021 au 01/07/2021, années 2017-2018.",
    "Les habitants de 60 à 75 ans, soit 12 % de la population, puis 3 ateliers.",
    "Un e-mail de rappel est envoyé ; le téléphone reste le premier canal.",
    "Les données (data) et le langage javascript sont évoqués sans lien.",
    "Les ondes, la prononciation : une onomatopée, ontologie=rien.",
    "Référence réglementaire : article R. 123-1 du code, décret n° 95-562 du 6 mai 1995.",
    "Numéro SIRET fictif : 123 456 789 00012.",
    "```\nexemple = 1\n```",
    'Un lien vers une image : [plan](https://example.org/plan.png "Plan").',  # an image from outside: test_safety
    "Une liste :\n\n- un\n- deux\n\n> Une citation.",
    "Le @CCAS publie sur les réseaux.",
    '<a href="/onglet=3">onglet</a>, <abbr title="onze=11">XI</abbr>, <a href="https://a.fr/?a=1&amp;b=2">a</a>.',
    "[une ancre](../outils/grille-entretien.md#etape-1&2), [requête](https://a.fr/recherche?q=a&b=c).",
]


@pytest.mark.parametrize(("text", "expected"), UNSAFE)
def test_unsafe_or_private_body_content_is_an_error(text: str, expected: str):
    problems = list(body_problems(f"Premier paragraphe.\n\n{text}\n", 20, "x.md"))
    assert problems, text
    assert any(expected in p.message for p in problems), [p.message for p in problems]
    assert all(p.severity == "erreur" and p.line in (22, 23) for p in problems)


@pytest.mark.parametrize("text", SAFE)
def test_ordinary_prose_passes(text: str):
    assert list(body_problems(f"{text}\n", 1, "x.md")) == []


def test_body_problem_points_at_line_and_column():
    body = "Titre\n\nUne ligne puis <script>x()</script> et accueil@example.fr\n"
    problems = sorted(body_problems(body, 14, "x.md"))
    assert [(p.line, p.column) for p in problems] == [(16, 16), (16, 40)]


def test_every_unsafe_pattern_in_a_body_is_reported(content_dir: Path):
    body = "\n".join(text for text, _ in UNSAFE[:5]) + "\n"
    path = content_dir / "initiatives" / "jardin.md"
    data = fiche_data("initiatives", "epicerie-solidaire")
    path.write_text(fiche_text(data, body), encoding="utf-8")
    errors = check(content_dir).errors
    first = path.read_text(encoding="utf-8").splitlines().index(UNSAFE[0][0]) + 1
    assert [p.line for p in errors] == list(range(first, first + 5))


def test_front_matter_fields_may_hold_contact_details(content_dir: Path):
    """Contact details belong in `contact`, which is not body text."""
    contact = {"fonction": "Accueil", "email": "accueil@ccas-exemple.fr", "telephone": "02 62 00 00 00"}
    write_fiche(content_dir, "initiatives", "jardin", fiche_data("initiatives", "epicerie-solidaire", contact=contact))
    assert check(content_dir).problems == []


@pytest.mark.parametrize(
    "body",
    [
        "<a " * 100_000,
        "a" * 300_000,
        "0" * 300_000,
        "](" * 150_000,
        "](a" + "&a" * 150_000,
        'href="' * 50_000,
        "<" * 300_000,
        "x@" * 150_000,
    ],
    ids=["open-tags", "letters", "digits", "links", "ampersands", "hrefs", "angles", "ats"],
)
def test_scan_stays_fast_on_hostile_bodies(body: str):
    """No body, however crafted, can stall the check (some patterns were quadratic).

    A hang guard, not a speed goal: the scan takes milliseconds; a quadratic pattern on these
    300,000 characters takes hours, so the generous limit cannot be reached by a noisy machine.
    """
    started = time.perf_counter()
    list(body_problems(body, 1, "x.md"))
    assert time.perf_counter() - started < 60
