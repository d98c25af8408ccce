"""Asking the program that owns an enrolment about its assessments and completion.

A program that is not installed, that raises or that answers with the wrong types is
named in a PluginError, never trusted with a record.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from core.enrolment.context import EnrolmentContext
from core.errors import Conflict
from core.plugin import Assessment, CompletionDecision, CompletionFacts, Program
from core.plugins import PluginError
from core.runtime import Runtime

T = TypeVar("T")


def owning_program(runtime: Runtime, context: EnrolmentContext) -> Program:
    """The program of the enrolment's cohort; Conflict when no installed plugin owns it."""
    program = runtime.host.program(context.program)
    if program is None:
        raise Conflict(
            f"program {context.program!r} is not installed: its assessments and completion "
            "rules are unknown"
        )
    return program


def _ask(runtime: Runtime, program: Program, method: str, call: Callable[[], T], kind: type) -> T:
    owner = runtime.host.program_owner(program.key)
    try:
        answer = call()
    except Exception as exc:
        raise PluginError(
            f"plugin {owner!r}, program {program.key!r} raised in {method}: "
            f"{type(exc).__name__}: {exc}"
        ) from exc
    items = answer if isinstance(answer, tuple) and kind is Assessment else (answer,)
    if not all(isinstance(item, kind) for item in items):
        raise PluginError(
            f"plugin {owner!r}, program {program.key!r}: {method} must return "
            f"core.plugin.{kind.__name__}"
        )
    return answer


def assessments_of(runtime: Runtime, program: Program, track: str) -> tuple[Assessment, ...]:
    """The assessments the program records for ``track``."""
    return _ask(runtime, program, "assessments", lambda: program.assessments(track), Assessment)


def completion_of(runtime: Runtime, program: Program, facts: CompletionFacts) -> CompletionDecision:
    """The program's completion decision on ``facts``."""
    return _ask(
        runtime, program, "completion", lambda: program.completion(facts), CompletionDecision
    )
