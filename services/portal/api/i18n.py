"""Message catalogues (gettext .po, Babel): compiled in memory at start, so no generated .mo
file is kept in the repository. Arabic is the default language; French is chosen by cookie."""

from __future__ import annotations

import gettext
from datetime import date, datetime
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from markupsafe import Markup, escape

from shared.calendar import AGENCY_TZ

LANGUAGES = ("ar", "fr")
DEFAULT_LANGUAGE = "ar"
LANGUAGE_COOKIE = "lang"
CATALOGUES = Path(__file__).parents[1] / "i18n"  # services/portal/i18n


@cache  # the catalogues change only with the code: compiled once per process
def load_translations(directory: Path = CATALOGUES) -> dict[str, gettext.GNUTranslations]:
    translations = {}
    for language in LANGUAGES:
        with (directory / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
            catalogue = read_po(po, locale=language)
        compiled = BytesIO()
        write_mo(compiled, catalogue)
        compiled.seek(0)
        translations[language] = gettext.GNUTranslations(compiled)
    return translations


def language_of(cookie: str | None) -> str:
    return cookie if cookie in LANGUAGES else DEFAULT_LANGUAGE


def ltr(value: object) -> Markup:
    """Tracking numbers, dates and numbers inside Arabic text keep their left-to-right order."""
    return Markup('<bdi dir="ltr">%s</bdi>') % escape(value)


def day(value: date | datetime | str | None) -> Markup:
    """A date as the agency writes it (dd/mm/yyyy, agency time zone), isolated left to right."""
    if value is None or value == "":
        return Markup("")
    if isinstance(value, str):
        # intake writes "2026-11-29", "2026-11-29T16:01:08+00:00" or "2026-11-29 16:01:08+00:00"
        value = date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
    if isinstance(value, datetime):
        value = value.astimezone(AGENCY_TZ).date()
    return ltr(value.strftime("%d/%m/%Y"))


def moment(value: datetime | str) -> Markup:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return ltr(value.astimezone(AGENCY_TZ).strftime("%d/%m/%Y %H:%M"))
