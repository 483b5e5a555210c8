"""The web form at /admin/: a Decap CMS configuration generated from the models and vocabularies.

Nothing here is maintained by hand: each kind of fiche becomes a collection, each model field a form
field (its widget chosen from the field's JSON Schema, its choices from the vocabularies and the other
fiches; a commune is typed as its INSEE code, which the check looks up among the 35,000 of France), so
that the form always asks for what `commun check` accepts.
The CMS itself (Decap CMS, from npm, installed under tools/cms/ by `make`) is copied beside it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from ..core.corpus import Vocabularies
from ..core.fields import field_plan
from ..core.kinds import KINDS
from ..core.labels import field_name, group, label
from ..core.models import Ref, Term
from ..core.text import LIGATURE_LETTERS, SLUG_LENGTH, SLUG_SEPARATOR, SLUG_WORD
from ..outputs.scaffold import environment, render_new
from ..stages.check import PATTERN_MESSAGES
from ..stages.read import split_front_matter

PACKAGE_ROOT = Path(__file__).resolve().parents[3]
BUNDLE = Path("tools") / "cms" / "node_modules" / "decap-cms" / "dist"
BUNDLE_FILE = re.compile(r"^(?:\d+\.)?decap-cms\.js$|^decap-cms\.js\.LICENSE\.txt$|^[0-9a-f]+\.wasm$")
FORGES = ("github", "gitlab", "gitea")
APPROX_PATTERN = r"^\d{4}(?:-\d{2}){0,2}$"
LONG_TEXT = 200
"""Text fields allowed at least this many characters get a multi-line box."""

LOCAL_COPY = Path(".cache") / "formulaire"
"""The web form's own git working copy in a clone (`make formulaire`): it never writes elsewhere."""
LOCAL_BRANCH = "formulaire"
"""The branch of that copy, where each fiche saved in the form is a commit."""
SERVER = Path("tools") / "cms" / "node_modules" / "decap-server" / "dist" / "index.js"
IDENTIFIER = "titre"
"""The field a new fiche's file name is made from."""

# Values a new fiche starts with in the form (as in `commun new`).
NEW_FICHE = {"etat": "brouillon", "mis_a_jour": "{{now}}"}

class CmsError(ValueError):
    """A wrong `cms` option in mkdocs.yml, or a CMS that is not installed; the message is French."""


@dataclass(frozen=True)
class Options:
    """Where the form sends its proposals: the forge, the repository, and how to sign in."""

    forge: str = "github"
    depot: str | None = None
    branche: str = "main"
    oauth: str | None = None
    app_id: str | None = None
    api: str | None = None
    local: str | bool = True
    actif: bool = True


def options(
    raw: Mapping[str, Any] | None, *, repo_url: str | None = None, env: Mapping[str, str] | None = None
) -> Options:
    """Read the `cms:` options of the plugin; the repository and the OAuth address may come from the environment.

    `COMMUN_CMS_DEPOT` (or GitHub Actions' `GITHUB_REPOSITORY`), `COMMUN_CMS_OAUTH` and `COMMUN_CMS_APP_ID`
    let the deployment workflow fill them in without editing mkdocs.yml.
    """
    env = os.environ if env is None else env
    raw = dict(raw or {})
    known = set(Options.__dataclass_fields__)
    if unknown := sorted(set(raw) - known):
        raise CmsError(f"option cms inconnue « {unknown[0]} » ; options possibles : {', '.join(sorted(known))}")
    forge = raw.get("forge", "github")
    if forge not in FORGES:
        raise CmsError(f"cms › forge : « {forge} » non reconnue ; valeurs possibles : {', '.join(FORGES)}")
    depot = raw.get("depot") or env.get("COMMUN_CMS_DEPOT") or env.get("GITHUB_REPOSITORY")
    if not depot and repo_url and (match := re.match(r"^https?://[^/]+/(.+?)(?:\.git)?/*$", repo_url)):
        depot = match[1]
    if depot is not None and not re.fullmatch(r"[\w.-]+(?:/[\w.-]+)+", str(depot)):
        raise CmsError(f"cms › depot : « {depot} » invalide ; écrivez « organisation/depot »")
    for key in ("branche", "oauth", "app_id", "api"):
        if key in raw and not isinstance(raw[key], str):
            raise CmsError(f"cms › {key} : texte attendu")
    local = raw.get("local", True)
    if not isinstance(local, bool | str):
        raise CmsError("cms › local : true, false ou l'adresse de decap-server attendu")
    actif = raw.get("actif", True)
    if not isinstance(actif, bool):
        raise CmsError("cms › actif : true ou false attendu")
    return Options(
        forge=forge,
        depot=depot,
        branche=raw.get("branche", "main"),
        oauth=raw.get("oauth") or env.get("COMMUN_CMS_OAUTH") or None,
        app_id=raw.get("app_id") or env.get("COMMUN_CMS_APP_ID") or None,
        api=raw.get("api"),
        local=local,
        actif=actif,
    )


