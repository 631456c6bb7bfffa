"""Form patterns that backtrack catastrophically are found before they run (engine/patterns.py)."""

import re
import time

import pytest

from engine.patterns import backtracking, patterns_in

CATASTROPHIC = [r"^(a+)+$", r"^(a|a)*$", r"^(\w+\s?)*$", r"^(?:a*)*b", r"(x+x+)+y", r"(\d+|\w+)*$"]
FINE = [
    r"^[0-9]{6}$",
    r"^1[3-9]\d{9}$",
    r"^\d{4}-\d{2}-\d{2}$",
    r"^([A-Z][a-z]+ )+$",
    r"(a|ab)+$",
    r"(\w|\d)+$",
    r"^(ab|ac)*$",
    r"^([a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,})$",
]


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_nested_and_overlapping_repeats_are_found(pattern):
    assert backtracking(pattern) == pattern


@pytest.mark.parametrize("pattern", FINE)
def test_ordinary_patterns_pass_and_answer_at_once_on_hostile_input(pattern):
    assert backtracking(pattern) is None
    started = time.process_time()
    for hostile in ("a" * 30 + "!", "1" * 30 + "!", "Ab " * 15 + "!", "x" * 30):
        re.search(pattern, hostile)
    assert time.process_time() - started < 0.1


def test_one_catastrophic_pattern_really_is_slow():
    """The danger is real: 22 characters take Python's re a measurable while, doubling with each one more."""
    started = time.process_time()
    re.search(CATASTROPHIC[0], "a" * 22 + "!")
    assert time.process_time() - started > 0.05


def test_patterns_are_found_wherever_the_schema_holds_them():
    schema = {
        "properties": {"code": {"pattern": "^a$"}, "items": {"items": [{"pattern": "^b$"}]}},
        "patternProperties": {"^c$": {}},
    }
    assert sorted(patterns_in(schema)) == ["^a$", "^b$", "^c$"]
