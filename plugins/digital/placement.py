"""DIGITAL's placement tests (D2): their sections and pass marks, and how a test is scored.

The intermediate level's test checks what the beginner level teaches, the advanced level's
what the intermediate level teaches. A test is passed when every section reaches its pass
mark and the total reaches the test's; a passed test opens its level.
"""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from plugins.digital.curriculum import ADVANCED, INTERMEDIATE


class Section(msgspec.Struct, frozen=True, kw_only=True):
    """A part of a placement test, marked out of ``points``, passed at ``pass_mark``."""

    key: str
    title: str
    points: int
    pass_mark: int


class PlacementTest(msgspec.Struct, frozen=True, kw_only=True):
    """A level's placement test: its sections and the total that passes it."""

    track: str
    title: str
    sections: tuple[Section, ...]
    pass_mark: int

    @property
    def points(self) -> int:
        """The test's total marks."""
        return sum(section.points for section in self.sections)


TESTS = {
    INTERMEDIATE: PlacementTest(
        track=INTERMEDIATE,
        title="Test de positionnement, niveau intermédiaire",
        sections=(
            Section(
                key="computer",
                title="L'ordinateur, la souris et le clavier",
                points=10,
                pass_mark=6,
            ),
            Section(
                key="files",
                title="Les fichiers, les dossiers et la clé USB",
                points=10,
                pass_mark=6,
            ),
            Section(key="browsing", title="Naviguer sur Internet", points=10, pass_mark=6),
        ),
        pass_mark=20,
    ),
    ADVANCED: PlacementTest(
        track=ADVANCED,
        title="Test de positionnement, niveau avancé",
        sections=(
            Section(
                key="web_search",
                title="Chercher sur Internet et protéger ses données",
                points=10,
                pass_mark=6,
            ),
            Section(key="email", title="L'e-mail", points=10, pass_mark=6),
            Section(key="word", title="Word", points=10, pass_mark=6),
        ),
        pass_mark=20,
    ),
}
"""The placement test of each level that asks one."""


class SectionScore(msgspec.Struct, frozen=True, kw_only=True):
    """A section's marks against its pass mark."""

    key: str
    points: float
    out_of: int
    pass_mark: int
    passed: bool


class PlacementScore(msgspec.Struct, frozen=True, kw_only=True):
    """A scored test: each section, the total, and whether the test is passed."""

    track: str
    sections: list[SectionScore]
    total: float
    out_of: int
    pass_mark: int
    passed: bool


def score(test: PlacementTest, points: Mapping[str, float]) -> PlacementScore:
    """Score ``points`` (marks by section key) on ``test``.

    ValueError naming the section when one is missing, unknown, or outside its marks.
    """
    known = {section.key for section in test.sections}
    for key in points:
        if key not in known:
            raise ValueError(f"{key}: not a section of this test (known: {', '.join(known)})")
    sections = []
    for section in test.sections:
        if section.key not in points:
            raise ValueError(f"{section.key}: missing")
        marks = points[section.key]
        if not 0 <= marks <= section.points:
            raise ValueError(f"{section.key}: {marks:g} is not from 0 to {section.points}")
        sections.append(
            SectionScore(
                key=section.key,
                points=marks,
                out_of=section.points,
                pass_mark=section.pass_mark,
                passed=marks >= section.pass_mark,
            )
        )
    total = sum(s.points for s in sections)
    return PlacementScore(
        track=test.track,
        sections=sections,
        total=total,
        out_of=test.points,
        pass_mark=test.pass_mark,
        passed=total >= test.pass_mark and all(s.passed for s in sections),
    )
