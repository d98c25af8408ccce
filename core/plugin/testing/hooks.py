"""The kit's checks of a plugin's hooks, called through core's plugin host as Essaim calls them:
demo data and routes."""

from __future__ import annotations

from datetime import date

import msgspec
from litestar import Router

from core.auth.access import ACCESS
from core.plugin import Program, ProgramSettings, SiteInfo
from core.plugin.testing.problems import Problem, where
from core.plugin.testing.programs import minimal_block
from core.plugins import PluginError, PluginHost

OTHER_PROGRAM = "essaim_kit_other"
"""A program no plugin registers: a site running only it gets no demo cohort from the plugin."""
MINIMAL_DEMO_CAPACITY = 8


def demo_site(programs: dict[str, ProgramSettings]) -> SiteInfo:
    """A site, as ``essaim demo`` describes it, that runs ``programs``."""
    return SiteInfo(slug="kit", name="Kit", timezone="Europe/Paris", programs=programs)


def check_demo_data(
    name: str, host: PluginHost, programs: list[Program], today: date
) -> list[Problem]:
    """Demo cohorts only for the plugin's own programs, on tracks the site offers, with dates in
    order and a capacity; none for a site that runs none of its programs."""
    place = where(name, hook="essaim_demo_data")
    settings: dict[str, ProgramSettings] = {}
    for program in programs:
        try:
            settings[program.key] = msgspec.convert(minimal_block(program), program.settings_schema)
        except msgspec.ValidationError:
            continue  # the settings check says so
    problems = []
    sites = {
        "a site that runs its programs": demo_site(settings),
        "a site that runs none of its programs": demo_site(
            {OTHER_PROGRAM: ProgramSettings(tracks=("base",), capacity=MINIMAL_DEMO_CAPACITY)}
        ),
    }
    for label, site in sites.items():
        try:
            cohorts = host.demo_cohorts(site, today)
        except PluginError as exc:
            return [Problem(check="demo_data", where=place, message=f"for {label}: {exc}")]
        if not site.programs.keys() & settings.keys() and cohorts:
            problems.append(
                Problem(
                    check="demo_data",
                    where=place,
                    message=f"proposes {len(cohorts)} cohort(s) for {label}; return an empty "
                    "list when site.programs holds none of the plugin's programs",
                )
            )
            continue
        for cohort in cohorts:
            run = site.programs.get(cohort.program)
            offered = run.tracks if run is not None else ()
            if cohort.track not in offered:
                problems.append(
                    Problem(
                        check="demo_data",
                        where=where(
                            name,
                            program=cohort.program,
                            track=cohort.track,
                            hook="essaim_demo_data",
                        ),
                        message=f"proposes a cohort on a track the site does not offer "
                        f"({list(offered)}); read the tracks from site.programs[key].tracks",
                    )
                )
            if cohort.ends_on < cohort.starts_on or cohort.capacity < 1:
                problems.append(
                    Problem(
                        check="demo_data",
                        where=where(
                            name,
                            program=cohort.program,
                            track=cohort.track,
                            hook="essaim_demo_data",
                        ),
                        message=f"proposes cohort {cohort.title!r} from {cohort.starts_on} to "
                        f"{cohort.ends_on} for {cohort.capacity} learners; end on or after the "
                        "start, with room for at least one learner",
                    )
                )
    return problems


def route_paths(routes: list[object]) -> list[str]:
    """The paths ``routes`` serve at, relative to ``/api/v1`` where core mounts them."""
    probe = Router(path="/", route_handlers=routes)  # type: ignore[arg-type]
    return sorted({route.path for route in probe.routes})


def undeclared_routes(routes: list[object]) -> list[str]:
    """``METHOD path`` of each route handler without an access rule (``opt=access(RULE)``,
    ``core.plugin.services``), relative to ``/api/v1``."""
    probe = Router(path="/", route_handlers=routes)  # type: ignore[arg-type]
    undeclared = []
    for route in probe.routes:
        for handler in route.route_handlers:
            if handler.http_methods <= {"OPTIONS", "HEAD"}:
                continue
            handler.resolve_opts()  # the controller's and router's options, as the app merges them
            if ACCESS not in handler.opt:
                undeclared.append(f"{' '.join(sorted(handler.http_methods))} {route.path}")
    return sorted(undeclared)


def check_routes(name: str, host: PluginHost, programs: list[Program]) -> list[Problem]:
    """Every route under ``/programs/<key>/`` for one of the plugin's program keys, each
    with its access rule."""
    try:
        routes = host.routes()
    except PluginError as exc:
        return [
            Problem(
                check="routes", where=where(name, hook="essaim_register_routes"), message=str(exc)
            )
        ]
    prefixes = [f"/programs/{program.key}" for program in programs]
    problems = []
    for path in route_paths(routes):
        if not any(path == prefix or path.startswith(prefix + "/") for prefix in prefixes):
            expected = " or ".join(f"/api/v1{prefix}/..." for prefix in prefixes) or (
                "/api/v1/programs/<key>/... (and the plugin registers no program)"
            )
            problems.append(
                Problem(
                    check="routes",
                    where=where(name, hook="essaim_register_routes"),
                    message=f"serves /api/v1{path}; put the plugin's routes under {expected}",
                )
            )
    for route in undeclared_routes(routes):
        problems.append(
            Problem(
                check="routes",
                where=where(name, hook="essaim_register_routes"),
                message=f"{route} declares no access rule; add opt=access(RULE) "
                "(core.plugin.services: ANY_ACCOUNT, COHORT_TEAM, SITE_MANAGERS...)",
            )
        )
    return problems
