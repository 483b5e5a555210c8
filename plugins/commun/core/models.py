"""The content model: one pydantic class per kind of fiche, keys in French as contributors write them.

Fields that point at another fiche carry a `Ref` marker, fields drawn from a vocabulary carry a `Term`
marker and fields naming a commune or a department carry a `Place` marker; the validator finds them by
introspection, so adding such a field needs no other code.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from .text import SLUG_PATTERN

YEARS_MAX = 30
"""An initiative counts in the « Année » facet for at most this many years after its start."""


DEFAULT_LICENCE = "etalab-2.0"
"""The licence of every fiche that names none: the site's footer states it once for all."""


@dataclass(frozen=True)
class Ref:
    """Marks a field holding the slug of a fiche of `kind` (optionally restricted to structure types)."""

    kind: str
    types: tuple[str, ...] = ()


@dataclass(frozen=True)
class Term:
    """Marks a field holding a slug of the vocabulary `content/vocabulaires/<vocabulary>.yml`."""

    vocabulary: str


@dataclass(frozen=True)
class Place:
    """Marks a field holding the code of a `commune` (INSEE) or a `departement` of the referential of territories."""

    level: Literal["commune", "departement"]


class RuleError(ValueError):
    """A cross-field rule broken; `field` names the key the message should point at."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class PartialDate(dt.date):
    """A date known to the day, or only to the month or the year (`2021-06-28`, `2021-06`, `2017`).

    Sources often give only a month or a year: the fiche says no more than they do.
    """

    precision: Literal["jour", "mois", "annee"]

    def __new__(cls, year: int, month: int = 1, day: int = 1, precision: str = "jour") -> PartialDate:
        self = super().__new__(cls, year, month, day)
        self.precision = precision  # type: ignore[assignment]
        return self

    def last_day(self) -> dt.date:
        """The last day of the period the date stands for."""
        if self.precision == "annee":
            return dt.date(self.year, 12, 31)
        if self.precision == "mois":
            following = dt.date(self.year + self.month // 12, self.month % 12 + 1, 1)
            return following - dt.timedelta(days=1)
        return dt.date(self.year, self.month, self.day)

    def __str__(self) -> str:
        return {"annee": f"{self.year:04d}", "mois": f"{self.year:04d}-{self.month:02d}"}.get(
            self.precision, self.isoformat()
        )


def _as_partial_date(value: Any) -> Any:
    """Accept `2021-06-28`, `2021-06` or `2017`; a YAML date keeps its day."""
    if value.__class__ is dt.date:
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, bool):
        raise ValueError("date attendue (AAAA-MM-JJ, AAAA-MM ou AAAA)")
    if isinstance(value, int) and 1800 <= value <= 2100:
        return PartialDate(value, precision="annee")
    if isinstance(value, str) and (match := re.fullmatch(r"\s*(\d{4})-(\d{2})\s*", value)):
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12:
            return PartialDate(year, month, precision="mois")
        raise ValueError(f"date invalide « {value.strip()} » : le mois va de 01 à 12")
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}\s*", value):
        return PartialDate(int(value), precision="annee")
    day = _day(value, "AAAA-MM-JJ, AAAA-MM ou AAAA") if not isinstance(value, int) else None
    if day is None:
        raise ValueError("date attendue (AAAA-MM-JJ, AAAA-MM ou AAAA)")
    return PartialDate(day.year, day.month, day.day)


def _as_date(value: Any) -> Any:
    """Accept a YAML date or an ISO `AAAA-MM-JJ` string; refuse numbers and date-times."""
    return _day(value, "AAAA-MM-JJ")


def _day(value: Any, forms: str) -> dt.date:
    """A day from a YAML date or an ISO `AAAA-MM-JJ` string; the error names the `forms` the field accepts.

    A date that does not exist reaches here as text (see read._build), to be named with its field.
    """
    if isinstance(value, dt.datetime):
        raise ValueError("date attendue sans heure (AAAA-MM-JJ)")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            if parts := re.fullmatch(r"\d{4}-(\d{2})-\d{2}", text):
                why = "le mois va de 01 à 12" if not 1 <= int(parts[1]) <= 12 else "ce jour n'existe pas"
                raise ValueError(f"date invalide « {text} » : {why}") from None
            raise ValueError(f"date invalide « {value} » : écrivez-la {forms}") from None
    raise ValueError(f"date attendue ({forms})")


Date = Annotated[dt.date, BeforeValidator(_as_date)]
Approx = Annotated[
    dt.date,
    PlainValidator(_as_partial_date),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date"},
                {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
                {"type": "integer", "minimum": 1800, "maximum": 2100},
            ]
        }
    ),
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
INSEE_PATTERN = r"^(?:\d{5}|2[AB]\d{3})$"
DEPARTEMENT_PATTERN = r"^(?:\d{2,3}|2[AB])$"
InseeCode = Annotated[str, StringConstraints(pattern=INSEE_PATTERN), Place("commune")]
DepartementCode = Annotated[str, StringConstraints(pattern=DEPARTEMENT_PATTERN), Place("departement")]
Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]
Email = Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")]
Phone = Annotated[str, StringConstraints(pattern=r"^\+?[0-9 .()-]{6,20}$")]


def ref(kind: str, *types: str) -> Any:
    return Annotated[Slug, Ref(kind, types)]


def term(vocabulary: str) -> Any:
    return Annotated[Slug, Term(vocabulary)]


class Part(BaseModel):
    """Base of every nested object: unknown keys are errors, never silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Part):
    titre: Text = Field(description="Titre du document cité (auteur, titre, année).")
    url: Url | None = Field(None, description="Adresse web du document, s'il est en ligne.")


