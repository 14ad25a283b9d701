"""The urban-planning information note (مذكرة المعلومات التعميرية), always in Arabic: the
parcel as filed and the facts the reviewer recorded."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from shared.calendar import AGENCY_TZ
from shared.pdf.layout import AgencyDocument, AgencyNames
from shared.pdf.qr import Verification
from shared.pdf.typefaces import one_at_a_time

TITLE = "مذكرة المعلومات التعميرية"
SUBTITLE = "Note de renseignements urbanistiques"
# Filing fields that describe the parcel, in the order shown.
PARCEL_FIELDS = {
    "land_title": "الرسم العقاري أو مطلب التحفيظ",
    "commune": "الجماعة",
    "address": "العنوان",
    "purpose": "الغرض من الطلب",
}
DISCLAIMER = (
    "تسلم هذه المذكرة للإخبار بالمقتضيات التعميرية المطبقة على العقار المذكور أعلاه في تاريخ إصدارها، "
    "وفق وثائق التعمير الجاري بها العمل. ولا تقوم مقام رخصة البناء أو رخصة التجزيء أو التقسيم."
)


class NoteFacts(BaseModel):
    model_config = ConfigDict(extra="ignore")
    zoning: str
    allowed_height_m: float
    setbacks: str
    servitudes: str
    remarks: str | None = None


class InformationNote(BaseModel):
    tracking_number: str
    applicant_name: str
    issued_at: datetime
    parcel: dict[str, Any] = {}  # the filing's details; only PARCEL_FIELDS are shown
    facts: NoteFacts
    agency: AgencyNames = AgencyNames()
    verification: Verification | None = None  # the issued note's QR code and code

    @property
    def filename(self) -> str:
        return f"note-renseignements-{self.tracking_number}.pdf"


def _metres(value: float) -> str:
    return f"{value:g} م"


@one_at_a_time
def render_information_note(note: InformationNote, font: Path) -> bytes:
    issued = note.issued_at.astimezone(AGENCY_TZ)
    pdf = AgencyDocument(font=font, language="ar", title=f"{TITLE} {note.tracking_number}", agency=note.agency,
                         created_at=note.issued_at)
    pdf.title_block(TITLE, SUBTITLE, note.verification)
    pdf.fields([
        ("رقم التتبع", note.tracking_number),
        ("مقدم الطلب", note.applicant_name),
        ("تاريخ الإصدار", issued.strftime("%d/%m/%Y")),
    ])
    parcel = [(label, str(note.parcel[field])) for field, label in PARCEL_FIELDS.items()
              if note.parcel.get(field) not in (None, "")]
    if parcel:
        pdf.section("معطيات العقار")
        pdf.fields(parcel)
    facts = note.facts
    pdf.section("المعطيات التعميرية")
    rows = [
        ("المنطقة (التنطيق)", facts.zoning),
        ("العلو الأقصى المسموح به", _metres(facts.allowed_height_m)),
        ("التراجعات", facts.setbacks),
        ("الارتفاقات", facts.servitudes),
    ]
    if facts.remarks:
        rows.append(("ملاحظات", facts.remarks))
    pdf.fields(rows)
    pdf.ln(2)
    pdf.paragraph(DISCLAIMER, size=9)
    return pdf.pdf_bytes()
