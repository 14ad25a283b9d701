"""What one process builds once and every service instance in it reuses, because building it
again costs far more than keeping it: the TLS context of outgoing HTTPS calls (reading the CA
bundle is ~17 ms of CPU each time) and the Jinja2 templates compiled to Python bytecode (a
page's or an email's templates, compiled once, whichever Environment loads them)."""

from __future__ import annotations

import ssl
from functools import cache

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


@cache
def tls_context() -> ssl.SSLContext:
    """The default, verifying TLS context for every outgoing HTTPS call of this process."""
    return ssl.create_default_context()


class CompiledTemplates(BytecodeCache):
    """Templates compiled once per process, kept in memory (a template file's change is seen
    after a restart, as the code's is). Keyed by Jinja2 by template name and source checksum."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if (code := self._code.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = CompiledTemplates()
