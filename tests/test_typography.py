"""French typography at render time (core/typography.py): each rule, and each thing it must leave as written.

`NB` is the no-break space (before « : »), `NN` the narrow no-break space (everywhere else). Every test
below fails against `naive`, a filter that applies the same rules to the whole text without exclusions,
or against a filter that does nothing (see the last tests).
"""

from __future__ import annotations

import re

import markdown
import pytest
from commun.core import typography
from commun.core.typography import typeset

NB, NN = "\u00a0", "\u202f"


def naive(text: str, mode: str = "markdown") -> str:
    """A broken filter: the same rules on everything, code, addresses and attributes included."""
    text = re.sub(r"[ \t]+([;!?])", NN + r"\1", text)
    text = re.sub(r"(?<=[^\W\d_])([;!?])(?=\s)", NN + r"\1", text)
    text = re.sub(r"[ \t]+:", NB + ":", text)
    text = re.sub(r"«\s*", "«" + NN, re.sub(r"\s*»", NN + "»", text))
    text = re.sub(r"(\d)([€%])", r"\1" + NN + r"\2", text)
    return re.sub(r"(\d) (\d{3})", r"\1" + NN + r"\2", text)


def idle(text: str, mode: str = "markdown") -> str:
    """A broken filter: does nothing."""
    return text


# --- the rules ------------------------------------------------------------------------------------------

RULES = [
    ("Attention : le dossier", f"Attention{NB}: le dossier"),
    ("Pourquoi ? Parce que ; enfin !", f"Pourquoi{NN}? Parce que{NN}; enfin{NN}!"),
    ("Pourquoi? Voilà!", f"Pourquoi{NN}? Voilà{NN}!"),  # the missing space is added
    ("« Aller vers »", f"«{NN}Aller vers{NN}»"),
    ("«Aller vers»", f"«{NN}Aller vers{NN}»"),
    ("4 000 CCAS et 1 893 231 euros", f"4{NN}000 CCAS et 1{NN}893{NN}231 euros"),
    ("1 300 € et 83 %", f"1{NN}300{NN}€ et 83{NN}%"),
    ("1300€", f"1300{NN}€"),
    ("Sous-titre :\n\n- une liste", f"Sous-titre{NB}:\n\n- une liste"),
    (f"Déjà typographié{NB}: rien{NN}; ne change", f"Déjà typographié{NB}: rien{NN}; ne change"),
]


@pytest.mark.parametrize(("written", "shown"), RULES)
def test_each_rule_in_markdown_html_and_text(written: str, shown: str) -> None:
    for mode in ("markdown", "html", "text"):
        assert typeset(written, mode) == shown, mode


def test_the_rules_fail_against_a_filter_that_does_nothing() -> None:
    assert [written for written, shown in RULES if idle(written) == shown] == [RULES[-1][0]]


# --- what stays as written ----------------------------------------------------------------------------

