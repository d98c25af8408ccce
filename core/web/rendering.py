"""The Jinja environment of the pages: the templates folder, autoescaping, and the
current language's text, dates and numbers as ``_``, ``ngettext`` and filters."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from litestar.plugins.jinja import JinjaTemplateEngine

from core.web import i18n
from core.web.i18n import Catalogs

TEMPLATES = Path(__file__).parent / "templates"


def template_engine(catalogs: Catalogs, directory: Path = TEMPLATES) -> JinjaTemplateEngine:
    """The engine Litestar renders the pages with, offering the languages of ``catalogs``."""
    environment = Environment(
        loader=FileSystemLoader(directory),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.gettext, i18n.ngettext, newstyle=True
    )
    environment.globals["current_language"] = i18n.current
    environment.globals["languages"] = catalogs
    environment.filters.update(
        day=i18n.format_day,
        clock=i18n.format_clock,
        instant=i18n.format_instant,
        month=i18n.format_month,
        number=i18n.format_number,
        share=i18n.format_share,
    )
    return JinjaTemplateEngine.from_environment(environment)
