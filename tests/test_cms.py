"""The web form's configuration (/admin/config.yml): generated from the models and vocabularies, never by hand.

The decisive property: the fields the form requires are exactly those `commun check` needs, and the
values the form offers are values the check accepts.
"""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
import typing
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import pytest
import yaml
from commun.core.fields import field_plan
from commun.core.kinds import KINDS
from commun.core.labels import FIELD_NAMES
from commun.core.models import INSEE_PATTERN, Initiative
from commun.core.text import slugify
from commun.outputs import cms
from commun.stages.check import check
from commun.stages.read import load_vocabularies
from factories import ROOT, THEMATIQUES, dump, write_fiche
from pydantic import Field

SAMPLES = {
    "identifiant": "exemple",
    "code INSEE": "97611",
    "adresse web": "https://exemple.org/page",
    "adresse e-mail": "accueil@exemple.org",
    "téléphone": "0269 00 00 00",
    "département": "976",
}
# Rules that join two fields cannot be said by a form; the check explains them. The samples respect them.
RULES = {("ccas", "type"): "udccas", ("projets", "role"): "referent", ("outils", "chemin"): "fichiers/grille.csv"}


def form_config(content: Path, opts: cms.Options | None = None) -> dict[str, Any]:
    vocabularies, problems = load_vocabularies(content)
    assert not problems
    return cms.config(vocabularies, opts or cms.Options())


