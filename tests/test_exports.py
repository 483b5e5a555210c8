"""Open data: every file checked with a real parser (JSON Schema, csv, feedparser, icalendar, XML), on the
small content of `exportkit`, then once in a real MkDocs build (JSON-LD in <head>, one sitemap, links)."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import icalendar
import jsonschema
import pytest
from commun.core.kinds import KINDS
from commun.outputs.opendata import SiteFiles
from commun.outputs.opendata.agenda import fold_line as fold
from commun.outputs.opendata.agenda import ical_text
from commun.outputs.opendata.common import dumps, json_chunks, write_files
from commun.outputs.opendata.datasets import V1_FIELDS, csv_columns
from commun.stages.check import check
from commun.stages.graph import build_graph
from exportkit import EXTRA, SITE_URL, make_export_content, make_project
from factories import FICHES, write_fiche
from projectkit import build

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ALL = {**FICHES, **EXTRA}
PUBLISHED = {key: data for key, data in ALL.items() if data["etat"] == "publie"}


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory):
    content = check(make_export_content(tmp_path_factory.mktemp("exports")))
    assert not content.errors, content.errors
    return build_graph(content, drafts=True)  # a preview graph: the exports must still leave the draft out


@pytest.fixture(scope="module")
def files(graph) -> dict[str, bytes]:
    return SiteFiles(graph, site_name="Commun de test").files()


def load_json(files: dict[str, bytes], name: str):
    return json.loads(files[name].decode("utf-8"))


def validator(schema: dict) -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


# --- JSON -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(KINDS))
def test_json_of_each_kind_validates_against_its_published_schemas(files: dict[str, bytes], kind: str) -> None:
    data = load_json(files, f"donnees/v1/{kind}.json")
    export_schema = load_json(files, f"donnees/v1/{kind}.schema.json")
    fiche_schema = load_json(files, f"donnees/schemas/{kind}.schema.json")
    validator(export_schema).validate(data)
    expected = sorted(slug for (k, slug) in PUBLISHED if k == kind)
    assert sorted(record["identifiant"] for record in data["fiches"]) == expected
    assert data["nombre"] == len(expected)
    assert data["version"] == "v1"
    assert data["licence"]["id"] == "etalab-2.0"
    assert data["mis_a_jour"] == max(d["mis_a_jour"] for (k, _), d in PUBLISHED.items() if k == kind)
    fiches = validator(fiche_schema)
    for record in data["fiches"]:
        fields = {k: v for k, v in record.items() if k not in ("identifiant", "url", "texte")}
        assert list(fields) == list(V1_FIELDS[kind])
        fiches.validate(fields)
        assert record["url"] == f"{kind}/{record['identifiant']}/"


def test_the_schemas_reject_a_broken_record(files: dict[str, bytes]) -> None:
    data = load_json(files, "donnees/v1/initiatives.json")
    check_export = validator(load_json(files, "donnees/v1/initiatives.schema.json"))
    for breakage in (
        lambda d: d["fiches"][0].update(statut="en-pause"),
        lambda d: d["fiches"][0].pop("titre"),
        lambda d: d["fiches"][0].update(champ_inconnu=1),
        lambda d: d["fiches"][0].update(mis_a_jour="23/11/2026"),
        lambda d: d.update(version="v2"),
    ):
        broken = copy.deepcopy(data)
        breakage(broken)
        with pytest.raises(jsonschema.ValidationError):
            check_export.validate(broken)


def test_dates_known_to_the_month_or_year_stay_so(files: dict[str, bytes]) -> None:
    modules = {r["identifiant"]: r for r in load_json(files, "donnees/v1/modules.json")["fiches"]}
    assert [s["debut"] for s in modules["module-numerique"]["sessions"]] == ["2021-06-28", "2021-09"]
    initiatives = {r["identifiant"]: r for r in load_json(files, "donnees/v1/initiatives.json")["fiches"]}
    assert initiatives["aide-urgente"]["date_debut"] == 2019


def test_v1_fields_all_exist_in_the_models() -> None:
    """v1 never loses a field: renaming or removing one in a model must come with a v2 of the exports."""
    for kind, fields in V1_FIELDS.items():
        missing = [name for name in fields if name not in KINDS[kind].model.model_fields]
        assert missing == [], f"{kind} : champs v1 absents du modèle {missing}"


def test_drafts_never_leak_into_any_file(files: dict[str, bytes]) -> None:
    title = EXTRA[("initiatives", "brouillon-secret")]["titre"]
    leaks = [name for name, data in files.items() if title.encode() in data or b"brouillon-secret" in data]
    assert leaks == []


def test_catalogue_lists_every_file_with_its_date(files: dict[str, bytes]) -> None:
    catalogue = load_json(files, "donnees/v1/catalogue.json")
    assert [d["type"] for d in catalogue["jeux"]] == list(KINDS)
    for dataset in catalogue["jeux"]:
        for key in ("json", "csv", "schema", "schema_fiche"):
            target = urljoin("donnees/v1/catalogue.json", dataset[key])
            assert target in files, (key, target)
    assert all(urljoin("donnees/v1/catalogue.json", f["url"]) in files for f in catalogue["flux"])
    assert catalogue["mis_a_jour"] == max(d["mis_a_jour"] for d in PUBLISHED.values())


# --- CSV --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(KINDS))
def test_csv_of_each_kind_reads_back_with_the_csv_module(files: dict[str, bytes], kind: str) -> None:
    text = files[f"donnees/v1/{kind}.csv"].decode("utf-8")
    assert not text.startswith("\ufeff")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    assert reader.fieldnames == [c.name for c in csv_columns(kind)]
    rows = list(reader)
    assert sorted(r["identifiant"] for r in rows) == sorted(slug for (k, slug) in PUBLISHED if k == kind)
    for row in rows:
        assert None not in row, "une ligne a plus de cellules que l'en-tête"
        source = PUBLISHED[(kind, row["identifiant"])]
        assert row["titre"] == source["titre"]
        assert row["etat"] == "publie"
        assert row["thematiques"].split(" | ") == (source.get("thematiques") or [""])
        if row.get("sources"):
            assert json.loads(row["sources"]) == [{"titre": s["titre"], "url": None} for s in source["sources"]]


def test_csv_keeps_commas_quotes_and_nested_fields(files: dict[str, bytes]) -> None:
    rows = {r["identifiant"]: r for r in csv.DictReader(io.StringIO(files["donnees/v1/initiatives.csv"].decode()))}
    row = rows["aide-urgente"]
    assert row["titre"] == 'Aide « urgente », dite "SOS", et secours'
    assert row["contact.email"] == "accueil@ccas-reel.example.org"
    assert row["publics"] == "familles | seniors"
    assert row["date_debut"] == "2019"
    assert row["exemple"] == "false"


# --- Atom -------------------------------------------------------------------------------------------------


def test_atom_feed_parses_and_lists_newest_first(files: dict[str, bytes]) -> None:
    feed = feedparser.parse(files["donnees/flux/atom.xml"])
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert spaced(feed.feed.title) == "Commun de test : fiches nouvelles et mises à jour"
    titles = [spaced(e.title) for e in feed.entries]
    expected = sorted(PUBLISHED.values(), key=lambda d: d["mis_a_jour"], reverse=True)
    assert len(titles) == len(PUBLISHED)
    assert titles[0] == expected[0]["titre"]
    dates = [dt.date(*e.updated_parsed[:3]) for e in feed.entries]
    assert dates == sorted(dates, reverse=True)
    ids = [e.id for e in feed.entries]
    assert len(set(ids)) == len(ids) and all(re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", i) for i in ids)
    links = {spaced(e.title): e.link for e in feed.entries}
    assert links["Socle numérique"] == "../../modules/module-numerique/"
    root = ET.fromstring(files["donnees/flux/atom.xml"])
    for entry in root.iter(f"{ATOM}entry"):
        assert all(entry.find(f"{ATOM}{tag}") is not None for tag in ("id", "title", "updated", "link"))


def test_theme_feed_holds_only_that_theme(files: dict[str, bytes]) -> None:
    feed = feedparser.parse(files["donnees/flux/thematiques/acces-aux-droits.xml"])
    assert feed.bozo == 0
    expected = {d["titre"] for d in PUBLISHED.values() if "acces-aux-droits" in d.get("thematiques", [])}
    assert {spaced(e.title) for e in feed.entries} == expected
    assert all("acces-aux-droits" in [t.term for t in e.tags] for e in feed.entries)
    empty = feedparser.parse(files["donnees/flux/thematiques/personnes-agees.xml"])
    assert empty.bozo == 0 and empty.entries == []


def test_feed_text_is_typeset_and_addresses_are_not(tmp_path: Path) -> None:
    content = make_export_content(tmp_path)
    resume = "Le guide est en ligne : https://exemple.org/guide?taux=50% ; à lire ! Code `a : b`."
    write_fiche(content, "outils", "grille-entretien", {**FICHES[("outils", "grille-entretien")], "resume": resume})
    graph = build_graph(check(content))
    site = SiteFiles(graph, site_name="Commun de test")
    feed = feedparser.parse(site.atom(site.feeds()[0]))
    assert feed.feed.title == "Commun de test\u00a0: fiches nouvelles et mises à jour"
    entries = {e.id: e for e in feed.entries}
    assert len(entries) == len(PUBLISHED)
    summaries = {e.summary for e in entries.values()}
    # The address keeps its « ? », and a summary is plain text, where backquotes are no code.
    typeset = "Le guide est en ligne\u00a0: https://exemple.org/guide?taux=50%\u202f; à lire\u202f! Code `a\u00a0: b`."
    assert typeset in summaries
    assert 'Aide «\u202furgente\u202f», dite "SOS", et secours' in {e.title for e in entries.values()}


def spaced(text: str) -> str:
    """Text with its no-break spaces as typed spaces, to compare with what a contributor wrote."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def test_feed_parser_would_catch_a_broken_feed(files: dict[str, bytes]) -> None:
    broken = files["donnees/flux/atom.xml"].replace(b"</entry>", b"", 1)
    assert feedparser.parse(broken).bozo == 1


