"""A site file in words a site manager reads, and how two sites differ (``essaim sites show``,
``essaim sites diff``). Pure: lines of French text from loaded sites and the installed programs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import msgspec

from core.french import WEEKDAYS, french_date, french_time
from core.plugins import PluginHost
from core.sites.loader import Site
from core.sites.schema import PartnerKind, SiteStatus

STATUS_NAMES = {
    SiteStatus.OPENING: "en ouverture",
    SiteStatus.ACTIVE: "actif",
    SiteStatus.PAUSED: "en pause (aucune nouvelle candidature)",
}
KIND_NAMES = {
    PartnerKind.REFERRAL: "oriente des candidats",
    PartnerKind.LANGUAGE: "cours de français",
    PartnerKind.HOST_COMPANY: "entreprise d'accueil",
    PartnerKind.FUNDER: "financeur",
    PartnerKind.VOLUNTEERING: "bénévolat",
}
COMMON_SETTINGS = ("tracks", "capacity", "attendance_threshold", "excused_absences_count")


def _days(days: Iterable[int]) -> str:
    ordered = sorted(days)
    if ordered and ordered == list(range(ordered[0], ordered[-1] + 1)) and len(ordered) > 2:
        return f"du {WEEKDAYS[ordered[0] - 1]} au {WEEKDAYS[ordered[-1] - 1]}"
    return ", ".join(WEEKDAYS[day - 1] for day in ordered)


def _months(months: Sequence[int]) -> str:
    """``3 et 6 mois``, ``1, 3 et 12 mois``."""
    *first, last = months
    return (f"{', '.join(map(str, first))} et {last}" if first else str(last)) + " mois"


def _program_title(host: PluginHost, key: str) -> str:
    program = host.program(key)
    return program.title if program else key


def _track_titles(host: PluginHost, key: str, tracks: Iterable[str]) -> list[str]:
    program = host.program(key)
    titles = {track.key: track.title for track in program.tracks} if program else {}
    return [titles.get(track, track) for track in tracks]


def _own_settings(settings: Any) -> dict[str, str]:
    """A program's own settings as text: ``legal_frames = pmsmp, poei``."""
    values = msgspec.to_builtins(settings)
    return {
        name: ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        for name, value in values.items()
        if name not in COMMON_SETTINGS
    }


def _program_line(host: PluginHost, key: str, settings: Any) -> str:
    parts = [
        ", ".join(_track_titles(host, key, settings.tracks)),
        f"{settings.capacity} places par groupe",
        f"assiduité exigée {round(settings.attendance_threshold * 100)} %",
    ]
    if settings.excused_absences_count:
        parts.append("absences excusées comptées")
    parts += [f"{name} = {value}" for name, value in _own_settings(settings).items()]
    return f"  {_program_title(host, key)} : " + " ; ".join(parts)


def show(site: Site, host: PluginHost) -> list[str]:
    """The whole site, one subject a line."""
    config = site.config
    hours = config.opening_hours
    lines = [
        f"{config.name} ({site.slug}) : {STATUS_NAMES[config.status]}",
        f"Département {config.department}, fuseau {config.timezone} ; ouvert "
        f"{_days(hours.days)} de {french_time(hours.opens)} à {french_time(hours.closes)}",
        f"Adresse : {config.address or '(aucune)'}",
        "Salles : "
        + (
            " ; ".join(
                f"{room.name} ({room.capacity} places, {room.laptops} ordinateurs)"
                for room in config.rooms
            )
            or "(aucune)"
        ),
        "Partenaires : "
        + (
            " ; ".join(
                f"{p.name} ({', '.join(KIND_NAMES[k] for k in p.kinds)})" for p in config.partners
            )
            or "(aucun)"
        ),
        "Fermetures : "
        + (
            " ; ".join(
                f"du {french_date(c.starts_on)} au {french_date(c.ends_on)} ({c.reason})"
                for c in config.closures
            )
            or "(aucune)"
        ),
        "Programmes :",
        *(_program_line(host, key, settings) for key, settings in site.programs.items()),
        f"Listes d'attente : une place libérée est réservée {config.enrolment.offer_hours} h",
        f"Absences : signalées après {config.attendance.absence_alert} absences de suite",
        f"Suivi des sorties : à la sortie, puis {_months(config.outcomes.follow_up_months)} après",
        "Contacts : " + (" ; ".join(f"{c.role} : {c.name}" for c in config.contacts) or "(aucun)"),
        "Messages : "
        + (f"envoyés par {config.mail.host}" if config.mail else "aucun envoi configuré"),
    ]
    return lines


