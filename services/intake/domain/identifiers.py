"""Tracking numbers and access tokens: random, so one cannot be guessed from another."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

# Crockford's base32: no I, L, O, U, so a number read aloud or retyped stays unambiguous.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_tracking_number(now: datetime) -> str:
    random_part = "".join(secrets.choice(ALPHABET) for _ in range(10))  # 50 random bits
    return f"AU-{now:%Y}-{random_part[:5]}-{random_part[5:]}"


def new_access_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> bytes:
    # The token has 256 random bits, so a fast hash is enough to keep it useless at rest.
    return hashlib.sha256(token.encode()).digest()


def token_matches(token: str | None, stored_hash: bytes) -> bool:
    return token is not None and hmac.compare_digest(hash_token(token), bytes(stored_hash))
