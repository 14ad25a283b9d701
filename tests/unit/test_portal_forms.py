"""Filing forms generated from the catalogue: fields and browser constraints, posted values to
a filing, the server-side check, intake's errors mapped back to fields."""

import re

from services.intake.domain.catalogue import catalogue_view
from services.intake.domain.filings import FILING
from services.portal.adapters.intake_models import CatalogueEntry
from services.portal.api.drafts import form_values
from services.portal.domain.forms import browser_pattern, check, intake_errors, kind_form, to_filing
from shared.catalogue import default_catalogue
from tests.files import filing

# Each kind as the portal's intake client reads intake's catalogue answer.
FORMS = {entry["kind"]: kind_form(CatalogueEntry.model_validate(entry)) for entry in catalogue_view(default_catalogue())}


def values_of(payload: dict) -> dict[str, str]:
    return form_values(payload)


def test_each_kind_gets_its_fields_documents_and_the_applicant():
    permit = FORMS["building_permit"]
    assert [f.name for f in permit.fields][:2] == ["project_size", "architect_registration"]
    assert {f.name: f.widget for f in permit.fields}["built_area_m2"] == "number"
    assert {f.name: f.widget for f in permit.fields}["project_size"] == "select"
    assert [d["code"] for d in permit.documents if d["required"]] == [
        "architectural_plans", "situation_plan", "property_proof", "architect_contract"]
    owner = {f.name: f for f in FORMS["information_note"].applicant_fields}
    assert owner["applicant.cin"].required and not {f.name: f for f in FORMS["complaint"].applicant_fields}[
        "applicant.cin"].required
    assert "applicant.language" not in owner  # the page's language is the applicant's
    message = {f.name: f for f in FORMS["complaint"].fields}["message"]
    assert message.widget == "textarea" and message.attributes()["minlength"] == 10


def test_a_valid_filing_of_every_kind_passes_the_portal_and_intake_alike():
    for kind, form in FORMS.items():
        posted = values_of(filing(kind))
        built = to_filing(form, posted, "ar")
        assert check(form, built) == {}, kind
        FILING.validate_python(built)  # intake's own model takes what the portal builds
        assert built["applicant"]["language"] == "ar"


def test_the_server_names_each_wrong_field():
    form = FORMS["building_permit"]
    posted = {**values_of(filing("building_permit")), "floors": "two", "built_area_m2": "-3",
              "applicant.email": "nobody", "commune": ""}
    errors = check(form, to_filing(form, posted, "fr"))
    assert errors == {"floors": "number", "built_area_m2": "number", "applicant.email": "format",
                      "commune": "required"}


def test_patterns_work_in_the_browser_v_mode():
    phone = browser_pattern(r"^\+?[0-9][0-9 .-]{7,18}[0-9]$")
    assert phone == r"\+?[0-9][0-9 .\-]{7,18}[0-9]"
    assert re.fullmatch(phone, "+212 600 000 000")


def test_intake_errors_come_back_to_the_form_fields():
    errors = [{"field": "body.supplier_invoice.ice", "code": "value_error"},
              {"field": "body.supplier_invoice.applicant.email", "code": "value_error"},
              {"field": "invoice", "code": "missing_document"}]
    assert intake_errors("supplier_invoice", errors) == {"ice": "format", "applicant.email": "format",
                                                         "invoice": "missing_document"}


def test_a_complaint_says_where_one_input_per_part_of_the_place():
    complaint = FORMS["complaint"]
    names = [f.name for f in complaint.fields]
    assert names[-3:] == ["location.lat", "location.long", "location.address_string"]
    assert "media_urls" not in names  # links to photos are for apps (Open311), not the form
    assert {f.name: f.widget for f in complaint.fields}["location.lat"] == "number"
    posted = {**values_of(filing("complaint")), "location.address_string": "Rue 4, Hay Amal",
              "location.lat": "32.94", "location.long": "-5.66", "topic": "building_site"}
    built = to_filing(complaint, posted, "fr")
    assert built["location"] == {"lat": 32.94, "long": -5.66, "address_string": "Rue 4, Hay Amal"}
    assert check(complaint, built) == {}
    FILING.validate_python(built)
    assert check(complaint, to_filing(complaint, {**posted, "location.lat": "95"}, "fr")) == {"location.lat": "number"}
