"""Secrets and password hashing: random tokens stored as SHA-256, argon2 for passwords."""

from __future__ import annotations

import hashlib
import os
import secrets
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from api.settings import Settings

TOKEN_BYTES = 32  # 256 random bits; the brief asks for at least 128


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Passwords:
    """Argon2id hashing with the configured cost (cheap in tests, strong in production)."""

    def __init__(self, settings: Settings) -> None:
        self._hasher = PasswordHasher(
            time_cost=settings.argon2_time_cost,
            memory_cost=settings.argon2_memory_cost_kib,
            parallelism=settings.argon2_parallelism,
        )
        # Verified against when the email is unknown, so both paths take as long.
        self._dummy = self._hasher.hash(secrets.token_hex(16))
        # At most one hash per core at a time: a burst of sign-ins queues here instead of
        # pinning every core (each hash is memory- and CPU-hard by design).
        self._slots = threading.BoundedSemaphore(max(1, os.cpu_count() or 1))

    def hash(self, password: str) -> str:
        with self._slots:
            return self._hasher.hash(password)

    def verify(self, stored: str | None, password: str) -> bool:
        with self._slots:
            try:
                return self._hasher.verify(stored or self._dummy, password) and stored is not None
            except (VerificationError, InvalidHashError):
                return False

    def needs_rehash(self, stored: str) -> bool:
        return self._hasher.check_needs_rehash(stored)
