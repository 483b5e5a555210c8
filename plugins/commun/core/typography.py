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
from typing import Literal

NNBSP = "\u202f"
NBSP = "\u00a0"
_SPACE = "[ \t\u00a0\u202f]"
_AFTER = r"(?=[\s*_)\]»\"'’.,<]|\Z)"
"""What may follow « ; : ! ? » for it to be punctuation: not `:---` (a table), `?x=1`, `![image]`, `:smile:`."""

Mode = Literal["text", "html", "markdown"]

# --- what is left as written, and the rules on the rest ----------------------------------------------------------

_URL = r"(?:\b(?:https?|ftp)://|\bwww\.|\bmailto:)[^\s<>\"'`]*[^\s<>\"'`.,;:!?)\]»]"
_HTML = (
    r"<!--.*?(?:-->|\Z)"  # a comment
    r"|<(?P<raw>script|style|code|pre|kbd|samp|var|textarea|svg|math)\b[^>]*>.*?(?:</(?P=raw)\s*>|\Z)"  # code
    r"|</?[A-Za-z][^>]*>?"  # a tag with its attributes (and a Markdown autolink, <https://…>)
    r"|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);"  # a character reference
)
_MARKDOWN = (
    r"|^[ \t]*(?P<fence>`{3,}|~{3,})[^\n]*(?:\n.*?^[ \t]*(?P=fence)[`~]*[ \t]*$|.*\Z)"  # a fenced code block
    r"|(?P<ticks>`+)(?:(?!\n[ \t]*\n).)+?(?<!`)(?P=ticks)(?!`)"  # a code span (never across a blank line)
    r"|\]\([^)\n]*\)"  # a link's target and title
    r"|\]\[[^\]\n]*\]"  # a reference link's label
    r"|^[ \t]{0,3}\[[^\]\n]+\]:[^\n]*"  # a reference definition
    r"|\{:?[ \t]*[.#:][^}\n]*\}"  # an attribute list
)
_RULES = (
    rf"|(?P<before>(?<=\S){_SPACE}+(?P<sign>[;!?:]){_AFTER})"  # a space before a sign
    rf"|(?P<glued>(?<=[^\W\d_])[;!?]{_AFTER})"  # « Quoi? » → « Quoi ? »
    rf"|(?P<open>«{_SPACE}*(?=\S))"
    rf"|(?P<close>(?<=\S){_SPACE}*»)"
    r"|(?P<number>(?<![\d.,+])(?<![\d+][ \u00a0\u202f])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d]|[ \u00a0\u202f]\d))"
    r"(?:[ \u00a0\u202f]?(?P<unit>[€%])(?!\w))?"
    r"|(?P<amount>(?<=\d)[ \u00a0]?(?=[€%](?!\w)))"
)
_PATTERNS = {
    "text": re.compile(f"(?P<keep>{_URL}){_RULES}", re.I),
    "html": re.compile(f"(?P<keep>{_HTML}|{_URL}){_RULES}", re.I | re.S),
    "markdown": re.compile(f"(?P<keep>{_HTML}{_MARKDOWN}|{_URL}){_RULES}", re.I | re.S | re.M),
}
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?^(?:---|\.\.\.)[ \t]*$\n?", re.S | re.M)
_INDENTED = re.compile(r"\n[ \t]*\n(?: {4}|\t)")


def _rule(match: re.Match[str]) -> str:
    if match["keep"] is not None:
        return match["keep"]
    if match["before"] is not None:
        return (NBSP if match["sign"] == ":" else NNBSP) + match["sign"]
    if match["glued"] is not None:
        return NNBSP + match["glued"]
    if match["open"] is not None:
        return "«" + NNBSP
    if match["close"] is not None:
        return NNBSP + "»"
    if match["number"] is not None:
        number = re.sub(r"[ \u00a0\u202f]", NNBSP, match["number"])
        return number + (NNBSP + match["unit"] if match["unit"] else "")
    return NNBSP  # before € or %


def typeset(text: str, mode: Mode = "markdown") -> str:
    """`text` with French no-break spaces: plain `text`, an `html` fragment or `markdown` (with HTML in it)."""
    pattern = _PATTERNS[mode]
    if mode != "markdown":
        return pattern.sub(_rule, text)
    front = _FRONT_MATTER.match(text)
    head, text = (front[0], text[front.end() :]) if front else ("", text)
    if not _INDENTED.search(text):
        return head + pattern.sub(_rule, text)
    return head + "".join(chunk if code else pattern.sub(_rule, chunk) for code, chunk in _code_blocks(text))


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
