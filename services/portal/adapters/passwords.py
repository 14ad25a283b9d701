"""Password hashing with argon2id (argon2-cffi, its RFC 9106 low-memory profile by default).
Hashing and checking cost tens of milliseconds of CPU, so they run in a thread, never on the
event loop. A sign-in for an unknown account still checks a password, so its answer takes as
long as a real one's and does not tell that the account does not exist."""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


class Passwords:
    def __init__(self, hasher: PasswordHasher | None = None):
        self._hasher = hasher or PasswordHasher()
        self._decoy = self._hasher.hash("lamadi: no such account")

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._hasher.hash, password)

    async def verify(self, password_hash: str, password: str) -> bool:
        try:
            return await asyncio.to_thread(self._hasher.verify, password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    async def verify_decoy(self, password: str) -> None:
        await self.verify(self._decoy, password)

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)
