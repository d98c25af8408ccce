"""When people said they are available: weekly windows of trainers and volunteers.

The only module on the availability table. The conflict check reads the windows of the
people booked for the sessions it looks at; a person who declared none is never outside
their availability. Setting a person's windows replaces all of them, audited by count.
Accounts are reached here (a trainer sets their own; a site manager those of the trainers
of their sites; admins anyone's); volunteers through ``core.volunteering``, which checks
its own scope and then calls ``read_windows`` and ``replace_windows``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import structlog

from core.audit import service as audit
from core.auth.accounts import account_role
from core.auth.roles import Principal, Role
from core.errors import Forbidden, InvalidField, NotFound
from core.runtime import Runtime
from core.scheduling.conflicts import Person, PersonKind, Window
from core.scheduling.schemas import AvailabilityInput, AvailabilityRead, WindowInput
from core.scheduling.staffing import teaches_at
from core.scheduling.tables import Availability

log = structlog.get_logger(__name__)

STAFF_ROLES = (Role.TRAINER, Role.SITE_MANAGER)
"""The roles of accounts that lead sessions (as a cohort's lead trainer), and so declare
availability."""

_COLUMNS = (
    Availability.weekday,
    Availability.starts_at,
    Availability.ends_at,
    Availability.valid_from,
    Availability.valid_until,
)


def check_windows(windows: Sequence[WindowInput]) -> None:
    """InvalidField naming the first window that ends before it starts."""
    for index, window in enumerate(windows):
        if window.ends_at <= window.starts_at:
            raise InvalidField("a window ends after it starts", field=f"windows[{index}].ends_at")
        if window.valid_from and window.valid_until and window.valid_until < window.valid_from:
            raise InvalidField(
                "a window is valid until a day before it is valid from",
                field=f"windows[{index}].valid_until",
            )


def _person(kind: PersonKind, person_id: int) -> list[object]:
    return [Availability.person_kind == kind.value, Availability.person_id == person_id]


async def read_windows(person: Person) -> AvailabilityRead:
    """The person's windows, by weekday and time (unscoped: the caller reached the person)."""
    rows = (
        await Availability.select(*_COLUMNS)
        .where(*_person(person.kind, person.id))
        .order_by(Availability.weekday, Availability.starts_at, Availability.id)
    )
    return AvailabilityRead(person=str(person), windows=[WindowInput(**row) for row in rows])


async def replace_windows(
    runtime: Runtime, principal: Principal, person: Person, data: AvailabilityInput
) -> AvailabilityRead:
    """Replace every window of the person by ``data``'s, audited (unscoped: the caller
    reached the person and may change it)."""
    check_windows(data.windows)
    now = runtime.clock.now()
    async with Availability._meta.db.transaction():
        await Availability.delete().where(*_person(person.kind, person.id))
        if data.windows:
            await Availability.insert(
                *(
                    Availability(
                        person_kind=person.kind.value,
                        person_id=person.id,
                        weekday=w.weekday,
                        starts_at=w.starts_at,
                        ends_at=w.ends_at,
                        valid_from=w.valid_from,
                        valid_until=w.valid_until,
                    )
                    for w in data.windows
                )
            )
        await audit.record(
            principal.account_id,
            "availability.set",
            person.kind.value,
            person.id,
            at=now,
            details={"windows": len(data.windows)},
        )
    log.info("availability_set", person=str(person), windows=len(data.windows))
    return await read_windows(person)


async def windows_of(people: Iterable[Person]) -> dict[Person, list[Window]]:
    """The windows each of ``people`` declared; those who declared none are left out."""
    wanted: dict[PersonKind, list[int]] = {}
    for person in set(people):
        wanted.setdefault(person.kind, []).append(person.id)
    if not wanted:
        return {}
    conditions = [
        (Availability.person_kind == kind.value) & Availability.person_id.is_in(sorted(ids))
        for kind, ids in wanted.items()
    ]
    where = conditions[0]
    for condition in conditions[1:]:
        where = where | condition
    rows = await Availability.select(
        Availability.person_kind, Availability.person_id, *_COLUMNS
    ).where(where)
    found: dict[Person, list[Window]] = {}
    for row in rows:
        person = Person(PersonKind(row.pop("person_kind")), row.pop("person_id"))
        found.setdefault(person, []).append(Window(**row))
    return found


async def _reach_account(principal: Principal, account_id: int) -> Person:
    """The account as a person, once the caller may see and set its availability."""
    if principal.role is Role.CENTRAL_VIEWER:
        raise Forbidden("the central team sees aggregated figures, not people's availability")
    if account_id != principal.account_id:
        if principal.role is Role.TRAINER:
            raise Forbidden("a trainer declares only their own availability")
        reachable = principal.role is Role.ADMIN or await teaches_at(account_id, principal.sites)
        if not reachable:
            raise NotFound(f"no trainer {account_id}")
    if await account_role(account_id) not in STAFF_ROLES:
        raise NotFound(f"no trainer {account_id}")
    return Person(PersonKind.ACCOUNT, account_id)


async def account_availability(principal: Principal, account_id: int) -> AvailabilityRead:
    """A trainer's windows: their own, or those of a trainer of the caller's sites."""
    return await read_windows(await _reach_account(principal, account_id))


async def set_account_availability(
    runtime: Runtime, principal: Principal, account_id: int, data: AvailabilityInput
) -> AvailabilityRead:
    """Replace a trainer's windows: their own, or those of a trainer of the caller's sites."""
    person = await _reach_account(principal, account_id)
    return await replace_windows(runtime, principal, person, data)
