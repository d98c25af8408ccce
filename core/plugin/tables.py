"""Core's tables, as a plugin's foreign keys name them.

A plugin's table refers to core's through these lazy references, never by importing core's
table modules, and its Piccolo app lists the matching ``*_APP`` in its
``migration_dependencies`` so that its migrations run after core's::

    from core.plugin.tables import ENROLMENT, ENROLMENT_APP

    class Agreement(Table, tablename="acme_agreement"):
        enrolment = ForeignKey(references=ENROLMENT, null=False, on_delete=OnDelete.restrict)
"""

from __future__ import annotations

from piccolo.columns.reference import LazyTableReference

LEARNER = LazyTableReference(table_class_name="Learner", module_path="core.learners.tables")
"""A person, one record across every site."""
ENROLMENT = LazyTableReference(table_class_name="Enrolment", module_path="core.enrolment.tables")
"""A person's place in a cohort: what a program's records about a learner hang on."""
COHORT = LazyTableReference(table_class_name="Cohort", module_path="core.cohorts.tables")
"""A cohort (promotion) of a program's track at a site."""

LEARNER_TABLE = "learner"
ENROLMENT_TABLE = "enrolment"
COHORT_TABLE = "cohort"
"""The tables' names in SQL, for the conditions of a program's indicators."""

LEARNER_APP = "core.learners.piccolo_app"
ENROLMENT_APP = "core.enrolment.piccolo_app"
COHORT_APP = "core.cohorts.piccolo_app"

__all__ = [
    "COHORT",
    "COHORT_APP",
    "COHORT_TABLE",
    "ENROLMENT",
    "ENROLMENT_APP",
    "ENROLMENT_TABLE",
    "LEARNER",
    "LEARNER_APP",
    "LEARNER_TABLE",
]
