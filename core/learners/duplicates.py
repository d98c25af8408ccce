"""Is this person already recorded, at any site? Folded keys and the minimal match.

A site manager about to record someone learns that a record may already exist elsewhere,
and just enough to confirm it with the person (initials, birth year, the site and what
matched), never the rest of another site's record.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import Any

import msgspec

from core.db.bulk import rows_matching
from core.learners.schemas import DuplicateMatch, MatchCriterion
from core.learners.tables import Learner

MAX_MATCHES = 20
MIN_PHONE_DIGITS = 6

_LIGATURES = str.maketrans(
    {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "'": "", "\u2019": ""}
)
_NOT_ALNUM = re.compile(r"[\W_]+")
_NOT_DIGIT = re.compile(r"\D")


class _WithoutMarks(dict[int, int | None]):
    """A ``str.translate`` table that deletes combining marks (accents once decomposed),
    filled in as characters are met: one lookup per character instead of a Python call."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_WITHOUT_MARKS = _WithoutMarks()


def fold(text: str) -> str:
    """``text`` lower-cased, without accents or apostrophes, words separated by one space:
    "Élodie  N'Diaye-Sow" folds to "elodie ndiaye sow"."""
    plain = text.translate(_LIGATURES)
    if not plain.isascii():  # most names are: nothing to decompose
        plain = unicodedata.normalize("NFKD", plain).translate(_WITHOUT_MARKS)
    return " ".join(_NOT_ALNUM.sub(" ", plain.casefold()).split())


def name_key(first_name: str, last_name: str) -> str:
    """The folded words of both names, sorted: the same key whichever name was typed first,
    as often happens with names from outside France."""
    return " ".join(sorted(fold(f"{first_name} {last_name}").split()))


def phone_key(phone: str) -> str:
    """The digits of a phone number, French numbers in national form ("+33 6.." as "06..");
    empty when too short to identify anyone."""
    digits = _NOT_DIGIT.sub("", phone)
    if phone.strip().startswith("+"):
        digits = "00" + digits
    if digits.startswith("0033"):
        rest = digits[4:]
        digits = rest if rest.startswith("0") else "0" + rest
    return digits if len(digits) >= MIN_PHONE_DIGITS else ""


def email_key(email: str) -> str:
    """An e-mail address as stored and compared: trimmed, lower-cased."""
    return email.strip().lower()


def initials(first_name: str, last_name: str) -> str:
    """ "AD" for Awa Diallo: enough to confirm a match with the person, no more."""
    return "".join(fold(name)[:1].upper() for name in (first_name, last_name))


class PersonKeys(msgspec.Struct, frozen=True, kw_only=True, dict=True):
    """What identifies a person for duplicate detection, folded: each key empty when unknown."""

    name_key: str = ""
    birth_date: date | None = None
    phone_key: str = ""
    email: str = ""

    @classmethod
    def of(
        cls,
        *,
        first_name: str = "",
        last_name: str = "",
        birth_date: date | None = None,
        phone: str = "",
        email: str = "",
    ) -> PersonKeys:
        """The keys of a person as typed."""
        return cls(
            name_key=name_key(first_name, last_name),
            birth_date=birth_date,
            phone_key=phone_key(phone),
            email=email_key(email),
        )

    @functools.cached_property
    def criteria(self) -> list[tuple[MatchCriterion, str]]:
        """Each known key with the criterion it matches on (the name with the birth date);
        computed once (an import compares each person three times)."""
        found = []
        if self.name_key and self.birth_date is not None:
            by_name = f"{self.name_key}|{self.birth_date.isoformat()}"
            found.append((MatchCriterion.NAME_AND_BIRTH_DATE, by_name))
        if self.phone_key:
            found.append((MatchCriterion.PHONE, self.phone_key))
        if self.email:
            found.append((MatchCriterion.EMAIL, self.email))
        return found


async def find_duplicates(
    *,
    first_name: str = "",
    last_name: str = "",
    birth_date: date | None = None,
    phone: str = "",
    email: str = "",
    exclude_id: int | None = None,
) -> list[DuplicateMatch]:
    """Records of the same person at any site: same folded names and birth date, same phone,
    or same e-mail. Unscoped on purpose; the answer is the minimal match only."""
    person = PersonKeys.of(
        first_name=first_name, last_name=last_name, birth_date=birth_date, phone=phone, email=email
    )
    return (await find_duplicates_of_many([person], exclude_id=exclude_id))[0]


async def find_duplicates_of_many(
    people: Sequence[PersonKeys], *, exclude_id: int | None = None
) -> list[list[DuplicateMatch]]:
    """``find_duplicates`` for each of ``people``, in one statement (a bulk import's batch
    asks for 500 people at once).

    One lookup per criterion asks for a superset (any of the names, whatever the birth
    date) through the index on the name key, the phone key or the e-mail; each person then
    keeps the rows that match their own keys, at most ``MAX_MATCHES``, oldest first.
    """
    named = {p.name_key for p in people if p.name_key and p.birth_date is not None}
    lists = (
        (Learner.name_key, named),
        (Learner.phone_key, {p.phone_key for p in people if p.phone_key}),
        (Learner.email, {p.email for p in people if p.email}),
    )
    rows = await rows_matching(
        Learner,
        _MATCH_COLUMNS,
        [(column, sorted(keys)) for column, keys in lists],
        MAX_MATCHES * len(people),
    )
    found = {row["id"]: row for row in rows if row["id"] != exclude_id}
    by_key: dict[tuple[MatchCriterion, str], list[dict[str, Any]]] = {}
    for row in found.values():
        stored = PersonKeys(
            name_key=row["name_key"],
            birth_date=row["birth_date"],
            phone_key=row["phone_key"],
            email=row["email"],
        )
        for criterion in stored.criteria:
            by_key.setdefault(criterion, []).append(row)
    return [_matches_of(dict(person.criteria), by_key) for person in people]


_MATCH_COLUMNS = (
    Learner.id,
    Learner.site,
    Learner.first_name,
    Learner.last_name,
    Learner.birth_date,
    Learner.name_key,
    Learner.phone_key,
    Learner.email,
)


def _matches_of(
    keys: dict[MatchCriterion, str], by_key: dict[tuple[MatchCriterion, str], list[dict[str, Any]]]
) -> list[DuplicateMatch]:
    """The minimal matches of one person: each stored row once, with every criterion it meets."""
    criteria_of: dict[int, list[MatchCriterion]] = {}
    rows: dict[int, dict[str, Any]] = {}
    for criterion, key in keys.items():
        for row in by_key.get((criterion, key), ()):
            rows[row["id"]] = row
            criteria_of.setdefault(row["id"], []).append(criterion)
    return [
        DuplicateMatch(
            id=row_id,
            site=rows[row_id]["site"],
            criteria=criteria_of[row_id],
            initials=initials(rows[row_id]["first_name"], rows[row_id]["last_name"]),
            birth_year=rows[row_id]["birth_date"].year if rows[row_id]["birth_date"] else None,
        )
        for row_id in sorted(rows)[:MAX_MATCHES]
    ]
