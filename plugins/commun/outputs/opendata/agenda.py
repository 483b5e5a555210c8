"""The iCalendar agenda: sessions of the modules and of the Labo."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ...core.corpus import Fiche
from .common import AGENDA, Addresses, day, published, stable_id


@dataclass
class Event:
    uid: str
    summary: str
    start: dt.date
    end: dt.date
    description: str
    location: str | None = None
    url: str | None = None
    stamp: dt.date | None = None
    categories: list[str] = field(default_factory=list)


class Agenda(Addresses):
    """Events of the agenda and their iCalendar file."""

    def events(self) -> list[Event]:
        """Sessions of the modules, and sessions of the Labo (one event per session, with its projects)."""
        events: list[Event] = []
        for module in published(self.graph, "modules"):
            programme = self.graph.get("initiatives", module.meta.programme) if module.meta.programme else None
            for index, session in enumerate(module.meta.sessions):
                start = day(session.debut)
                if start is None:
                    continue
                end = day(session.fin) or start
                events.append(
                    Event(
                        uid=f"{stable_id('modules', module.slug, 'sessions', str(index))}",
                        summary=f"Formation : {module.meta.titre}",
                        start=start,
                        end=end + dt.timedelta(days=1),
                        description=module.meta.resume,
                        location=session.lieu,
                        url=self.fiche_url(module, AGENDA) if self.site_url else None,
                        stamp=module.meta.mis_a_jour,
                        categories=[programme.meta.nom] if programme else [],
                    )
                )
        labos: dict[tuple[int, dt.date], list[Fiche]] = {}
        for projet in published(self.graph, "projets"):
            for labo in projet.meta.labos:
                if (when := day(labo.date)) is not None:
                    labos.setdefault((labo.numero, when), []).append(projet)
        for (numero, when), projets in sorted(labos.items(), key=lambda item: (item[0][1], item[0][0])):
            events.append(
                Event(
                    uid=f"{stable_id('labo', str(numero), when.isoformat())}",
                    summary=f"Labo des solutions innovantes, session n° {numero}",
                    start=when,
                    end=when + dt.timedelta(days=1),
                    description="Projets : " + " ; ".join(p.meta.titre for p in projets),
                    stamp=max(p.meta.mis_a_jour for p in projets),
                    categories=["Labo"],
                )
            )
        return sorted(events, key=lambda e: (e.start, e.summary))

    def icalendar(self) -> str:
        lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            f"PRODID:-//{ical_text(self.site_name)}//Agenda du commun//FR",
            "CALSCALE:GREGORIAN",
            f"X-WR-CALNAME:{ical_text(self.site_name + ' : formations et Labo')}",
        ]
        for event in self.events():
            stamp = event.stamp or event.start
            lines += [
                "BEGIN:VEVENT",
                f"UID:{event.uid}",
                f"DTSTAMP:{stamp.strftime('%Y%m%d')}T000000Z",
                f"DTSTART;VALUE=DATE:{event.start.strftime('%Y%m%d')}",
                f"DTEND;VALUE=DATE:{event.end.strftime('%Y%m%d')}",
                f"SUMMARY:{ical_text(event.summary)}",
                f"DESCRIPTION:{ical_text(event.description)}",
            ]
            if event.location:
                lines.append(f"LOCATION:{ical_text(event.location)}")
            if event.url:
                lines.append(f"URL:{event.url}")
            if event.categories:
                lines.append("CATEGORIES:" + ",".join(ical_text(c) for c in event.categories))
            lines.append("END:VEVENT")
        lines.append("END:VCALENDAR")
        return "".join(fold_line(line) + "\r\n" for line in lines)


def ical_text(text: str) -> str:
    """A TEXT value of iCalendar (RFC 5545, 3.3.11): backslash, semicolon, comma and newline escaped."""
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def fold_line(line: str, limit: int = 75) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character (RFC 5545, 3.1)."""
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size = " ", 1
        current += char
        size += width
    parts.append(current)
    return "\r\n".join(parts)