@cache
def _schema(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema(mode="validation")


def _property(model: type[BaseModel], name: str) -> dict[str, Any]:
    """The JSON Schema of one field, without its `null` branch."""
    prop = dict(_schema(model)["properties"][name])
    branches = [b for b in prop.pop("anyOf", []) if b.get("type") != "null"]
    if len(branches) == 1:
        prop.update(branches[0])
    elif branches:
        prop["anyOf"] = branches
    return prop


def _pattern(pattern: str) -> list[str]:
    message = PATTERN_MESSAGES.get(pattern, "valeur mal formée").replace(" « {value} »", "")
    return [pattern, message]


class Form:
    """Turns models into Decap fields, with the choices the content folder allows."""

    def __init__(self, vocabularies: Vocabularies) -> None:
        self.vocabularies = vocabularies

    def fields(self, model: type[BaseModel], *, optional: bool = False) -> list[dict[str, Any]]:
        """Every field of `model`, required ones first; inside an optional block nothing is required.

        (The check still says what an optional block lacks once it is filled in.)
        """
        plan = {name: (marker, nested) for name, marker, nested in field_plan(model)}
        fields = [
            self.field(model, name, *plan[name], required=info.is_required() and not optional)
            for name, info in model.model_fields.items()
        ]
        return sorted(fields, key=lambda spec: not spec["required"])

    def field(
        self,
        model: type[BaseModel],
        name: str,
        marker: Ref | Term | None,
        nested: type[BaseModel] | None,
        *,
        required: bool,
    ) -> dict[str, Any]:
        info = model.model_fields[name]
        prop = _property(model, name)
        spec: dict[str, Any] = {"name": name, "label": field_name(name), "required": required}
        if info.description:
            spec["hint"] = info.description
        default = NEW_FICHE.get(name, info.default)
        if default is not PydanticUndefined and default is not None:
            spec["default"] = default
        many = prop.get("type") == "array"
        item = prop.get("items", {}) if many else prop
        if many:
            spec.update({k: v for k, v in (("min", prop.get("minItems")), ("max", prop.get("maxItems"))) if v})
        if isinstance(marker, Ref):
            spec.update(self._relation(marker, many))
        elif isinstance(marker, Term):
            terms = self.vocabularies.get(marker.vocabulary, {})
            options = [{"label": entry.libelle, "value": slug} for slug, entry in terms.items()]
            spec.update({"widget": "select", "multiple": many, "options": options})
        elif nested is not None:
            inner = self.fields(nested, optional=not required and not many)
            if many:  # a default inside the items would make Decap start the list with one (empty) item
                inner = [{key: value for key, value in spec.items() if key != "default"} for spec in inner]
            spec.update({"widget": "list" if many else "object", "collapsed": many, "fields": inner})
            if many:
                spec["summary"] = "{{fields." + inner[0]["name"] + "}}"
        elif many:
            inner_field = {"name": "valeur", "label": field_name(name), **_widget(item, group(model, name))}
            spec.update({"widget": "list", "field": inner_field})
        else:
            spec.update(_widget(item, group(model, name)))
        return spec

    def _relation(self, marker: Ref, many: bool) -> dict[str, Any]:
        spec: dict[str, Any] = {
            "widget": "relation",
            "collection": marker.kind,
            "value_field": "{{slug}}",
            "search_fields": ["titre"],
            "display_fields": ["titre"],
            "multiple": many,
            "options_length": 100,
        }
        if marker.types:
            spec["filters"] = [{"field": "type", "values": list(marker.types)}]
        return spec


def _widget(prop: dict[str, Any], labels: str = "") -> dict[str, Any]:
    """The widget of a scalar, from its JSON Schema; the choices of a coded one are named from `labels`."""
    if "anyOf" in prop:  # a partial date: a day, a month or a year
        return {"widget": "string", "pattern": [APPROX_PATTERN, "date au format AAAA-MM-JJ, AAAA-MM ou AAAA"]}
    if "enum" in prop:
        return {"widget": "select", "options": [{"label": label(v, labels), "value": v} for v in prop["enum"]]}
    kind = prop.get("type")
    if kind == "boolean":
        return {"widget": "boolean"}
    if kind in ("integer", "number"):
        spec: dict[str, Any] = {"widget": "number", "value_type": "int" if kind == "integer" else "float"}
        for key, bound in (("min", "minimum"), ("max", "maximum")):
            if bound in prop:
                spec[key] = prop[bound]
        if kind == "number":
            spec["step"] = 0.01
        return spec
    if prop.get("format") == "date":
        return {
            "widget": "datetime",
            "format": "YYYY-MM-DD",
            "date_format": "DD/MM/YYYY",
            "time_format": False,
        }
    spec = {"widget": "text" if prop.get("maxLength", 0) >= LONG_TEXT else "string"}
    if "pattern" in prop:
        spec["pattern"] = _pattern(prop["pattern"])
    elif "maxLength" in prop:
        spec["pattern"] = [f"^[\\s\\S]{{0,{prop['maxLength']}}}$", f"{prop['maxLength']} caractères au plus"]
    return spec


def _body(kind: str) -> str:
    """The headings a new fiche of `kind` starts with: those of `commun new`."""
    text = render_new(kind, today=dt.date(2000, 1, 1))
    return split_front_matter(text, kind)[1].strip() + "\n"


def _backend(opts: Options) -> dict[str, Any]:
    backend: dict[str, Any] = {"name": opts.forge, "branch": opts.branche}
    if opts.depot:
        backend["repo"] = opts.depot
    if opts.forge == "github":
        # Contributors without write access propose from a fork, as a pull request.
        backend["open_authoring"] = True
    if opts.oauth:
        # GitHub: the OAuth service that signs people in; GitLab, Gitea: the forge's own address.
        backend["base_url"] = opts.oauth
    if opts.app_id:
        backend.update({"app_id": opts.app_id, "auth_type": "pkce"})
    if opts.api:
        backend["api_root"] = opts.api
    backend["commit_messages"] = {
        "create": "Nouvelle fiche {{collection}} : {{slug}}",
        "update": "Mise à jour de la fiche {{collection}} : {{slug}}",
        "delete": "Suppression de la fiche {{collection}} : {{slug}}",
        "uploadMedia": "Ajout du fichier {{path}}",
        "deleteMedia": "Suppression du fichier {{path}}",
        "openAuthoring": "{{message}}",
    }
    return backend


def config(
    vocabularies: Vocabularies,
    opts: Options,
    *,
    content_dir: str = "content",
    site_url: str | None = None,
    preview: bool = False,
) -> dict[str, Any]:
    """The whole Decap CMS configuration: one folder collection per kind of fiche.

    In the preview of a clone (`mkdocs serve`), the form saves through the local decap-server (`make
    formulaire`) into the form's own working copy: each fiche saved is a commit on its branch, at once
    (no editorial workflow), so that it can be previewed there; the contributor's files are never touched.
    """
    form = Form(vocabularies)
    collections = []
    for kind, info in KINDS.items():
        fields = form.fields(info.model)
        etat = next(f for f in fields if f["name"] == "etat")
        collections.append(
            {
                "name": kind,
                "label": info.plural[:1].upper() + info.plural[1:],
                "label_singular": info.singular,
                "description": f"Fiches de {content_dir}/{kind}/ : chaque proposition est relue par une union.",
                "folder": f"{content_dir}/{kind}",
                "extension": "md",
                "format": "frontmatter",
                "create": True,
                "slug": "{{slug}}",
                "identifier_field": IDENTIFIER,
                "summary": "{{titre}} ({{etat}})",
                "sortable_fields": ["titre", "mis_a_jour"],
                "view_filters": [
                    {"label": option["label"], "field": "etat", "pattern": f"^{option['value']}$"}
                    for option in etat["options"]
                ],
                "editor": {"preview": False},
                "fields": [
                    *fields,
                    {
                        "name": "body",
                        "label": "Texte de la fiche",
                        "widget": "markdown",
                        "hint": "Sans adresse e-mail ni téléphone : les coordonnées vont dans « Contact ».",
                        "default": _body(kind),
                    },
                ],
            }
        )
    result: dict[str, Any] = {
        "locale": "fr",
        "backend": _backend(opts),
        "publish_mode": "editorial_workflow",
        "local_backend": opts.local if isinstance(opts.local, bool) else {"url": opts.local},
        "media_folder": f"{content_dir}/outils/fichiers",
        "public_folder": "fichiers",
        "omit_empty_optional_fields": True,
        # Decap's own slug settings, as close to `slugify` as they go; commun.js does the rest (see its head).
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": SLUG_SEPARATOR},
        "collections": collections,
    }
    if preview and opts.local:
        result["backend"]["branch"] = LOCAL_BRANCH
        result["publish_mode"] = "simple"
    if site_url:
        result["site_url"] = result["display_url"] = site_url
    return result


def script() -> str:
    """The form's script: new fiches named by the project's slug rule, written from core/text.py."""
    return (
        environment()
        .get_template("cms/commun.js.j2")
        .render(
            ligatures=json.dumps(LIGATURE_LETTERS, ensure_ascii=False),
            word=json.dumps(SLUG_WORD),
            separator=json.dumps(SLUG_SEPARATOR),
            length=SLUG_LENGTH,
            identifier=json.dumps(IDENTIFIER),
        )
    )


def server_script(*roots: Path) -> Path:
    """decap-server, the form's local server, installed by `make` (npm ci in tools/cms/)."""
    for root in (*roots, PACKAGE_ROOT):
        if (root / SERVER).is_file():
            return root / SERVER
    raise CmsError("decap-server introuvable (tools/cms/node_modules) : lancez « make cms » (npm ci)")


def bundle_dir(*roots: Path) -> Path:
    """The folder holding Decap CMS's files, installed by `make` (npm ci in tools/cms/)."""
    for root in (*roots, PACKAGE_ROOT):
        folder = root / BUNDLE
        if (folder / "decap-cms.js").is_file():
            return folder
    raise CmsError(
        "Decap CMS introuvable (tools/cms/node_modules) : lancez « make cms » (npm ci), "
        "ou désactivez le formulaire web avec l'option « cms: {actif: false} » du greffon commun"
    )


@lru_cache(maxsize=1)
def _yaml(data: str) -> str:
    """The form's configuration (`data`, as JSON) in YAML: written again only when it changed, as YAML is
    slow to write (60 ms at every `mkdocs serve` rebuild, for a configuration that changes with the
    vocabularies only)."""
    return yaml.safe_dump(json.loads(data), allow_unicode=True, sort_keys=False, width=100)


def site_files(
    vocabularies: Vocabularies,
    opts: Options,
    *,
    root: Path,
    content_dir: str = "content",
    site_name: str = "Commun",
    site_url: str | None = None,
    preview: bool = False,
) -> dict[str, str | Path]:
    """Files of the /admin/ folder: URI → text to write, or path of a file to copy."""
    if not opts.actif:
        return {}
    data = config(vocabularies, opts, content_dir=content_dir, site_url=site_url, preview=preview)
    files: dict[str, str | Path] = {
        "admin/config.yml": environment().get_template("cms/config.yml.j2").render(body=_yaml(json.dumps(data))),
        "admin/index.html": environment().get_template("cms/index.html.j2").render(site_name=site_name),
        "admin/commun.js": script(),
    }
    folder = bundle_dir(root)
    for path in sorted(folder.iterdir()):
        if BUNDLE_FILE.match(path.name):
            files[f"admin/{path.name}"] = path
    return files

