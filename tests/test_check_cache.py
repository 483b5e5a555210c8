"""Under `mkdocs serve`, `check` reuses what it made of unchanged files: always the same result as a fresh check."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from commun.core.corpus import Content
from commun.stages import read as load
from commun.stages.check import CheckCache, check
from factories import fiche_data, make_content, messages, write_fiche

INITIATIVE = ("initiatives", "epicerie-solidaire")


def summary(content: Content) -> tuple[list[str], dict[str, list[str]], str]:
    """What a check says: its problems, the fiches that passed, and one of them in full."""
    fiches = {kind: sorted(by_slug) for kind, by_slug in content.fiches.items()}
    initiative = content.fiches["initiatives"].get("epicerie-solidaire")
    return messages(content.problems), fiches, repr(initiative.meta) if initiative else ""


def touch(path: Path) -> None:
    """Writes within one clock tick keep their time: move it on, as a later edit would."""
    status = path.stat()
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))


def retitle(content: Path) -> None:
    touch(write_fiche(content, *INITIATIVE, fiche_data(*INITIATIVE, titre="Épicerie renommée")))


def break_reference(content: Path) -> None:
    touch(write_fiche(content, *INITIATIVE, fiche_data(*INITIATIVE, porteur="ccas-inconnu")))


def break_yaml(content: Path) -> None:
    path = content / INITIATIVE[0] / f"{INITIATIVE[1]}.md"
    path.write_text("---\ntitre: [\n---\n", encoding="utf-8")
    touch(path)


def remove(content: Path) -> None:
    (content / INITIATIVE[0] / f"{INITIATIVE[1]}.md").unlink()


def remove_target(content: Path) -> None:
    """An unchanged fiche whose reference breaks because another file went away."""
    porteur = fiche_data(*INITIATIVE)["porteur"]
    (content / "ccas" / f"{porteur}.md").unlink()


EDITS: dict[str, Callable[[Path], None]] = {
    "titre modifié": retitle,
    "référence cassée": break_reference,
    "YAML cassé": break_yaml,
    "fiche supprimée": remove,
    "cible supprimée": remove_target,
}


@pytest.mark.parametrize("edit", list(EDITS.values()), ids=list(EDITS))
def test_a_cached_check_equals_a_fresh_check(tmp_path: Path, edit: Callable[[Path], None]) -> None:
    content = make_content(tmp_path)
    cache = CheckCache()
    before = summary(check(content, cache))
    edit(content)
    fresh = summary(check(content))
    assert fresh != before, "l'édition doit changer le résultat, sinon le test ne prouve rien"
    assert summary(check(content, cache)) == fresh
    assert summary(check(content, cache)) == fresh  # and again, from the cache just refreshed


def test_after_a_fix_the_fiche_comes_back(tmp_path: Path) -> None:
    content = make_content(tmp_path)
    cache = CheckCache()
    check(content, cache)
    break_yaml(content)
    assert check(content, cache).errors
    retitle(content)
    assert summary(check(content, cache)) == summary(check(content))
    assert not check(content, cache).errors


def test_unchanged_files_are_not_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = make_content(tmp_path)
    cache = CheckCache()
    check(content, cache)
    read: list[Path] = []
    original = load.load_document

    def counting(path: Path, kind: str) -> load.Document:
        read.append(path)
        return original(path, kind)

    monkeypatch.setattr(load, "load_document", counting)
    retitle(content)
    check(content, cache)
    assert [path.stem for path in read] == [INITIATIVE[1]]


def test_a_cache_blind_to_changes_would_be_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison above finds a stale fiche: a cache that trusts every file it has seen fails it."""
    content = make_content(tmp_path)
    cache = CheckCache()
    check(content, cache)
    monkeypatch.setattr(CheckCache, "document", lambda self, path: r[0] if (r := self.results.get(path)) else None)
    retitle(content)
    assert summary(check(content, cache)) != summary(check(content))
