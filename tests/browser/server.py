"""The real Essaim for the browser tests: a fresh SQLite database with the demo, a cohort of
the Paris DIGITAL beginners whose sessions have already been held, three enrolled learners and
their trainer, served by ``essaim serve`` on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from core.auth.middleware import CSRF_HEADER
from core.demo import DEMO_PASSWORD
from core.web.security import COOKIE as CSRF_COOKIE

ESSAIM = str(Path(sys.executable).with_name("essaim"))
TRAINER = "formatrice.essai@example.org"
MANAGER = "responsable.paris@example.org"
CENTRAL = "equipe.centrale@example.org"
ADMIN = "admin@example.org"
STARTUP = 60.0
"""Seconds the server has to answer its health check."""


@dataclass(frozen=True)
class Essaim:
    """The running server and the records the tests use."""

    url: str
    cohort: int
    sessions: list[int]
    """The cohort's sessions already held, most recent first."""
    learners: list[int]
    other_site_session: int
    """A session at Bordeaux, out of the trainer's reach."""
    var_dir: Path
    """The server's folder, its SQLite database inside (the e-mails waiting for a worker)."""


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(var_dir: Path) -> dict[str, str]:
    """The server's environment: SQLite in ``var_dir``, the repository's sites."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ESSAIM_")}
    return env | {"ESSAIM_VAR_DIR": str(var_dir), "ESSAIM_LOG_FORMAT": "json"}


def start(var_dir: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """The demo loaded, then the server started and answering."""
    env = environment(var_dir)
    subprocess.run([ESSAIM, "demo"], env=env, check=True, capture_output=True, timeout=300)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [ESSAIM, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + STARTUP
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"essaim serve stopped: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return server, url
        except httpx.TransportError:
            time.sleep(0.2)  # the port is not open yet
    server.terminate()
    raise RuntimeError(f"essaim serve did not answer in {STARTUP} s: {log.read_text()[-2000:]}")


@contextmanager
def api(url: str, email: str) -> Iterator[httpx.Client]:
    """An API client signed in as ``email`` (demo password), sending the form token that API
    writes on the session cookie need (``X-CSRFToken``)."""
    with httpx.Client(base_url=url, timeout=30) as client:
        signed = client.post("/api/v1/auth/login", json={"email": email, "password": DEMO_PASSWORD})
        signed.raise_for_status()
        client.get("/connexion").raise_for_status()  # sets the form token's cookie
        client.headers[CSRF_HEADER] = client.cookies[CSRF_COOKIE]
        yield client


def _ok(response: httpx.Response) -> Any:
    assert response.is_success, f"{response.request.method} {response.url}: {response.text}"
    return response.json() if response.content else None


def seed(url: str, var_dir: Path) -> Essaim:
    """The cohort, learners and trainer the tests need, made through the API and the CLI."""
    today = date.today()
    with api(url, MANAGER) as manager:
        cohort = _ok(
            manager.post(
                "/api/v1/cohorts",
                json={
                    "site": "paris",
                    "program": "digital",
                    "track": "beginner",
                    "title": "Débutants essai",
                    "starts_on": (today - timedelta(days=18)).isoformat(),
                    "ends_on": (today + timedelta(days=30)).isoformat(),
                    "capacity": 12,
                },
            )
        )["id"]
        rhythm = {"weekdays": [1, 2, 3, 4, 5], "day_starts": "09:30:00", "day_ends": "11:30:00"}
        _ok(manager.patch(f"/api/v1/cohorts/{cohort}", json=rhythm))
        planned = _ok(manager.post(f"/api/v1/cohorts/{cohort}/sessions/plan"))["items"]
        learners = []
        for first, last, gender in (
            ("Awa", "Diallo", "female"),
            ("Karim", "Benali", "male"),
            ("Léa", "Martin", "female"),
        ):
            learner = _ok(
                manager.post(
                    "/api/v1/learners",
                    json={
                        "site": "paris",
                        "first_name": first,
                        "last_name": last,
                        "gender": gender,
                        "birth_date": "1990-05-17",
                        "french_level": "B1",
                    },
                )
            )["id"]
            body = {"learner": learner, "site": "paris", "program": "digital", "track": "beginner"}
            application = _ok(manager.post("/api/v1/applications", json=body))["id"]
            for status in ("screening", "admitted"):
                _ok(
                    manager.post(
                        f"/api/v1/applications/{application}/transitions", json={"to": status}
                    )
                )
            _ok(
                manager.post(
                    f"/api/v1/cohorts/{cohort}/enrolments", json={"application_id": application}
                )
            )
            learners.append(learner)
    with api(url, ADMIN) as admin:
        bordeaux = _ok(admin.get("/api/v1/cohorts", params={"site": "bordeaux"}))["items"][0]
        other = _ok(admin.get(f"/api/v1/cohorts/{bordeaux['id']}/sessions/"))["items"][0]["id"]
    account = ["--email", TRAINER, "--name", "Formatrice essai", "--role", "trainer"]
    subprocess.run(
        [ESSAIM, "users", "create", *account, "--cohort", str(cohort)],
        env=environment(var_dir) | {"ESSAIM_NEW_PASSWORD": DEMO_PASSWORD},
        check=True,
        capture_output=True,
        timeout=120,
    )
    held = [s["id"] for s in planned if date.fromisoformat(s["day"]) < today]
    return Essaim(
        url=url,
        cohort=cohort,
        sessions=list(reversed(held)),
        learners=learners,
        other_site_session=other,
        var_dir=var_dir,
    )
