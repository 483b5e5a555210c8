"""schema.org JSON-LD of each fiche page, for `<head>`."""

from __future__ import annotations

from typing import Any

from ...core.corpus import Fiche
from ...core.urls import fiche_path
from ...stages.graph import commune_codes
from .common import Addresses, licence_info, plain


class StructuredData(Addresses):
    """The JSON-LD of the fiche pages."""

    def jsonld_for(self, path: str) -> dict[str, Any] | None:
        """The JSON-LD of the page at Markdown path `path` (`initiatives/x.md`), if it shows a fiche."""
        if not hasattr(self, "_by_path"):
            self._by_path = {fiche_path(f): f for f in self.graph.all()}
        fiche = self._by_path.get(path)
        return self.jsonld(fiche) if fiche is not None else None

    def jsonld(self, fiche: Fiche) -> dict[str, Any]:
        """schema.org data of a fiche page: organisations, courses, projects and creative works."""
        here = fiche_path(fiche).removesuffix(".md") + "/index.html"
        meta = fiche.meta
        themes = self.graph.content.vocabularies.get("thematiques", {})
        publics = self.graph.content.vocabularies.get("publics", {})
        licence = licence_info(meta.licence)
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "Thing",
            "name": meta.titre,
            "description": meta.resume,
            "url": self.fiche_url(fiche, here),
        }

        def org(slug: str | None) -> dict[str, Any] | None:
            target = self.graph.get("ccas", slug) if slug else None
            if target is None:
                return None
            kind = "GovernmentOrganization" if target.meta.type in ("ccas", "cias") else "Organization"
            return {"@type": kind, "name": target.meta.titre, "url": self.fiche_url(target, here)}

        def places(codes: list[str]) -> list[dict[str, Any]]:
            found = []
            for code in codes:
                commune = self.graph.territoires.commune(code)
                place: dict[str, Any] = {"@type": "AdministrativeArea", "identifier": code}
                if commune:
                    place["name"] = commune.nom
                found.append(place)
            return found

        keywords = [themes[t].libelle if t in themes else t for t in meta.thematiques]
        work = {
            "inLanguage": "fr",
            "dateModified": meta.mis_a_jour.isoformat(),
            "license": licence["url"] or licence["nom"],
        }
        schema_type = fiche.kind_info.schema_type
        if schema_type == "Organization":
            data["@type"] = "GovernmentOrganization" if meta.type in ("ccas", "cias") else "Organization"
            if meta.site_web:
                data["sameAs"] = meta.site_web
            if meta.adresse:
                data["address"] = meta.adresse
            if meta.contact and meta.contact.email:
                data["email"] = meta.contact.email
            if meta.contact and meta.contact.telephone:
                data["telephone"] = meta.contact.telephone
            if codes := commune_codes(fiche):
                data["areaServed"] = places(codes)
            if parent := org(meta.udccas):
                data["parentOrganization"] = parent
        elif schema_type == "Course":
            data.update(work)
            data.update({"@type": "Course", "teaches": list(meta.objectifs)})
            if keywords:
                data["keywords"] = keywords
            if meta.prerequis:
                data["coursePrerequisites"] = meta.prerequis
            if meta.duree and meta.duree.heures:
                data["timeRequired"] = f"PT{meta.duree.heures:g}H"
            mode = {"presentiel": "onsite", "distanciel": "online", "hybride": "blended"}.get(meta.modalite or "")
            instances = []
            for session in meta.sessions:
                instance: dict[str, Any] = {"@type": "CourseInstance", "startDate": plain(session.debut)}
                if session.fin:
                    instance["endDate"] = plain(session.fin)
                if session.lieu:
                    instance["location"] = {"@type": "Place", "name": session.lieu}
                if mode:
                    instance["courseMode"] = mode
                instances.append(instance)
            if instances:
                data["hasCourseInstance"] = instances
        elif schema_type == "Project":
            data["@type"] = "Project"
            if keywords:
                data["keywords"] = keywords
            if parent := org(meta.porteur):
                data["parentOrganization"] = parent
            data["member"] = [{"@type": "OrganizationRole", "roleName": m.fonction} for m in meta.equipe]
        else:
            data.update(work)
            data["@type"] = schema_type
            if keywords:
                data["keywords"] = keywords
            fields = type(meta).model_fields
            if "porteur" in fields and (creator := org(meta.porteur)):
                data["creator"] = creator
            if "publics" in fields:
                data["audience"] = [
                    {"@type": "Audience", "audienceType": publics[p].libelle if p in publics else p}
                    for p in meta.publics
                ]
            if codes := commune_codes(fiche):
                data["spatialCoverage"] = places(codes)
            if getattr(meta, "date_debut", None):
                end = plain(meta.date_fin) if meta.date_fin else ".."
                data["temporalCoverage"] = f"{plain(meta.date_debut)}/{end}"
            if getattr(meta, "financements", None):
                data["funder"] = [{"@type": "Organization", "name": f.financeur} for f in meta.financements]
            if "fichiers" in fields:
                data["associatedMedia"] = [
                    {
                        "@type": "MediaObject",
                        "name": f.titre,
                        "contentUrl": self.url(f"outils/{f.chemin}", here),
                        **({"encodingFormat": f.format} if f.format else {}),
                    }
                    for f in meta.fichiers
                ]
        if meta.relecture and (union := org(meta.relecture.par)):
            data["mainEntityOfPage"] = {
                "@type": "WebPage",
                "url": data["url"],
                "reviewedBy": union,
                "lastReviewed": meta.relecture.date.isoformat(),
            }
        return data
