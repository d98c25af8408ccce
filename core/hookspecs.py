"""The plugin contract: every hook a plugin may implement.

Registration hooks return lists of frozen objects; event hooks return nothing.
No hook is ``firstresult``: decisions about a cohort go to the program that owns
it, found by key, through the ``Program`` objects, never by broadcast. Hooks are
synchronous and pure; core does the database I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pluggy

from core.plugin import (
    PROJECT_NAME,
    CohortChanged,
    DemoCohort,
    NoPersonalData,
    PersonalColumn,
    Program,
    ProgramIndicators,
    SiteInfo,
)

hookspec = pluggy.HookspecMarker(PROJECT_NAME)


@hookspec
def essaim_register_programs() -> Sequence[Program]:
    """Register the training programs this plugin provides.

    Returns:
        Program objects (see ``core.plugin.Program``); each key must be unique
        across all installed plugins.
    """


@hookspec
def essaim_register_routes() -> Sequence[Any]:
    """Contribute HTTP routes (Litestar controllers, routers or route handlers).

    They are mounted under ``/api/v1`` behind core's authentication. Every route
    declares who may call it, ``opt=access(RULE)`` with a rule of
    ``core.plugin.services`` (docs/access.md); a route without one fails core's access
    matrix test, and only a rule that is public lets a route answer anonymously.

    Returns:
        Litestar route handlers, controllers or routers.
    """


@hookspec
def essaim_piccolo_apps() -> Sequence[str]:
    """Name the Piccolo apps that hold this plugin's tables and migrations.

    Returns:
        Dotted paths of ``piccolo_app`` modules, such as ``"acme.piccolo_app"``. An
        app's ``migration_dependencies`` name the core apps its tables reference
        (``"core.cohorts.piccolo_app"``), so that its migrations run after theirs.
    """


@hookspec
def essaim_personal_data() -> Sequence[PersonalColumn | NoPersonalData]:
    """Declare the columns of this plugin's tables that hold personal data about a learner.

    Core's export of a learner's data and its erasure reach these columns without the
    plugin writing that code; a column left out would survive an erasure.

    Returns:
        One ``PersonalColumn`` per column (table, column, kind, and the column that leads
        to the learner), and one ``NoPersonalData`` per table that is linked to a learner
        but holds nothing personal, so that no table is left out by mistake.
    """


@hookspec
def essaim_indicators() -> Sequence[ProgramIndicators]:
    """Add a program's own indicators to the reports (docs/indicators.md).

    Returns:
        One ``ProgramIndicators`` per program of this plugin that reports more than core's
        indicators: counts of its learners (certificates, websites, placements), rates
        between them, and where its certificates are, for the funnel's ``certified``.
    """


@hookspec
def essaim_demo_data(site: SiteInfo, today: date) -> Sequence[DemoCohort]:
    """Propose demo cohorts for one site, for the programs this plugin owns.

    Args:
        site: the site, with the validated settings of every program it runs.
        today: the demo's reference date, so that cohorts are placed around it.

    Returns:
        Cohorts for core to create; an empty list when the site runs none of
        this plugin's programs.
    """


@hookspec
def essaim_on_cohort_changed(event: CohortChanged) -> None:
    """React to a cohort being created or changed, after the change is committed.

    Args:
        event: what happened, with ids only.
    """
