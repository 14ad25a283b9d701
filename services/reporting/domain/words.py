"""The report's own words, in Arabic and French (the Directorate's language is a setting):
titles, headings and measures. Codes (outcomes, finance steps) are named by
shared/vocabulary.toml, kinds by the catalogue, as the emails and the pages name them."""

from __future__ import annotations

from shared.catalogue import Catalogue

LANGUAGES = ("ar", "fr")

WORDS: dict[str, dict[str, str]] = {
    "title": {"fr": "Rapport journalier des services rendus", "ar": "التقرير اليومي للخدمات المقدمة"},
    "to": {"fr": "À l'attention de la Direction de l'Urbanisme", "ar": "إلى مديرية التعمير"},
    "day": {"fr": "Journée du {date} (de {start} à {end}, heure du Maroc)",
            "ar": "يوم {date} (من {start} إلى {end}، بتوقيت المغرب)"},
    "kinds": {"fr": "Demandes par nature", "ar": "الطلبات حسب النوع"},
    "processing": {"fr": "Délais de traitement", "ar": "آجال المعالجة"},
    "outcomes": {"fr": "Décisions par issue", "ar": "القرارات حسب النتيجة"},
    "activity": {"fr": "Commissions, factures et courriels", "ar": "اللجان والفواتير والرسائل الإلكترونية"},
    "trend": {"fr": "Reçues et traitées, 30 derniers jours", "ar": "المتوصل بها والمبتوت فيها خلال 30 يوما"},
    "corrections": {"fr": "Corrections des jours précédents", "ar": "تصحيحات الأيام السابقة"},
    "no_corrections": {"fr": "Aucun événement tardif.", "ar": "لا توجد أحداث متأخرة."},
    "kind": {"fr": "Nature", "ar": "النوع"},
    "received": {"fr": "Reçues", "ar": "المتوصل بها"},
    "decided": {"fr": "Décidées", "ar": "المبتوت فيها"},
    "withdrawn": {"fr": "Retirées", "ar": "المسحوبة"},
    "pending": {"fr": "En cours", "ar": "قيد المعالجة"},
    "overdue": {"fr": "dont en retard", "ar": "منها متأخرة"},
    "on_time_share": {"fr": "Dans le délai légal", "ar": "داخل الأجل القانوني"},
    "median_days": {"fr": "Médiane (jours ouvrables)", "ar": "الوسيط (أيام عمل)"},
    "p90_days": {"fr": "90e centile (jours ouvrables)", "ar": "المئين 90 (أيام عمل)"},
    "decided_with_time": {"fr": "Décisions mesurées", "ar": "القرارات المقيسة"},
    "outcome": {"fr": "Issue", "ar": "النتيجة"},
    "count": {"fr": "Nombre", "ar": "العدد"},
    "measure": {"fr": "Indicateur", "ar": "المؤشر"},
    "date": {"fr": "Date", "ar": "التاريخ"},
    "opinions_published": {"fr": "Avis de commission publiés", "ar": "آراء اللجان المنشورة"},
    "emails_sent": {"fr": "Courriels envoyés", "ar": "الرسائل المرسلة"},
    "emails_failed": {"fr": "Courriels en échec", "ar": "الرسائل غير المرسلة"},
    "deadlines_approaching": {"fr": "Alertes : délai proche", "ar": "تنبيهات: اقتراب الأجل"},
    "deadlines_breached": {"fr": "Alertes : délai dépassé", "ar": "تنبيهات: تجاوز الأجل"},
    "total": {"fr": "Total", "ar": "المجموع"},
    "other": {"fr": "Autres (hors dossiers)", "ar": "أخرى (خارج الملفات)"},
    "none": {"fr": "—", "ar": "—"},
    "no_decisions": {"fr": "Aucune décision ce jour.", "ar": "لم يتخذ أي قرار في هذا اليوم."},
    "privacy": {"fr": "Ce rapport ne contient aucune donnée personnelle.",
                "ar": "لا يتضمن هذا التقرير أي معطيات شخصية."},
}


def word(name: str, language: str) -> str:
    return WORDS[name][language]


def kind_label(catalogue: Catalogue, kind: str, language: str) -> str:
    """A kind from the catalogue, or the report's own rows "other" and "total"."""
    if kind in ("other", "total"):
        return word(kind, language)
    return catalogue.kind_name(kind, language)
