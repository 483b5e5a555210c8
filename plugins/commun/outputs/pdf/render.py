"""The Labo's final deliverables per structure, as PDF: the individual fiche (its project, its activity
and its follow-up) and the attendance certificate, from the same data as the site.

HTML templates (`templates/exports/pdf/`) hold the layout; fpdf2, a pure-Python PDF writer, turns their
simple HTML into PDF with the standard Helvetica font (WinAnsi encoding covers French: é, œ, ’, «, €),
so no font file nor browser is needed and one PDF takes a few hundredths of a second.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import os
import re
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from html import unescape as html_unescape
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import markdown

from ...core.corpus import Fiche
from ...core.typography import typeset
from ...outputs.pdf.deliverables import deliverables, labo_projects
from ...stages.graph import Graph, sort_by_title
from ..templating import environment

ENCODING = "windows-1252"

# Characters the standard fonts lack, written with the nearest one they have.
SUBSTITUTES = str.maketrans(
    {
        "\u202f": "\u00a0",  # narrow no-break space (French thousands, before « ; : ») → no-break space
        "\u2009": " ",
        "\u2007": "\u00a0",
        "\u2011": "-",
        "\u2010": "-",
        "\u2212": "-",
        "\u2192": "->",
        "\u2265": ">=",
        "\u2264": "<=",
        "\u2026": "\u2026",
    }
)


def pdf_text(text: str) -> str:
    """Text the standard PDF fonts can show: rare characters replaced by their nearest equivalent."""
    text = text.translate(SUBSTITUTES)
    out = []
    for char in text:
        try:
            char.encode(ENCODING)
            out.append(char)
        except UnicodeEncodeError:
            plain = unicodedata.normalize("NFKD", char).encode(ENCODING, "ignore").decode(ENCODING)
            out.append(plain or "?")
    return "".join(out)


def body_html(text: str) -> str:
    """A fiche's Markdown body as simple HTML for the PDF (its headings one level down)."""
    html = markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    for level in (5, 4, 3, 2, 1):
        html = html.replace(f"<h{level}", f"<h{level + 1}").replace(f"</h{level}>", f"</h{level + 1}>")
    return html


@cache
def _writer() -> tuple[Any, dict[str, Any], str]:
    """The PDF page class, the heading styles and the writer's version, made at the first PDF: fpdf and
    fontTools weigh 30 MiB and 0.15 s that `commun check` and a build without PDFs should not pay."""
    from fpdf import FPDF, FPDF_VERSION
    from fpdf.fonts import FontFace, TextStyle

    class Document(FPDF):
        """An A4 page with the commun's footer: the document's name and its page number."""

        def __init__(self, footer_text: str) -> None:
            super().__init__(format="A4")
            self.footer_text = footer_text
            self.core_fonts_encoding = ENCODING
            self.set_margins(18, 16, 18)
            self.set_auto_page_break(True, margin=18)

        def footer(self) -> None:
            self.set_y(-13)
            self.set_font("helvetica", size=8)
            self.set_text_color(90, 90, 90)
            self.cell(0, 6, pdf_text(f"{self.footer_text} · page {self.page_no()}/{{nb}}"), align="C")

    tag_styles = {
        "h1": TextStyle(font_family="helvetica", font_size_pt=17, color="#1a3a5c", t_margin=2, b_margin=3),
        "h2": TextStyle(font_family="helvetica", font_size_pt=13, color="#1a3a5c", t_margin=5, b_margin=2),
        "h3": TextStyle(font_family="helvetica", font_size_pt=11.5, color="#1a3a5c", t_margin=4, b_margin=1),
        "h4": TextStyle(font_family="helvetica", font_size_pt=10.5, color="#333333", t_margin=3, b_margin=1),
        "h5": TextStyle(font_family="helvetica", font_size_pt=10, color="#333333", t_margin=2, b_margin=1),
        "h6": TextStyle(font_family="helvetica", font_size_pt=10, color="#333333", t_margin=2, b_margin=1),
        "a": FontFace(color="#1a3a5c"),
    }
    return Document, tag_styles, FPDF_VERSION