class Contact(Part):
    fonction: Text | None = Field(None, description="Fonction à contacter (jamais le nom d'une personne).")
    email: Email | None = Field(None, description="Adresse e-mail de la structure ou du service.")
    telephone: Phone | None = Field(None, description="Téléphone de la structure ou du service.")


class Population(Part):
    valeur: int = Field(ge=0, description="Nombre d'habitants.")
    annee: int = Field(ge=1800, le=2100, description="Année de référence.")
    source: Text = Field(description="Source du chiffre (ex. INSEE, population légale).")


Priorite = Literal["prioritaire", "secondaire"]


class Etape(Part):
    """One line of a roadmap (feuille de route)."""

    axe: Text = Field(description="Axe ou action de la feuille de route.")
    priorite: Priorite | None = Field(None, description="prioritaire ou secondaire.")
    echeance: Approx | None = Field(None, description="Échéance (AAAA-MM-JJ, AAAA-MM ou AAAA).")
    etat: Literal["a_venir", "en_cours", "realise", "abandonne"] | None = Field(
        None, description="a_venir, en_cours, realise ou abandonne."
    )


class Relecture(Part):
    """Who reviewed a fiche and when: a union of CCAS, never a person; written only for a review that took place."""

    par: ref("ccas", "udccas", "unccas") = Field(
        description="Union qui a relu la fiche : identifiant d'une fiche UDCCAS ou UNCCAS de content/ccas/."
    )
    date: Date = Field(description="Date de la relecture (AAAA-MM-JJ).")


class Common(Part):
    """Keys common to every kind of fiche."""

    titre: Text = Field(description="Titre de la fiche.")
    resume: Annotated[Text, StringConstraints(max_length=300)] = Field(
        description="Résumé en texte simple, 300 caractères au plus (cartes et description de la page)."
    )
    etat: Literal["brouillon", "en_relecture", "publie"] = Field(
        description="brouillon, en_relecture ou publie : seules les fiches « publie » sont en ligne."
    )
    mis_a_jour: Date = Field(description="Date de dernière mise à jour (AAAA-MM-JJ).")
    thematiques: list[term("thematiques")] = Field(
        default_factory=list, description="Thématiques (voir content/vocabulaires/thematiques.yml)."
    )
    sources: list[Source] = Field(default_factory=list, description="Documents qui fondent la fiche.")
    relecture: Relecture | None = Field(
        None,
        description="Relecture par une union (UDCCAS ou UNCCAS) : laquelle et quand ; seulement pour une relecture "
        "qui a eu lieu.",
    )
    licence: Text = Field(DEFAULT_LICENCE, description="Licence du contenu (par défaut Licence Ouverte 2.0).")
    exemple: bool = Field(False, description="true pour une fiche de démonstration, fictive.")

    def years(self) -> list[int]:
        """The years the fiche concerns, for the search's « Année » facet."""
        return []


class Parcours(Part):
    """A training module followed by a structure's staff."""

    module: ref("modules") = Field(description="Module suivi (identifiant de la fiche module).")
    date: Approx | None = Field(None, description="Date de la session suivie (AAAA-MM-JJ, AAAA-MM ou AAAA).")
    participants: int | None = Field(None, ge=0, description="Nombre d'agents de la structure présents.")


