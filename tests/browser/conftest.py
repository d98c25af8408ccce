"""Browser tests: the real server driven by Debian's Chromium through Playwright.

Skipped with a message where Chromium is missing, unless ``ESSAIM_REQUIRE_BROWSER=1`` (CI),
which makes that an error. Screenshots go to ``ESSAIM_SCREENSHOTS`` or a temporary folder,
printed at the end of the run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.server import Essaim, seed, start

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LAPTOP = {"width": 1366, "height": 768}
_SHOTS = pytest.StashKey[Path]()


def pytest_sessionstart(session: pytest.Session) -> None:
    if not CHROMIUM.exists() and os.environ.get("ESSAIM_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"ESSAIM_REQUIRE_BROWSER=1 but there is no {CHROMIUM}")


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    folder = config.stash.get(_SHOTS, None)
    if folder is not None:
        terminalreporter.write_line(f"browser screenshots: {folder}")


@pytest.fixture(scope="session")
def essaim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Essaim]:
    """The server, seeded; stopped after the last browser test."""
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (install Debian's chromium package)")
    var_dir = tmp_path_factory.mktemp("essaim-var")
    server, url = start(var_dir, var_dir / "server.log")
    try:
        yield seed(url, var_dir)
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="session")
def browser(essaim: Essaim):
    """Chromium, headless."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def screenshots(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder the screenshots are saved to."""
    chosen = os.environ.get("ESSAIM_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    request.config.stash[_SHOTS] = folder
    return folder


@pytest.fixture
def page(browser, essaim: Essaim):
    """A fresh page at 1366x768, French, JavaScript on."""
    context = browser.new_context(viewport=LAPTOP, locale="fr-FR", base_url=essaim.url)
    yield context.new_page()
    context.close()


@pytest.fixture
def page_without_js(browser, essaim: Essaim):
    """A fresh page with JavaScript turned off."""
    context = browser.new_context(
        viewport=LAPTOP, locale="fr-FR", base_url=essaim.url, java_script_enabled=False
    )
    yield context.new_page()
    context.close()
