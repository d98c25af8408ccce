"""Request and response bodies of the learners API, and the vocabularies of the record."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Annotated

import msgspec
from msgspec import UNSET, UnsetType

from core.db.limits import ID_MAX
from core.plugin import CefrLevel

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"\S")]
Email = Annotated[str, msgspec.Meta(max_length=254, pattern=r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$")]
Phone = Annotated[str, msgspec.Meta(max_length=30, pattern=r"^[0-9 +().-]*$")]
LanguageCode = Annotated[str, msgspec.Meta(pattern=r"^[a-z]{2}$")]
Languages = Annotated[list[LanguageCode], msgspec.Meta(max_length=20)]
MapVersion = Annotated[str, msgspec.Meta(max_length=20, pattern=r"^[0-9A-Za-z._-]*$")]
PartnerKey = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9-]{1,39}$")]
Notes = Annotated[str, msgspec.Meta(max_length=10_000)]
LearnerId = Annotated[int, msgspec.Meta(ge=1, le=ID_MAX)]


class Gender(enum.StrEnum):
    """Gender as the person states it; funders ask for the share of women."""

    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNDISCLOSED = "undisclosed"


class LevelMethod(enum.StrEnum):
    """How a French level was assessed; a self-declared level never opens DIGITAL (D1)."""

    INTERNAL_TEST = "internal_test"
    EXTERNAL_CERTIFICATE = "external_certificate"
    SELF_DECLARED = "self_declared"


class Qualification(enum.StrEnum):
    """Highest qualification, in the bands funders report (up to the baccalauréat or above)."""

    NONE = "none"
    BELOW_BAC = "below_bac"
    BAC = "bac"
    ABOVE_BAC = "above_bac"
    UNKNOWN = "unknown"


class EmploymentStatus(enum.StrEnum):
    """Situation at entry: job-seeker, or neither in work nor training (NEET), or other."""

    JOB_SEEKER = "job_seeker"
    NEET = "neet"
    EMPLOYED = "employed"
    IN_TRAINING = "in_training"
    OTHER = "other"
    UNKNOWN = "unknown"


class RefugeeStatus(enum.StrEnum):
    """Refugee or asylum status: a restricted field (C7), shown only to the learner's site
    managers and to admins, never in a list, never free text."""

    REFUGEE = "refugee"
    ASYLUM_SEEKER = "asylum_seeker"
    OTHER = "other"
    UNKNOWN = "unknown"


class ConsentPurpose(enum.StrEnum):
    """What a learner agreed to."""

    TRAINING_RECORD = "training_record"
    FUNDER_REPORTING = "funder_reporting"
    CONTACT_EMAIL = "contact_email"
    CONTACT_SMS = "contact_sms"


class MatchCriterion(enum.StrEnum):
    """Why two records may be the same person."""

    NAME_AND_BIRTH_DATE = "name_and_birth_date"
    PHONE = "phone"
    EMAIL = "email"


class LearnerCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A new learner record at a site; only names, site and gender are required.

    ``confirm_new_person`` records the person even though records at some site look like
    the same person (the 409 lists them); it is not stored.
    """

    site: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
    first_name: Name
    last_name: Name
    gender: Gender
    birth_date: date | None = None
    email: Email = ""
    phone: Phone = ""
    languages: Languages = msgspec.field(default_factory=list)
    french_level: CefrLevel | None = None
    french_level_method: LevelMethod | None = None
    french_level_assessed_on: date | None = None
    qpv_resident: bool | None = None
    qpv_checked_on: date | None = None
    qpv_map_version: MapVersion = ""
    highest_qualification: Qualification = Qualification.UNKNOWN
    employment_status: EmploymentStatus = EmploymentStatus.UNKNOWN
    refugee_status: RefugeeStatus = RefugeeStatus.UNKNOWN
    referral_partner: PartnerKey | None = None
    notes: Notes = ""
    confirm_new_person: bool = False


class LearnerUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The fields to change; an absent field keeps its value, ``null`` clears a nullable one.

    The site is not edited here: a person moves through their applications.
    """

    first_name: Name | UnsetType = UNSET
    last_name: Name | UnsetType = UNSET
    gender: Gender | UnsetType = UNSET
    birth_date: date | UnsetType | None = UNSET
    email: Email | UnsetType = UNSET
    phone: Phone | UnsetType = UNSET
    languages: Languages | UnsetType = UNSET
    french_level: CefrLevel | UnsetType | None = UNSET
    french_level_method: LevelMethod | UnsetType | None = UNSET
    french_level_assessed_on: date | UnsetType | None = UNSET
    qpv_resident: bool | UnsetType | None = UNSET
    qpv_checked_on: date | UnsetType | None = UNSET
    qpv_map_version: MapVersion | UnsetType = UNSET
    highest_qualification: Qualification | UnsetType = UNSET
    employment_status: EmploymentStatus | UnsetType = UNSET
    refugee_status: RefugeeStatus | UnsetType = UNSET
    referral_partner: PartnerKey | UnsetType | None = UNSET
    notes: Notes | UnsetType = UNSET


class LearnerRead(msgspec.Struct, kw_only=True):
    """One learner record. ``refugee_status`` and ``notes`` are present only for the
    learner's site managers and admins; ``under_26`` is derived from the birth date."""

    id: int
    site: str
    first_name: str
    last_name: str
    gender: Gender
    birth_date: date | None
    under_26: bool | None
    email: str
    phone: str
    languages: list[str]
    french_level: CefrLevel | None
    french_level_method: LevelMethod | None
    french_level_assessed_on: date | None
    qpv_resident: bool | None
    qpv_checked_on: date | None
    qpv_map_version: str
    highest_qualification: Qualification
    employment_status: EmploymentStatus
    referral_partner: str | None
    refugee_status: RefugeeStatus | UnsetType = UNSET
    notes: str | UnsetType = UNSET


class LearnerSummary(msgspec.Struct, kw_only=True):
    """A learner in a list: enough to find and tell people apart, no restricted field."""

    id: int
    site: str
    first_name: str
    last_name: str
    gender: Gender
    birth_date: date | None
    email: str
    phone: str
    french_level: CefrLevel | None


class LearnerPage(msgspec.Struct, kw_only=True):
    """One page of learners, with the total under the same filters."""

    items: list[LearnerSummary]
    total: int
    limit: int
    offset: int


class LearnerSnapshot(msgspec.Struct, frozen=True, kw_only=True):
    """The facts other services decide on (eligibility, reports): no name, contact, notes
    or restricted field."""

    id: int
    site: str
    gender: Gender
    birth_date: date | None
    french_level: CefrLevel | None
    french_level_method: LevelMethod | None
    french_level_assessed_on: date | None
    qpv_resident: bool | None
    highest_qualification: Qualification
    employment_status: EmploymentStatus
    referral_partner: str | None


class LearnerContact(msgspec.Struct, frozen=True, kw_only=True):
    """How to reach a learner, for services that write to them (notifications)."""

    id: int
    site: str
    first_name: str
    email: str
    phone: str


class DuplicateMatch(msgspec.Struct, kw_only=True):
    """A record that may be the same person, as much as another site may see of it."""

    id: int
    site: str
    criteria: list[MatchCriterion]
    initials: str
    birth_year: int | None


class DuplicateList(msgspec.Struct, kw_only=True):
    """The records that may be the same person (at most twenty)."""

    matches: list[DuplicateMatch]


class MergeRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Merge the record named in the path into ``into``, which is kept."""

    into: LearnerId


class ConsentCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A consent given by the learner; ``given_at`` defaults to now (a paper form signed
    earlier gives its own instant)."""

    purpose: ConsentPurpose
    given_at: Annotated[datetime, msgspec.Meta(tz=True)] | None = None


class ConsentRead(msgspec.Struct, kw_only=True):
    """A consent and, once withdrawn, when and by whom the withdrawal was recorded."""

    id: int
    learner_id: int
    purpose: ConsentPurpose
    given_at: datetime
    recorded_by: int
    withdrawn_at: datetime | None
    withdrawn_by: int | None


class ConsentList(msgspec.Struct, kw_only=True):
    """Every consent of a learner, oldest first, withdrawn ones included."""

    items: list[ConsentRead]
