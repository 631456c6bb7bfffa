"""Bounds on what a request may carry, checked before it is parsed: JSON nesting and list sizes, no
NaN or infinity among its numbers, and no NUL character in any text.

Body size is Flask's MAX_CONTENT_LENGTH (413); field lengths are in each schema. A deeply nested body
would otherwise reach Python's recursion limit in the JSON parser (a 500); it is refused here first.
"""

import json
import math
import re

from flask import request

from appeals.messages import MESSAGES
from engine import InvalidData

MAX_DEPTH = 32
MAX_ITEMS = 1000


def check_json_body() -> None:
    if not request.is_json or not request.content_length:
        return
    depth, items = _shape(request.get_data(cache=True))
    if depth > MAX_DEPTH:
        raise InvalidData(MESSAGES.text("body_too_deep", levels=MAX_DEPTH), fields={"body": f"nested {depth} levels"})
    if items > MAX_ITEMS:
        raise InvalidData(MESSAGES.text("list_too_long", items=MAX_ITEMS), fields={"body": f"{items} items"})
    where = _non_finite_in(request.get_data(cache=True))
    if where is not None:
        raise InvalidData(MESSAGES.text("not_a_finite_number", field=where), fields={where: "NaN or an infinity"})


#: What Python's JSON parser reads as NaN or an infinity (`1e999` too); JSON itself has neither.
_NON_FINITE = re.compile(rb"NaN|Infinity|[eE]\+?\d{3}")


def _non_finite_in(raw: bytes) -> str | None:
    """The first field of a JSON body that holds NaN or an infinity, which process data cannot hold (its
    JSON would not be JSON); the body is parsed only when its text shows one may be there."""
    if not _NON_FINITE.search(raw):
        return None
    try:
        return _found_in(json.loads(raw), "", lambda v: isinstance(v, float) and not math.isfinite(v))
    except ValueError:
        return None  # malformed: the body's parser refuses it with a 400


def _shape(raw: bytes) -> tuple[int, int]:
    """(deepest nesting, longest list) of a JSON text, without parsing it (strings are skipped)."""
    depth = deepest = longest = 0
    counts: list[int] = []
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
            continue
        if byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            deepest = max(deepest, depth)
            counts.append(1 if byte == 0x5B else 0)
        elif byte in (0x5D, 0x7D) and counts:  # ] }
            longest = max(longest, counts.pop())
            depth -= 1
        elif byte == 0x2C and counts and counts[-1]:  # a comma inside a list
            counts[-1] += 1
    return deepest, longest


NUL = "\x00"
FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")


def check_text() -> None:
    """Refuse a NUL character (U+0000) anywhere in the path, the query, a form or a JSON body.

    PostgreSQL cannot hold it in a text column, so such text would fail at the database as a 500 after
    the work was done, instead of here as a 422 naming the field (found by the API fuzz test).
    """
    where = _nul_in_request()
    if where is not None:
        raise InvalidData(MESSAGES.text("nul_character", field=where), fields={where: "contains U+0000"})


def _nul_in_request() -> str | None:
    """The name of the first field that holds a NUL character, or None."""
    if NUL in request.path:
        return "path"
    parts = [("query", request.args.items(multi=True))]
    if request.mimetype in FORMS:  # asking any other request for its form costs a parser's set-up
        uploads = ((name, upload.filename) for name, upload in request.files.items(multi=True))
        parts += [("form", request.form.items(multi=True)), ("files", uploads)]
    for part, pairs in parts:
        for name, text in pairs:
            if NUL in (name or ""):  # a multipart part may even come without a name
                return part
            if NUL in (text or ""):
                return name or part
    raw = request.get_data(cache=True) if request.is_json else b""
    if b"\\u0000" not in raw:  # JSON writes NUL only as this escape
        return None
    try:
        return _found_in(json.loads(raw), "", lambda v: isinstance(v, str) and NUL in v)
    except ValueError:
        return None  # malformed: the body's parser refuses it with a 400


def _found_in(value, where: str, bad) -> str | None:
    """The path of the first value or key in `value` for which `bad` holds, or None."""
    if bad(value):
        return where or "body"
    if isinstance(value, dict):
        pairs = value.items()
    elif isinstance(value, list):
        pairs = enumerate(value)
    else:
        return None
    for key, inner in pairs:
        place = f"{where}.{key}" if where else str(key)
        if bad(str(key)):
            return where or "body"
        found = _found_in(inner, place, bad)
        if found is not None:
            return found
    return None
