"""A national-scale dataset on PostgreSQL, written with the driver's bulk path (COPY).

DESIGN.md's target deployment: 50 sites over 10 years, about 1 M people, 1.5 M applications,
1 M enrolments and 20 M attendance marks. Rows are generated in order, in chunks, from one
seeded random stream, so that the same size gives the same data; they go through
``asyncpg``'s ``copy_records_to_table`` into a database migrated by ``essaim migrate``'s
code. The report facts are written from the same draws as the raw records (the benchmark
then checks, through the reports, that both give the same numbers).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import asyncpg

from core.applications.pipeline import ApplicationStatus as S
from core.reporting.facts import FILL_FUNNEL_MONTHS, local_month

PROGRAMS = {
    "digital": ("beginner", "intermediate", "advanced"),
    "digistart": ("web",),
    "digitous": ("bootcamp", "placement"),
}
OVERSEAS = {"site48": "America/Cayenne", "site49": "Indian/Reunion", "site50": "America/Martinique"}
FIRST_MONTH = date(2017, 1, 1)
CHUNK = 200_000
SESSIONS_PER_COHORT = 20
CERTIFIED_SHARE = 0.6
"""DIGITAL completers issued an ICDL certificate."""


@dataclass(frozen=True, slots=True)
class Scale:
    """How much to generate."""

    people: int
    applications: int
    sites: int = 50
    months: int = 120

    @property
    def marks_per_enrolment(self) -> int:
        """Each enrolled learner is marked at every session of their cohort."""
        return SESSIONS_PER_COHORT


def site_zones(count: int) -> dict[str, str]:
    """``site01``... with their time zones: mainland France, and three overseas."""
    sites = [f"site{n:02d}" for n in range(1, count + 1)]
    return {site: OVERSEAS.get(site, "Europe/Paris") for site in sites}


@dataclass(slots=True)
class Drawn:
    """One application as drawn: where, when, and the milestones it reached."""

    id: int
    learner: int
    site: str
    program: str
    track: str
    created_at: datetime
    eligible: bool
    admitted: bool
    waitlisted: bool
    enrolled: bool
    withdrawn: bool
    completed: bool
    certified: bool = False
    cohort: int | None = None
    enrolment: int | None = None


def _month_start(index: int) -> date:
    year, month = divmod(FIRST_MONTH.month - 1 + index, 12)
    return date(FIRST_MONTH.year + year, month + 1, 1)


class Generator:
    """Draws the dataset and copies it in, table by table."""

    def __init__(self, scale: Scale, seed: int = 2026) -> None:
        self.scale = scale
        self.random = random.Random(seed)
        self.zones = site_zones(scale.sites)
        self.sites = list(self.zones)
        self.cohorts: dict[tuple[str, str, str, int], int] = {}
        self.placed: set[tuple[int, int]] = set()
        """(cohort, learner) pairs enrolled: nobody takes two places in one cohort."""

    def _cohort_rows(self) -> list[tuple[Any, ...]]:
        """One cohort per site, track and month: about 20 learners each at full size."""
        rows = []
        for site in self.sites:
            for program, tracks in PROGRAMS.items():
                for track in tracks:
                    for month in range(self.scale.months):
                        starts = _month_start(month) + timedelta(days=14)
                        self.cohorts[(site, program, track, month)] = len(rows) + 1
                        rows.append(
                            (
                                len(rows) + 1,
                                site,
                                program,
                                track,
                                f"{program} {track} {starts:%Y-%m}",
                                starts,
                                starts + timedelta(days=60),
                                60,
                                "finished",
                                "",
                            )
                        )
        return rows

    def _draw(self, application_id: int) -> Drawn:
        r = self.random
        site = self.sites[r.randrange(len(self.sites))]
        program = r.choice(list(PROGRAMS))
        track = r.choice(PROGRAMS[program])
        month = r.randrange(self.scale.months)
        created = datetime.combine(_month_start(month), time(8), tzinfo=UTC) + timedelta(
            days=r.randrange(28), minutes=r.randrange(24 * 60)
        )
        eligible = r.random() < 0.9
        admitted = eligible and r.random() < 0.8
        waitlisted = admitted and r.random() < 0.15
        learner = (application_id - 1) % self.scale.people + 1
        cohort = self.cohorts[(site, program, track, month)]
        enrolled = admitted and r.random() < 0.93 and (cohort, learner) not in self.placed
        withdrawn = (enrolled and r.random() < 0.12) or (not enrolled and r.random() < 0.02)
        completed = enrolled and not withdrawn and r.random() < 0.7
        drawn = Drawn(
            id=application_id,
            learner=learner,
            site=site,
            program=program,
            track=track,
            created_at=created,
            eligible=eligible,
            admitted=admitted,
            waitlisted=waitlisted,
            enrolled=enrolled,
            withdrawn=withdrawn,
            completed=completed,
        )
        if enrolled:
            drawn.cohort = cohort
            self.placed.add((cohort, learner))
        drawn.certified = completed and program == "digital" and r.random() < CERTIFIED_SHARE
        return drawn

    def applications(self) -> Iterator[list[Drawn]]:
        """The applications, in chunks, each enrolled one numbered with its enrolment."""
        enrolments = 0
        for first in range(1, self.scale.applications + 1, CHUNK):
            chunk = []
            for application_id in range(first, min(first + CHUNK, self.scale.applications + 1)):
                drawn = self._draw(application_id)
                if drawn.enrolled:
                    enrolments += 1
                    drawn.enrolment = enrolments
                chunk.append(drawn)
            yield chunk

    def learner_rows(self) -> Iterator[list[tuple[Any, ...]]]:
        """People: names, birth dates, genders; no contact details."""
        r = self.random
        for first in range(1, self.scale.people + 1, CHUNK):
            last = min(first + CHUNK, self.scale.people + 1)
            yield [
                (
                    n,
                    self.sites[n % len(self.sites)],
                    f"Prénom{n}",
                    f"Nom{n}",
                    f"nom{n} prenom{n}",
                    date(1960 + r.randrange(45), 1 + r.randrange(12), 1 + r.randrange(28)),
                    "female" if r.random() < 0.52 else "male",
                )
                for n in range(first, last)
            ]


def _events(drawn: Drawn) -> list[tuple[Any, ...]]:
    """The application's history: submitted, then each milestone it reached, in order."""
    steps = [S.SUBMITTED]
    if drawn.admitted:
        steps += [S.SCREENING, S.ADMITTED]
    if drawn.waitlisted:
        steps.append(S.WAITLISTED)
    if drawn.enrolled:
        steps.append(S.ENROLLED)
    if drawn.withdrawn:
        steps.append(S.WITHDRAWN)
    rows = []
    for n, status in enumerate(steps):
        rows.append(
            (
                drawn.id,
                steps[n - 1].value if n else None,
                status.value,
                drawn.created_at + timedelta(days=n),
                "",
            )
        )
    return rows