class PdfRenderer:
    """Renders the deliverables of one graph. With a `cache_dir`, a PDF whose text has not changed is
    reused: the HTML costs a millisecond, its layout tens of milliseconds."""

    def __init__(
        self, graph: Graph, *, site_name: str = "Commun – le commun des CCAS", cache_dir: Path | None = None
    ) -> None:
        self.graph = graph
        self.cache_dir = cache_dir
        self.site_name = site_name
        self.env = environment("exports/pdf")

    def context(self, fiche: Fiche) -> dict[str, Any]:
        graph = self.graph
        vocab = graph.content.vocabularies
        projets = labo_projects(graph, fiche)
        initiatives = [f for f in graph.citing(fiche, "initiatives", "porteur") if f.published]
        tools: dict[str, Fiche] = {}
        for item in initiatives + projets:
            for tool in graph.cited(item, "outils"):
                tools.setdefault(tool.slug, tool)
        commune = graph.territoires.commune(fiche.meta.commune) if fiche.meta.commune else None
        labos = sorted(
            ((labo, projet) for projet in projets for labo in projet.meta.labos),
            key=lambda item: (item[0].numero, item[1].meta.titre),
        )
        return {
            "fiche": fiche,
            "m": fiche.meta,
            "site_name": self.site_name,
            "commune": commune,
            "union": graph.get("ccas", fiche.meta.udccas) if fiche.meta.udccas else None,
            "projets": [(p, body_html(p.body)) for p in projets],
            "initiatives": initiatives,
            "outils": sort_by_title(tools.values()),
            "parcours": [(step, graph.get("modules", step.module)) for step in fiche.meta.parcours],
            "labos": labos,
            "passeports": graph.passeports(fiche),
            "programme": lambda slug: _programme_name(graph, slug),
            "body": body_html(fiche.body),
            "theme": lambda slug: vocab.get("thematiques", {}).get(slug),
            "public": lambda slug: vocab.get("publics", {}).get(slug),
        }

    def html(self, template: str, fiche: Fiche) -> str:
        """The HTML a PDF is laid out from, typeset: fpdf keeps a no-break space from breaking a line, and
        writes it as a space."""
        return pdf_text(typeset(self.env.get_template(template).render(self.context(fiche)), "html"))

    def render(self, template: str, fiche: Fiche, title: str) -> bytes:
        return self.render_all([(template, fiche, title)])[0]

    def render_all(self, wanted: list[tuple[str, Fiche, str]]) -> list[bytes]:
        """The PDFs of (template, fiche, title) triples. Their HTML is made here; the layouts that the cache
        does not hold are spread over the machine's processors when there are enough of them to pay the
        processes' start (the layout is pure Python: threads would take turns)."""
        jobs: list[Layout] = []
        found: list[bytes | None] = []
        for template, fiche, title in wanted:
            html = self.html(template, fiche)
            folder = self.graph.content.root / fiche.kind
            job = Layout(html, title, fiche.meta.titre, fiche.meta.mis_a_jour, self.site_name, folder)
            cached = self.cache_dir / f"{job.key()}.pdf" if self.cache_dir else None
            if cached is not None and cached.is_file():
                found.append(cached.read_bytes())
            else:
                found.append(None)
                jobs.append(job)
        made = _layouts(jobs)
        if self.cache_dir is not None and jobs:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            for job, data in zip(jobs, made, strict=True):
                (self.cache_dir / f"{job.key()}.pdf").write_bytes(data)
        fresh = iter(made)
        return [data if data is not None else next(fresh) for data in found]

    def fiche_pdf(self, fiche: Fiche) -> bytes:
        return self.render("fiche-individuelle.html.j2", fiche, "Fiche individuelle")

    def certificate_pdf(self, fiche: Fiche) -> bytes:
        return self.render("certificat-assiduite.html.j2", fiche, "Certificat d'assiduité")

    def files(self, only: str | None = None) -> dict[str, bytes]:
        """Path under the site → PDF, for every deliverable (or those of the structure `only`)."""
        paths, wanted = [], []
        for item in deliverables(self.graph):
            if only and item.slug != only:
                continue
            paths.append(item.fiche_pdf)
            wanted.append(("fiche-individuelle.html.j2", item.fiche, "Fiche individuelle"))
            if item.certificate_pdf:
                paths.append(item.certificate_pdf)
                wanted.append(("certificat-assiduite.html.j2", item.fiche, "Certificat d'assiduité"))
        return dict(zip(paths, self.render_all(wanted), strict=True))


IMAGE_SOURCE = re.compile(r'<img [^>]*?src="([^"]*)"')


@dataclass(frozen=True)
class Layout:
    """What laying out one PDF needs, and nothing of the graph: it crosses to another process."""

    html: str
    """Typeset, in the characters of the PDF fonts (`PdfRenderer.html`)."""
    title: str
    fiche_title: str
    updated: dt.date
    site_name: str
    folder: Path
    """The folder of the fiche, where the addresses of its images start (`../images/plan.png`)."""

    def image(self, src: str) -> Path:
        return self.folder / unquote(src.split("#", 1)[0].split("?", 1)[0])

    def key(self) -> str:
        inputs = f"{_writer()[2]}\n{self.title}\n{self.site_name}\n{self.updated}\n{self.html}"
        for src in IMAGE_SOURCE.findall(self.html) if "<img" in self.html else ():  # an image replaced: a new PDF
            try:
                inputs += "\n" + hashlib.sha256(self.image(html_unescape(src)).read_bytes()).hexdigest()
            except OSError:  # a missing image: the check reports it
                continue
        return hashlib.sha256(inputs.encode()).hexdigest()

    def pdf(self) -> bytes:
        """The PDF of the HTML text: the slow step (line breaking in pure Python), hence the cache."""
        page_class, tag_styles, _ = _writer()
        heading = f"{self.title} – {self.fiche_title}"
        document = page_class(heading)
        document.set_title(pdf_text(heading))
        document.set_author(pdf_text(self.site_name))
        document.set_lang("fr")
        updated = self.updated
        document.set_creation_date(dt.datetime(updated.year, updated.month, updated.day, tzinfo=dt.UTC))
        document.add_page()
        document.set_font("helvetica", size=10)
        document.write_html(
            self.html,
            image_map=lambda src: str(self.image(src)),
            ul_bullet_char="\u2022",
            tag_styles=tag_styles,
            font_family="helvetica",
        )
        return bytes(document.output())


PER_PROCESS = 8
"""Layouts below which another process does not pay for its start (about 0.3 s against 40 ms a layout)."""


def _layout(job: Layout) -> bytes:
    return job.pdf()


def _layouts(jobs: list[Layout]) -> list[bytes]:
    workers = min(os.cpu_count() or 1, len(jobs) // PER_PROCESS)
    if workers < 2:
        return [job.pdf() for job in jobs]
    # "spawn": the build may run threads (the search index), which a forked process must not inherit.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        return list(pool.map(_layout, jobs, chunksize=max(1, len(jobs) // (workers * 4))))


def _programme_name(graph: Graph, slug: str | None) -> str:
    """The name of a module's programme, as the certificate's table shows it."""
    programme = graph.get("initiatives", slug) if slug else None
    return programme.meta.nom if programme else slug or "Hors programme"
