"""Problems: how they read, sort and add up, in French."""

from __future__ import annotations

import pytest
from commun.core.problems import ContentError, Problem, error, suggest, summary, warning


def test_problem_reads_like_a_compiler_message():
    assert str(error("content/initiatives/x.md", 12, 5, "message")) == (
        "content/initiatives/x.md:12:5: erreur: message"
    )
    assert str(warning("a.md", 1, 1, "attention")) == "a.md:1:1: avertissement: attention"


def test_problems_sort_by_file_then_line_then_column():
    problems = [error("b.md", 1, 1, "x"), error("a.md", 10, 1, "x"), error("a.md", 2, 9, "x"), error("a.md", 2, 3, "x")]
    assert [(p.path, p.line, p.column) for p in sorted(problems)] == [
        ("a.md", 2, 3),
        ("a.md", 2, 9),
        ("a.md", 10, 1),
        ("b.md", 1, 1),
    ]


def test_content_error_carries_sorted_problems():
    exc = ContentError([error("b.md", 1, 1, "y"), error("a.md", 1, 1, "x")])
    assert [p.path for p in exc.problems] == ["a.md", "b.md"]
    assert str(exc) == "a.md:1:1: erreur: x\nb.md:1:1: erreur: y"


@pytest.mark.parametrize(
    ("problems", "expected"),
    [
        ([], "0 erreur, 0 avertissement dans 0 fichier"),
        ([error("a", 1, 1, "x")], "1 erreur, 0 avertissement dans 1 fichier"),
        (
            [error("a", 1, 1, "x"), error("b", 1, 1, "x"), warning("b", 2, 1, "y")],
            "2 erreurs, 1 avertissement dans 2 fichiers",
        ),
        ([warning("a", 1, 1, "x"), warning("a", 2, 1, "x")], "0 erreur, 2 avertissements dans 1 fichier"),
    ],
)
def test_summary_agrees_in_french(problems: list[Problem], expected: str):
    assert summary(problems) == expected


def test_suggest_near_miss_only():
    assert suggest("acces-au-droits", ["acces-aux-droits", "handicap"]) == " ; vouliez-vous dire « acces-aux-droits » ?"
    assert suggest("zzz", ["acces-aux-droits", "handicap"]) == ""
    assert suggest("x", []) == ""
