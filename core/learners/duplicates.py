"""Is this person already recorded, at any site? Folded keys and the minimal match.

A site manager about to record someone learns that a record may already exist elsewhere,
and just enough to confirm it with the person (initials, birth year, the site and what
matched), never the rest of another site's record.
"""

from __future__ import annotations

import functools
import operator
import re
import unicodedata
from datetime import date
from typing import Any

from core.learners.schemas import DuplicateMatch, MatchCriterion
from core.learners.tables import Learner

MAX_MATCHES = 20
MIN_PHONE_DIGITS = 6

_LIGATURES = str.maketrans(
    {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "'": "", "\u2019": ""}
)
_NOT_ALNUM = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """``text`` lower-cased, without accents or apostrophes, words separated by one space:
    "Élodie  N'Diaye-Sow" folds to "elodie ndiaye sow"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NOT_ALNUM.sub(" ", plain.casefold()).split())


def name_key(first_name: str, last_name: str) -> str:
    """The folded words of both names, sorted: the same key whichever name was typed first,
    as often happens with names from outside France."""
    return " ".join(sorted(fold(f"{first_name} {last_name}").split()))


def phone_key(phone: str) -> str:
    """The digits of a phone number, French numbers in national form ("+33 6.." as "06..");
    empty when too short to identify anyone."""
    digits = re.sub(r"\D", "", phone)
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
    keys = {
        MatchCriterion.NAME_AND_BIRTH_DATE: name_key(first_name, last_name),
        MatchCriterion.PHONE: phone_key(phone),
        MatchCriterion.EMAIL: email_key(email),
    }
    conditions: list[Any] = []
    if keys[MatchCriterion.NAME_AND_BIRTH_DATE] and birth_date is not None:
        conditions.append(
            (Learner.name_key == keys[MatchCriterion.NAME_AND_BIRTH_DATE])
            & (Learner.birth_date == birth_date)
        )
    if keys[MatchCriterion.PHONE]:
        conditions.append(Learner.phone_key == keys[MatchCriterion.PHONE])
    if keys[MatchCriterion.EMAIL]:
        conditions.append(Learner.email == keys[MatchCriterion.EMAIL])
    if not conditions:
        return []
    where = functools.reduce(operator.or_, conditions)
    if exclude_id is not None:
        where = where & (Learner.id != exclude_id)
    rows = (
        await Learner.select(
            Learner.id,
            Learner.site,
            Learner.first_name,
            Learner.last_name,
            Learner.birth_date,
            Learner.name_key,
            Learner.phone_key,
            Learner.email,
        )
        .where(where)
        .order_by(Learner.id)
        .limit(MAX_MATCHES)
    )
    return [_minimal(row, keys, birth_date) for row in rows]


def _minimal(
    row: dict[str, Any], keys: dict[MatchCriterion, str], born: date | None
) -> DuplicateMatch:
    criteria = []
    if row["name_key"] == keys[MatchCriterion.NAME_AND_BIRTH_DATE] and row["birth_date"] == born:
        criteria.append(MatchCriterion.NAME_AND_BIRTH_DATE)
    if keys[MatchCriterion.PHONE] and row["phone_key"] == keys[MatchCriterion.PHONE]:
        criteria.append(MatchCriterion.PHONE)
    if keys[MatchCriterion.EMAIL] and row["email"] == keys[MatchCriterion.EMAIL]:
        criteria.append(MatchCriterion.EMAIL)
    return DuplicateMatch(
        id=row["id"],
        site=row["site"],
        criteria=criteria,
        initials=initials(row["first_name"], row["last_name"]),
        birth_year=row["birth_date"].year if row["birth_date"] else None,
    )
