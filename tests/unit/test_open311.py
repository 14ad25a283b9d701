"""Open311 and locations, pure: a form becomes a complaint filing, GET requests' arguments become a
query, answers render to the specification's XML, and a point is inside the area or not."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from services.intake.api.open311_render import to_xml
from services.intake.domain.errors import ServiceNotFound
from services.intake.domain.location import Area, Location, outside_area_refusal
from services.intake.domain.open311.requests import attributes_of, filing_of, requests_query
from services.intake.domain.open311.services import language_of, service_definition
from shared.errors import DomainError, InvalidInput
from tests.open311_spec import check_xml

KHENIFRA = Area(-6.6, 32.4, -4.9, 33.6)
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def form(**changes: str | list[str] | None) -> dict[str, list[str]]:
    fields = {"service_code": "complaint", "lat": "32.9394", "long": "-5.6675", "email": "a@example.ma",
              "first_name": "Amina", "last_name": "Berrada",
              "description": "Panneau absent\n\nAucun panneau d'autorisation sur le chantier de la rue 12."}
    fields.update(changes)
    return {k: v if isinstance(v, list) else [v] for k, v in fields.items() if v is not None}


def test_a_form_becomes_a_complaint_with_its_place_and_the_title_as_subject():
    filing = filing_of(form(**{"attribute[topic]": "building_site"}), "ar")
    assert (filing.subtype, filing.subject, filing.topic) == ("complaint", "Panneau absent", "building_site")
    assert filing.location == Location(lat=32.9394, long=-5.6675)
    assert (filing.applicant.full_name, filing.applicant.language) == ("Amina Berrada", "ar")
    assert filing.message.startswith("Panneau absent\n\nAucun panneau")


def test_the_subject_attribute_wins_and_a_too_short_title_falls_back_to_the_service_name():
    assert filing_of(form(**{"attribute[subject]": "Chantier rue 12"}), "fr").subject == "Chantier rue 12"
    short = filing_of(form(service_code="suggestion", description="Ok\nUne suggestion sur la place Azerou."), "fr")
    assert short.subject == "Suggestion"


def test_attributes_take_single_and_multivalue_forms():
    fields = {"attribute[topic]": ["other"], "attribute[tags][]": ["a", "b"], "attribute[]": ["x"], "email": ["e"]}
    assert attributes_of(fields) == {"topic": ["other"], "tags": ["a", "b"]}


@pytest.mark.parametrize(("changes", "field"), [
    ({"service_code": None}, "service_code"),
    ({"email": None}, "email"),
    ({"lat": None, "long": None}, "lat/long or address_string"),
    ({"lat": "inf"}, "lat"),
    ({"long": None}, "lat/long or address_string"),
    ({"phone": "call me"}, "phone"),
    ({"description": "Court"}, "description"),
])
def test_a_bad_form_names_the_open311_parameter(changes, field):
    with pytest.raises(DomainError) as refused:
        filing_of(form(**changes), "fr")
    assert field in [error["field"] for error in refused.value.errors]


def test_an_unknown_service_code_is_not_found():
    with pytest.raises(ServiceNotFound):
        filing_of(form(service_code="pothole"), "fr")
    with pytest.raises(ServiceNotFound):
        service_definition("pothole", "fr")


def test_get_requests_defaults_to_the_last_90_days_and_refuses_longer_spans():
    query = requests_query(ids=None, codes=None, statuses=None, start=None, end=None, page=1, page_size=1000, now=NOW)
    assert (query.since, query.until) == (NOW - timedelta(days=90), NOW)
    start = datetime(2026, 1, 1)  # no time zone: read as UTC
    query = requests_query(ids=None, codes=["complaint,observation"], statuses=["open"], start=start, end=None,
                           page=3, page_size=10, now=NOW)
    assert (query.since, query.until) == (start.replace(tzinfo=UTC), start.replace(tzinfo=UTC) + timedelta(days=90))
    assert (query.codes, query.limit, query.offset) == (["complaint", "observation"], 10, 20)
    assert query.statuses == ["awaiting_applicant", "in_committee", "in_review", "queued", "received"]
    with pytest.raises(InvalidInput, match="90 days"):
        requests_query(ids=None, codes=None, statuses=None, start=NOW - timedelta(days=91), end=NOW, page=1,
                       page_size=10, now=NOW)
    with pytest.raises(InvalidInput, match="before start_date"):
        requests_query(ids=None, codes=None, statuses=None, start=NOW, end=NOW - timedelta(days=1), page=1,
                       page_size=10, now=NOW)


def test_service_request_ids_override_every_other_argument():
    query = requests_query(ids=["AU-2026-AAAAA-BBBBB,AU-2026-CCCCC-DDDDD"], codes=["nope"], statuses=["new"],
                           start=None, end=None, page=1, page_size=10, now=NOW)
    assert query.numbers == ["AU-2026-AAAAA-BBBBB", "AU-2026-CCCCC-DDDDD"]
    assert (query.codes, query.statuses, query.since) == (None, None, None)


@pytest.mark.parametrize(("locale", "header", "language"), [
    ("ar", None, "ar"), ("fr_MA", "ar", "fr"), (None, "en-GB, ar;q=0.8", "ar"), (None, None, "fr"), ("en", None, "fr"),
])
def test_the_language_comes_from_locale_then_accept_language(locale, header, language):
    assert language_of(locale, header) == language


def test_xml_follows_the_spark_convention_and_the_specifications_names():
    body = to_xml("service_definition", service_definition("complaint", "fr"))
    root = check_xml(body, "service_definition")
    assert [a.findtext("code") for a in root.iterfind("attributes/attribute")] == ["subject", "topic", "privacy"]
    assert root.findtext("attributes/attribute/variable") == "true"
    assert root.find("attributes/attribute/datatype_description").text  # the subject's has one
    assert root.find("attributes/attribute[3]/datatype_description").text is None  # None: an empty element


def test_characters_xml_cannot_carry_are_dropped():
    body = to_xml("errors", [{"code": 400, "description": "bad\x00 input\x1b"}])
    assert check_xml(body, "errors").findtext("error/description") == "bad input"


def test_a_location_is_a_point_an_address_or_both():
    assert Location(address_string="Rue 12, Khénifra").point is None
    for wrong in ({}, {"lat": 32.9}, {"lat": 91, "long": 0}, {"lat": float("nan"), "long": 0},
                  {"address_string": "x"}, {"address_string": "Rue\x0012"}):
        with pytest.raises(ValidationError):
            Location.model_validate(wrong)


def test_a_point_outside_the_area_is_refused_and_an_address_alone_is_not_checked():
    assert outside_area_refusal(Location(lat=32.94, long=-5.67), KHENIFRA) is None
    assert "outside the agency's area" in outside_area_refusal(Location(lat=33.57, long=-7.59), KHENIFRA)
    assert outside_area_refusal(Location(address_string="Casablanca"), KHENIFRA) is None
    assert outside_area_refusal(None, KHENIFRA) is None
    with pytest.raises(ValueError):
        Area(-4.9, 32.4, -6.6, 33.6)  # west and east swapped


HEAD = b'<?xml version="1.0" encoding="UTF-8"?>'


@pytest.mark.parametrize(("body", "root", "words"), [
    (HEAD + b"<services><service><service_code>a</service_code><name>x</name><metadata>true</metadata>"
            b"<type>realtime</type></service></services>", "services", "does not name: ['name']"),
    (HEAD + b"<service_requests><request><service_request_id>1</service_request_id><status>pending</status>"
            b"</request></service_requests>", "service_requests", "'pending'"),
    (HEAD + b"<service_requests><request><service_request_id>1</service_request_id>"
            b"<requested_datetime>2026-01-01T10:00:00</requested_datetime></request></service_requests>",
     "service_requests", "time zone"),
    (HEAD + b"<errors><error><code>400</code></error></errors>", "errors", "lacks ['description']"),
    (b"<services/>", "services", "declaration"),
])
def test_the_specification_check_refuses_what_the_specification_does_not_name(body, root, words):
    with pytest.raises(AssertionError, match=re.escape(words)):
        check_xml(body, root)