def _changed(label: str, a: object, b: object, slugs: tuple[str, str]) -> list[str]:
    if a == b:
        return []
    return [f"{label} : {a} à {slugs[0]}, {b} à {slugs[1]}"]


def diff(a: Site, b: Site, host: PluginHost) -> list[str]:
    """How ``b`` differs from ``a``, one difference a line; empty when they run the same."""
    slugs = (a.slug, b.slug)
    lines: list[str] = []
    for key in sorted(set(a.programs) | set(b.programs)):
        title = _program_title(host, key)
        if key not in b.programs:
            lines.append(f"{title} : à {a.slug} seulement")
            continue
        if key not in a.programs:
            lines.append(f"{title} : à {b.slug} seulement")
            continue
        first, second = a.programs[key], b.programs[key]
        only_a = [t for t in first.tracks if t not in second.tracks]
        only_b = [t for t in second.tracks if t not in first.tracks]
        if only_a:
            titles = ", ".join(_track_titles(host, key, only_a))
            lines.append(f"{title} : {titles} à {a.slug} seulement")
        if only_b:
            titles = ", ".join(_track_titles(host, key, only_b))
            lines.append(f"{title} : {titles} à {b.slug} seulement")
        lines += _changed(f"{title}, places par groupe", first.capacity, second.capacity, slugs)
        lines += _changed(
            f"{title}, assiduité exigée",
            f"{round(first.attendance_threshold * 100)} %",
            f"{round(second.attendance_threshold * 100)} %",
            slugs,
        )
        own_a, own_b = _own_settings(first), _own_settings(second)
        for name in sorted(set(own_a) | set(own_b)):
            lines += _changed(f"{title}, {name}", own_a.get(name), own_b.get(name), slugs)
    ca, cb = a.config, b.config
    lines += _changed("Statut", STATUS_NAMES[ca.status], STATUS_NAMES[cb.status], slugs)
    lines += _changed("Département", ca.department, cb.department, slugs)
    lines += _changed(
        "Horaires",
        f"{_days(ca.opening_hours.days)} de {french_time(ca.opening_hours.opens)} à "
        f"{french_time(ca.opening_hours.closes)}",
        f"{_days(cb.opening_hours.days)} de {french_time(cb.opening_hours.opens)} à "
        f"{french_time(cb.opening_hours.closes)}",
        slugs,
    )
    lines += _changed(
        "Salles",
        f"{len(ca.rooms)} ({sum(r.capacity for r in ca.rooms)} places)",
        f"{len(cb.rooms)} ({sum(r.capacity for r in cb.rooms)} places)",
        slugs,
    )
    lines += _changed("Partenaires", len(ca.partners), len(cb.partners), slugs)
    lines += _changed(
        "Place réservée (h)", ca.enrolment.offer_hours, cb.enrolment.offer_hours, slugs
    )
    lines += _changed(
        "Absences avant signalement",
        ca.attendance.absence_alert,
        cb.attendance.absence_alert,
        slugs,
    )
    lines += _changed(
        "Suivi après la sortie",
        _months(ca.outcomes.follow_up_months),
        _months(cb.outcomes.follow_up_months),
        slugs,
    )
    return lines