class Structure(Common):
    """A CCAS, CIAS, departmental union (UDCCAS), the national union (UNCCAS) or another body."""

    type: Literal["ccas", "cias", "udccas", "unccas", "autre"] = Field(
        description="ccas, cias, udccas, unccas ou autre."
    )
    commune: InseeCode | None = Field(None, description="Code INSEE de la commune (obligatoire pour un CCAS).")
    departement: DepartementCode | None = Field(
        None, description="Numéro du département (ex. 976) ; pour un CCAS, celui de sa commune."
    )
    epci: Text | None = Field(None, description="Intercommunalité (EPCI) de rattachement.")
    population: Population | None = Field(None, description="Population légale de la commune, avec sa source.")
    udccas: ref("ccas", "udccas") | None = Field(None, description="Union départementale de rattachement.")
    adresse: Text | None = Field(None, description="Adresse postale de la structure.")
    site_web: Url | None = Field(None, description="Site web de la structure.")
    contact: Contact | None = Field(None, description="Contact : fonction et coordonnées de la structure.")
    parrains: list[ref("ccas")] = Field(default_factory=list, description="CCAS parrains.")
    feuille_de_route: list[Etape] = Field(default_factory=list, description="Feuille de route de la structure.")
    parcours: list[Parcours] = Field(
        default_factory=list, description="Modules de formation suivis par les agents de la structure."
    )

    @model_validator(mode="after")
    def _commune_for_ccas(self) -> Structure:
        if self.type == "ccas" and self.commune is None:
            raise RuleError("commune", "un CCAS doit indiquer sa commune (code INSEE)")
        return self


class Financement(Part):
    financeur: Text = Field(description="Organisme financeur.")
    montant_eur: float | None = Field(None, ge=0, description="Montant en euros.")


class Liens(Part):
    inspire_de: list[ref("initiatives")] = Field(default_factory=list, description="Initiatives sources d'inspiration.")
    outils: list[ref("outils")] = Field(default_factory=list, description="Outils utilisés.")
    modules: list[ref("modules")] = Field(default_factory=list, description="Modules de formation liés.")
    projets: list[ref("projets")] = Field(default_factory=list, description="Projets du Labo liés.")


Categorie = Literal["socle", "a-la-carte", "mooc", "coaching", "immersion", "evaluation"]


class RegleModules(Part):
    """One rule of a programme's passport: which of its modules of one category a structure must have followed."""

    categorie: Categorie = Field(description="Catégorie de modules : socle, a-la-carte, mooc, coaching, immersion…")
    tous: bool = Field(False, description="true : tous les modules de cette catégorie du programme sont requis.")
    minimum: int | None = Field(None, ge=1, description="Nombre de modules de cette catégorie à suivre au moins.")

    @model_validator(mode="after")
    def _one_requirement(self) -> RegleModules:
        if self.tous and self.minimum is not None:
            raise RuleError("minimum", "écrivez « tous: true » ou un « minimum », pas les deux")
        if not self.tous and self.minimum is None:
            raise RuleError(
                "categorie",
                "dites ce qui est requis : « tous: true » (tous les modules de la catégorie) ou « minimum: » "
                "suivi d'un nombre",
            )
        return self


class Recommandation(Part):
    structure: ref("ccas", "udccas", "unccas") = Field(description="Union (UDCCAS ou UNCCAS) qui recommande.")
    date: Approx | None = Field(None, description="Date de la recommandation.")


