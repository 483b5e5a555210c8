"""The one text toolkit: how a title becomes an identifier, and how words are compared.

`commun new`, `commun import`, the web form (its slug settings are generated from `SLUG_RULE`) and every
generated URL use `slugify`; nothing else turns text into an identifier.
"""

from __future__ import annotations

import re
import unicodedata

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLUG_LENGTH = 80
LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
STOPWORDS = frozenset(
    "au aux avec ce ces dans de des du elle en et eux il je la le les leur lui ma mais me même mes moi mon ne nos "
    "notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous c d j l "
    "à m n s t y été est sont ont a être avoir fait faire plus leurs cette cet entre dont afin ainsi comme "
    "chaque tout tous toutes toute sans sous lors elles ils".split()
)


def fold(text: str) -> str:
    """Lower case, ligatures spelt out, without accents: « Cœur » → « coeur »; other signs stay."""
    decomposed = unicodedata.normalize("NFKD", text.translate(LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def slugify(text: str, max_length: int = SLUG_LENGTH) -> str:
    """An identifier from a title: « Cœur de l’Épicerie d'Acoua » → `coeur-de-l-epicerie-d-acoua`.

    Every run of signs that is not a letter or a digit (spaces, apostrophes of both kinds) becomes one
    hyphen; a long identifier is cut after a whole word.
    """
    slug = "-".join(re.findall(r"[a-z0-9]+", fold(text)))
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] if "-" in slug[:max_length] else slug[:max_length]
    return slug


def words(text: str) -> list[str]:
    """The meaningful words of a text (three letters or more, not a stop word), folded."""
    return [w for w in re.findall(r"[a-z0-9]{3,}", fold(text)) if w not in STOPWORDS]
