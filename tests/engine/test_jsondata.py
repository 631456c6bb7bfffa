"""Stored JSON is written by orjson and read back as the standard library would have read it."""

import json

from engine import jsondata


def test_what_the_standard_library_writes_round_trips_alike():
    value = {"name": "张三", 1: [1.5, None, True, 2**63 - 1], "nested": {"empty": {}, "list": []}}
    assert jsondata.loads(jsondata.dumps(value)) == json.loads(json.dumps(value))


def test_an_integer_beyond_64_bits_is_still_written():
    assert jsondata.loads(jsondata.dumps({"n": 2**70})) == {"n": 2**70}


def test_a_copy_shares_nothing_with_its_original():
    original = {"tasks": {"a": {"data": {"x": [1]}}}}
    copied = jsondata.copy(original)
    copied["tasks"]["a"]["data"]["x"].append(2)
    assert original == {"tasks": {"a": {"data": {"x": [1]}}}}
