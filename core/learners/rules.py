"""The rules a learner record obeys beyond its shape; each refusal names the field.

They run on the whole record as it would be stored (a new one, or the current one with a
change applied), so that a change cannot break a rule that spans fields.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

from core.errors import InvalidField
from core.learners.duplicates import MIN_PHONE_DIGITS, phone_key
from core.learners.languages import ISO_639_1
from core.sites.loader import SiteRegistry
from core.sites.schema import PartnerKind

EARLIEST_BIRTH_DATE = date(1900, 1, 1)

Sites = SiteRegistry | Collection[str]
"""The sites a record may name: the registry, or (the demo) only their slugs, which know no
partner."""


def check_record(row: Mapping[str, Any], sites: Sites, today: date) -> None:
    """Raise InvalidField for the first rule ``row`` (column values) breaks."""
    _check_dates(row, today)
    if row["phone"] and not phone_key(row["phone"]):
        raise InvalidField(f"a phone number has at least {MIN_PHONE_DIGITS} digits", field="phone")
    unknown = [code for code in row["languages"].split() if code not in ISO_639_1]
    if unknown:
        raise InvalidField(f"{unknown[0]!r} is not an ISO 639-1 language code", field="languages")
    if row["french_level"] is None:
        for field in ("french_level_method", "french_level_assessed_on"):
            if row[field] is not None:
                raise InvalidField("no French level to go with it", field=field)
    if row["qpv_resident"] is not None:
        if row["qpv_checked_on"] is None:
            raise InvalidField(
                "say when the address was checked against the QPV map", field="qpv_checked_on"
            )
        if not row["qpv_map_version"]:
            raise InvalidField(
                "say which QPV map the address was checked against", field="qpv_map_version"
            )
    if row["referral_partner"] is not None:
        _check_referral_partner(row["referral_partner"], row["site"], sites)


def _check_dates(row: Mapping[str, Any], today: date) -> None:
    birth = row["birth_date"]
    if birth is not None and not EARLIEST_BIRTH_DATE <= birth <= today:
        raise InvalidField(
            f"a birth date of {birth.isoformat()} is not plausible", field="birth_date"
        )
    for field in ("french_level_assessed_on", "qpv_checked_on"):
        if row[field] is not None and row[field] > today:
            raise InvalidField(f"{row[field].isoformat()} is in the future", field=field)


def _check_referral_partner(key: str, slug: str, sites: Sites) -> None:
    site = sites.get(slug) if isinstance(sites, SiteRegistry) else None
    partner = next((p for p in site.config.partners if p.key == key), None) if site else None
    if partner is None:
        raise InvalidField(f"sites/{slug}.toml names no partner {key!r}", field="referral_partner")
    if PartnerKind.REFERRAL not in partner.kinds:
        raise InvalidField(
            f"partner {key!r} of sites/{slug}.toml is not a referral partner",
            field="referral_partner",
        )


def site_exists(slug: str, sites: Sites) -> bool:
    """True when ``slug`` names a loaded site."""
    if isinstance(sites, SiteRegistry):
        return sites.get(slug) is not None
    return slug in sites
