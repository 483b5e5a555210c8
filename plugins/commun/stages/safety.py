"""What no fiche may hold, whatever its kind: characters that cannot be seen, and resources from outside.

A page of the commun loads nothing from another site (no image, video, sound, style or font): a reader
is followed by no one, and the page looks the same offline. A link the reader chooses to follow stays
allowed. Images live in `content/images/`, with a text alternative and a bounded weight.

Characters that cannot be seen but change what a text says or how it reads (control characters,
bidirectional overrides) are refused everywhere; zero-width ones only in identifiers, where two values
that look the same must be the same.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote

IMAGES = "images"
"""The folder of the fiches' images, under the content folder and, as is, on the site."""
IMAGE_MAX_BYTES = 500 * 1024
IMAGE_TYPES = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WebP", ".gif": "GIF", ".avif": "AVIF"}
REFUSED_TAGS = ("script", "iframe", "object", "embed", "applet", "form", "style", "base", "meta", "link")
"""HTML elements refused in a body whatever their attributes (see check.UNSAFE_BODY)."""

# --- invisible characters --------------------------------------------------------------------------

CONTROL = ((0x00, 0x08), (0x0B, 0x0C), (0x0E, 0x1F), (0x7F, 0x9F))  # C0 but tab and line ends, DEL, C1
BIDI = ((0x202A, 0x202E), (0x2066, 0x2069))  # embeddings, overrides and isolates
ZERO_WIDTH = ((0x200B, 0x200D), (0x2060, 0x2060), (0xFEFF, 0xFEFF))
# (`\r` is not there: it is read as a line end.)


def _class(*ranges: tuple[int, int]) -> str:
    return "[" + "".join(f"{re.escape(chr(first))}-{re.escape(chr(last))}" for first, last in ranges) + "]"


INVISIBLE = re.compile(_class(*CONTROL, *BIDI, *ZERO_WIDTH))
HIDING = re.compile(_class(*CONTROL, *BIDI))
"""The invisible characters refused everywhere, zero-width ones being refused only in identifiers."""
_ENCODED = [chr(code).encode() for first, last in (*CONTROL, *BIDI, *ZERO_WIDTH) for code in range(first, last + 1)]
_OTHER_BYTES = bytes(sorted(set(range(256)) - set(b"".join(_ENCODED))))
_ENCODED_SEARCH = re.compile(
    rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\xc2\xe2\xef](?:(?<=[\x00-\x7f])|(?<=\xc2)[\x80-\x9f]"
    rb"|(?<=\xe2)\x80[\x8b-\x8d\xaa-\xae]|(?<=\xe2)\x81[\xa0\xa6-\xa9]|(?<=\xef)\xbb\xbf)"
)
"""The UTF-8 of those characters: one set of first bytes, then what follows each (faster than a choice of
sequences; test_safety checks it finds each character, and no other alone)."""


def may_hide(raw: bytes) -> bool:
    """Whether a file's bytes may hold an invisible character, searched before they are decoded: true for every
    file that holds one, seldom for another. The bytes that are in no such character are dropped first (fast,
    in C): the search then runs on what is left of a few accented letters, and a character's bytes, all kept,
    stay together."""
    return _ENCODED_SEARCH.search(raw.translate(None, _OTHER_BYTES)) is not None


NAMES = {
    0x00: "caractère nul",
    0x0B: "tabulation verticale",
    0x0C: "saut de page",
    0x1B: "échappement",
    0x7F: "suppression",
    0x200B: "espace sans largeur",
    0x200C: "antiliant sans largeur",
    0x200D: "liant sans largeur",
    0x2060: "gluon de mots",
    0xFEFF: "espace insécable sans largeur",
    0x202A: "enchâssement de gauche à droite",
    0x202B: "enchâssement de droite à gauche",
    0x202C: "fin d'enchâssement ou de forçage",
    0x202D: "forçage de gauche à droite",
    0x202E: "inversion du sens d'écriture",
    0x2066: "isolement de gauche à droite",
    0x2067: "isolement de droite à gauche",
    0x2068: "isolement selon le premier caractère",
    0x2069: "fin d'isolement",
}


def describe(char: str) -> str:
    """`caractère invisible U+202E (inversion du sens d'écriture)`."""
    return f"caractère invisible U+{ord(char):04X} ({NAMES.get(ord(char), 'caractère de contrôle')})"


def is_control(char: str) -> bool:
    return ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F


