"""What every lamadi sub-command shares: its error type, settings and table output."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError

from shared.settings import ServiceSettings


class CliError(Exception):
    """A failure to report on stderr; ``code`` 2 for bad usage, 1 otherwise."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def load_settings() -> ServiceSettings:
    try:
        return ServiceSettings()
    except ValidationError as exc:
        problems = "; ".join(error["msg"] for error in exc.errors())
        raise CliError(f"invalid LAMADI_* settings: {problems}") from None


def render_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[str(value) for value in row] for row in rows]
    widths = [max([len(h), *(len(row[i]) for row in cells)]) for i, h in enumerate(headers)]
    line = lambda values: "  ".join(v.ljust(w) for v, w in zip(values, widths)).rstrip()  # noqa: E731
    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(row) for row in cells)])
