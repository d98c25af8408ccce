"""Passwords (argon2) and random secrets (stored only as their SHA-256)."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import Parameters, PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY)
_DUMMY_HASH = _hasher.hash("essaim-dummy-password")


def use_profile(parameters: Parameters) -> None:
    """Change the argon2 cost; tests use ``profiles.CHEAPEST``, production keeps the default."""
    global _hasher, _DUMMY_HASH
    _hasher = PasswordHasher.from_parameters(parameters)
    _DUMMY_HASH = _hasher.hash("essaim-dummy-password")


def hash_password(password: str) -> str:
    """The argon2id hash of ``password``."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; takes as long when there is no account to match."""
    try:
        matched = _hasher.verify(password_hash or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False
    return matched and bool(password_hash)


def new_secret() -> str:
    """A fresh URL-safe secret of 256 bits."""
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """How a secret is stored: its SHA-256, in hex."""
    return hashlib.sha256(secret.encode()).hexdigest()