def line_column(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of `text[index]`."""
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def hiding(text: str) -> Iterator[tuple[int, str]]:
    """Where the characters refused everywhere are in `text`, and which."""
    for match in HIDING.finditer(text):
        yield match.start(), match.group()


def invisible_in(value: str) -> str | None:
    """The first invisible character of an identifier, if any."""
    match = INVISIBLE.search(value)
    return match.group() if match else None


def visible(value: str) -> str:
    """A value as it reads, for a message: without its invisible characters."""
    return INVISIBLE.sub("", value)


# --- resources a browser would fetch ---------------------------------------------------------------

FETCHED = frozenset({"src", "srcset", "imagesrcset", "poster", "data", "background", "lowsrc", "dynsrc", "ping"})
"""Attributes whose address a browser loads by itself; `href` too on elements other than a link."""
LINKS = frozenset({"a", "area"})
SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")
LEFT_TO_OTHER_RULES = ("javascript:", "vbscript:", "data:")  # refused with their own message (check.UNSAFE_BODY)
AROUND = "".join(map(chr, range(0x21)))  # what browsers strip around an address: controls and spaces
CSS_FETCH = re.compile(r"@import|\b(?:url|image-set|image|cross-fade|element|src)\s*\(", re.I)
CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\n\r\f]?|(.))", re.S)
CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|\Z)", re.S)
TAG = re.compile(r"<([a-zA-Z][^\t\n\f\r />]*)")
ATTRIBUTE = re.compile(
    r"[\t\n\f\r /]*([^\t\n\f\r />][^\t\n\f\r />=]*)(?:[\t\n\f\r ]*=[\t\n\f\r ]*(\"[^\"]*\"?|'[^']*'?|[^\t\n\f\r >]*))?"
)
"""One attribute as an HTML parser reads it: a quoted value may hold `>`, `/` separates like a space."""
LIST_ATTRIBUTE = re.compile(r"([A-Za-z_:][-\w:.]*)\s*=\s*(\"[^\"\n]*\"|'[^'\n]*'|[^\s}]+)")
"""One `key=value` of a Markdown attribute list (`{: style="…" }`)."""
BRACKET = re.compile(r"\\.|[\[\]]", re.S)
REFERENCE = re.compile(r"^[ ]{0,3}\[([^\[\]\n]{0,999})\]:[ ]*\n?[ ]*<?([^\s>]+)", re.M)
REFERENCE_USE = re.compile(r"\s?\[([^\]]{0,999})\]")
ESCAPABLE_IMAGE = re.compile(r"(?<!\\)(?:\\\\)*(!\[)")  # `\![` is text, `\\![` a backslash then an image
INLINE_URL = re.compile(r"\(\s*(?:<([^>\n]*)>|((?:[^()\\\"']|\\.|\((?:[^()\\]|\\.)*\))*))", re.S)
"""The address of an inline image, up to its title or its closing parenthesis: it may span lines, as the
line end is dropped by browsers."""


@dataclass(frozen=True, slots=True)
class Image:
    """A Markdown image whose file is in the repository: its file is checked on disk at each check."""

    offset: int
    """Where its address starts in the body."""
    address: str
    """The address as written, for messages."""
    path: str
    """The file it names, relative to the fiche's folder (address without query or fragment, decoded)."""


def _address(url: str) -> str:
    """An address as a browser reads it: entities decoded, tabs and line ends dropped, spaces around left out."""
    return re.sub(r"[\t\n\r]", "", html.unescape(url)).strip(AROUND)


def outside(url: str) -> bool:
    """Whether a browser would fetch `url` from another site: any scheme, or `//host/…` (also `\\\\host`)."""
    url = _address(url)
    if url[:2] in ("//", "\\\\", "/\\", "\\/"):
        return True
    return bool(SCHEME.match(url)) and not url.lower().startswith(LEFT_TO_OTHER_RULES)


def _local_path(url: str) -> str:
    return unquote(_address(url).split("#", 1)[0].split("?", 1)[0])


def _short(url: str) -> str:
    url = re.sub(r"[\t\n\r]", "", visible(url)).strip()
    return url if len(url) <= 80 else url[:79] + "…"


def _css_fetch(style: str) -> str | None:
    """What a style attribute would load (`url(`, `@import`…), read as a browser reads it: entities and CSS
    escapes decoded, comments left out."""
    text = html.unescape(style)
    text = CSS_ESCAPE.sub(
        lambda m: chr(int(m[1], 16)) if m[1] and 0 < int(m[1], 16) <= 0x10FFFF else (m[2] or "\ufffd"), text
    )
    match = CSS_FETCH.search(CSS_COMMENT.sub("", text))
    return re.sub(r"\s+", "", match.group()) if match else None


def _srcset(value: str) -> Iterator[tuple[int, str]]:
    """The addresses of a `srcset` (`a.png 1x, b.png 2x`), with their offsets in the value."""
    for match in re.finditer(r"[^\s,][^\s]*", value):
        word = match.group()
        if re.fullmatch(r"[\d.]+[wxh]?,?", word, re.I):
            continue  # a descriptor
        yield match.start(), word.rstrip(",")


def _attribute_problems(tag: str, name: str, value: str, offset: int) -> Iterator[tuple[int, str]]:
    what = f"attribut « {name} » de <{tag}>" if tag else f"attribut « {name} »"
    if name == "style":
        if (fetch := _css_fetch(value)) is not None:
            yield (
                offset,
                f"{what} qui charge « {fetch} » : un style ne charge aucune ressource ; "
                "pour une image, écrivez ![description](../images/nom.png)",
            )
        return
    if name.startswith("on") and not tag:  # in an HTML tag, check.UNSAFE_BODY reports it
        yield offset, f"attribut « {name} » interdit : pas de code dans le texte d'une fiche"
        return
    if name in FETCHED or (tag and name in ("href", "xlink:href") and tag not in LINKS):
        if name.endswith("srcset"):
            addresses = list(_srcset(value))
        elif name == "ping":
            addresses = [(m.start(), m.group()) for m in re.finditer(r"\S+", value)]
        else:
            addresses = [(len(value) - len(value.lstrip()), value)]
        for start, address in addresses:
            if outside(address):
                yield (
                    offset + start,
                    f"ressource extérieure au site « {_short(address)} » ({what}) : une page du commun ne charge "
                    "rien d'un autre site ; un lien [texte](https://…) reste possible",
                )
            elif (
                (local := _address(address))
                and not local.startswith("#")
                and not local.lower().startswith(LEFT_TO_OTHER_RULES)
            ):
                yield (
                    offset + start,
                    f"image « {_short(address)} » insérée en HTML ({what}) : une image du dossier content/images/ "
                    "s'insère en Markdown, ![description](../images/nom.png)",
                )


def _html_problems(body: str) -> Iterator[tuple[int, str]]:
    """Resources loaded by HTML tags: each tag read as a browser reads it, in one pass over the body."""
    position = 0
    while (tag := TAG.search(body, position)) is not None:
        name = tag.group(1).lower()
        position = tag.end()
        while (attribute := ATTRIBUTE.match(body, position)) is not None and attribute.end() > position:
            position = attribute.end()
            raw = attribute.group(2)
            if raw is None or name in REFUSED_TAGS:
                continue
            start = attribute.start(2)
            if raw[:1] in ("'", '"'):
                raw, start = raw[1:].removesuffix(raw[0]), start + 1
            yield from _attribute_problems(name, attribute.group(1).lower(), raw, start)


def _list_problems(body: str) -> Iterator[tuple[int, str]]:
    """Attributes set by Markdown attribute lists (`{: style="…" }`), read line by line."""
    start = 0
    for line in body.split("\n"):
        first, last = line.find("{"), line.rfind("}")
        if 0 <= first < last and "=" in line:
            for attribute in LIST_ATTRIBUTE.finditer(line, first, last):
                raw, offset = attribute.group(2), start + attribute.start(2)
                if raw[:1] in ("'", '"'):
                    raw, offset = raw[1:-1], offset + 1
                name = attribute.group(1).lower()
                if name not in ("href", "xlink:href"):  # on a Markdown link, a link
                    yield from _attribute_problems("", name, raw, offset)
        start += len(line) + 1


def _markdown_images(body: str) -> Iterator[tuple[int, int, str, str]]:
    """Every Markdown image, inline or by reference: offsets of its `![` and of its address, address, alt text.

    Brackets are matched in one pass (nested brackets and backslash escapes as Python-Markdown reads them).
    """
    closing: dict[int, int] = {}
    opened: list[int] = []
    for match in BRACKET.finditer(body):
        if match.group() == "[":
            opened.append(match.start())
        elif match.group() == "]" and opened:
            closing[opened.pop()] = match.end()
    references: dict[str, tuple[int, str]] = {}
    if "]:" in body:
        for match in REFERENCE.finditer(body):
            references.setdefault(" ".join(match.group(1).split()).lower(), (match.start(2), match.group(2)))
    for match in ESCAPABLE_IMAGE.finditer(body):
        start = match.start(1)
        end = closing.get(start + 1)
        if end is None:
            continue
        alt = body[start + 2 : end - 1]
        if (inline := INLINE_URL.match(body, end)) is not None:
            group = 1 if inline.group(1) is not None else 2
            yield start, inline.start(group), inline.group(group).rstrip(), alt
            continue
        used = REFERENCE_USE.match(body, end)
        label = used.group(1) if used is not None and used.group(1).strip() else alt
        if (reference := references.get(" ".join(label.split()).lower())) is not None:
            yield start, reference[0], reference[1], alt


def body_resources(body: str) -> tuple[list[tuple[int, str]], list[Image]]:
    """What a body makes a browser load: (offset, French message) of each refused resource, and the images of
    the repository it shows, whose files are checked on disk by the caller.

    Bodies without `![`, `<` or `{` (most of them) are not scanned.
    """
    problems: list[tuple[int, str]] = []
    images: list[Image] = []
    if "![" in body:
        for start, offset, address, alt in _markdown_images(body):
            if outside(address):
                problems.append(
                    (
                        offset,
                        f"image extérieure au site « {_short(address)} » : une page du commun ne charge rien d'un "
                        "autre site ; enregistrez l'image dans content/images/ et écrivez "
                        "![description](../images/nom.png)",
                    )
                )
            elif (
                (local := _address(address))
                and not local.startswith("#")
                and not local.lower().startswith(LEFT_TO_OTHER_RULES)
            ):
                if not visible(html.unescape(alt)).strip():
                    problems.append(
                        (
                            start,
                            f"image « {_short(address)} » sans texte de remplacement : décrivez-la entre les crochets, "
                            f"![description]({_short(address)})",
                        )
                    )
                images.append(Image(offset, address, _local_path(address)))
    if "<" in body:
        problems.extend(_html_problems(body))
    if "{" in body:
        problems.extend(_list_problems(body))
    return problems, images