def collection(config: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(c for c in config["collections"] if c["name"] == kind)


def by_name(fields: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in fields}


def sample(kind: str, spec: dict[str, Any], content: Path, *, everything: bool = False) -> Any:
    """A value the form would let a person enter in this field (the first choice it offers)."""
    widget = spec["widget"]
    many = spec.get("multiple") or widget == "list"
    if (kind, spec["name"]) in RULES:
        value: Any = RULES[(kind, spec["name"])]
    elif widget == "relation":
        fiches = check(content).fiches[spec["collection"]]
        allowed = set(spec["filters"][0]["values"]) if "filters" in spec else None
        slugs = [
            slug
            for slug, fiche in sorted(fiches.items())
            if not fiche.meta.exemple and (allowed is None or fiche.meta.type in allowed)
        ]
        if not slugs:  # nothing real to point at in the test folder: left empty, as a person would
            return [] if many else None
        value = slugs[0]
    elif widget == "select":
        value = spec["options"][0]["value"]
    elif widget in ("object", "list") and "fields" in spec:
        value = without_none(
            {f["name"]: sample(kind, f, content, everything=everything) for f in spec["fields"]
             if f["required"] or everything}
        )
        if widget == "list":
            return [value] * max(spec.get("min", 1), 1)
        return value
    elif widget == "list":
        value = sample(kind, spec["field"], content)
    elif widget == "datetime":
        value = "2024-05-02"
    elif widget == "number":
        value = spec.get("min", 1)
    elif widget == "boolean":
        value = False
    elif "pattern" in spec and spec["pattern"][0] == cms.APPROX_PATTERN:
        value = "2021-06"
    elif "pattern" in spec and not spec["pattern"][1].endswith("au plus"):
        message = spec["pattern"][1]
        value = next(text for hint, text in SAMPLES.items() if hint in message)
        assert re.fullmatch(spec["pattern"][0], value)
    else:
        value = "Un texte"
    return [value] * max(spec.get("min", 1), 1) if many else value


def without_none(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value is not None}


def entry(kind: str, config: dict[str, Any], content: Path, *, everything: bool = False) -> dict[str, Any]:
    """The front matter the form writes when only its required fields (or all of them) are filled in."""
    fields = collection(config, kind)["fields"]
    return without_none(
        {
            f["name"]: sample(kind, f, content, everything=everything)
            for f in fields
            if f["name"] != "body" and (f["required"] or everything)
        }
    )


def file_errors(content: Path, path: Path) -> list[str]:
    return [p.message for p in check(content).errors if Path(p.path).resolve() == path.resolve()]


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_required_fields_of_the_form_are_what_the_check_needs(kind: str, content_dir: Path) -> None:
    config = form_config(content_dir)
    data = entry(kind, config, content_dir)
    path = write_fiche(content_dir, kind, "depuis-le-formulaire", data)
    assert file_errors(content_dir, path) == [], data
    for name in data:
        write_fiche(content_dir, kind, "depuis-le-formulaire", {k: v for k, v in data.items() if k != name})
        errors = file_errors(content_dir, path)
        assert any(f"« {name} »" in message for message in errors), (name, errors)


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_field_the_form_offers_is_accepted(kind: str, content_dir: Path) -> None:
    config = form_config(content_dir)
    data = entry(kind, config, content_dir, everything=True)
    if kind == "initiatives":
        data["date_fin"] = "2022"
    path = write_fiche(content_dir, kind, "tout-rempli", data)
    assert file_errors(content_dir, path) == [], data


def test_every_model_field_is_in_the_form_with_its_nested_fields(content_dir: Path) -> None:
    config = form_config(content_dir)

    for kind, info in KINDS.items():
        fields = by_name(collection(config, kind)["fields"])
        assert set(fields) == set(info.model.model_fields) | {"body"}
        for name, _, nested in field_plan(info.model):
            if nested is not None:
                assert {f["name"] for f in fields[name]["fields"]} == set(nested.model_fields), name


def test_a_field_added_to_a_model_appears_in_the_form(
    content_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Essai(Initiative):
        frequence: Literal["hebdomadaire", "mensuelle"] | None = Field(None, description="Rythme de l'action.")

    monkeypatch.setitem(KINDS, "initiatives", dataclasses.replace(KINDS["initiatives"], model=Essai))
    fields = by_name(collection(form_config(content_dir), "initiatives")["fields"])
    assert fields["frequence"]["widget"] == "select"
    assert [o["value"] for o in fields["frequence"]["options"]] == ["hebdomadaire", "mensuelle"]
    assert fields["frequence"]["hint"] == "Rythme de l'action."
    assert fields["frequence"]["required"] is False


def test_themes_and_publics_are_read_from_the_vocabularies(content_dir: Path) -> None:
    path = content_dir / "vocabulaires" / "thematiques.yml"
    path.write_text(dump({**THEMATIQUES, "mobilite": {"libelle": "Mobilité", "description": "Se déplacer."}}))
    for kind in KINDS:
        field = by_name(collection(form_config(content_dir), kind)["fields"])["thematiques"]
        assert field["multiple"] is True
        assert {o["value"]: o["label"] for o in field["options"]} == {
            **{slug: entry["libelle"] for slug, entry in THEMATIQUES.items()},
            "mobilite": "Mobilité",
        }


def test_references_are_relations_to_the_collections(content_dir: Path) -> None:
    fields = by_name(collection(form_config(content_dir), "initiatives")["fields"])
    porteur = fields["porteur"]
    assert (porteur["widget"], porteur["collection"], porteur["value_field"]) == ("relation", "ccas", "{{slug}}")
    assert porteur["multiple"] is False and porteur["required"] is False
    projets = by_name(collection(form_config(content_dir), "projets")["fields"])
    assert projets["porteur"]["widget"] == "relation" and projets["porteur"]["required"] is True
    unions = by_name(fields["recommandee_par"]["fields"])["structure"]
    assert unions["filters"] == [{"field": "type", "values": ["udccas", "unccas"]}]
    outils = by_name(fields["liens"]["fields"])["outils"]
    assert (outils["widget"], outils["collection"], outils["multiple"]) == ("relation", "outils", True)


def test_communes_are_typed_as_insee_codes_the_check_looks_up(content_dir: Path) -> None:
    """35,000 communes make no list to choose from: the form asks for codes of the form the check accepts,
    and the check finds them in the referential (a name gets the code to write)."""
    communes = by_name(collection(form_config(content_dir), "initiatives")["fields"])["communes"]
    assert communes["widget"] == "list" and communes["field"]["pattern"][0] == INSEE_PATTERN
    assert "options" not in communes["field"]
    commune = by_name(collection(form_config(content_dir), "ccas")["fields"])["commune"]
    assert commune["widget"] == "string" and commune["pattern"][0] == INSEE_PATTERN


@pytest.mark.parametrize(
    ("value", "accepted"), [("2021", True), ("2021-06", True), ("2021-06-28", True), ("juin 2021", False)]
)
def test_partial_dates_use_the_pattern_the_check_accepts(
    value: str, accepted: bool, content_dir: Path, write: Callable[..., Path]
) -> None:
    field = by_name(collection(form_config(content_dir), "initiatives")["fields"])["date_debut"]
    assert bool(re.fullmatch(field["pattern"][0], value)) is accepted
    data = {**entry("initiatives", form_config(content_dir), content_dir), "date_debut": value}
    path = write("initiatives", "date-partielle", data)
    assert (file_errors(content_dir, path) == []) is accepted


def test_full_dates_use_a_date_picker_that_stores_iso_dates(content_dir: Path) -> None:
    fields = by_name(collection(form_config(content_dir), "initiatives")["fields"])
    assert fields["mis_a_jour"]["widget"] == "datetime"
    assert fields["mis_a_jour"]["format"] == "YYYY-MM-DD" and fields["mis_a_jour"]["time_format"] is False


def test_a_new_fiche_starts_as_a_draft_with_the_headings_of_commun_new(content_dir: Path) -> None:
    config = form_config(content_dir)
    fields = by_name(collection(config, "initiatives")["fields"])
    assert fields["etat"]["default"] == "brouillon"
    assert "## Contexte" in fields["body"]["default"]
    assert "## Programme" in by_name(collection(config, "modules")["fields"])["body"]["default"]
    assert config["publish_mode"] == "editorial_workflow"
    assert config["locale"] == "fr"


def test_field_labels_are_the_names_people_read_everywhere(content_dir: Path) -> None:
    fields = by_name(collection(form_config(content_dir), "initiatives")["fields"])
    assert fields["mis_a_jour"]["label"] == "Mis à jour" and fields["date_debut"]["label"] == "Date de début"
    for kind in KINDS:
        pending = list(collection(form_config(content_dir), kind)["fields"])
        while pending:
            spec = pending.pop()
            if spec["name"] != "body":
                assert spec["label"] == FIELD_NAMES[spec["name"]], spec["name"]
            pending += spec.get("fields", [])


def test_options_read_the_repository_from_the_forge_or_the_environment() -> None:
    assert cms.options({}, env={"GITHUB_REPOSITORY": "unccas/commun"}).depot == "unccas/commun"
    assert cms.options({}, repo_url="https://github.com/unccas/commun/", env={}).depot == "unccas/commun"
    opts = cms.options({"forge": "gitlab", "depot": "udccas/commun", "app_id": "abc"}, env={})
    backend = cms.config({}, opts)["backend"]
    assert backend["name"] == "gitlab" and backend["auth_type"] == "pkce" and backend["repo"] == "udccas/commun"
    github = cms.config({}, cms.options({}, env={"COMMUN_CMS_OAUTH": "https://auth.exemple.org"}))["backend"]
    assert github["base_url"] == "https://auth.exemple.org" and github["open_authoring"] is True


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"forge": "bitbucket"}, "cms › forge : « bitbucket » non reconnue ; valeurs possibles : github, gitlab"),
        ({"depot": "pas un dépôt"}, "cms › depot : « pas un dépôt » invalide"),
        ({"branch": "main"}, "option cms inconnue « branch »"),
        ({"actif": "oui"}, "cms › actif : true ou false attendu"),
    ],
)
def test_wrong_options_are_explained_in_french(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(cms.CmsError, match=re.escape(message)):
        cms.options(raw, env={})


def test_a_missing_cms_install_is_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cms, "PACKAGE_ROOT", tmp_path)
    with pytest.raises(cms.CmsError, match="make cms"):
        cms.bundle_dir(tmp_path)
    assert cms.site_files({}, cms.Options(actif=False), root=tmp_path) == {}


