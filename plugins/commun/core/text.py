"""The one text toolkit: how a title becomes an identifier, and how words are compared.

`commun new`, `commun import`, the web form and every generated URL use `slugify`; nothing else turns
text into an identifier. The web form runs the same rule in the browser: its script is written from
`SLUG_WORD`, `SLUG_SEPARATOR`, `SLUG_LENGTH` and `LIGATURES` (outputs/cms.py, templates/cms/commun.js.j2).
"""

from __future__ import annotations

import re
import unicodedata

SLUG_WORD = "[a-z0-9]+"
SLUG_SEPARATOR = "-"
SLUG_PATTERN = rf"^{SLUG_WORD}(?:{SLUG_SEPARATOR}{SLUG_WORD})*$"
SLUG_LENGTH = 80
LIGATURE_LETTERS = {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ẞ": "SS"}
LIGATURES = str.maketrans(LIGATURE_LETTERS)
STOPWORDS = frozenset(
    "au aux avec ce ces dans de des du elle en et eux il je la le les leur lui ma mais me même mes moi mon ne nos "
    "notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous c d j l "
    "à m n s t y été est sont ont a être avoir fait faire plus leurs cette cet entre dont afin ainsi comme "
    "chaque tout tous toutes toute sans sous lors elles ils".split()
)


def fold(text: str) -> str:
    """Lower case, ligatures spelt out, without accents (every combining mark, as the web form's script
    does): « Cœur » → « coeur »; other signs stay."""
    decomposed = unicodedata.normalize("NFKD", text.translate(LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M")).casefold()


def slugify(text: str, max_length: int = SLUG_LENGTH) -> str:
    """An identifier from a title: « Cœur de l’Épicerie d'Acoua » → `coeur-de-l-epicerie-d-acoua`.

    Every run of signs that is not a letter or a digit (spaces, apostrophes of both kinds) becomes one
    hyphen; a long identifier is cut after a whole word.
    """
    slug = SLUG_SEPARATOR.join(re.findall(SLUG_WORD, fold(text)))
    if len(slug) > max_length:
        cut = slug[:max_length]
        slug = cut.rsplit(SLUG_SEPARATOR, 1)[0] if SLUG_SEPARATOR in cut else cut
    return slug


def words(text: str) -> list[str]:
    """The meaningful words of a text (three letters or more, not a stop word), folded."""
    return [w for w in re.findall(r"[a-z0-9]{3,}", fold(text)) if w not in STOPWORDS]