# (mode, text, the part that must come out exactly as written)
KEPT = [
    ("markdown", "La clé `etat : publie ; x ? y` dans le texte.", "`etat : publie ; x ? y`"),
    ("markdown", "Avant :\n\n```\nx = a ? b : c\n« 4 000 »\n```\n\nAprès.", "```\nx = a ? b : c\n« 4 000 »\n```"),
    ("markdown", "Un exemple :\n\n    x = a ? b : c ; 1 000\n\nFin.", "    x = a ? b : c ; 1 000\n"),
    ("markdown", "- un point :\n\n        code : dans la liste ?\n\nFin.", "        code : dans la liste ?\n"),
    ("markdown", "[guide](https://exemple.org/?b=1 « Titre : oui ») !", "(https://exemple.org/?b=1 « Titre : oui »)"),
    ("markdown", "Voir <https://exemple.org/faq?q=1 ;x> ici", "<https://exemple.org/faq?q=1 ;x>"),
    ("markdown", "[guide]: https://exemple.org/a?b : titre", "[guide]: https://exemple.org/a?b : titre"),
    ("markdown", "## Titre { #ancre : x }", "{ #ancre : x }"),
    ("markdown", '---\ntitle: "A : b ? « c »"\n---\n# Titre', '---\ntitle: "A : b ? « c »"\n---\n'),
    ("markdown", "| a | b |\n| :--- | ---: |\n| 1 | 2 |", "| :--- | ---: |"),
    ("html", '<abbr title="Union : nationale ?">UNCCAS</abbr> : oui', '<abbr title="Union : nationale ?">'),
    ("html", '<a href="https://exemple.org/?a=1 ;b" data-x="« 4 000 »">lien</a>', 'href="https://exemple.org/?a=1 ;b"'),
    ("html", "<p>Code : <code>a : b ; c ? 1 000</code></p>", "<code>a : b ; c ? 1 000</code>"),
    ("html", "<pre>x ? y : z\n« 4 000 »</pre>", "<pre>x ? y : z\n« 4 000 »</pre>"),
    ("html", "<script>if (a ? b : c) { x ; }</script>", "<script>if (a ? b : c) { x ; }</script>"),
    ("html", "<!-- note : ici ? -->Texte", "<!-- note : ici ? -->"),
    ("html", "Tom &amp; Jerry ; fin", "&amp;"),
    ("text", "Taux : https://exemple.org/stats/50% ; fin", "https://exemple.org/stats/50%"),
    ("text", "Voir www.exemple.org/«a»/page ; fin", "www.exemple.org/«a»/page"),
    # Identifiers and codes: no space between their digits or signs, so no rule touches them.
    ("text", "Code INSEE 97611, fiche udccas-mayotte, SIRET 123 456 789 00012.", "SIRET 123 456 789 00012"),
    ("text", "Téléphone 0269 123 456 ; en 2019 250 familles.", "0269 123 456"),
    ("text", "Téléphone 0269 123 456 ; en 2019 250 familles.", "2019 250"),
    ("text", "Rendez-vous à 10:30, ratio 3:1, 12,5 000.", "10:30, ratio 3:1, 12,5 000"),
]


@pytest.mark.parametrize(("mode", "text", "kept"), KEPT)
def test_code_addresses_attributes_and_identifiers_stay_as_written(mode: str, text: str, kept: str) -> None:
    assert kept in text  # the case is well written
    assert kept in typeset(text, mode)


@pytest.mark.parametrize(("mode", "text", "kept"), KEPT)
def test_each_exclusion_fails_against_a_filter_without_exclusions(mode: str, text: str, kept: str) -> None:
    assert kept not in naive(text, mode)


def test_prose_around_the_exclusions_is_still_typeset() -> None:
    assert typeset("La clé `etat` : publie ; voir https://exemple.org/faq ?") == (
        f"La clé `etat`{NB}: publie{NN}; voir https://exemple.org/faq{NN}?"
    )
    assert typeset('<p><strong>Attention</strong> : <a href="x?y">lien</a> !</p>', "html") == (
        f'<p><strong>Attention</strong>{NB}: <a href="x?y">lien</a>{NN}!</p>'
    )


def test_markdown_structure_is_unchanged() -> None:
    """Admonitions, lists, tables and code blocks parse the same once typeset: only the text's spaces differ."""
    text = (
        '!!! note "Titre : oui"\n    Texte ; suite !\n\n'
        "- point : un\n\n    suite : du point\n\n"
        "| a : b | c |\n| :--- | ---: |\n| 4 000 | 1 300 € |\n\n"
        "    code : ici ?\n\n"
        "Fin : « oui »\n"
    )
    extensions = ["admonition", "attr_list", "tables"]
    before = markdown.markdown(text, extensions=extensions)
    after = markdown.markdown(typeset(text), extensions=extensions)
    assert re.sub(f"[ {NB}{NN}]", "", after) == re.sub(f"[ {NB}{NN}]", "", before)
    assert "<pre><code>code : ici ?\n</code></pre>" in after
    assert f"<p>Texte{NN}; suite{NN}!</p>" in after
    assert f"<p>suite{NB}: du point</p>" in after


def test_the_filter_is_one_function_used_everywhere() -> None:
    """Pages, feeds and PDFs import `typeset` from core.typography: one set of rules."""
    from commun.outputs import templating
    from commun.outputs.pages import render
    from commun.outputs.pdf import render as pdf

    assert render.typeset is typography.typeset is pdf.typeset
    assert templating.environment("exports").filters["typo"]("A : b") == f"A{NB}: b"
