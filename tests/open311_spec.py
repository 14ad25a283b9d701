"""The element names and values of Open311 GeoReport v2 XML (wiki.open311.org/GeoReport_v2 and
its Service Discovery page), written down from the specification, independently of intake's
renderer, so that an answer is checked against the specification and not against itself."""

from __future__ import annotations

import re
from xml.etree import ElementTree

# Each element that holds others → the elements it may hold. Any other element is a leaf.
CHILDREN: dict[str, set[str]] = {
    "discovery": {"changeset", "contact", "key_service", "endpoints"},
    "endpoints": {"endpoint"},
    "endpoint": {"specification", "url", "changeset", "type", "formats"},
    "formats": {"format"},
    "services": {"service"},
    "service": {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"},
    "service_definition": {"service_code", "attributes"},
    "attributes": {"attribute"},
    "attribute": {"variable", "code", "datatype", "required", "datatype_description", "order", "description",
                  "values"},
    "values": {"value"},
    "value": {"key", "name"},
    "service_requests": {"request"},
    "request": {"service_request_id", "token", "service_notice", "account_id", "status", "status_notes",
                "service_name", "service_code", "description", "agency_responsible", "requested_datetime",
                "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat", "long",
                "media_url"},
    "errors": {"error"},
    "error": {"code", "description"},
}
# What each element must hold (a request answering a POST holds only its id and notice).
REQUIRED: dict[str, set[str]] = {
    "discovery": {"changeset", "contact", "key_service", "endpoints"},
    "endpoint": {"specification", "url", "changeset", "type", "formats"},
    "service": {"service_code", "service_name", "metadata", "type"},
    "service_definition": {"service_code", "attributes"},
    "attribute": {"variable", "code", "datatype", "required", "order", "description"},
    "value": {"key", "name"},
    "request": {"service_request_id"},
    "error": {"code", "description"},
}
# (parent, element) → the values the specification allows.
VALUES: dict[tuple[str, str], set[str]] = {
    ("service", "metadata"): {"true", "false"},
    ("service", "type"): {"realtime", "batch", "blackbox"},
    ("endpoint", "type"): {"production", "test"},
    ("attribute", "variable"): {"true", "false"},
    ("attribute", "required"): {"true", "false"},
    ("attribute", "datatype"): {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"},
    ("request", "status"): {"open", "closed"},
}
W3_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")
DATETIMES = {"requested_datetime", "updated_datetime", "expected_datetime"}
DECLARATION = re.compile(rb'^<\?xml version=["\']1\.0["\'] encoding=["\']utf-8["\']\s*\?>', re.IGNORECASE)


def check_xml(body: bytes, root: str) -> ElementTree.Element:
    """Parse an answer and assert it uses the specification's elements only; return its root."""
    assert DECLARATION.match(body), f"no XML declaration with encoding UTF-8: {body[:60]!r}"
    element = ElementTree.fromstring(body)
    assert element.tag == root, f"root is <{element.tag}>, expected <{root}>"
    _check(element, parent=None)
    return element


def _check(element: ElementTree.Element, parent: str | None) -> None:
    tag = element.tag
    assert not tag.startswith("{"), f"<{tag}> has a namespace; the specification's XML has none"
    children = list(element)
    if tag not in CHILDREN:
        assert not children, f"<{tag}> under <{parent}> is a leaf in the specification"
        _check_value(parent, tag, element.text or "")
        return
    names = [child.tag for child in children]
    unknown = set(names) - CHILDREN[tag]
    assert not unknown, f"<{tag}> holds elements the specification does not name: {sorted(unknown)}"
    missing = REQUIRED.get(tag, set()) - set(names)
    assert not missing, f"<{tag}> lacks {sorted(missing)}"
    for child in children:
        _check(child, parent=tag)


def _check_value(parent: str | None, tag: str, text: str) -> None:
    allowed = VALUES.get((parent or "", tag))
    if allowed is not None:
        assert text in allowed, f"<{parent}><{tag}> is {text!r}; the specification allows {sorted(allowed)}"
    if tag in DATETIMES and text:
        assert W3_DATETIME.match(text), f"<{tag}> {text!r} is not a w3 date-time with its time zone"
