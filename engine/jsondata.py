"""JSON text for stored data (workflow state, history, work items), written and read by orjson.

A 23 KB workflow state is written, read and copied at every operation; the standard library's json
took about 6 % of an API worker's CPU doing it, orjson a fraction of that. The canonical form that
history hashes are taken over stays with the standard library (hash_chain.py): its exact text is part of the
audit format, and orjson writes some numbers differently.
"""

import json

import orjson

_OPTIONS = orjson.OPT_NON_STR_KEYS  # like json.dumps, which writes a non-string key as a string


def dumps(value) -> str:
    try:
        return orjson.dumps(value, option=_OPTIONS).decode()
    except orjson.JSONEncodeError:  # an integer beyond 64 bits, which the standard library can write
        return json.dumps(value)


def loads(text):
    return orjson.loads(text)


def copy(value):
    """A deep copy of JSON data."""
    return loads(dumps(value))
