"""The synthetic corpus used by the benchmarks: valid, complete, deterministic."""

from __future__ import annotations

import hashlib
import random
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from commun.core.kinds import KINDS
from commun.stages.check import check
from synthetic import UNFIT, Prose, generate, main

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "synthetic.py"
REPOSITORY_CONTENT = Path(__file__).resolve().parent.parent / "content"


def digest(folder: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        sha.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            sha.update(path.read_bytes())
    return sha.hexdigest()


@pytest.mark.parametrize("n", [1, 2, 5, 12, 60, 300])
def test_generated_corpus_passes_the_check(tmp_path: Path, n: int):
    content = check(generate(tmp_path / "content", n))
    assert [str(p) for p in content.errors] == []
    assert content.problems == []
    assert sum(1 for _ in content.all()) == n


def test_corpus_spreads_over_every_kind_with_references(tmp_path: Path):
    content = check(generate(tmp_path / "content", 300, seed=3))
    assert all(len(content.fiches[kind]) >= 10 for kind in KINDS)
    assert all(fiche.meta.exemple and fiche.meta.etat == "publie" for fiche in content.all())
    initiatives = list(content.fiches["initiatives"].values())
    assert any(f.meta.liens.inspire_de for f in initiatives) and any(f.meta.liens.outils for f in initiatives)
    assert any(f.meta.recommandee_par for f in initiatives)
    assert any(f.meta.fichiers for f in content.fiches["outils"].values())
    assert {f.meta.type for f in content.fiches["ccas"].values()} >= {"ccas", "udccas", "unccas"}
    bodies = [f.body for f in content.all()]
    assert all(body.count("\n\n") >= 2 and "## " in body for body in bodies)
    assert any("](../" in body for body in bodies)


def test_vocabularies_come_from_the_repository(tmp_path: Path):
    content_dir = generate(tmp_path / "content", 10)
    repository = Path(__file__).resolve().parent.parent / "content" / "vocabulaires" / "thematiques.yml"
    assert (content_dir / "vocabulaires" / "thematiques.yml").read_bytes() == repository.read_bytes()


def test_same_seed_same_corpus_other_seed_other_corpus(tmp_path: Path):
    first = digest(generate(tmp_path / "a", 80, seed=7))
    assert digest(generate(tmp_path / "b", 80, seed=7)) == first
    assert digest(generate(tmp_path / "c", 80, seed=8)) != first


def test_refuses_a_folder_that_is_not_empty(tmp_path: Path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "x").write_text("x", encoding="utf-8")
    with pytest.raises(FileExistsError):
        generate(tmp_path / "content", 3)
    assert main([str(tmp_path / "content"), "--n", "3"]) == 2


def test_command_line(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path / "out"), "--n", "25", "--seed", "1"],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"25 fiches écrites dans {tmp_path / 'out'}"
    assert check(tmp_path / "out").errors == []


def test_bodies_are_as_redundant_as_the_real_fiches(tmp_path: Path):
    """Sizes measured on the corpus (compressed search indexes, pages) depend on how repetitive its text is:
    the synthetic bodies must not compress much better than the repository's real ones."""
    real = sorted(REPOSITORY_CONTENT.glob("*/*.md"))
    synthetic = sorted(generate(tmp_path / "content", 300).glob("*/*.md"))

    def compression(paths: list[Path]) -> float:
        text = "".join(p.read_text(encoding="utf-8").split("\n---\n", 1)[-1] for p in paths).encode()
        return len(text) / len(zlib.compress(text, 6))

    same_size = []
    for path in synthetic:
        same_size.append(path)
        if sum(p.stat().st_size for p in same_size) >= sum(p.stat().st_size for p in real):
            break
    assert compression(same_size) <= 1.25 * compression(real)


def test_bodies_carry_no_markup_address_or_telephone_from_the_training_text(tmp_path: Path):
    prose = Prose()
    sentences = [prose.sentence(random.Random(seed)) for seed in range(2000)]
    assert not [s for s in sentences if UNFIT.search(s)]
    assert len(set(sentences)) > 1500