def test_admin_files_are_the_generated_config_the_page_and_the_local_cms(content_dir: Path) -> None:
    vocabularies, _ = load_vocabularies(content_dir)
    opts = cms.Options(depot="unccas/commun")
    files = cms.site_files(vocabularies, opts, root=ROOT, site_name="Commun <test>")
    text = typing.cast(str, files["admin/config.yml"])
    assert text.startswith("# Configuration du formulaire web (Decap CMS), générée")
    assert yaml.safe_load(text) == cms.config(vocabularies, opts)
    page = typing.cast(str, files["admin/index.html"])
    assert '<html lang="fr">' in page and 'content="noindex"' in page and "Commun &lt;test&gt;" in page
    assert re.findall(r'src="([^"]+)"', page) == ["decap-cms.js", "commun.js"]
    assert files["admin/commun.js"] == cms.script() and 'registerEventListener' in cms.script()
    assert not re.search(r"https?://", page)
    assert isinstance(files["admin/decap-cms.js"], Path) and files["admin/decap-cms.js"].is_file()
    chunks = [uri for uri in files if re.fullmatch(r"admin/\d+\.decap-cms\.js", uri)]
    assert chunks, "les morceaux chargés à la demande par Decap CMS doivent être copiés"
    assert not [uri for uri in files if uri.endswith(".map")]


