"""No personal contact detail from the source documents is published: names, phone numbers, e-mails.

The details are read from the seeds themselves (`../shared/seeds/`), so the test keeps working when
sources are added; a planted copy proves the scan finds them.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
TERRITOIRES = ROOT / "content" / "vocabulaires" / "territoires"
"""The referential of communes, generated from official data (scripts/referentiel_communes.py)."""

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<!\d)(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)")
NAME_AFTER_TITLE = re.compile(
    r"(?:Monsieur|Madame|Intervenant\s*:)\s*\**\s*([A-ZÉ][\wéèëï'-]+(?:[ /][A-ZÉ][\wéèëï'-]+)?)"
)
ALONE_ON_LINE = re.compile(r"\s*[A-ZÉ]\w+ [A-ZÉ]\w+\s*")
FULL_NAME = re.compile(r"\b([A-ZÉ][a-zéèëï]+ [A-ZÉ][a-zéèëïA-Z]+)\s*,")


def seed_details() -> dict[str, set[str]]:
    """Phones (as digits), e-mails and personal names found in the seeds."""
    details: dict[str, set[str]] = {"phones": set(), "emails": set(), "names": set()}
    for seed in sorted(SEEDS.glob("*.txt")):
        lines = seed.read_text(encoding="utf-8").splitlines()
        for index, line in enumerate(lines):
            details["emails"].update(m.lower() for m in EMAIL.findall(line))
            details["phones"].update(re.sub(r"\D", "", m) for m in PHONE.findall(line))
            near_contact = any(EMAIL.search(x) or PHONE.search(x) for x in lines[index : index + 3])
            if near_contact:
                details["names"].update(FULL_NAME.findall(line))
                if not EMAIL.search(line) and not PHONE.search(line) and ALONE_ON_LINE.fullmatch(line):
                    details["names"].add(line.strip())
            details["names"].update(n.split("/")[0].strip() for n in NAME_AFTER_TITLE.findall(line))
    return details


def published_files() -> list[Path]:
    """Every file of the repository (tracked or new, not ignored), but this test."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.splitlines()
    return [ROOT / p for p in listed if (ROOT / p).is_file() and ROOT / p != Path(__file__)]


def leaks(files: list[Path], details: dict[str, set[str]]) -> list[str]:
    found = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        digits_runs = {re.sub(r"\D", "", m) for m in PHONE.findall(text)}
        lowered = text.lower()
        for email in details["emails"]:
            if email in lowered:
                found.append(f"{path.name}: e-mail {email}")
        for phone in details["phones"] & digits_runs:
            found.append(f"{path.name}: téléphone {phone}")
        places = path.is_relative_to(TERRITOIRES)  # place names (Courtois-sur-Yonne) share surnames: full names only
        for name in details["names"]:
            surname = name.split()[-1]
            if re.search(rf"\b{re.escape(name)}\b", text, re.I) or (
                not places and len(surname) >= 6 and re.search(rf"\b{re.escape(surname)}\b", text, re.I)
            ):
                found.append(f"{path.name}: nom {name}")
    return found


pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds absent : rien à comparer")


def test_seeds_hold_personal_details_to_look_for() -> None:
    details = seed_details()
    assert len(details["emails"]) >= 3
    assert len(details["phones"]) >= 3
    assert len(details["names"]) >= 3


def test_no_personal_detail_from_the_seeds_is_in_the_repository() -> None:
    assert leaks(published_files(), seed_details()) == []


def test_the_scan_finds_a_planted_detail(tmp_path: Path) -> None:
    details = seed_details()
    email, phone, name = sorted(details["emails"])[0], sorted(details["phones"])[0], sorted(details["names"])[0]
    spaced = " ".join(phone[i : i + 2] for i in range(0, len(phone), 2))
    planted = tmp_path / "fiche.md"
    planted.write_text(f"Contact : {name.upper()}, {email}, {spaced}\n", encoding="utf-8")
    found = leaks([planted], details)
    assert any("e-mail" in f for f in found)
    assert any("téléphone" in f for f in found)
    assert any("nom" in f for f in found)
