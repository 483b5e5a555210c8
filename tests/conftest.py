"""Fixtures of the core tests: a minimal valid content folder per test, and helpers to change it."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from commun.core.corpus import Content
from commun.stages.check import check

TESTS = Path(__file__).resolve().parent
for folder in (TESTS, TESTS.parent / "scripts"):  # `factories` and the scripts (synthetic corpus, bench)
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from factories import BODY, make_content, write_fiche  # noqa: E402


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    """A minimal valid content folder (one fiche of every kind)."""
    return make_content(tmp_path)


@pytest.fixture
def write(content_dir: Path) -> Callable[..., Path]:
    """`write(kind, slug, data, body=…, suffix=…)`: add a fiche to the minimal folder."""

    def _write(kind: str, slug: str, data: dict[str, Any], body: str = BODY, *, suffix: str = ".md") -> Path:
        return write_fiche(content_dir, kind, slug, data, body, suffix=suffix)

    return _write


@pytest.fixture
def checked(content_dir: Path) -> Callable[[], Content]:
    """`checked()`: run the check on the minimal folder, as modified by the test."""
    return lambda: check(content_dir)


@pytest.fixture
def chdir_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from tmp_path so that paths in messages read `content/<kind>/<file>`."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
