"""Bounds on what a request body may be, checked before it is parsed: JSON nesting and list sizes.

Body size is Flask's MAX_CONTENT_LENGTH (413); field lengths are in each schema. A deeply nested body
would otherwise reach Python's recursion limit in the JSON parser (a 500); it is refused here first.
"""

from flask import request

from engine import InvalidData

MAX_DEPTH = 32
MAX_ITEMS = 1000


def check_json_body() -> None:
    if not request.is_json or not request.content_length:
        return
    depth, items = _shape(request.get_data(cache=True))
    if depth > MAX_DEPTH:
        raise InvalidData(f"the body nests deeper than {MAX_DEPTH} levels", fields={"body": f"nested {depth} levels"})
    if items > MAX_ITEMS:
        raise InvalidData(f"a list in the body has more than {MAX_ITEMS} items", fields={"body": f"{items} items"})


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
