"""The repository's own content and committed schemas: valid, and up to date."""

from __future__ import annotations

from pathlib import Path

import pytest
from commun.core.schema import render_schemas
from commun.stages.check import check
from commun.stages.read import load_vocabularies

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(ROOT)
    return ROOT


def test_repository_content_has_no_error(at_root: Path):
    content = check(Path("content"))
    assert [str(p) for p in content.errors] == []
    assert sum(1 for _ in content.all()) > 0


def test_committed_schemas_are_up_to_date(at_root: Path):
    vocabularies, problems = load_vocabularies(Path("content"))
    assert problems == []
    expected = render_schemas(vocabularies)
    committed = {path.name: path.read_text(encoding="utf-8") for path in Path("schemas").glob("*.schema.json")}
    stale = sorted(name for name in expected.keys() | committed.keys() if expected.get(name) != committed.get(name))
    assert stale == [], f"schémas périmés : {', '.join(stale)} ; lancez « commun schema »"
