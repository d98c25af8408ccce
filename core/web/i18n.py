"""The pages' languages: Babel catalogs, the language of the request, and the text and
formats the templates and page modules take from it.

Catalogs are the ``.po`` files under ``core/web/locale`` (``make messages`` extracts and
updates them). They are compiled in memory when the app starts, so no ``.mo`` file is built,
committed or left stale. Message ids are English; French is the default language.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from babel import Locale
from babel.dates import format_date as babel_date
from babel.dates import format_datetime as babel_datetime
from babel.dates import format_time as babel_time
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import Translations

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
DEFAULT = "fr"


@dataclass(frozen=True, slots=True)
class Language:
    """A language the pages are offered in: its code, its own name, its translations, and
    the Babel locale that formats its dates and numbers."""

    code: str
    name: str
    translations: Translations
    formats: Locale


def compile_catalog(catalog: Catalog) -> Translations:
    """Translations from a parsed catalog, compiled in memory."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def read_catalog(code: str, directory: Path = LOCALE_DIR) -> Catalog:
    """The parsed ``.po`` catalog of ``code``."""
    with (directory / code / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as file:
        return read_po(file, locale=code)


class Catalogs(Mapping[str, Language]):
    """The languages the pages are offered in, by code; the default one first."""

    def __init__(self, languages: list[Language], default: str = DEFAULT) -> None:
        self._languages = {language.code: language for language in languages}
        if default not in self._languages:
            raise ValueError(f"no catalog for the default language {default!r}")
        self.default = self._languages[default]

    @classmethod
    def load(cls, directory: Path = LOCALE_DIR) -> Catalogs:
        """Every catalog under ``directory``, French first."""
        codes = sorted(
            (path.name for path in directory.iterdir() if (path / "LC_MESSAGES").is_dir()),
            key=lambda code: (code != DEFAULT, code),
        )
        return cls(
            [language_of(code, compile_catalog(read_catalog(code, directory))) for code in codes]
        )

    def with_language(self, language: Language) -> Catalogs:
        """These catalogs and one more (a pseudo-locale in the tests, say)."""
        return Catalogs([*self._languages.values(), language], self.default.code)

    def __getitem__(self, code: str) -> Language:
        return self._languages[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._languages)

    def __len__(self) -> int:
        return len(self._languages)


def language_of(code: str, translations: Translations, formats: str | None = None) -> Language:
    """A language named by Babel in itself, formatting as ``formats`` (``code`` by default)."""
    locale = Locale.parse(formats or code)
    return Language(
        code=code,
        name=(locale.display_name or code).capitalize(),
        translations=translations,
        formats=locale,
    )


_current: ContextVar[Language] = ContextVar("essaim_language")


def use(language: Language) -> None:
    """Make ``language`` the current request's."""
    _current.set(language)


def current() -> Language:
    """The language of the request being served."""
    return _current.get()


def gettext(message: str) -> str:
    """``message`` in the current language."""
    return current().translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural of a message, as ``n`` requires in the current language."""
    return current().translations.ngettext(singular, plural, n)


def format_day(day: date, format: str = "full") -> str:
    """A day, as the current language writes it ("lundi 5 octobre 2026")."""
    return babel_date(day, format, locale=current().formats)


def format_clock(at: time | datetime, format: str = "short") -> str:
    """A time of day, as the current language writes it ("09:30")."""
    return babel_time(at, format, locale=current().formats)


def format_instant(at: datetime, format: str = "medium") -> str:
    """An instant with its date and time, in the instant's own time zone."""
    return babel_datetime(at, format, tzinfo=at.tzinfo, locale=current().formats)


def format_month(month: str, format: str = "MMMM y") -> str:
    """A month written ``YYYY-MM``, as the current language writes it ("septembre 2026")."""
    year, number = month.split("-")
    return babel_date(date(int(year), int(number), 1), format, locale=current().formats)


def format_number(value: float) -> str:
    """A number, with the current language's separators."""
    return format_decimal(value, locale=current().formats)


def format_share(value: float) -> str:
    """A share between 0 and 1, as a percentage ("85 %")."""
    return format_percent(value, locale=current().formats)
