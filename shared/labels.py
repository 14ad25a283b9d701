"""Words the emails and PDFs use, per language. Kinds of filing and document types come from
the catalogue the caller passes (shared/catalogue.toml by default); outcomes, steps and
deadlines are named here."""

from __future__ import annotations

from shared.catalogue import Catalogue

OUTCOME_LABELS: dict[str, dict[str, str]] = {
    "approved": {"fr": "Favorable", "ar": "الموافقة"},
    "approved_with_conditions": {"fr": "Favorable sous conditions", "ar": "الموافقة مع شروط"},
    "rejected": {"fr": "Défavorable", "ar": "الرفض"},
    "note_issued": {"fr": "Note délivrée", "ar": "تسليم المذكرة"},
    "answered": {"fr": "Réponse apportée", "ar": "تقديم الجواب"},
    "observations_issued": {"fr": "Observations préliminaires émises", "ar": "إصدار الملاحظات الأولية"},
    "verified": {"fr": "Facture vérifiée", "ar": "التحقق من الفاتورة"},
    "approved_for_payment": {"fr": "Facture approuvée pour paiement", "ar": "الموافقة على أداء الفاتورة"},
    "paid": {"fr": "Facture payée", "ar": "أداء الفاتورة"},
}

DEADLINE_LABELS: dict[str, dict[str, str]] = {
    "decision": {"fr": "Décision", "ar": "البت في الطلب"},
    "to_committee": {"fr": "Transmission à la commission", "ar": "الإحالة على اللجنة"},
}

STATUS_LABELS: dict[str, dict[str, str]] = {
    "received": {"fr": "reçue", "ar": "متوصل به"},
    "queued": {"fr": "en attente d'un instructeur", "ar": "في انتظار الدراسة"},
    "in_review": {"fr": "en cours d'instruction", "ar": "قيد الدراسة"},
    "awaiting_applicant": {"fr": "en attente du demandeur", "ar": "في انتظار جواب صاحب الطلب"},
    "in_committee": {"fr": "en commission", "ar": "معروض على اللجنة"},
    "decided": {"fr": "décidée", "ar": "تم البت فيه"},
    "closed": {"fr": "close", "ar": "مغلق"},
    "withdrawn": {"fr": "retirée", "ar": "مسحوب"},
}

UNTYPED_DOCUMENT = {"fr": "Autre pièce", "ar": "وثيقة أخرى"}


def _humane(code: str) -> str:
    return code.replace("_", " ")


def kind_label(catalogue: Catalogue, kind: str, language: str) -> str:
    """The kind in the given language, from the catalogue; an unknown kind is shown as it is."""
    try:
        return catalogue.kind(kind).label(language)
    except KeyError:
        return _humane(kind)


def document_label(catalogue: Catalogue, document_type: str | None, language: str) -> str:
    if document_type is None:
        return UNTYPED_DOCUMENT[language]
    labels = catalogue.documents.get(document_type)
    if labels is None:
        return _humane(document_type)
    return labels.ar if language == "ar" else labels.fr


def outcome_label(outcome: str, language: str) -> str:
    return OUTCOME_LABELS.get(outcome, {}).get(language, _humane(outcome))


def status_label(status: str, language: str) -> str:
    return STATUS_LABELS.get(status, {}).get(language, _humane(status))


def deadline_label(name: str, language: str) -> str:
    return DEADLINE_LABELS.get(name, {}).get(language, _humane(name))


def days_label(days: int, unit: str, language: str) -> str:
    """``10 jours ouvrables`` / ``10 أيام عمل``, ``25 jours`` / ``25 يوما``."""
    working = unit == "working_days"
    if language == "fr":
        return f"{days} jour{'s' if days > 1 else ''}{' ouvrable' + ('s' if days > 1 else '') if working else ''}"
    # Arabic counted nouns: 3-10 take the plural, 11 and more the singular.
    if days == 1:
        return "يوم عمل واحد" if working else "يوم واحد"
    if days == 2:
        return "يوما عمل" if working else "يومان"
    if days <= 10:
        return f"{days} أيام عمل" if working else f"{days} أيام"
    return f"{days} يوم عمل" if working else f"{days} يوما"
