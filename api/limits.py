"""Bounds on what a request may carry, checked before it is parsed (`check_request`): its body's size,
JSON nesting and list sizes, no NaN or infinity among its numbers, and only text a database can hold.

Body size is Flask's MAX_CONTENT_LENGTH (413), for a chunked body too; field lengths are in each schema.
A deeply nested body would otherwise reach Python's recursion limit in the JSON parser (a 500); it is
refused here first.
"""

import json
import math
import re
from urllib.parse import unquote_to_bytes

import marshmallow as ma
from flask import current_app, request

from appeals.domain.errors import TooLarge
from appeals.domain.messages import MESSAGES
from engine import InvalidData

MAX_DEPTH = 32
MAX_ITEMS = 1000


def check_request() -> None:
    """Every bound below, in the order that reads the least: the body's size before its shape."""
    check_body_size()
    check_json_body()
    check_text()


def check_body_size() -> None:
    """A body sent without a Content-Length (chunked) is read up to MAX_CONTENT_LENGTH, where werkzeug
    stops without a word: the JSON or form parser would then read a body cut short (a 400 saying it is
    malformed, or fewer fields than were sent). Reaching the limit is a 413 instead, as with a
    Content-Length above it; the body read is kept for the parsers."""
    if request.content_length is not None or not request.environ.get("wsgi.input_terminated"):
        return
    limit = request.max_content_length
    if limit is not None and len(request.get_data(cache=True)) >= limit:
        raise TooLarge(MESSAGES.text("too_large"), fields={"body": MESSAGES.text("field_bytes_or_more", size=limit)})


def check_json_body() -> None:
    if not request.is_json:
        return
    depth, items = _shape(request.get_data(cache=True))
    if depth > MAX_DEPTH:
        raise InvalidData(
            MESSAGES.text("body_too_deep", levels=MAX_DEPTH),
            fields={"body": MESSAGES.text("field_nested_levels", levels=depth)},
        )
    if items > MAX_ITEMS:
        raise InvalidData(
            MESSAGES.text("list_too_long", items=MAX_ITEMS),
            fields={"body": MESSAGES.text("field_list_items", items=items)},
        )
    where = _non_finite_in(request.get_data(cache=True))
    if where is not None:
        raise InvalidData(
            MESSAGES.text("not_a_finite_number", field=where), fields={where: MESSAGES.text("field_not_finite")}
        )


class ProcessData(ma.fields.Dict):
    """Data handed to a process (a trial's start, a message's payload, a task's form data), within
    PROCESS_DATA_MAX_KEYS keys, nested ones counted, and PROCESS_DATA_MAX_BYTES of JSON (both in config).

    Every operation serializes, hashes and stores the instance's whole state, and replays read it again:
    a trial started with 200,000 keys took 20 s, within a body of the allowed size.
    """

    def _deserialize(self, value, attr, data, **kwargs) -> dict:
        loaded = super()._deserialize(value, attr, data, **kwargs)
        most_keys, most_bytes = (
            current_app.config["PROCESS_DATA_MAX_KEYS"],
            current_app.config["PROCESS_DATA_MAX_BYTES"],
        )
        keys = _keys_in(loaded)
        if keys > most_keys:
            raise ma.ValidationError([MESSAGES.text("field_too_many_keys", most=most_keys, sent=keys)])
        size = len(json.dumps(loaded, ensure_ascii=False).encode())
        if size > most_bytes:
            raise ma.ValidationError([MESSAGES.text("field_too_many_bytes", most=most_bytes, sent=size)])
        return loaded


def _keys_in(value) -> int:
    """How many keys `value` holds, in its objects at every depth (lists' items included)."""
    if isinstance(value, dict):
        return len(value) + sum(_keys_in(inner) for inner in value.values())
    if isinstance(value, list):
        return sum(_keys_in(inner) for inner in value)
    return 0


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


FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")
#: What no database column can hold, and what is said of it (the message, the field's explanation): U+0000
#: (PostgreSQL refuses it in text), and the UTF-16 surrogates, which are no characters and have no UTF-8
#: (JSON's "\\ud800" escape makes one).
_UNSTORABLE = (
    ("nul_character", "field_nul_character", re.compile("\x00")),
    ("not_unicode", "field_unpaired_surrogate", re.compile("[\ud800-\udfff]")),
)
#: JSON writes either of them only as an escape: NUL as \\u0000, a surrogate as \\uD800 to \\uDFFF.
_UNSTORABLE_ESCAPE = re.compile(rb"\\u(0000|[dD][89a-fA-F])")


def check_text() -> None:
    """Refuse text a database cannot store anywhere in the path, the query, a form or a JSON body: the
    NUL character, an unpaired surrogate, or URL bytes that are not UTF-8.

    Such text would fail at the database as a 500 after the work was done (PostgreSQL refuses U+0000, and
    a surrogate cannot be encoded to be sent to either database), instead of here as a 422 naming the
    field (found by the API fuzz test and a red team). werkzeug reads a path's bytes that are not UTF-8 as
    U+FFFD and leaves a query's as their %-escapes, so those are looked for in the raw URL.
    """
    where = _not_utf8_in_url()
    if where is not None:
        raise InvalidData(MESSAGES.text("not_unicode", field=where), fields={where: MESSAGES.text("field_not_utf8")})
    for message, problem, pattern in _UNSTORABLE:
        where = _found_in_request(pattern)
        if where is not None:
            raise InvalidData(MESSAGES.text(message, field=where), fields={where: MESSAGES.text(problem)})


def _not_utf8_in_url() -> str | None:
    """ "path", or the name of the first query parameter, whose %-escaped bytes are not UTF-8; or None."""
    try:
        request.environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8")
    except UnicodeError:
        return "path"
    for pair in request.query_string.split(b"&"):
        name, _, value = pair.partition(b"=")
        try:
            for part in (name, value):
                unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
        except UnicodeError:
            return unquote_to_bytes(name).decode("utf-8", "replace") or "query"
    return None


def _found_in_request(pattern: re.Pattern) -> str | None:
    """The name of the first field whose text `pattern` finds something in, or None."""
    if pattern.search(request.path):
        return "path"
    parts = [("query", request.args.items(multi=True))]
    if request.mimetype in FORMS:  # asking any other request for its form costs a parser's set-up
        uploads = ((name, upload.filename) for name, upload in request.files.items(multi=True))
        parts += [("form", request.form.items(multi=True)), ("files", uploads)]
    for part, pairs in parts:
        for name, text in pairs:
            if pattern.search(name or ""):  # a multipart part may even come without a name
                return part
            if pattern.search(text or ""):
                return name or part
    raw = request.get_data(cache=True) if request.is_json else b""
    if not _UNSTORABLE_ESCAPE.search(raw):
        return None
    try:
        return _found_in(json.loads(raw), "", lambda v: isinstance(v, str) and pattern.search(v) is not None)
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
