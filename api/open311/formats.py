"""GeoReport v2's two formats: JSON, and XML mapped from the same data by the Spark convention (a list is
an element named in the plural holding one element per item, named in the singular).

Both are UTF-8 with the content types the spec names; XML starts with its declaration and has no namespace.
"""

import json
from datetime import datetime
from xml.etree import ElementTree

from flask import Response

CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
#: The plural -> singular element names of the spec's documents.
ITEMS = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}


def render(data, fmt: str, *, root: str, status: int = 200) -> Response:
    """`data` as a response in `fmt`; `root` names the XML document element (e.g. "services")."""
    if fmt == "xml":
        body = '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(_element(root, data), "unicode")
    else:
        body = json.dumps(data, ensure_ascii=False, default=_scalar)
    return Response(body, status=status, content_type=CONTENT_TYPES[fmt])


def errors(problems: list[tuple[int, str]], fmt: str, status: int) -> Response:
    """The spec's error document: a list of {code, description}."""
    return render([{"code": code, "description": text} for code, text in problems], fmt, root="errors", status=status)


def _element(name: str, value) -> ElementTree.Element:
    element = ElementTree.Element(name)
    if isinstance(value, dict):
        element.extend(_element(key, inner) for key, inner in value.items())
    elif isinstance(value, list):
        element.extend(_element(ITEMS.get(name, "item"), inner) for inner in value)
    elif value is not None:
        element.text = _scalar(value)
    return element


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)
