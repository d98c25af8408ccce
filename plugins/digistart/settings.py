"""DIGISTART's per-site settings, the ``[programs.digistart]`` block of a site file."""

from __future__ import annotations

from typing import Annotated

import msgspec

from core.plugin import ProgramSettings

DEFAULT_ATTENDANCE_THRESHOLD = 0.8
DEFAULT_SESSION_MINUTES = 240


class DigistartSettings(ProgramSettings, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """What a site chooses for DIGISTART: capacity, attendance threshold, session length."""

    attendance_threshold: Annotated[
        float,
        msgspec.Meta(ge=0.5, le=1.0, description="Share of scheduled hours to attend (S4)."),
    ] = DEFAULT_ATTENDANCE_THRESHOLD
    session_minutes: Annotated[
        int,
        msgspec.Meta(ge=60, le=480, multiple_of=30, description="Length of one session."),
    ] = DEFAULT_SESSION_MINUTES


def own_settings(settings: ProgramSettings | None) -> DigistartSettings | None:
    """``settings`` as DIGISTART's type; None when core gave none, TypeError for another's."""
    if settings is None or isinstance(settings, DigistartSettings):
        return settings
    raise TypeError(f"DIGISTART expects DigistartSettings, got {type(settings).__name__}")
