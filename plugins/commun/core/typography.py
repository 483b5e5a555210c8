"""French typography, applied when text is shown (pages, feeds, PDFs), never written by hand in the sources.

Contributors type ordinary spaces; what a reader sees gets no-break spaces where French typography puts them:

- a narrow no-break space (U+202F) before « ; ! ? », inside « guillemets », between the groups of digits of a
  number (« 4 000 ») and before « € » and « % »;
- a no-break space (U+00A0) before « : ».

Only spaces already typed are made no-break, except before « ; ! ? » written straight after a word and inside
guillemets, where the missing space is added. What is not prose is left exactly as written: code (spans,
blocks, `<code>`, `<pre>`, scripts), HTML tags and their attributes, link targets, addresses (URLs, e-mail),
character references, Markdown attribute lists and front matter. Identifiers (slugs, INSEE codes) hold no
space, so no rule can change them.

Not taken from a library: the one listed for French typography (french-typo 1.6.1, MIT) rewrites the whole
text (it drops the indentation of Markdown lines, edits code and identifiers, writes `&nbsp;` entities and
`<sup>` tags), has no narrow no-break space and no thousands separator.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

NNBSP = "\u202f"
NBSP = "\u00a0"
_SPACE = "[ \t\u00a0\u202f]"
_MARK = "\ud800"
"""Stands for a kept part (a tag, code…) while the rules run: a lone surrogate, which no text read from UTF-8 holds."""
_AFTER = rf"(?=[\s*_)\]»\"'’.,<{_MARK}]|\Z)"
"""What may follow « ; : ! ? » for it to be punctuation: not `:---` (a table), `?x=1`, `![image]`, `:smile:`."""

Mode = Literal["text", "html", "markdown"]

# --- what is left as written ------------------------------------------------------------------------------------
# Each alternative starts with a given character, and each rule below with a class of characters: the regular
# expression engine then jumps to where one can start. Kept parts are set aside with one `split`, then the rules
# run on the rest, each only if its characters are there: twice as fast as one expression of everything.

CODE_ELEMENTS = ("script", "style", "code", "pre", "kbd", "samp", "var", "textarea", "svg", "math")
"""HTML elements whose content is not prose."""
_URL = "|".join(  # one alternative per beginning, each starting with its letter (see above)
    rf"{start}[^\s<>\"'`]*[^\s<>\"'`.,;:!?)\]»]" for start in (r"https?://", "ftp://", r"www\.", "mailto:")
)
_HTML = (
    r"<!--.*?(?:-->|\Z)"  # a comment
    + "".join(rf"|<{name}\b[^>]*>.*?(?:</{name}\s*>|\Z)" for name in CODE_ELEMENTS)  # code, whole
    + r"|</?[A-Za-z][^>]*>?"  # a tag with its attributes (and a Markdown autolink, <https://…>)
    + r"|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);"  # a character reference
)
_MARKDOWN = (  # fenced and indented code blocks are cut out beforehand (`_code_blocks`)
    "".join(  # a code span, between as many backquotes on each side (never across a blank line)
        rf"|{ticks}(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`){ticks}(?!`)" for ticks in ("```", "``", "`")
    )
    + r"|\]\([^)\n]*\)"  # a link's target and title
    r"|\]\[[^\]\n]*\]"  # a reference link's label
    r"|\[[^\]\n]+\]:[^\n]*"  # a reference definition
    r"|\{:?[ \t]*[.#:][^}\n]*\}"  # an attribute list
)
_KEEP = {  # one group around the whole, and none inside: `split` gives prose and kept parts in turn
    "text": re.compile(f"({_URL})"),
    "html": re.compile(f"({_HTML}|{_URL})", re.S),
    "markdown": re.compile(f"({_HTML}{_MARKDOWN}|{_URL})", re.S),
}
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?^(?:---|\.\.\.)[ \t]*$\n?", re.S | re.M)
_CODE_BLOCK = re.compile(r"\n[ \t]*\n(?: {4}|\t)|```|~~~")

# --- the rules, on prose -----------------------------------------------------------------------------------------

_AFTER_SPACE = rf"{_SPACE}(?<=\S{_SPACE}){_SPACE}*"  # spaces after a visible sign (not a line's indentation)
_NUMBER = re.compile(  # « 4 000 », « 1 300 € »; not a phone number (« 0269 123 456 ») nor « 12,5 000 »
    rf"(?P<digits>\d(?<![\d.,+]\d)(?<![\d+]{_SPACE}\d)\d{{0,2}}(?:{_SPACE}\d{{3}})+)(?!\d|{_SPACE}\d)"
    rf"(?:{_SPACE}?(?P<unit>[€%])(?!\w))?"
)


def _number(match: re.Match[str]) -> str:
    digits = re.sub(_SPACE, NNBSP, match["digits"])
    return digits + NNBSP + match["unit"] if match["unit"] else digits


# (the characters one of which the text must hold for the rule to apply, the rule, its replacement)
_RULES: list[tuple[str, re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    ("0123456789", _NUMBER, _number),
    ("€%", re.compile(r"(\d)[ \u00a0]?([€%])(?!\w)"), rf"\1{NNBSP}\2"),
    (";!?", re.compile(rf"{_AFTER_SPACE}(?=[;!?]{_AFTER})"), NNBSP),
    (":", re.compile(rf"{_AFTER_SPACE}(?=:{_AFTER})"), NBSP),
    (";!?", re.compile(rf"([;!?])(?<=[^\W\d_][;!?]){_AFTER}"), rf"{NNBSP}\1"),  # « Quoi? » → « Quoi ? »
    ("«", re.compile(rf"«{_SPACE}*(?=\S)"), f"«{NNBSP}"),
    ("»", re.compile(rf"{_AFTER_SPACE}»"), f"{NNBSP}»"),
    ("»", re.compile(r"»(?<=\S»)"), f"{NNBSP}»"),
]


def _typeset(text: str, keep: re.Pattern[str]) -> str:
    """The rules on `text` with what `keep` matches set aside (each kept part is one `_MARK` meanwhile)."""
    if _MARK in text:  # cannot come from a UTF-8 file; left as it is rather than mixed up
        return text
    parts = keep.split(text)
    prose = _MARK.join(parts[::2])
    for needles, pattern, replacement in _RULES:
        if any(needle in prose for needle in needles):
            prose = pattern.sub(replacement, prose)
    if len(parts) == 1:
        return prose
    parts[::2] = prose.split(_MARK)
    return "".join(parts)


def typeset(text: str, mode: Mode = "markdown") -> str:
    """`text` with French no-break spaces: plain `text`, an `html` fragment or `markdown` (with HTML in it)."""
    keep = _KEEP[mode]
    if mode != "markdown":
        return _typeset(text, keep)
    front = _FRONT_MATTER.match(text)
    head, text = (front[0], text[front.end() :]) if front else ("", text)
    if not _CODE_BLOCK.search(text):
        return head + _typeset(text, keep)
    return head + "".join(chunk if code else _typeset(chunk, keep) for code, chunk in _code_blocks(text))


# --- indented code blocks ---------------------------------------------------------------------------------------

_CONTAINER = re.compile(r"[ \t]*(?:!!!|\?\?\?\+?|[-*+][ \t]|\d+[.)][ \t])")
_FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})")


def _code_blocks(text: str) -> list[tuple[bool, str]]:
    """`text` cut into (is code, chunk): fenced blocks, and blocks indented four spaces more than their
    container (the page, a list item, an admonition) after a blank line."""
    chunks: list[tuple[bool, list[str]]] = [(False, [])]
    bases = [0]  # content indentation of the open containers
    code_base: int | None = None
    fence: str | None = None
    blank_before = True
    for line in text.splitlines(keepends=True):
        stripped = line.lstrip(" \t")
        blank = not stripped.strip()
        indent = len(line[: len(line) - len(stripped)].expandtabs(4))
        if fence is not None:
            chunks[-1][1].append(line)
            if stripped.startswith(fence) and not stripped.rstrip().strip(fence[0]):
                fence = None
            continue
        if code_base is not None and (blank or indent >= code_base):
            chunks[-1][1].append(line)
            blank_before = blank
            continue
        code_base = None
        code = False
        if not blank:
            opener = _CONTAINER.match(line)
            if opener or blank_before:
                while len(bases) > 1 and bases[-1] > indent:
                    bases.pop()
            if blank_before and indent >= bases[-1] + 4:
                code_base, code = bases[-1] + 4, True
            elif found := _FENCE.match(line):
                fence, code = found[1], True
            elif opener:
                bases.append(indent + 4)
        if chunks[-1][0] != code or code:
            chunks.append((code, []))
        chunks[-1][1].append(line)
        blank_before = blank
    return [(code, "".join(lines)) for code, lines in chunks if lines]