def _status(drawn: Drawn) -> str:
    if drawn.withdrawn:
        return S.WITHDRAWN.value
    if drawn.enrolled:
        return S.ENROLLED.value
    if drawn.admitted:
        return S.ADMITTED.value
    return S.SUBMITTED.value


async def generate(url: str, scale: Scale, account_id: int, *, marks: bool) -> dict[str, int]:
    """Fill the migrated database at ``url``; return the number of rows per table."""
    generator = Generator(scale)
    counts: dict[str, int] = {}
    connection = await asyncpg.connect(url, timeout=10)

    async def copy(table: str, columns: tuple[str, ...], records: list[tuple[Any, ...]]) -> None:
        if records:
            await connection.copy_records_to_table(table, records=records, columns=columns)
            counts[table] = counts.get(table, 0) + len(records)

    try:
        cohorts = generator._cohort_rows()
        await copy(
            "cohort",
            (
                "id",
                "site",
                "program",
                "track",
                "title",
                "starts_on",
                "ends_on",
                "capacity",
                "status",
                "weekdays",
            ),
            cohorts,
        )
        for chunk in generator.learner_rows():
            await copy(
                "learner",
                ("id", "site", "first_name", "last_name", "name_key", "birth_date", "gender"),
                chunk,
            )
        sessions_of: dict[int, list[int]] = {}
        if marks:
            sessions = []
            for cohort in cohorts:
                ids = sessions_of[cohort[0]] = []
                for n in range(SESSIONS_PER_COHORT):
                    ids.append(len(sessions) + 1)
                    sessions.append(
                        (
                            len(sessions) + 1,
                            cohort[0],
                            n + 1,
                            "unit",
                            f"Séance {n + 1}",
                            cohort[5] + timedelta(days=2 * n),
                            time(9, 30),
                            time(11, 30),
                            "Europe/Paris",
                        )
                    )
            await copy(
                "training_session",
                (
                    "id",
                    "cohort",
                    "sequence",
                    "unit",
                    "title",
                    "day",
                    "starts_at",
                    "ends_at",
                    "timezone",
                ),
                sessions,
            )
        for chunk in generator.applications():
            await _copy_chunk(copy, chunk, generator.zones, account_id, sessions_of)
        await connection.execute(FILL_FUNNEL_MONTHS)
        for table in counts:
            await connection.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    return counts


