"""Under `mkdocs serve`, the related fiches of a rebuild (`RelatedMemory`) are those of a graph built afresh,
though only the fiches an edit can have moved are ranked again."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from commun.stages import graph as graph_module
from commun.stages.check import CheckCache, check
from commun.stages.graph import Graph, RelatedMemory, build_graph
from synthetic import generate

Edit = Callable[[Path], None]


def replace(path: Path, pattern: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    changed = re.sub(pattern, new, text, count=1, flags=re.M)
    assert changed != text, f"{pattern!r} absent de {path.name}"
    path.write_text(changed, encoding="utf-8")


def first(content: Path, kind: str) -> Path:
    return sorted((content / kind).glob("*.md"))[0]


def new_resume(words: str) -> Edit:
    return lambda content: replace(first(content, "initiatives"), r"^resume: .*$", f"resume: {words}")


def new_title(content: Path) -> None:
    replace(first(content, "outils"), r"^titre: .*$", "titre: Guide des visites aux familles isolées")


def new_theme(content: Path) -> None:
    replace(first(content, "initiatives"), r"^thematiques:\n(- .*\n)+", "thematiques:\n- logement-hebergement\n")


def new_link(content: Path) -> None:
    """An initiative now says it was inspired by one of its related initiatives: its page lists it as such,
    so no longer as related."""
    graph = build_graph(check(content))
    source, target = next(
        (fiche, other)
        for fiche in graph.of_kind("initiatives")
        if "\n  inspire_de:" in fiche.document.path.read_text(encoding="utf-8")
        for other in graph.related[("initiatives", fiche.slug)]
        if other.kind == "initiatives"
    )
    replace(source.document.path, r"^  inspire_de:.*$", f"  inspire_de:\n  - {target.slug}")


def added(content: Path) -> None:
    source = first(content, "initiatives")
    (source.parent / "initiative-copie.md").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")


def removed(content: Path) -> None:
    sorted((content / "initiatives").glob("*.md"))[-1].unlink()


EDITS: dict[str, Edit] = {
    "résumé aux mots répandus": new_resume("Des visites aux personnes âgées isolées, avec les familles et le CCAS"),
    "résumé aux mots rares": new_resume("Mesure de modification alpha"),
    "titre": new_title,
    "thématiques": new_theme,
    "référence ajoutée": new_link,
    "fiche ajoutée": added,
    "fiche retirée": removed,
}


def related(graph: Graph) -> dict[tuple[str, str], list[str]]:
    return {key: [f"{f.kind}/{f.slug}" for f in fiches] for key, fiches in graph.related.items()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("proches") / "content", 300, seed=5)


@pytest.fixture
def content(corpus: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(corpus, tmp_path / "content"))


def rebuilt(content: Path, edits: list[Edit], monkeypatch: pytest.MonkeyPatch) -> tuple[Graph, int]:
    """The graph after each edit in turn, as a serve rebuild makes it; and how many fiches the last was ranked for."""
    cache, memory = CheckCache(), RelatedMemory()
    graph = build_graph(check(content, cache), related=memory)
    ranked = []
    original = graph_module.heapq.nsmallest

    def counting(*args: object, **kwargs: object) -> object:
        ranked.append(1)
        return original(*args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(graph_module.heapq, "nsmallest", counting)
    for edit in edits:
        ranked.clear()
        edit(content)
        graph = build_graph(check(content, cache), related=memory)
    return graph, len(ranked)


@pytest.mark.parametrize("edit", list(EDITS.values()), ids=list(EDITS))
def test_related_fiches_after_an_edit_are_those_of_a_fresh_graph(
    content: Path, edit: Edit, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph, _ = rebuilt(content, [edit], monkeypatch)
    fresh = build_graph(check(content))
    assert related(graph) == related(fresh)


def test_a_series_of_edits_keeps_them_right(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    graph, _ = rebuilt(content, list(EDITS.values()), monkeypatch)
    assert related(graph) == related(build_graph(check(content)))


def test_an_edit_of_rare_words_ranks_few_fiches_again(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The memory is used: once the rare words are in, editing them again ranks only the fiches sharing them."""
    _, ranked = rebuilt(content, [EDITS["résumé aux mots rares"], new_resume("Mesure de modification bravo")],
                        monkeypatch)  # fmt: skip
    total = len(list(build_graph(check(content)).all()))
    assert 1 <= ranked < total / 10


def test_a_memory_that_kept_every_ranking_would_be_caught(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison above finds a stale ranking: a memory that never ranks again fails it."""
    monkeypatch.setattr(RelatedMemory, "ranking", lambda self, index, *args: self.ranked[index])
    graph, _ = rebuilt(content, [EDITS["thématiques"]], monkeypatch)
    assert related(graph) != related(build_graph(check(content)))