class Initiative(Common):
    """A fiche of the bank of experience."""

    porteur: ref("ccas") | None = Field(
        None, description="Structure qui porte l'initiative ; à omettre si les sources ne le disent pas."
    )
    communes: list[InseeCode] = Field(default_factory=list, description="Codes INSEE des communes concernées.")
    thematiques: Annotated[list[term("thematiques")], Field(min_length=1)] = Field(
        description="Thématiques (au moins une)."
    )
    publics: Annotated[list[term("publics")], Field(min_length=1)] = Field(
        description="Publics visés (au moins un, voir content/vocabulaires/publics.yml)."
    )
    statut: Literal["idee", "experimentation", "en_cours", "perennise", "termine", "abandonne"] | None = Field(
        None,
        description="idee, experimentation, en_cours, perennise, termine ou abandonne ; à omettre si les "
        "sources ne disent pas où en est l'initiative.",
    )
    date_debut: Approx | None = Field(
        None, description="Date de début (AAAA-MM-JJ, ou AAAA-MM, ou AAAA si seule l'année est connue)."
    )
    date_fin: Approx | None = Field(
        None, description="Date de fin, pas avant la date de début (AAAA-MM-JJ, AAAA-MM ou AAAA)."
    )
    echelle: Literal["communale", "intercommunale", "departementale", "regionale", "nationale"] | None = Field(
        None, description="communale, intercommunale, departementale, regionale ou nationale."
    )
    partenaires: list[Text] = Field(default_factory=list, description="Organismes partenaires.")
    financements: list[Financement] = Field(default_factory=list, description="Financements reçus.")
    budget_eur: float | None = Field(None, ge=0, description="Budget total en euros.")
    moyens_humains: Text | None = Field(None, description="Moyens humains mobilisés.")
    contact: Contact | None = Field(None, description="Contact : fonction et coordonnées.")
    liens: Liens = Field(default_factory=Liens, description="Liens vers d'autres fiches.")
    recommandee_par: list[Recommandation] = Field(
        default_factory=list, description="Unions qui recommandent cette initiative comme bonne pratique."
    )
    nom_court: Text | None = Field(
        None,
        description="Nom court (un sigle, un nom d'usage) pour les listes, les filtres, le passeport ; le titre sinon.",
    )
    passeport: list[RegleModules] = Field(
        default_factory=list,
        description="Pour un programme de formation qui en a un : les modules du programme qu'une structure doit "
        "avoir suivis pour que son passeport de professionnalisation soit complet, une règle par catégorie.",
    )

    @model_validator(mode="after")
    def _dates_in_order(self) -> Initiative:
        if self.date_debut and self.date_fin and self.date_fin.last_day() < self.date_debut:
            raise RuleError("date_fin", "date_fin est antérieure à date_debut")
        return self

    @model_validator(mode="after")
    def _one_rule_per_category(self) -> Initiative:
        categories = [rule.categorie for rule in self.passeport]
        if twice := next((c for c in categories if categories.count(c) > 1), None):
            raise RuleError("passeport", f"la catégorie « {twice} » a deux règles : une seule par catégorie")
        return self

    @property
    def nom(self) -> str:
        """The name lists and filters show: the short name if any, else the title."""
        return self.nom_court or self.titre

    def years(self) -> list[int]:
        dates = [d for d in (self.date_debut, self.date_fin) if d]
        if not dates:
            return []
        first, last = min(d.year for d in dates), max(d.year for d in dates)
        return list(range(first, min(last, first + YEARS_MAX) + 1))


class Membre(Part):
    fonction: Text = Field(description="Fonction dans la structure (jamais un nom de personne).")
    role: Literal["referent", "membre"] = Field(description="referent ou membre.")


class Labo(Part):
    numero: int = Field(ge=1, description="Numéro de la session du Labo.")
    date: Approx | None = Field(None, description="Date de la session (AAAA-MM-JJ, AAAA-MM ou AAAA).")
    avancement: Text | None = Field(None, description="Où en est le projet à cette session.")


class Projet(Common):
    """A project fiche of the Labo des solutions innovantes."""

    porteur: ref("ccas") = Field(description="Structure qui porte le projet.")
    priorite: Priorite | None = Field(None, description="prioritaire ou secondaire.")
    publics: list[term("publics")] = Field(default_factory=list, description="Publics visés.")
    etape: Literal["immersion", "ideation", "prototypage", "experimentation", "evaluation", "essaimage"] = Field(
        description="immersion, ideation, prototypage, experimentation, evaluation ou essaimage."
    )
    equipe: Annotated[list[Membre], Field(min_length=1, max_length=3)] = Field(
        description="Équipe projet : 1 à 3 fonctions, dont au moins un referent."
    )
    labos: list[Labo] = Field(default_factory=list, description="Sessions du Labo suivies.")
    feuille_de_route: list[Etape] = Field(default_factory=list, description="Feuille de route du projet.")
    outils: list[ref("outils")] = Field(default_factory=list, description="Outils utilisés.")
    initiative: ref("initiatives") | None = Field(None, description="Initiative issue du projet.")

    @model_validator(mode="after")
    def _a_referent(self) -> Projet:
        referents = sum(1 for m in self.equipe if m.role == "referent")
        if referents < 1:
            raise RuleError("equipe", "l'équipe doit compter au moins un referent (role: referent)")
        return self

    def years(self) -> list[int]:
        return sorted({labo.date.year for labo in self.labos if labo.date})


