"""The receipt (récépissé) of a filing, in the applicant's language (law 55.19: a receipt for
every filing)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from shared.calendar import AGENCY_TZ, WorkingCalendar
from shared.catalogue import Catalogue
from shared.deadlines import LegalDeadline, legal_deadlines
from shared.pdf.layout import AgencyDocument, AgencyNames
from shared.pdf.qr import Verification
from shared.pdf.typefaces import one_at_a_time
from shared.vocabulary import Family, days, name

WORDS = {
    "fr": {
        "title": "Récépissé de dépôt",
        "tracking_number": "Numéro de suivi",
        "kind": "Nature de la demande",
        "applicant": "Déposée par",
        "received": "Reçue le",
        "received_at": "{date} à {time} (heure du Maroc)",
        "documents": "Pièces déposées ({count})",
        "headings": ("N°", "Type de pièce", "Fichier", "Taille"),
        "no_documents": "Aucune pièce n'a été jointe à la demande.",
        "size": "{kb} Ko",
        "deadlines": "Délai légal de traitement",
        "deadline": "{label} : {duration}, soit au plus tard le {due}.",
        "no_deadline": "Délai maximal de traitement : 60 jours (loi n° 55-19).",
        "pause": "Le délai est suspendu tant que l'Agence attend vos compléments ou votre réponse, et reprend à "
                 "leur réception. Les jours ouvrables excluent les samedis, dimanches et jours fériés.",
        "law": "Le présent récépissé est délivré en application de la loi n° 55-19 relative à la simplification "
               "des procédures et formalités administratives, qui prévoit la remise d'un récépissé pour "
               "tout dépôt de demande.",
        "keep": "Conservez ce numéro de suivi et le code d'accès remis lors du dépôt pour suivre votre dossier.",
    },
    "ar": {
        "title": "وصل الإيداع",
        "tracking_number": "رقم التتبع",
        "kind": "نوع الطلب",
        "applicant": "مقدم الطلب",
        "received": "تاريخ الإيداع",
        "received_at": "{date} على الساعة {time} (توقيت المغرب)",
        "documents": "الوثائق المودعة ({count})",
        "headings": ("رقم", "نوع الوثيقة", "الملف", "الحجم"),
        "no_documents": "لم يرفق الطلب بأي وثيقة.",
        "size": "{kb} كيلوبايت",
        "deadlines": "الأجل القانوني للمعالجة",
        "deadline": "{label}: {duration}، أي في أجل أقصاه {due}.",
        "no_deadline": "الأجل الأقصى للمعالجة: 60 يوما (القانون رقم 55.19).",
        "pause": "يتوقف احتساب الأجل طيلة انتظار الوكالة لتكميلاتكم أو جوابكم، ويستأنف عند التوصل بها. "
                 "لا تحتسب ضمن أيام العمل أيام السبت والأحد وأيام العطل الرسمية.",
        "law": "يسلم هذا الوصل تطبيقا لمقتضيات القانون رقم 55.19 المتعلق بتبسيط المساطر والإجراءات الإدارية، "
               "الذي يوجب تسليم وصل عن كل إيداع لطلب.",
        "keep": "يرجى الاحتفاظ برقم التتبع وبرمز الولوج المسلم عند الإيداع لتتبع ملفكم.",
    },
}
OTHER = {"fr": "ar", "ar": "fr"}


class ReceiptDocument(BaseModel):
    name: str
    type: str | None = None
    sha256: str
    size: int


class Receipt(BaseModel):
    language: Literal["ar", "fr"]
    tracking_number: str
    kind: str
    applicant_name: str
    received_at: datetime
    documents: list[ReceiptDocument] = []
    deadlines: list[LegalDeadline] = []
    agency: AgencyNames = AgencyNames()
    verification: Verification | None = None  # the issued receipt's QR code and code

    @property
    def filename(self) -> str:
        return f"recepisse-{self.tracking_number}.pdf"


def receipt_for(*, language: str, tracking_number: str, kind: str, applicant_name: str, received_at: datetime,
                documents: list[dict], details: dict, catalogue: Catalogue, calendar: WorkingCalendar,
                agency: AgencyNames) -> Receipt:
    """The receipt of a filing as it was received: what the notifier emails and intake serves."""
    return Receipt(language=language, tracking_number=tracking_number, kind=kind, applicant_name=applicant_name,
                   received_at=received_at, agency=agency,
                   documents=[{k: d[k] for k in ("name", "type", "sha256", "size")} for d in documents],
                   deadlines=legal_deadlines(catalogue, calendar, kind, details, received_at))


@one_at_a_time
def render_receipt(receipt: Receipt, font: Path, catalogue: Catalogue) -> bytes:
    language = receipt.language
    words = WORDS[language]
    local = receipt.received_at.astimezone(AGENCY_TZ)
    pdf = AgencyDocument(font=font, language=language, title=f"{words['title']} {receipt.tracking_number}",
                         agency=receipt.agency,
                         created_at=receipt.received_at)
    pdf.title_block(words["title"], WORDS[OTHER[language]]["title"], receipt.verification)
    rows = [
        (words["tracking_number"], receipt.tracking_number),
        (words["kind"], catalogue.kind_name(receipt.kind, language)),
    ]
    if language == "fr":  # the Arabic name of the service too, as the agency's letters give it
        rows.append((WORDS["ar"]["kind"], catalogue.kind_name(receipt.kind, "ar")))
    rows += [
        (words["applicant"], receipt.applicant_name),
        (words["received"], words["received_at"].format(date=local.strftime("%d/%m/%Y"),
                                                        time=local.strftime("%H:%M"))),
    ]
    pdf.fields(rows)

    pdf.section(words["documents"].format(count=len(receipt.documents)))
    if receipt.documents:
        pdf.grid(
            words["headings"],
            [(str(n), catalogue.document_name(doc.type, language), doc.name,
              words["size"].format(kb=f"{doc.size / 1024:.1f}"))
             for n, doc in enumerate(receipt.documents, start=1)],
            widths=(0.07, 0.38, 0.37, 0.18),
            notes=[f"SHA-256: {doc.sha256}" for doc in receipt.documents],
        )
    else:
        pdf.paragraph(words["no_documents"])

    pdf.section(words["deadlines"])
    for deadline in receipt.deadlines:
        pdf.paragraph(words["deadline"].format(
            label=name(Family.DEADLINES, deadline.name, language),
            duration=days(deadline.days, deadline.unit, language),
            due=deadline.due_on.strftime("%d/%m/%Y"),
        ))
    if not receipt.deadlines:
        pdf.paragraph(words["no_deadline"])
    pdf.paragraph(words["pause"], size=8.5)

    pdf.ln(3)
    pdf.paragraph(words["law"], size=9.5)
    pdf.paragraph(words["keep"], size=9)
    return pdf.pdf_bytes()
