"""DIGITOUS's per-site settings, the ``[programs.digitous]`` block of a site file."""

from __future__ import annotations

import enum
from typing import Annotated

import msgspec

from core.plugin import ProgramSettings

DEFAULT_ATTENDANCE_THRESHOLD = 0.8
DEFAULT_SESSION_MINUTES = 210


class LegalFrame(enum.StrEnum):
    """The legal frame of phase 2 (T3): an adult training body cannot sign a school internship."""

    PMSMP = "pmsmp"
    """Période de mise en situation en milieu professionnel, prescribed by France Travail."""
    POEI = "poei"
    """Préparation opérationnelle à l'emploi: the employer commits to hire for 6+ months."""
    WORK_STUDY = "work_study"
    """Apprenticeship or professionalisation (work-study) contract."""


class DigitousSettings(ProgramSettings, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """What a site chooses for DIGITOUS: capacity, attendance, rhythm, phase 2 legal frames."""

    attendance_threshold: Annotated[
        float,
        msgspec.Meta(ge=0.5, le=1.0, description="Share of scheduled hours to attend (T2)."),
    ] = DEFAULT_ATTENDANCE_THRESHOLD
    session_minutes: Annotated[
        int,
        msgspec.Meta(ge=60, le=480, multiple_of=30, description="Length of one session."),
    ] = DEFAULT_SESSION_MINUTES
    legal_frames: Annotated[
        tuple[LegalFrame, ...],
        msgspec.Meta(min_length=1, description="Phase 2 frames the site signs (T3)."),
    ] = tuple(LegalFrame)


def own_settings(settings: ProgramSettings | None) -> DigitousSettings | None:
    """``settings`` as DIGITOUS's type; None when core gave none, TypeError for another's."""
    if settings is None or isinstance(settings, DigitousSettings):
        return settings
    raise TypeError(f"DIGITOUS expects DigitousSettings, got {type(settings).__name__}")