class Duree(Part):
    jours: float | None = Field(None, ge=0, description="Durée en jours.")
    heures: float | None = Field(None, ge=0, description="Durée en heures.")


class Session(Part):
    debut: Approx = Field(description="Premier jour (AAAA-MM-JJ), ou le mois (AAAA-MM) si le jour n'est pas connu.")
    fin: Approx | None = Field(None, description="Dernier jour (AAAA-MM-JJ, AAAA-MM ou AAAA).")
    lieu: Text | None = Field(None, description="Lieu de la session.")
    participants: int | None = Field(None, ge=0, description="Nombre de participants.")

    @model_validator(mode="after")
    def _dates_in_order(self) -> Session:
        if self.fin and self.fin.last_day() < self.debut:
            raise RuleError("fin", "fin est antérieure à debut")
        return self


class Indicateur(Part):
    taux_satisfaction: float = Field(ge=0, le=100, description="Taux de satisfaction en %.")
    annee: int = Field(ge=1900, le=2100, description="Année de la mesure.")


class Module(Common):
    """A training module; its fields are those Qualiopi indicator 1 asks a training offer to publish."""

    programme: ref("initiatives") | None = Field(
        None,
        description="Programme de formation dont le module fait partie : l'identifiant de sa fiche initiative "
        "(son nom de fichier sans .md) ; à omettre pour une formation hors programme.",
    )
    categorie: Categorie | None = Field(
        None,
        description="socle, a-la-carte, mooc, coaching, immersion ou evaluation ; à omettre si le programme "
        "ne range pas ses modules en catégories.",
    )
    objectifs: Annotated[list[Text], Field(min_length=1)] = Field(description="Objectifs pédagogiques (au moins un).")
    public: Text | None = Field(None, description="Public visé.")
    prerequis: Text | None = Field(None, description="Prérequis.")
    duree: Duree | None = Field(None, description="Durée en jours et/ou en heures.")
    modalite: Literal["presentiel", "distanciel", "hybride"] | None = Field(
        None, description="presentiel, distanciel ou hybride."
    )
    effectif_max: int | None = Field(None, ge=1, description="Nombre maximum de participants par session.")
    sessions: list[Session] = Field(default_factory=list, description="Sessions programmées ou réalisées.")
    methodes: list[Text] = Field(default_factory=list, description="Méthodes et moyens pédagogiques.")
    modalites_evaluation: Text | None = Field(None, description="Modalités d'évaluation.")
    accessibilite: Text | None = Field(None, description="Accessibilité aux personnes handicapées.")
    delai_acces: Text | None = Field(None, description="Délai d'accès.")
    tarif: Text | None = Field(None, description="Tarif.")
    contact: Contact | None = Field(None, description="Contact : fonction et coordonnées.")
    indicateurs: list[Indicateur] = Field(default_factory=list, description="Indicateurs de résultat.")

    def years(self) -> list[int]:
        return sorted({d.year for s in self.sessions for d in (s.debut, s.fin) if d})


class Fichier(Part):
    titre: Text = Field(description="Titre du fichier téléchargeable.")
    chemin: Text = Field(description="Chemin du fichier sous content/outils/fichiers/ (ex. fichiers/grille.csv).")
    format: Text | None = Field(None, description="Format (ex. CSV, Markdown, ODS).")


class Outil(Common):
    """A methodological tool or template."""

    type: Literal["methode", "modele", "grille", "questionnaire", "guide", "logiciel"] = Field(
        description="methode, modele, grille, questionnaire, guide ou logiciel."
    )
    usage: Text | None = Field(None, description="À quoi sert l'outil et quand l'utiliser.")
    duree: Text | None = Field(None, description="Temps nécessaire.")
    participants: Text | None = Field(None, description="Qui participe.")
    materiel: list[Text] = Field(default_factory=list, description="Matériel nécessaire.")
    etapes: list[Text] = Field(default_factory=list, description="Étapes de mise en œuvre.")
    fichiers: list[Fichier] = Field(default_factory=list, description="Fichiers téléchargeables.")


# --- the shape of a field, for the exports and the import -----------------------------------------


