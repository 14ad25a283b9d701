"""The decision letter: the agency's decision on a filing, in the applicant's language — its
outcome, its motive and, for a permit decided by the committee, the committee's published
opinion. Outcomes and opinions are named by shared/vocabulary.toml, kinds by the catalogue; the
letter's own sentences are below."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, field_validator

from shared.calendar import AGENCY_TZ
from shared.catalogue import Catalogue
from shared.pdf.layout import AgencyDocument, AgencyNames
from shared.pdf.qr import Verification
from shared.pdf.typefaces import one_at_a_time
from shared.vocabulary import VOCABULARY, Family, name

WORDS = {
    "fr": {
        "tracking_number": "Numéro de suivi",
        "kind": "Nature de la demande",
        "applicant": "Demandeur",
        "decided": "Date de la décision",
        "outcome": "Décision",
        "opinion": "Avis de la commission",
        "motive": "Motifs de la décision",
        "notice": "La présente lettre vous notifie la décision prise par l'Agence sur votre demande. "
                  "Conservez-la avec le récépissé de dépôt ; rappelez le numéro de suivi dans toute correspondance.",
    },
    "ar": {
        "tracking_number": "رقم التتبع",
        "kind": "نوع الطلب",
        "applicant": "مقدم الطلب",
        "decided": "تاريخ القرار",
        "outcome": "القرار",
        "opinion": "رأي اللجنة",
        "motive": "تعليل القرار",
        "notice": "تبلغكم هذه الرسالة بالقرار الذي اتخذته الوكالة بشأن طلبكم. "
                  "يرجى الاحتفاظ بها رفقة وصل الإيداع، والإشارة إلى رقم التتبع في كل مراسلة.",
    },
}
OTHER = {"fr": "ar", "ar": "fr"}


class DecisionLetter(BaseModel):
    tracking_number: str
    language: Literal["ar", "fr"]
    kind: str
    applicant_name: str
    decided_at: datetime
    outcome: str  # an [outcomes] code
    text: str  # the motive, as the reviewer or the committee wrote it
    committee_opinion: str | None = None  # permits: the committee's published opinion ([opinions])
    agency: AgencyNames = AgencyNames()
    verification: Verification | None = None  # the issued letter's QR code and code

    @field_validator("outcome")
    @classmethod
    def _named_outcome(cls, outcome: str) -> str:
        return _named(Family.OUTCOMES, outcome)

    @field_validator("committee_opinion")
    @classmethod
    def _named_opinion(cls, opinion: str | None) -> str | None:
        return None if opinion is None else _named(Family.OPINIONS, opinion)

    @property
    def filename(self) -> str:
        return f"lettre-decision-{self.tracking_number}.pdf"


def _named(family: Family, code: str) -> str:
    """A letter never prints a code: the vocabulary must name it."""
    if code not in VOCABULARY.codes(family):
        raise ValueError(f"{code!r} is not one of the {family} that shared/vocabulary.toml names")
    return code


@one_at_a_time
def render_decision_letter(letter: DecisionLetter, font: Path, catalogue: Catalogue) -> bytes:
    language = letter.language
    words = WORDS[language]
    title = name(Family.DOCUMENT_KINDS, "decision_letter", language)
    pdf = AgencyDocument(font=font, language=language, title=f"{title} {letter.tracking_number}",
                         agency=letter.agency, created_at=letter.decided_at)
    pdf.title_block(title, name(Family.DOCUMENT_KINDS, "decision_letter", OTHER[language]), letter.verification)
    rows = [
        (words["tracking_number"], letter.tracking_number),
        (words["kind"], catalogue.kind_name(letter.kind, language)),
    ]
    if language == "fr":  # the Arabic name of the service too, as on the receipt
        rows.append((WORDS["ar"]["kind"], catalogue.kind_name(letter.kind, "ar")))
    rows += [
        (words["applicant"], letter.applicant_name),
        (words["decided"], letter.decided_at.astimezone(AGENCY_TZ).strftime("%d/%m/%Y")),
        (words["outcome"], name(Family.OUTCOMES, letter.outcome, language)),
    ]
    if letter.committee_opinion is not None:
        rows.append((words["opinion"], name(Family.OPINIONS, letter.committee_opinion, language)))
    pdf.fields(rows)

    pdf.section(words["motive"])
    for paragraph in letter.text.splitlines():  # a committee's motive: one line per member
        if paragraph.strip():
            pdf.paragraph(paragraph.strip())
    pdf.ln(3)
    pdf.paragraph(words["notice"], size=9)
    return pdf.pdf_bytes()
