"""The columns of DIGITAL's tables that hold personal data, for core's export and erasure."""

from __future__ import annotations

from core.plugin import PersonalColumn, PersonalKind
from plugins.digital.tables import Certificate, ModuleAttempt

PERSONAL_COLUMNS = (
    PersonalColumn(
        table=ModuleAttempt._meta.tablename,
        column="comment",
        kind=PersonalKind.FREE_TEXT,
        learner="learner",
    ),
    PersonalColumn(
        table=Certificate._meta.tablename,
        column="number",
        kind=PersonalKind.IDENTITY,
        learner="learner",
    ),
)
"""An attempt's comment (free text about the learner) and a certificate's number."""
