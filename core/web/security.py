"""Cross-site request forgery protection for the pages' forms.

Every form carries a token that must match the ``essaim_csrf`` cookie, both signed with the
secret key. The API is left out: its clients authenticate with bearer tokens, which a
forged cross-site request cannot carry.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from litestar.config.csrf import CSRFConfig

from core.auth.middleware import CSRF_COOKIE
from core.settings import Settings

COOKIE = CSRF_COOKIE
FIELD = "_csrf_token"
"""The form field Litestar reads the token from."""
KEY_FILE = "secret.key"


def secret_key(settings: Settings) -> str:
    """``ESSAIM_SECRET_KEY``, or the key kept in the var folder, made on first use."""
    if settings.secret_key:
        return settings.secret_key
    path = Path(settings.var_dir) / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f"{KEY_FILE}.{os.getpid()}")
        draft.write_text(secrets.token_hex(32))
        draft.chmod(0o600)
        try:
            os.link(draft, path)  # atomic: the first worker's key wins, whole
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


def csrf_config(settings: Settings) -> CSRFConfig:
    """Tokens on every unsafe request outside the API."""
    return CSRFConfig(
        secret=secret_key(settings),
        cookie_name=COOKIE,
        cookie_secure=settings.cookie_secure,
        cookie_httponly=True,
        cookie_samesite="lax",
        exclude=[r"^/api/"],
    )
