"""Words the emails use for kinds of filing (DESIGN.md §1) and decision outcomes, per language."""

from __future__ import annotations

KIND_LABELS: dict[str, dict[str, str]] = {
    "information_note": {
        "fr": "Note de renseignements urbanistiques",
        "ar": "مذكرة المعلومات التعميرية",
    },
    "complaint": {"fr": "Réclamation", "ar": "شكاية"},
    "pre_study": {"fr": "Étude préalable", "ar": "الدراسة القبلية"},
    "building_permit": {"fr": "Autorisation de construire", "ar": "رخصة البناء"},
    "subdivision_permit": {
        "fr": "Autorisation de lotir, de morceler ou de groupe d'habitations",
        "ar": "رخصة التجزيء أو التقسيم أو إحداث مجموعة سكنية",
    },
    "supplier_invoice": {"fr": "Facture de prestataire", "ar": "فاتورة مستحقات"},
}

OUTCOME_LABELS: dict[str, dict[str, str]] = {
    "approved": {"fr": "Favorable", "ar": "الموافقة"},
    "approved_with_conditions": {"fr": "Favorable sous conditions", "ar": "الموافقة مع شروط"},
    "rejected": {"fr": "Défavorable", "ar": "الرفض"},
    "note_issued": {"fr": "Note délivrée", "ar": "تسليم المذكرة"},
    "answered": {"fr": "Réponse apportée", "ar": "تقديم الجواب"},
    "verified": {"fr": "Facture vérifiée", "ar": "التحقق من الفاتورة"},
    "approved_for_payment": {"fr": "Facture approuvée pour paiement", "ar": "الموافقة على أداء الفاتورة"},
    "paid": {"fr": "Facture payée", "ar": "أداء الفاتورة"},
}


def kind_label(kind: str, language: str) -> str:
    """The kind in the applicant's language; an unknown kind is shown as it is rather than lost."""
    return KIND_LABELS.get(kind, {}).get(language, kind.replace("_", " "))


def outcome_label(outcome: str, language: str) -> str:
    return OUTCOME_LABELS.get(outcome, {}).get(language, outcome.replace("_", " "))
