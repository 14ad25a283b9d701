"""The public catalogue: each kind with its Arabic and French labels and its form fields."""

from __future__ import annotations

from services.intake.domain.filings import KINDS

LABELS = {
    "information_note": {"fr": "Note de renseignements urbanistiques", "ar": "مذكرة المعلومات التعميرية"},
    "complaint": {"fr": "Réclamation, observation ou suggestion", "ar": "شكاية أو ملاحظة أو اقتراح"},
    "pre_study": {"fr": "Étude préalable", "ar": "الدراسة القبلية"},
    "building_permit": {"fr": "Autorisation de construire", "ar": "رخصة البناء"},
    "subdivision_permit": {"fr": "Autorisation de lotir, morceler ou créer un groupe d'habitations", "ar": "رخصة التجزيء"},
    "supplier_invoice": {"fr": "Facture de prestataire", "ar": "مستحقات المقاولات ومكاتب الدراسات"},
}


def catalogue() -> list[dict]:
    entries = []
    for kind, model in KINDS.items():
        schema = model.model_json_schema()
        entries.append({
            "kind": kind,
            "labels": LABELS[kind],
            "fields": {name: prop for name, prop in schema["properties"].items() if name not in ("kind",)},
            "required": [name for name in schema.get("required", []) if name != "kind"],
            "$defs": schema.get("$defs", {}),
        })
    return entries
