"""Open311 answers in XML or JSON, one content for both.

JSON follows the specification's Spark convention: the XML root's repeated children are a
JSON array (``<services><service>…`` ⇄ ``[{…}]``) and a list inside an element is a wrapper
element with one child per item (``<attributes><attribute>…``). XML is written with the
standard library's ElementTree: UTF-8, declared, no namespace, as the specification asks."""

from __future__ import annotations

import json
import re
from typing import Any
from xml.etree import ElementTree

from fastapi import Response

FORMATS = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
# Each list's element → the element of one of its items.
ITEM_OF = {"services": "service", "service_requests": "request", "attributes": "attribute", "values": "value",
           "endpoints": "endpoint", "formats": "format", "errors": "error"}
# Characters XML 1.0 cannot carry at all, even escaped.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return NOT_XML.sub("", str(value))


def _fill(element: ElementTree.Element, content: Any) -> None:
    if isinstance(content, list):
        for item in content:
            _fill(ElementTree.SubElement(element, ITEM_OF[element.tag]), item)
    elif isinstance(content, dict):
        for name, value in content.items():
            _fill(ElementTree.SubElement(element, name), value)
    elif content is not None:  # None: an empty element, as in the specification's examples
        element.text = _text(content)


def to_xml(root: str, content: Any) -> bytes:
    element = ElementTree.Element(root)
    _fill(element, content)
    return DECLARATION + ElementTree.tostring(element, encoding="unicode").encode("utf-8")


def answer(fmt: str, root: str, content: Any, status_code: int = 200) -> Response:
    """``content`` as ``fmt`` (xml or json); ``root`` names the XML root element."""
    if fmt == "json":
        body = json.dumps(content, ensure_ascii=False).encode("utf-8")
    else:
        body = to_xml(root, content)
    return Response(body, status_code=status_code, media_type=FORMATS[fmt])


def errors(fmt: str, status_code: int, descriptions: list[str]) -> Response:
    """The specification's error answer; ``code`` repeats the HTTP status, as it advises."""
    return answer(fmt, "errors", [{"code": status_code, "description": text} for text in descriptions], status_code)
