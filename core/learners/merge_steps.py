"""What a merge of two learner records moves, domain by domain.

Each domain that keeps rows pointing at a learner gives a ``MergeStep``; the list is put
together here, outside the domains, so that the learners domain depends on none of them.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.applications.service import move_applications
from core.enrolment.service import move_enrolments
from core.learners.merge import MergeStep
from core.notifications.service import move_messages
from core.outcomes.service import move_outcomes
from core.surveys.answers import move_answers
from core.surveys.links import move_links
from core.volunteering.service import move_volunteer

MERGE_STEPS: Sequence[MergeStep] = (
    move_applications,
    move_enrolments,
    move_outcomes,
    move_links,
    move_answers,
    move_messages,
    move_volunteer,
)
"""Run in order inside the merge's transaction, before the merged-away record is deleted."""
