"""The programs API: what every installed program teaches and how it admits. Public."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import PathParameter

from core.auth.access import EVERYONE, access
from core.errors import NotFound
from core.plugin import AdmissionStep, Program, Track, Unit
from core.runtime import Runtime


class TrackRead(msgspec.Struct, kw_only=True):
    """A track with its admission steps and curriculum."""

    track: Track
    admission_steps: list[AdmissionStep]
    units: list[Unit]


class ProgramRead(msgspec.Struct, kw_only=True):
    """An installed program and the plugin that provides it."""

    key: str
    title: str
    summary: str
    plugin: str
    tracks: list[TrackRead]
    settings_schema: dict[str, Any]


def program_read(program: Program, runtime: Runtime) -> ProgramRead:
    """The API view of a program."""
    return ProgramRead(
        key=program.key,
        title=program.title,
        summary=program.summary,
        plugin=runtime.host.program_owner(program.key),
        tracks=[
            TrackRead(
                track=track,
                admission_steps=list(program.admission_steps(track.key)),
                units=[unit for unit in program.curriculum if unit.track == track.key],
            )
            for track in program.tracks
        ],
        settings_schema=msgspec.json.schema(program.settings_schema),
    )


class ProgramController(Controller):
    """Installed programs."""

    opt = access(EVERYONE)

    path = "/api/v1/programs"
    tags = ["programs"]

    @get("/", operation_id="listPrograms")
    async def list_programs(self, runtime: NamedDependency[Runtime]) -> list[ProgramRead]:
        """Every installed program, by key."""
        return [program_read(program, runtime) for program in runtime.host.programs()]

    @get("/{key:str}", operation_id="getProgram")
    async def get_program(
        self, key: Annotated[str, PathParameter(max_length=32)], runtime: NamedDependency[Runtime]
    ) -> ProgramRead:
        """One program."""
        program = runtime.host.program(key)
        if program is None:
            raise NotFound(f"no program {key!r}")
        return program_read(program, runtime)
