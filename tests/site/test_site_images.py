"""An image of content/images/ shown by a fiche: one real `mkdocs build --strict` of the small site with it.

The check accepts only images stored beside the content (see test_safety.py); this proves such an image is
published with the site, at an address the page reaches, and that the PDF of the fiche shows it too.
"""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

import pytest
from projectkit import mkdocs_build, write_project
from sitekit import BODY, FICHES, make_site_content, resolve, write_fiche

FICHE = ("ccas", "ccas-acoua")  # a published structure: its page, and its PDF deliverables


def png(width: int = 2, height: int = 2) -> bytes:
    """A small valid PNG (grey pixels), without an image library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@pytest.mark.build
def test_an_image_of_the_content_folder_is_published_and_shown(tmp_path: Path) -> None:
    write_project(tmp_path, nav=[{"Accueil": "index.md"}], pages={"index.md": "# Commun de test\n"}, brouillons=False)
    content = make_site_content(tmp_path)
    (content / "images").mkdir()
    (content / "images" / "plan.png").write_bytes(png())
    (content / "images" / "dessin.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    write_fiche(content, *FICHE, FICHES[FICHE], BODY + "\n![Plan de l'accueil du CCAS](../images/plan.png)\n")

    result = mkdocs_build(tmp_path, tmp_path / "site")
    assert result.returncode == 0, result.stdout + result.stderr

    site = tmp_path / "site"
    page = (site / "ccas" / "ccas-acoua" / "index.html").read_text(encoding="utf-8")
    assert 'alt="Plan de l\'accueil du CCAS"' in page
    image = re.search(r'<img [^>]*src="([^"]*plan\.png)"', page)
    assert image is not None, page
    target = resolve("ccas/ccas-acoua/", image.group(1))
    assert target == "images/plan.png"
    assert (site / target).read_bytes() == png()
    assert not (site / "images" / "dessin.svg").exists()  # a format the check refuses is not published
    pdf = (site / "ccas" / "ccas-acoua" / "fiche-individuelle.pdf").read_bytes()
    assert b"/Subtype /Image" in pdf  # the structure's PDF shows the image too
