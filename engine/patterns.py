"""JSON Schema `pattern`s that would backtrack for seconds, found when a package is deployed.

A form's patterns run on every completion, in the request, on text a user typed. Python's `re` cannot be
interrupted, so a time bound would need another process per validation; the patterns that blow up are
few and recognisable, so they are refused at deploy instead, where the designer learns it at once:

- a repeat inside a repeat whose body is nothing but that inner repeat and optional parts, so one run of
  characters can be split among the turns in exponentially many ways: `(a+)+`, `(a*)*`, `(\\w+\\s?)*`;
- an alternation inside a repeat whose branches can begin with the same character (or both match nothing):
  `(a|a)*`, `(\\d+|\\w+)*`. (`(a|ab)+` and `(\\w|\\d)+` pass: Python reads them as `(ab?)+` and `[\\w\\d]+`.)

`([A-Z][a-z]+ )+` passes: each turn must begin with a capital and end with a space, so the split is unique.
"""

import re
from re import _constants as sre  # the parser's opcodes: the stdlib's own reading of the pattern
from re import _parser as sre_parse

_UNBOUNDED = sre.MAXREPEAT
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None))
_ANY = None  # a first-character set that may be any character


def patterns_in(schema) -> list[str]:
    """Every regular expression in a JSON Schema: `pattern` values and `patternProperties` keys."""
    found = []
    if isinstance(schema, dict):
        if isinstance(schema.get("pattern"), str):
            found.append(schema["pattern"])
        if isinstance(schema.get("patternProperties"), dict):
            found += [key for key in schema["patternProperties"] if isinstance(key, str)]
        for value in schema.values():
            found += patterns_in(value)
    elif isinstance(schema, list):
        for value in schema:
            found += patterns_in(value)
    return found


def backtracking(pattern: str) -> str | None:
    """The part of `pattern` that may backtrack catastrophically, or None (also for an invalid pattern,
    which the JSON Schema check reports)."""
    try:
        parsed = sre_parse.parse(pattern)
    except (re.error, OverflowError, RecursionError):
        return None
    return _scan(list(parsed), pattern)


def _scan(items, pattern) -> str | None:
    for op, argument in items:
        for body in _bodies(op, argument):
            found = _scan(body, pattern)
            if found:
                return found
        if op in _REPEATS and argument[1] == _UNBOUNDED:
            body = _unwrap(list(argument[2]))
            if _only_a_repeat_and_optional(body) or _overlapping_branches(body):
                return pattern
    return None


def _bodies(op, argument):
    """The sub-patterns directly inside one item."""
    if op in _REPEATS:
        return [list(argument[2])]
    if op == sre.SUBPATTERN:
        return [list(argument[3])]
    if op == sre.BRANCH:
        return [list(branch) for branch in argument[1]]
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        return [list(argument[1])]
    return []


def _unwrap(items):
    """A group's content, through groups that hold nothing else."""
    while len(items) == 1 and items[0][0] == sre.SUBPATTERN:
        items = list(items[0][1][3])
    return items


def _optional(item) -> bool:
    op, argument = item
    return (op in _REPEATS and argument[0] == 0) or op == sre.AT


def _only_a_repeat_and_optional(body) -> bool:
    """`(a+)+`, `(\\w+\\s?)*`: one unbounded repeat, the rest optional."""
    repeats = [item for item in body if item[0] in _REPEATS and item[1][1] == _UNBOUNDED]
    return len(repeats) >= 1 and all(item in repeats or _optional(item) for item in body)


def _overlapping_branches(body) -> bool:
    r"""`(\d+|\w+)*`, `(a|a)*`: two branches of an alternation in the repeated body may match the same way.

    Python's parser takes a common prefix out of the branches (`a|a` is `a(?:|)`, `a|ab` is `a(?:|b)`), so
    the alternation is looked for anywhere in the body, and two empty branches overlap as well.
    """
    for op, argument in body:
        if op == sre.SUBPATTERN and _overlapping_branches(list(argument[3])):
            return True
        if op != sre.BRANCH:
            continue
        branches = [list(branch) for branch in argument[1]]
        for i, one in enumerate(branches):
            for other in branches[i + 1 :]:
                if _overlap(one, other):
                    return True
    return False


def _overlap(one, other) -> bool:
    if not one or not other:
        return not one and not other  # both match the empty string; one empty branch is only optional
    first, second = _first(one), _first(other)
    return first is _ANY or second is _ANY or bool(first & second)


def _first(items):
    """The characters a match of `items` may begin with (`_ANY` when that is not a small known set)."""
    for op, argument in items:
        if op == sre.AT:
            continue
        if op == sre.LITERAL:
            return {argument}
        if op == sre.SUBPATTERN:
            return _first(list(argument[3]))
        if op == sre.BRANCH:
            sets = [_first(list(branch)) for branch in argument[1]]
            return _ANY if any(s is _ANY for s in sets) else set().union(*sets)
        if op in _REPEATS:
            return _first(list(argument[2])) if argument[0] > 0 else _ANY
        if op == sre.IN:
            return _class(argument)
        return _ANY
    return _ANY  # an empty branch matches before anything


def _class(members):
    chars = set()
    for op, argument in members:
        if op == sre.LITERAL:
            chars.add(argument)
        elif op == sre.RANGE and argument[1] - argument[0] < 512:
            chars.update(range(argument[0], argument[1] + 1))
        else:
            return _ANY
    return chars