def test_a_wrong_option_stops_the_build_with_a_french_message(tmp_path: Path, content_dir: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Essai\n")
    config = {"site_name": "Essai", "plugins": [{"commun": {"cms": {"forge": "bitbucket"}}}]}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config))
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(tmp_path / "mkdocs.yml"), "-d", str(tmp_path / "s")],
        capture_output=True, text=True, env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"}, check=False,
    )
    assert result.returncode != 0
    assert "Formulaire web (/admin/) : cms › forge : « bitbucket » non reconnue" in result.stderr
    assert "Traceback" not in result.stderr


# --- the name of a new fiche: the project's slug rule, in the browser too ---------------------------------

MODULES = ROOT / "tools" / "cms" / "node_modules"
DECAP_KIT = ROOT / "tests" / "decap"
TITLES = [
    "Permanence d'accès aux droits",
    "Cœur de l’Épicerie d'Acoua",
    "ŒUVRES & Æther : Straße",
    "Crèche « Les P'tits Loups » (n°2)",
    "  Accès.aux_droits~2024  ",
    "Épicerie solidaire d'essai",
    "Un titre très long " * 8,
    "L'été 2024 — à Mamoudzou…",
]


def decap_saves(titles: list[str], tmp_path: Path, *, files: bool = True) -> list[dict[str, Any]]:
    """What Decap CMS (tools/cms) makes of each title of a new fiche, with the form's script and without."""
    if not (MODULES / "decap-cms-core").is_dir():
        pytest.fail("Decap CMS introuvable : lancez « make cms » (npm ci dans tools/cms)")
    config = cms.config({}, cms.Options())
    script = tmp_path / "commun.js"
    script.write_text(cms.script(), encoding="utf-8")
    spec = collection(config, "initiatives")
    payload = {
        "titles": titles,
        "config": config,
        "collection": {key: spec[key] for key in ("name", "folder", "slug", "identifier_field")},
        "files": files,
    }
    result = subprocess.run(
        ["node", "--import", str(DECAP_KIT / "register.mjs"), str(DECAP_KIT / "save.mjs"), str(MODULES), str(script)],
        input=json.dumps(payload), capture_output=True, text=True, check=False, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_form_names_a_new_fiche_by_the_slug_rule_and_keeps_its_title(tmp_path: Path) -> None:
    saves = decap_saves(TITLES, tmp_path)
    assert [save["slug"] for save in saves] == [slugify(title) for title in TITLES]
    for save in saves:
        front = yaml.safe_load(save["file"].split("---\n")[1])
        assert front["titre"] == save["title"]
    # Decap alone would name them otherwise: « Permanence d'accès » → permanence-dacces.
    assert saves[0]["plain"] == "permanence-dacces-aux-droits" != saves[0]["slug"]


def test_the_form_names_like_slugify_whatever_the_character(tmp_path: Path) -> None:
    """Every assigned character of the basic multilingual plane, between two letters."""
    characters = [
        chr(code) for code in range(0x20, 0x10000)
        if unicodedata.category(chr(code)) not in ("Cn", "Cs", "Co", "Cc")
    ]
    titles = [f"a{c}b" for c in characters]
    saves = decap_saves(titles, tmp_path, files=False)
    different = [(save["title"], save["slug"]) for save in saves if save["slug"] != slugify(save["title"])]
    assert different == []