async def _copy_chunk(
    copy: Any,
    chunk: list[Drawn],
    zones: dict[str, str],
    account_id: int,
    sessions_of: dict[int, list[int]],
) -> None:
    """One chunk of applications with their events, enrolments, completions, marks, facts."""
    await copy(
        "application",
        (
            "id",
            "learner",
            "site",
            "program",
            "track",
            "cohort",
            "status",
            "eligible",
            "created_by",
            "created_at",
            "updated_at",
        ),
        [
            (
                d.id,
                d.learner,
                d.site,
                d.program,
                d.track,
                d.cohort,
                _status(d),
                d.eligible,
                account_id,
                d.created_at,
                d.created_at,
            )
            for d in chunk
        ],
    )
    await copy(
        "application_event",
        ("application", "from_status", "to_status", "at", "reason"),
        [event for d in chunk for event in _events(d)],
    )
    enrolled = [d for d in chunk if d.enrolled]
    await copy(
        "enrolment",
        ("id", "cohort", "learner", "application", "status", "reason", "created_at", "updated_at"),
        [
            (
                d.enrolment,
                d.cohort,
                d.learner,
                d.id,
                "withdrawn" if d.withdrawn else "enrolled",
                "",
                d.created_at,
                d.created_at,
            )
            for d in enrolled
        ],
    )
    await copy(
        "completion",
        (
            "enrolment",
            "learner",
            "cohort",
            "site",
            "program",
            "track",
            "completed",
            "findings",
            "facts",
            "next_offers",
            "decided_at",
            "decided_by",
            "override_reason",
            "completed_on",
            "attestation_number",
        ),
        [
            (
                d.enrolment,
                d.learner,
                d.cohort,
                d.site,
                d.program,
                d.track,
                True,
                "[]",
                "{}",
                "[]",
                d.created_at,
                account_id,
                "",
                d.created_at.date(),
                f"{d.site.upper()}-{d.enrolment:07d}",
            )
            for d in enrolled
            if d.completed
        ],
    )
    await copy(
        "digital_certificate",
        ("enrolment", "learner", "level", "number", "issued_on", "recorded_by", "recorded_at"),
        [
            (d.enrolment, d.learner, "base", f"FR-{d.enrolment:08d}", d.created_at.date(),
             account_id, d.created_at)
            for d in enrolled
            if d.certified
        ],
    )  # fmt: skip
    if sessions_of:
        await copy(
            "attendance_mark",
            ("session", "learner", "status", "minutes", "recorded_by", "recorded_at"),
            [
                (session, d.learner, "present", 120, account_id, d.created_at)
                for d in enrolled
                for session in sessions_of[d.cohort or 0]
            ],
        )
    await copy(
        "report_application",
        (
            "application",
            "site",
            "program",
            "track",
            "cohort",
            "month",
            "eligible",
            "admitted",
            "waitlisted",
            "enrolled",
            "withdrawn",
            "completed",
            "certified",
        ),
        [
            (
                d.id,
                d.site,
                d.program,
                d.track,
                d.cohort,
                local_month(d.created_at, zones[d.site]),
                d.eligible,
                d.admitted,
                d.waitlisted,
                d.enrolled,
                d.withdrawn,
                d.completed,
                d.certified,
            )
            for d in chunk
        ],
    )
