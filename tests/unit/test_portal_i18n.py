"""Every string the portal shows is in both message catalogues (Arabic and French), and every
code the catalogue of services names has a label to translate."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from services.intake.domain.catalogue import catalogue_view
from services.portal.api.i18n import LANGUAGES, day, load_translations, ltr
from services.portal.domain import labels
from services.portal.domain.forms import kind_form
from shared.catalogue import default_catalogue
from shared.lifecycle import Status

PORTAL = Path(__file__).resolve().parents[2] / "services" / "portal"
KEYWORDS = {"_": None, "gettext": None, "N_": None}


def source_messages() -> set[str]:
    """Every msgid in the portal's Python and templates, as `pybabel extract` finds them."""
    method_map = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
    options = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true",
                                        "lstrip_blocks": "true"}}
    found = extract_from_dir(str(PORTAL), method_map, options, keywords=KEYWORDS)
    return {message if isinstance(message, str) else message[0] for _, _, message, _, _ in found}


def test_every_message_is_translated_in_arabic_and_french():
    messages = source_messages()
    assert len(messages) > 150  # the extraction did find the templates
    for language in LANGUAGES:
        with (PORTAL / "i18n" / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
            catalogue = read_po(po)
        translated = {m.id for m in catalogue if m.id and m.string and not m.fuzzy}
        missing = sorted(messages - translated)
        assert not missing, f"{language}: {len(missing)} untranslated, first: {missing[:5]}"


def test_the_catalogues_compile_and_translate():
    translations = load_translations()
    assert translations["ar"].gettext("Follow a filing") == "تتبع طلب"
    assert translations["fr"].gettext("Follow a filing") == "Suivre un dossier"


def test_every_code_of_the_catalogue_of_services_has_a_label():
    for entry in catalogue_view(default_catalogue()):
        form = kind_form(entry)
        for field in form.all_fields():
            assert field.code in labels.FIELDS, f"{entry['kind']}.{field.name} has no label"
            for choice in field.choices:
                assert choice in labels.CHOICES, f"{entry['kind']}.{field.name}: {choice} has no label"
        assert entry["filed_by"] in labels.FILED_BY, entry["filed_by"]
        for rule in entry["deadlines"]:
            assert rule["name"] in labels.DEADLINES and rule["unit"] in labels.UNITS, rule
        for outcome in entry["outcomes"]:
            assert outcome in labels.OUTCOMES, outcome
    assert set(Status) <= set(labels.STATUSES)


def test_numbers_and_dates_keep_their_order_inside_arabic_text():
    assert str(ltr("AU-2026-ABCDE-12345")) == '<bdi dir="ltr">AU-2026-ABCDE-12345</bdi>'
    assert str(day("2026-11-29T23:30:00+00:00")) == '<bdi dir="ltr">30/11/2026</bdi>'  # Casablanca is UTC+1
    assert str(day("2026-11-29 10:00:00.5+00:00")) == '<bdi dir="ltr">29/11/2026</bdi>'
    assert str(day("2026-12-03")) == '<bdi dir="ltr">03/12/2026</bdi>'
    assert str(ltr("<script>")) == '<bdi dir="ltr">&lt;script&gt;</bdi>'
