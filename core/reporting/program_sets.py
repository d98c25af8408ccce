"""Each program's own indicators (``ProgramIndicators``, from the ``essaim_indicators``
hook) as an indicator set over the learners' facts: the program's learners who entered a
cohort, with core's ``entered`` and ``completed`` beside the program's counts."""

from __future__ import annotations

from core.plugin import COUNTED_ENROLMENT, ProgramIndicators
from core.plugins import PluginHost
from core.reporting import definitions
from core.reporting.indicator_sets import LEARNERS, IndicatorSet, Rate

CORE_COUNTS = {"entered": "1 = 1", "completed": "completed"}
"""What core counts for every program's indicators (``CORE_LEARNER_COUNTS``)."""


def program_set(declared: ProgramIndicators) -> IndicatorSet:
    """The indicator set of one program's declaration; its key is the program's."""
    population = f"{LEARNERS.population} AND program = '{declared.program}'"
    if declared.tracks:
        population += f" AND track IN ({', '.join(repr(t) for t in declared.tracks)})"
    enrolment = f"{LEARNERS.table}.enrolment"
    return IndicatorSet(
        key=declared.program,
        table=LEARNERS.table,
        population=population,
        counts={
            **CORE_COUNTS,
            **{c.name: c.condition.replace(COUNTED_ENROLMENT, enrolment) for c in declared.counts},
        },
        rates={r.name: Rate(r.numerator, r.denominator) for r in declared.rates},
        definitions={
            **{name: definitions.LEARNERS[name] for name in CORE_COUNTS},
            **{i.name: (i.title, i.definition) for i in (*declared.counts, *declared.rates)},
        },
    )


def program_sets(host: PluginHost) -> dict[str, IndicatorSet]:
    """Every program's indicator set that its plugin declares, by program key."""
    return {declared.program: program_set(declared) for declared in host.indicators()}
