"""The words for every code the services produce (statuses, outcomes, opinions, steps, actions,
deadlines, roles…), in Arabic and French, read once from shared/vocabulary.toml.

Emails, PDFs, the daily report and the portal's pages all name codes through here, so a code
reads the same everywhere. The file is checked when this module is first imported: an entry
without both languages, or a unit without its counted forms, stops the service at start-up
with the entry's name. ``Vocabulary.check_against`` also requires a name for every outcome,
deadline and unit a catalogue uses (called for each service's catalogue by shared/container.py)."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from shared.lifecycle import Action, Status

if TYPE_CHECKING:
    from shared.catalogue import Catalogue

PATH = Path(__file__).with_name("vocabulary.toml")
Language = Literal["ar", "fr"]
LANGUAGES: tuple[Language, ...] = ("ar", "fr")
# The counted forms each language writes a number of days with (see [units] in the file).
COUNT_FORMS: Mapping[Language, tuple[str, ...]] = {"ar": ("one", "two", "few", "many"), "fr": ("one", "other")}


class Family(StrEnum):
    """The families of codes, as the file's tables name them."""

    STATUSES = "statuses"
    OUTCOMES = "outcomes"
    OPINIONS = "opinions"
    FINANCE_STEPS = "finance_steps"
    FINANCE_STAGES = "finance_stages"
    TIMELINE_STEPS = "timeline_steps"
    TASK_ACTIONS = "task_actions"
    DEADLINES = "deadlines"
    DEADLINE_STATES = "deadline_states"
    ROLES = "roles"
    DELIVERY_STATES = "delivery_states"
    DOCUMENT_KINDS = "document_kinds"
    DOCUMENT_STATES = "document_states"
    VERIFICATION_VERDICTS = "verification_verdicts"
    VERIFICATION_REASONS = "verification_reasons"


class VocabularyError(ValueError):
    """shared/vocabulary.toml is incomplete or malformed (raised at start-up)."""


@dataclass(frozen=True)
class Words:
    ar: str
    fr: str

    def in_(self, language: str) -> str:
        return self.ar if language == "ar" else self.fr


@dataclass(frozen=True)
class Vocabulary:
    families: Mapping[Family, Mapping[str, Words]]
    units: Mapping[str, Mapping[Language, Mapping[str, str]]]  # unit -> language -> count form -> text

    def name(self, family: Family | str, code: str, language: str) -> str:
        """The code's words; a code the file does not name is shown as it is, underscores as
        spaces (the tests keep every code the services produce named)."""
        words = self.families[Family(family)].get(code)
        return words.in_(language) if words is not None else code.replace("_", " ")

    def codes(self, family: Family | str) -> frozenset[str]:
        return frozenset(self.families[Family(family)])

    def days(self, count: int, unit: str, language: str) -> str:
        """``10 jours ouvrables`` / ``10 أيام عمل``, ``25 jours`` / ``25 يوما``."""
        forms = self.units[unit]["ar" if language == "ar" else "fr"]
        return forms[_count_form(count, language)].format(n=count)

    def check_against(self, catalogue: Catalogue) -> None:
        """Every outcome, deadline and unit the catalogue uses has its words here."""
        missing = sorted(
            {f"outcomes.{o}" for kind in catalogue.kinds.values() for o in kind.outcomes
             if o not in self.families[Family.OUTCOMES]}
            | {f"deadlines.{rule.name}" for kind in catalogue.kinds.values() for rule in kind.deadlines
               if rule.name not in self.families[Family.DEADLINES]}
            | {f"units.{rule.unit}" for kind in catalogue.kinds.values() for rule in kind.deadlines
               if rule.unit not in self.units})
        if missing:
            raise VocabularyError(f"{PATH.name} names no words for what the catalogue uses: {', '.join(missing)}")


def _count_form(count: int, language: str) -> str:
    if language != "ar":
        return "one" if count <= 1 else "other"
    if count == 1:
        return "one"
    if count == 2:
        return "two"
    return "few" if 3 <= count % 100 <= 10 else "many"


def load_vocabulary(path: Path = PATH) -> Vocabulary:
    with path.open("rb") as file:
        raw = tomllib.load(file)
    unknown = set(raw) - {*Family, "units"}
    if unknown:
        raise VocabularyError(f"{path.name}: unknown tables {', '.join(sorted(unknown))}")
    families = {family: MappingProxyType(_family(path.name, family, raw.get(family, {}))) for family in Family}
    _require(path.name, families, Family.STATUSES, {str(s) for s in Status})
    _require(path.name, families, Family.TASK_ACTIONS, {str(a) for a in Action})
    units = {unit: _unit(path.name, unit, forms) for unit, forms in raw.get("units", {}).items()}
    return Vocabulary(MappingProxyType(families), MappingProxyType(units))


def _family(file: str, family: Family, entries: dict) -> dict[str, Words]:
    words = {}
    for code, entry in entries.items():
        languages = entry if isinstance(entry, dict) else {}
        complete = all(isinstance(languages.get(language), str) and languages[language].strip()
                       for language in LANGUAGES)
        if not complete or set(languages) - set(LANGUAGES):
            raise VocabularyError(f"{file}: {family}.{code} needs exactly ar and fr "
                                  f"(has {', '.join(sorted(languages)) or 'neither'})")
        words[code] = Words(ar=languages["ar"], fr=languages["fr"])
    return words


def _unit(file: str, unit: str, languages: dict) -> Mapping[Language, Mapping[str, str]]:
    checked: dict[Language, Mapping[str, str]] = {}
    for language in LANGUAGES:
        forms = languages.get(language, {})
        if not isinstance(forms, dict) or set(forms) != set(COUNT_FORMS[language]):
            raise VocabularyError(f"{file}: units.{unit}.{language} needs the forms "
                                  f"{', '.join(COUNT_FORMS[language])}")
        checked[language] = MappingProxyType(dict(forms))
    return MappingProxyType(checked)


def _require(file: str, families: dict, family: Family, codes: set[str]) -> None:
    if missing := codes - set(families[family]):
        raise VocabularyError(f"{file}: {family} lacks {', '.join(sorted(missing))}")


VOCABULARY = load_vocabulary()  # loaded once per process, checked on import


def name(family: Family | str, code: str, language: str) -> str:
    """The words for ``code`` of ``family`` in ``language`` ("ar" or "fr")."""
    return VOCABULARY.name(family, code, language)


def days(count: int, unit: str, language: str) -> str:
    """A number of days in ``unit`` ("working_days", "calendar_days"), as the law writes it."""
    return VOCABULARY.days(count, unit, language)