# --- iCalendar --------------------------------------------------------------------------------------------


def test_agenda_parses_with_module_and_labo_sessions_known_to_the_day(files: dict[str, bytes]) -> None:
    raw = files["donnees/agenda.ics"]
    assert all(len(line) <= 75 for line in raw.split(b"\r\n")), "ligne de plus de 75 octets"
    calendar = icalendar.Calendar.from_ical(raw)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    # The September session (month only) and the second Labo (month only) are no calendar events.
    assert set(events) == {"Formation : Socle numérique", "Labo des solutions innovantes, session n° 1"}
    module = events["Formation : Socle numérique"]
    assert module.decoded("DTSTART") == dt.date(2021, 6, 28)
    assert module.decoded("DTEND") == dt.date(2021, 7, 2)  # the day after the last one
    assert str(module["LOCATION"]) == "Mamoudzou, salle 2; étage"
    labo = events["Labo des solutions innovantes, session n° 1"]
    assert labo.decoded("DTSTART") == dt.date(2021, 10, 5)
    assert "Guichet des droits" in str(labo["DESCRIPTION"])
    assert len({str(e["UID"]) for e in events.values()}) == 2


def test_ical_text_escapes_and_folding_round_trip() -> None:
    value = "Salle « B », étage 2; accès\\porte\n" * 4
    line = "DESCRIPTION:" + ical_text(value)
    event = icalendar.Event.from_ical(f"BEGIN:VEVENT\r\n{fold(line)}\r\nEND:VEVENT\r\n")
    assert str(event["DESCRIPTION"]) == value
    assert all(len(part.encode()) <= 75 for part in fold(line).split("\r\n"))


