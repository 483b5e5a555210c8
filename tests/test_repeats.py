"""`commun check` warns of boilerplate: a long paragraph repeated in three fiches or more, each occurrence named."""

from __future__ import annotations

from pathlib import Path

import pytest
from commun.adapters.cli import main
from commun.stages.check import check
from commun.stages.repeats import MIN_LENGTH
from factories import BODY, FICHES, write_fiche

FILLER = (
    "Le CCAS est un établissement public administratif communal qui anime une action générale de prévention "
    "et de développement social dans la commune, en liaison étroite avec les institutions publiques et privées."
)
# Three real fiches of the minimal folder, each with its body.
THREE = [("initiatives", "epicerie-solidaire"), ("outils", "grille-entretien"), ("modules", "module-accueil")]


def with_paragraph(content: Path, fiches: list[tuple[str, str]], paragraph: str) -> dict[tuple[str, str], Path]:
    """Write `fiches` again with `paragraph` in their body, after an own paragraph of different lengths."""
    paths = {}
    for index, (kind, slug) in enumerate(fiches):
        own = "Une phrase propre à la fiche.\n" * (index + 1)
        paths[(kind, slug)] = write_fiche(content, kind, slug, FICHES[(kind, slug)], f"{BODY}\n{own}\n{paragraph}\n")
    return paths


def line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").splitlines().index(text) + 1


def repeats(content: Path) -> list:
    return [p for p in check(content).problems if "repris à l'identique" in p.message]


def test_filler_is_long_enough_to_count() -> None:
    assert len(FILLER) >= MIN_LENGTH


def test_a_long_paragraph_in_three_fiches_is_reported_at_each_occurrence(content_dir: Path) -> None:
    paths = with_paragraph(content_dir, THREE, FILLER)
    found = repeats(content_dir)
    assert [(p.path, p.line, p.severity) for p in found] == sorted(
        (str(path), line_of(path, FILLER), "avertissement") for path in paths.values()
    )
    for problem in found:
        others = [f"{path}:{line_of(path, FILLER)}" for path in sorted(paths.values()) if str(path) != problem.path]
        assert problem.message == (
            f"paragraphe « Le CCAS est un établissement public… » repris à l'identique dans 3 fiches "
            f"(aussi {', '.join(others)}) : écrivez-le une seule fois, sur la fiche qui en est la source, et "
            "faites-y un lien depuis les autres"
        )


def test_two_fiches_sharing_a_paragraph_are_not_reported(content_dir: Path) -> None:
    with_paragraph(content_dir, THREE[:2], FILLER)
    assert repeats(content_dir) == []


def test_a_short_paragraph_in_three_fiches_is_not_reported(content_dir: Path) -> None:
    short = FILLER[: MIN_LENGTH - 1]
    with_paragraph(content_dir, THREE, short)
    assert repeats(content_dir) == []
    with_paragraph(content_dir, THREE, FILLER[:MIN_LENGTH])
    assert len(repeats(content_dir)) == 3


def test_paragraphs_are_compared_once_their_white_space_is_normalised(content_dir: Path) -> None:
    wrapped = FILLER.replace(" dans la commune, ", "\ndans la commune,   ")
    paths = with_paragraph(content_dir, THREE[:2], FILLER)
    path = with_paragraph(content_dir, THREE[2:], wrapped)[THREE[2]]
    found = {p.path: p.line for p in repeats(content_dir)}
    assert found == {
        **{str(p): line_of(p, FILLER) for p in paths.values()},
        str(path): line_of(path, wrapped.splitlines()[0]),
    }


def test_the_same_paragraph_twice_in_one_fiche_is_no_repeat_between_fiches(content_dir: Path) -> None:
    with_paragraph(content_dir, THREE[:2], f"{FILLER}\n\n{FILLER}")
    assert repeats(content_dir) == []


def test_many_occurrences_name_three_and_count_the_rest(content_dir: Path) -> None:
    fiches = [*THREE, ("ccas", "ccas-reel"), ("ccas", "udccas-test")]
    with_paragraph(content_dir, fiches, FILLER)
    [first, *_] = repeats(content_dir)
    assert "dans 5 fiches (aussi " in first.message and " et 1 autre) :" in first.message


def test_the_command_shows_the_warnings_and_succeeds(content_dir: Path, capsys: pytest.CaptureFixture) -> None:
    with_paragraph(content_dir, THREE, FILLER)
    assert main(["check", str(content_dir)]) == 0
    out = capsys.readouterr().out
    assert out.count("avertissement: paragraphe « Le CCAS est un établissement public… »") == 3
    assert out.strip().endswith("0 erreur, 3 avertissements dans 3 fichiers")


def test_the_repository_has_no_repeated_paragraph() -> None:
    """The content was deduplicated: the check passes on content/ as committed."""
    content = Path(__file__).resolve().parents[1] / "content"
    assert [str(p) for p in repeats(content)] == []
