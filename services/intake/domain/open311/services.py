"""What Open311 clients may report: the complaint subtypes as service codes, each with the
same attributes (an optional subject, a topic from a closed list, and a notice of what is
made public), named in French or Arabic."""

from __future__ import annotations

from typing import Any, get_args

from services.intake.domain.catalogue import EXTRA_DOCUMENTS
from services.intake.domain.errors import ServiceNotFound
from services.intake.domain.filings import ComplaintFiling
from shared.catalogue import Catalogue

LANGUAGES = ("fr", "ar")
DEFAULT_LANGUAGE = "fr"
# Sortable: when the service list or a definition last changed (clients refresh their cache).
CHANGESET = "2026-11-29T00:00:00Z"
COMPLAINT = "complaint"  # the catalogue kind Open311 reaches; no other kind is visible here

SERVICE_CODES: tuple[str, ...] = get_args(ComplaintFiling.model_fields["subtype"].annotation)
TOPICS: tuple[str, ...] = get_args(get_args(ComplaintFiling.model_fields["topic"].annotation)[0])

Labels = dict[str, str]
SERVICE_NAMES: dict[str, Labels] = {
    "complaint": {"fr": "Réclamation", "ar": "شكاية"},
    "observation": {"fr": "Observation", "ar": "ملاحظة"},
    "suggestion": {"fr": "Suggestion", "ar": "اقتراح"},
}
SERVICE_DESCRIPTIONS: dict[str, Labels] = {
    "complaint": {"fr": "Un chantier gênant ou dangereux, un panneau d'autorisation absent, une construction sans "
                        "autorisation : l'agence examine et vous répond par email.",
                  "ar": "ورش مزعج أو خطير، غياب لوحة الرخصة، بناء بدون ترخيص: تدرس الوكالة شكايتكم وتجيبكم عبر البريد "
                        "الإلكتروني."},
    "observation": {"fr": "Une observation sur l'urbanisme d'un lieu, à l'attention de l'agence.",
                    "ar": "ملاحظة حول التعمير في مكان ما، موجهة إلى الوكالة."},
    "suggestion": {"fr": "Une suggestion pour l'aménagement d'un lieu ou pour les services de l'agence.",
                   "ar": "اقتراح لتهيئة مكان ما أو لتحسين خدمات الوكالة."},
}
KEYWORDS: Labels = {"fr": "chantier, panneau, autorisation, construction illégale, urbanisme",
                    "ar": "ورش, لوحة, رخصة, بناء عشوائي, تعمير"}
TOPIC_NAMES: dict[str, Labels] = {
    "building_site": {"fr": "Chantier (nuisances, sécurité)", "ar": "ورش بناء (إزعاج، سلامة)"},
    "missing_permit_sign": {"fr": "Panneau d'autorisation absent", "ar": "غياب لوحة رخصة البناء"},
    "illegal_construction": {"fr": "Construction sans autorisation", "ar": "بناء بدون ترخيص"},
    "other": {"fr": "Autre", "ar": "أخرى"},
}
ATTRIBUTE_TEXTS: dict[str, Labels] = {
    "subject": {"fr": "Objet, en quelques mots (à défaut : la première ligne de la description)",
                "ar": "الموضوع في كلمات قليلة (وإلا فالسطر الأول من الوصف)"},
    "subject_type": {"fr": "Une ligne, 3 à 200 caractères", "ar": "سطر واحد، من 3 إلى 200 حرف"},
    "topic": {"fr": "De quoi s'agit-il ?", "ar": "ما موضوع الشكاية؟"},
    "privacy": {"fr": "Public : le lieu, le thème choisi dans la liste, le type et l'état du signalement. Jamais "
                      "publics : votre nom, email, téléphone, objet et description.",
                "ar": "علني: المكان والموضوع المختار من القائمة ونوع البلاغ وحالته. غير علني أبدا: اسمكم وبريدكم "
                      "الإلكتروني وهاتفكم والموضوع المكتوب والوصف."},
}
STATUS_NOTES: dict[str, Labels] = {
    "received": {"fr": "Reçue ; accusé de réception envoyé", "ar": "تم التوصل بها وإرسال الإشعار بالتوصل"},
    "queued": {"fr": "En attente d'examen", "ar": "في انتظار الدراسة"},
    "in_review": {"fr": "En cours d'examen", "ar": "قيد الدراسة"},
    "awaiting_applicant": {"fr": "En attente d'une réponse du déclarant", "ar": "في انتظار جواب صاحب الشكاية"},
    "in_committee": {"fr": "Examinée en commission", "ar": "قيد الدراسة من طرف اللجنة"},
    "decided": {"fr": "Réponse rédigée, en cours d'envoi", "ar": "تم إعداد الجواب وهو في طور الإرسال"},
    "closed": {"fr": "Répondue par email", "ar": "تم الجواب عبر البريد الإلكتروني"},
    "withdrawn": {"fr": "Retirée par le déclarant", "ar": "سحبها صاحب الشكاية"},
}


def language_of(requested: str | None, accept_language: str | None = None) -> str:
    """``locale`` (fr, ar, fr_MA, ar-MA…) if given, else the first supported Accept-Language, else French."""
    candidates = [requested] if requested else [part.split(";")[0] for part in (accept_language or "").split(",")]
    for candidate in candidates:
        language = candidate.strip().lower()[:2]
        if language in LANGUAGES:
            return language
    return DEFAULT_LANGUAGE


def service_list(catalogue: Catalogue, language: str) -> list[dict[str, Any]]:
    group = catalogue.kind(COMPLAINT).label(language)
    return [{"service_code": code, "service_name": SERVICE_NAMES[code][language],
             "description": SERVICE_DESCRIPTIONS[code][language], "metadata": True, "type": "realtime",
             "keywords": KEYWORDS[language], "group": group} for code in SERVICE_CODES]


def service_definition(code: str, language: str) -> dict[str, Any]:
    if code not in SERVICE_CODES:
        raise ServiceNotFound(code, SERVICE_CODES)
    texts = {name: labels[language] for name, labels in ATTRIBUTE_TEXTS.items()}
    return {"service_code": code, "attributes": [
        {"variable": True, "code": "subject", "datatype": "string", "required": False,
         "datatype_description": texts["subject_type"], "order": 1, "description": texts["subject"]},
        {"variable": True, "code": "topic", "datatype": "singlevaluelist", "required": False,
         "datatype_description": None, "order": 2, "description": texts["topic"],
         "values": [{"key": topic, "name": TOPIC_NAMES[topic][language]} for topic in TOPICS]},
        # Not asked: shown to the person reporting, before they send.
        {"variable": False, "code": "privacy", "datatype": "text", "required": False,
         "datatype_description": None, "order": 3, "description": texts["privacy"]},
    ]}


def status_note(status: str, language: str) -> str:
    return STATUS_NOTES[status][language]


def evidence_type(catalogue: Catalogue) -> str:
    """The document type an Open311 report's media are kept under: the complaint's evidence, if
    the catalogue has it, else an untyped extra."""
    return "evidence" if "evidence" in catalogue.kind(COMPLAINT).optional_documents else EXTRA_DOCUMENTS