# --- JSON-LD ----------------------------------------------------------------------------------------------


def test_jsonld_types_by_kind(graph) -> None:
    site = SiteFiles(graph, site_url=SITE_URL)
    structure = site.jsonld(graph.get("ccas", "ccas-reel"))
    assert structure["@type"] == "GovernmentOrganization"
    assert structure["areaServed"] == [{"@type": "AdministrativeArea", "identifier": "97611"}]
    assert structure["parentOrganization"]["@type"] == "Organization"
    assert structure["parentOrganization"]["url"] == f"{SITE_URL}ccas/udccas-test/"
    course = site.jsonld(graph.get("modules", "module-numerique"))
    assert course["@type"] == "Course"
    assert course["timeRequired"] == "PT28H"
    assert [i["startDate"] for i in course["hasCourseInstance"]] == ["2021-06-28", "2021-09"]
    assert course["hasCourseInstance"][0]["courseMode"] == "onsite"
    initiative = site.jsonld(graph.get("initiatives", "aide-urgente"))
    assert initiative["@type"] == "CreativeWork"
    assert initiative["creator"]["name"] == "CCAS réel"
    assert initiative["temporalCoverage"] == "2019/.."
    assert site.jsonld(graph.get("projets", "projet-reel"))["@type"] == "Project"
    tool = site.jsonld(graph.get("outils", "grille-entretien"))
    assert tool["associatedMedia"][0]["contentUrl"] == f"{SITE_URL}outils/fichiers/grille.csv"
    for data in (structure, course, initiative, tool):
        assert data["@context"] == "https://schema.org"
        assert data["url"].startswith(SITE_URL)
        json.dumps(data)


