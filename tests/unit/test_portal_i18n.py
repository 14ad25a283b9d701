"""Every string the portal shows is in both message catalogues (Arabic and French); every form
field and choice the catalogue of services names has a label to translate; and every code the
catalogue, the lifecycle and the events can produce has its words in shared/vocabulary.toml."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from services.intake import consumers as intake_consumers
from services.intake.domain.catalogue import catalogue_view
from services.intake.domain.public_status import HIDDEN_STEPS, step_of
from services.notifier.domain.deliveries import DeliveryStatus
from services.notifier.domain.documents import REASONS, DocumentName, DocumentState, Verdict
from services.portal.adapters.intake_models import CatalogueEntry
from services.portal.api.i18n import LANGUAGES, day, load_translations, ltr
from services.portal.domain import labels
from services.portal.domain.forms import kind_form
from services.review.domain.committee import Opinion
from services.review.domain.finance import Step
from shared.catalogue import default_catalogue
from shared.lifecycle import Action, Status
from shared.policy import ROLES
from shared.vocabulary import VOCABULARY, Family

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


def test_the_catalogues_hold_only_the_portals_own_sentences():
    """A code's words live in shared/vocabulary.toml: a msgid no page uses (as the status and
    outcome names the catalogues held) is not kept beside them."""
    messages = source_messages()
    for language in LANGUAGES:
        with (PORTAL / "i18n" / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
            unused = sorted(m.id for m in read_po(po) if m.id and m.id not in messages)
        assert not unused, f"{language}: {len(unused)} msgids no page uses, first: {unused[:5]}"


def test_the_catalogues_compile_and_translate():
    translations = load_translations()
    assert translations["ar"].gettext("Follow a filing") == "تتبع طلب"
    assert translations["fr"].gettext("Follow a filing") == "Suivre un dossier"


def test_every_field_and_choice_of_the_catalogue_of_services_has_a_label():
    for entry in catalogue_view(default_catalogue()):
        form = kind_form(CatalogueEntry.model_validate(entry))
        for field in form.all_fields():
            assert field.code in labels.FIELDS, f"{entry['kind']}.{field.name} has no label"
            assert field.group is None or field.group in labels.FIELDS, f"{entry['kind']}.{field.group}"
            for choice in field.choices:
                assert choice in labels.CHOICES, f"{entry['kind']}.{field.name}: {choice} has no label"
        assert entry["filed_by"] in labels.FILED_BY, entry["filed_by"]


# What review writes in a task's history besides the lifecycle's actions.
HISTORY_ACTIONS = {"assign", "record_opinion", "publish_opinion", "download_document", "applicant_message"}
# The public timeline's steps intake writes itself (the others are named after review's events).
INTAKE_STEPS = {"received", "resubmitted", "withdrawn", "contested", "email_sent", "email_failed", "closed"}
REVIEW_STEPS = {step_of(event_type) for subscription in intake_consumers.SUBSCRIPTIONS
                for event_type in subscription.handlers if not event_type.startswith(("notification.", "document."))}


def test_every_code_the_services_produce_has_its_words_in_the_vocabulary():
    catalogue = default_catalogue()
    VOCABULARY.check_against(catalogue)  # outcomes, deadline names and units of every kind
    produced = {
        Family.STATUSES: set(Status),
        Family.OUTCOMES: {outcome for kind in catalogue.kinds.values() for outcome in kind.outcomes},
        Family.OPINIONS: set(Opinion),
        Family.FINANCE_STEPS: set(Step),
        Family.FINANCE_STAGES: {"to_verify", "to_approve", "to_pay", "paid"},
        Family.TIMELINE_STEPS: INTAKE_STEPS | REVIEW_STEPS - HIDDEN_STEPS,
        Family.TASK_ACTIONS: set(Action) | HISTORY_ACTIONS,
        Family.DEADLINES: {rule.name for kind in catalogue.kinds.values() for rule in kind.deadlines},
        Family.DEADLINE_STATES: {"on_time", "approaching", "overdue", "paused", "met"},
        Family.ROLES: set(ROLES),
        Family.DELIVERY_STATES: set(DeliveryStatus),
        Family.DOCUMENT_KINDS: set(DocumentName),
        Family.DOCUMENT_STATES: set(DocumentState),
        Family.VERIFICATION_VERDICTS: set(Verdict),
        Family.VERIFICATION_REASONS: set(REASONS),
    }
    assert set(produced) == set(Family)
    for family, codes in produced.items():
        assert not codes - VOCABULARY.codes(family), f"{family} lacks {sorted(codes - VOCABULARY.codes(family))}"
    assert {"queued", "claimed", "decided", "opinion_published"} <= REVIEW_STEPS  # the events were found


def test_numbers_and_dates_keep_their_order_inside_arabic_text():
    assert str(ltr("AU-2026-ABCDE-12345")) == '<bdi dir="ltr">AU-2026-ABCDE-12345</bdi>'
    assert str(day("2026-11-29T23:30:00+00:00")) == '<bdi dir="ltr">30/11/2026</bdi>'  # Casablanca is UTC+1
    assert str(day("2026-11-29 10:00:00.5+00:00")) == '<bdi dir="ltr">29/11/2026</bdi>'
    assert str(day("2026-12-03")) == '<bdi dir="ltr">03/12/2026</bdi>'
    assert str(ltr("<script>")) == '<bdi dir="ltr">&lt;script&gt;</bdi>'
