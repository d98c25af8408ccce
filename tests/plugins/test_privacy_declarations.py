"""Every text, JSON and date column of every table that leads to a learner is judged.

Core judges its own in ``core.privacy.declarations``; plugins declare their personal columns
through ``essaim_personal_data`` and the built-in plugins' other columns are judged below. A
new column that could hold a learner's data fails here until someone decides what it is, so
that the export and the erasure cannot forget it.
"""

from __future__ import annotations

from piccolo.columns import JSON, Date, ForeignKey, Text, Varchar
from piccolo.table import Table

from core.plugins import PluginHost
from core.privacy.declarations import NOT_PERSONAL, PERSONAL
from core.privacy.links import all_tables, linked_tables

SCANNED = (Varchar, Text, JSON, Date)

_CODES = "code words from a fixed list"
_DATES = "days of the training's calendar, kept for the reports"
PLUGINS_NOT_PERSONAL = {
    ("digital_module_attempt", "module"): _CODES,
    ("digital_module_attempt", "syllabus"): _CODES,
    ("digital_module_attempt", "test_centre"): "the approved centre's name, not the person's",
    ("digital_module_attempt", "taken_on"): _DATES,
    ("digital_certificate", "level"): _CODES,
    ("digital_certificate", "issued_on"): _DATES,
    ("digistart_website_submission", "kind"): _CODES,
    ("digistart_website_submission", "submitted_on"): _DATES,
    ("digistart_website_review", "decision"): _CODES,
    ("digistart_website_review", "reviewed_on"): _DATES,
    ("digitous_code_review", "grade"): _CODES,
    ("digitous_code_review", "reviewed_on"): _DATES,
    ("digitous_placement", "frame"): _CODES,
    ("digitous_placement", "contract"): _CODES,
    ("digitous_placement", "prescriber"): "the public employment service's agency",
    ("digitous_placement", "starts_on"): _DATES,
    ("digitous_placement", "ends_on"): _DATES,
    ("digitous_placement", "renewed_until"): _DATES,
    ("digitous_placement", "agreement_signed_on"): _DATES,
    ("digitous_tutor_evaluation", "stage"): _CODES,
    ("digitous_tutor_evaluation", "grade"): _CODES,
    ("digitous_tutor_evaluation", "evaluated_on"): _DATES,
}
"""The built-in plugins' columns judged not personal, and why."""


def _scanned(tables: list[type[Table]]) -> set[tuple[str, str]]:
    return {
        (table._meta.tablename, column._meta.name)
        for table in tables
        for column in table._meta.columns
        if isinstance(column, SCANNED) and not isinstance(column, ForeignKey)
    }


def _judged(plugin_host: PluginHost) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    personal = {(c.table, c.column) for c in PERSONAL}
    personal |= {(c.table, c.column) for _, c in plugin_host.personal_data()}
    not_personal = {(n.table, column) for n in NOT_PERSONAL for column in n.columns}
    not_personal |= set(PLUGINS_NOT_PERSONAL)
    return personal, not_personal


def test_every_column_that_can_hold_a_learners_data_is_judged(plugin_host) -> None:
    linked = linked_tables(all_tables(plugin_host))
    exempt = {none.table for _, none in plugin_host.tables_without_personal_data()}
    personal, not_personal = _judged(plugin_host)
    unjudged = sorted(
        (table, column)
        for table, column in _scanned(linked) - personal - not_personal
        if table not in exempt
    )
    assert unjudged == [], (
        "these columns of tables that lead to a learner are neither declared personal "
        "(core.privacy.declarations.PERSONAL, or the plugin's essaim_personal_data) nor "
        f"judged not personal (NOT_PERSONAL, or PLUGINS_NOT_PERSONAL here): {unjudged}"
    )


def test_judgements_name_existing_columns_and_never_both(plugin_host) -> None:
    personal, not_personal = _judged(plugin_host)
    assert personal & not_personal == set()
    existing = {
        (table._meta.tablename, column._meta.name)
        for table in all_tables(plugin_host)
        for column in table._meta.columns
    }
    assert (personal | not_personal) - existing == set()


def test_cores_personal_columns_name_the_column_that_leads_to_the_learner(plugin_host) -> None:
    tables = {table._meta.tablename: table for table in all_tables(plugin_host)}
    for declared in PERSONAL:
        table = tables[declared.table]
        link = table._meta.get_column_by_name(declared.learner)
        assert declared.table == "learner" or isinstance(link, ForeignKey), declared


def test_the_tables_that_lead_to_a_learner_include_plugins_through_enrolments(
    plugin_host,
) -> None:
    names = [table._meta.tablename for table in linked_tables(all_tables(plugin_host))]
    assert names[0] == "learner"
    assert {"application", "eligibility_finding", "message", "digitous_tutor_evaluation"} <= set(
        names
    )
    assert names.index("enrolment") < names.index("digitous_placement")
    assert names.index("digitous_placement") < names.index("digitous_tutor_evaluation")
    assert "cohort" not in names and "account" not in names
