"""What may stand in a string a caller sends. Pure rules, one place, used at every edge.

- Everywhere (JSON and form bodies, query strings, paths): no control characters but tab,
  line feed and carriage return: NUL and its kin are never data, PostgreSQL refuses NUL in
  text, and they hide what a person would read.
- Single-line values (names, subjects, references): no line breaks or tabs either, and at
  least one visible character: such values become email headers, file names and table cells.
- File names: bidirectional overrides and zero-width characters are removed, since they can
  make ``fdp.exe`` read as ``exe.pdf``."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
LINE_BREAKS = re.compile("[\t\n\r\x0b\x0c\x85\u2028\u2029]")
# Bidirectional embeddings, overrides and isolates, and zero-width characters.
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
MAX_DEPTH = 32  # JSON nesting a request body may have; our models need fewer than 6


class TooDeep(ValueError):
    """A JSON document nested deeper than MAX_DEPTH."""


def control_character_fields(value: Any, path: str, depth: int = 0) -> list[str]:
    """Where (dotted paths) a parsed JSON value holds a control character, in keys or strings."""
    if depth > MAX_DEPTH:
        raise TooDeep(f"nested deeper than {MAX_DEPTH} levels")
    if isinstance(value, str):
        return [path] if CONTROL.search(value) else []
    if isinstance(value, dict):
        found = [f"{path}.{key!r}" for key in value if CONTROL.search(key)]
        for key, item in value.items():
            found += control_character_fields(item, f"{path}.{key}", depth + 1)
        return found
    if isinstance(value, list):
        return [f for index, item in enumerate(value) for f in control_character_fields(item, f"{path}.{index}",
                                                                                      depth + 1)]
    return []


def visible(text: str) -> str:
    """The text without invisible formatting characters and surrounding white space."""
    return "".join(c for c in INVISIBLE.sub("", text) if unicodedata.category(c) != "Cf").strip()


def _single_line(value: str) -> str:
    if LINE_BREAKS.search(value):
        raise PydanticCustomError("single_line", "must be on one line: no line breaks or tabs")
    if not visible(value):
        raise PydanticCustomError("invisible", "must hold at least one visible character")
    return value


def clean_file_name(name: str) -> str:
    """A client's file name without directory, control, bidirectional or zero-width characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return INVISIBLE.sub("", CONTROL.sub("", LINE_BREAKS.sub(" ", base))).strip()


def display_name(name: str) -> str:
    """A name fit for an email's display name: one line, no control or invisible characters."""
    return " ".join(INVISIBLE.sub("", CONTROL.sub("", LINE_BREAKS.sub(" ", name))).split())


SingleLine = Annotated[str, AfterValidator(_single_line)]
