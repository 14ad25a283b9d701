"""Idempotency-Key: a retried POST gets the first answer back, access token included.

The key itself is never stored: rows are found by a hash of it, and the first answer is
sealed with a cipher key derived from it, so only a client holding the Idempotency-Key can
read the stored access token back."""

from __future__ import annotations

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken

MAX_KEY_LENGTH = 255


def key_id(key: str) -> bytes:
    return hashlib.sha256(b"lamadi-idempotency-id:" + key.encode()).digest()


def _cipher(key: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(b"lamadi-idempotency-seal:" + key.encode()).digest()))


def seal(key: str, answer: dict) -> bytes:
    return _cipher(key).encrypt(json.dumps(answer).encode())


def unseal(key: str, sealed: bytes) -> dict:
    try:
        return json.loads(_cipher(key).decrypt(bytes(sealed)))
    except InvalidToken as exc:  # cannot happen unless the row was tampered with
        raise ValueError("stored idempotent answer cannot be read") from exc


def request_fingerprint(filing: dict, document_hashes: list[str]) -> bytes:
    canonical = json.dumps({"filing": filing, "documents": document_hashes}, sort_keys=True)
    return hashlib.sha256(canonical.encode()).digest()
