"""Digests of the personal details of the source documents, which nothing published may hold.

    python scripts/personal_digests.py [SEEDS] > tests/personal_digests.txt

The sources (`../shared/seeds/` beside the repository, or SEEDS) name people and give their phone numbers
and e-mail addresses; the site publishes functions and service contacts only. This script finds those
details in the sources and prints, for each, its kind and the SHA-256 of its normal form: the repository
keeps these digests, never the details, and `tests/test_personal_data.py` looks for them in every file,
from any clone. Run it again when a source is added (the test says so when the seeds are there).

A digest hides a detail from a reader of the repository, not from someone who tries every phone number:
it keeps the details out of the repository, it does not make them secret.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from commun.core.text import fold

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
HEADER = (
    "# SHA-256 of the personal details of the sources (names, phones, e-mails) that nothing published may hold.\n"
    "# Made by scripts/personal_digests.py from ../shared/seeds; the details themselves are never written here.\n"
)

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\d+])(?:(?:\+|00)\s?(?:33|262)\s?(?:\(0\)\s?)?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)")
NAME_AFTER_TITLE = re.compile(
    r"(?:Monsieur|Madame|Intervenant\s*:)\s*\**\s*([A-ZÉ][\wéèëï'-]+(?:[ /][A-ZÉ][\wéèëï'-]+)?)"
)
ALONE_ON_LINE = re.compile(r"\s*[A-ZÉ]\w+ [A-ZÉ]\w+\s*")
FULL_NAME = re.compile(r"\b([A-ZÉ][a-zéèëï]+ [A-ZÉ][a-zéèëïA-Z]+)\s*,")
SURNAME_LENGTH = 6
"""A surname alone counts as a leak from this length on: shorter ones are too often ordinary words."""


def email(text: str) -> str:
    return text.strip().lower()


def phone(text: str) -> str:
    """The national form of a French number: `+33 6 12…`, `0033 6 12…` and `06 12…` are one number."""
    digits = re.sub(r"\D", "", text)
    for country in ("33", "262"):
        for prefix in (f"00{country}", country):
            if digits.startswith(prefix) and len(digits) - len(prefix) == 9:
                return "0" + digits[len(prefix) :]
    return digits


def words(text: str) -> list[str]:
    """Letters only, folded by the one rule of core/text.py: `ÉLODIE  d'Arc` → élodie, d, arc, folded."""
    return re.findall(r"[a-z]+", fold(text))


def digest(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


def details(seeds: Path) -> dict[str, set[str]]:
    """The e-mails, phones (national form) and personal names the sources give."""
    found: dict[str, set[str]] = {"email": set(), "telephone": set(), "nom": set()}
    for seed in sorted(seeds.glob("*.txt")):
        lines = seed.read_text(encoding="utf-8").splitlines()
        for index, line in enumerate(lines):
            found["email"].update(email(m) for m in EMAIL.findall(line))
            found["telephone"].update(phone(m) for m in PHONE.findall(line))
            near_contact = any(EMAIL.search(x) or PHONE.search(x) for x in lines[index : index + 3])
            if near_contact:
                found["nom"].update(FULL_NAME.findall(line))
                if not EMAIL.search(line) and not PHONE.search(line) and ALONE_ON_LINE.fullmatch(line):
                    found["nom"].add(line.strip())
            found["nom"].update(n.split("/")[0].strip() for n in NAME_AFTER_TITLE.findall(line))
    return found


def name_forms(name: str) -> set[str]:
    """What of a name may not appear: the name in either order, and the surname alone when long enough."""
    parts = words(name)
    forms = {" ".join(parts), " ".join(reversed(parts))}
    if len(parts[-1]) >= SURNAME_LENGTH:
        forms.add(parts[-1])
    return forms


def digests(found: dict[str, set[str]]) -> set[tuple[str, str]]:
    """(kind, digest) of every detail, a name in each of its forms."""
    out = {(kind, digest(kind, value)) for kind in ("email", "telephone") for value in found[kind]}
    out.update(("nom", digest("nom", form)) for name in found["nom"] for form in name_forms(name))
    return out


def candidates(text: str, surnames: bool = True) -> dict[str, set[str]]:
    """What of a text could be a detail, in normal form: its e-mails, its phone numbers, and its words two or
    three at a time (a name), and alone unless `surnames` is false. The text is read as a browser shows it
    (`&#64;` is `@`)."""
    text = html.unescape(text)
    found = {"email": {email(m) for m in EMAIL.findall(text)}, "telephone": {phone(m) for m in PHONE.findall(text)}}
    folded = words(text)
    names = {word for word in folded if len(word) >= SURNAME_LENGTH} if surnames else set()
    for size in (2, 3):
        names.update(" ".join(folded[i : i + size]) for i in range(len(folded) - size + 1))
    found["nom"] = names
    return found


def leaks(files: Iterable[Path], known: set[tuple[str, str]], *, surnames: bool = True) -> list[str]:
    """`file: kind « what »` for each detail of `known` found in the files (a surname alone only with `surnames`)."""
    found = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for kind, values in candidates(text, surnames).items():
            found.extend(
                f"{path}: {kind} « {value} »" for value in sorted(values) if (kind, digest(kind, value)) in known
            )
    return found


def read(path: Path) -> set[tuple[str, str]]:
    """The digests kept in a file written by this script."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return {(kind, value) for kind, value in (line.split() for line in lines if line and not line.startswith("#"))}


def render(known: set[tuple[str, str]]) -> str:
    return HEADER + "".join(f"{kind} {value}\n" for kind, value in sorted(known))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Empreintes SHA-256 des données personnelles des sources.")
    parser.add_argument("sources", nargs="?", type=Path, default=SEEDS, help=f"dossier des sources ({SEEDS})")
    args = parser.parse_args(argv)
    if not args.sources.is_dir():
        print(f"dossier des sources introuvable : {args.sources}", file=sys.stderr)
        return 2
    sys.stdout.write(render(digests(details(args.sources))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
