"""Password hashing with argon2id (argon2-cffi, its RFC 9106 low-memory profile by default;
``LAMADI_PASSWORD_HASH_PROFILE`` names another of argon2-cffi's profiles). Hashing and checking
cost tens of milliseconds of CPU, so they run in a thread, never on the event loop. A sign-in for
an unknown account still checks a password, so its answer takes as long as a real one's and does
not tell that the account does not exist. A hash made with other parameters than the current
ones is rehashed at the next sign-in (``needs_rehash``)."""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

DECOY_PASSWORD = "lamadi: no such account"


class Passwords:
    def __init__(self, profile: str = "RFC_9106_LOW_MEMORY"):
        self._hasher = PasswordHasher.from_parameters(getattr(profiles, profile))
        # Made at start, so the first unknown account's sign-in takes no longer than the next one's.
        self._decoy = self._hasher.hash(DECOY_PASSWORD)

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