def test_jsonld_links_are_relative_without_a_site_address(graph) -> None:
    data = SiteFiles(graph).jsonld(graph.get("ccas", "ccas-reel"))
    assert data["url"] == "./"
    assert data["parentOrganization"]["url"] == "../udccas-test/"


# --- one real build ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site's address comes from the environment, as in the publishing workflow (COMMUN_SITE_URL)."""
    project = make_project(tmp_path_factory.mktemp("projet-donnees"), site_url=None)
    site = project / "site"
    build(project, site, COMMUN_SITE_URL=SITE_URL)
    return site


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.jsonld: list[str] = []
        self.links: list[str] = []  # of the article only
        self._in = False
        self._in_head = False
        self._article = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "head":
            self._in_head = True
        if tag == "script" and values.get("type") == "application/ld+json":
            assert self._in_head, "JSON-LD hors de <head>"
            self._in = True
            self.jsonld.append("")
        if tag == "article":
            self._article = True
        if tag == "a" and values.get("href") and self._article:
            self.links.append(values["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in = False
        if tag == "head":
            self._in_head = False
        if tag == "article":
            self._article = False

    def handle_data(self, data: str) -> None:
        if self._in:
            self.jsonld[-1] += data


def parse_html(path: Path) -> _Scripts:
    parser = _Scripts()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_built_fiche_pages_carry_their_jsonld_in_head(built: Path) -> None:
    for (kind, slug), data in PUBLISHED.items():
        scripts = parse_html(built / kind / slug / "index.html").jsonld
        assert len(scripts) == 1, (kind, slug)
        found = json.loads(scripts[0])
        assert found["name"] == data["titre"]
        assert found["url"] == f"{SITE_URL}{kind}/{slug}/"
    assert parse_html(built / "index.html").jsonld == []


def test_built_site_has_one_sitemap_dated_by_mis_a_jour(built: Path) -> None:
    assert [p.name for p in built.rglob("sitemap*.xml")] == ["sitemap.xml"]
    root = ET.parse(built / "sitemap.xml").getroot()
    entries = {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod") for u in root.iter(f"{SITEMAP}url")}
    assert all(loc.startswith(SITE_URL) for loc in entries)
    for (kind, slug), data in PUBLISHED.items():
        assert entries[f"{SITE_URL}{kind}/{slug}/"] == data["mis_a_jour"]
    assert f"{SITE_URL}initiatives/brouillon-secret/" not in entries


def test_built_donnees_page_links_to_files_that_exist(built: Path) -> None:
    page = built / "donnees" / "index.html"
    links = [href for href in parse_html(page).links if not urlsplit(href).scheme and not href.startswith("#")]
    targets = {urljoin("donnees/index.html", href) for href in links}
    assert "donnees/v1/initiatives.csv" in targets
    assert "telechargements/commun-hors-ligne.zip" in targets
    assert "ccas/ccas-reel/certificat-assiduite.pdf" in targets
    missing = []
    for target in sorted(targets):
        path = built / urlsplit(target).path
        if not (path.is_file() or (path / "index.html").is_file()):
            missing.append(target)
    assert missing == []
    assert (built / "donnees/v1/initiatives.json").is_file()


def test_built_structure_page_links_to_its_pdf_deliverables(built: Path) -> None:
    page = built / "ccas" / "ccas-reel" / "index.html"
    links = {urljoin("ccas/ccas-reel/index.html", href) for href in parse_html(page).links}
    for name in ("fiche-individuelle.pdf", "certificat-assiduite.pdf"):
        assert f"ccas/ccas-reel/{name}" in links
        assert (built / "ccas" / "ccas-reel" / name).read_bytes().startswith(b"%PDF-")
    union = {urljoin("ccas/udccas-test/index.html", h) for h in parse_html(built / "ccas/udccas-test/index.html").links}
    assert not any(link.endswith(".pdf") for link in union)


def test_large_json_files_are_written_in_chunks_with_the_same_bytes(tmp_path: Path) -> None:
    data = {"fiches": [{"titre": f"Fiche n° {n}", "texte": "é" * n, "liste": [n, None, True]} for n in range(50)]}
    expected = (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    chunks = list(json_chunks(data, size=64))
    assert len(chunks) > 10
    assert b"".join(chunks) == expected
    assert dumps(data) == expected
    write_files([("a/b.json", json_chunks(data, size=64)), ("c.txt", b"texte")], tmp_path)
    assert (tmp_path / "a" / "b.json").read_bytes() == expected
    assert (tmp_path / "c.txt").read_bytes() == b"texte"
