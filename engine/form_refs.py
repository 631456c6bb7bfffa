"""A form's `$ref`s must resolve inside the form, checked when the package is deployed.

jsonschema resolves a `$ref` only when a completion is validated: one to another document (which this
service would not fetch) or to a part the form lacks raised there, an HTTP 500 on every completion of the
task. Forms refer to their own parts (`#/$defs/address`, `#anchor`) or not at all.
"""


def unresolved(schema) -> list[str]:
    """Every `$ref` in `schema` that names no part of it."""
    anchors = set(_values(schema, "$anchor"))
    return [ref for ref in _values(schema, "$ref") if not _resolves(schema, ref, anchors)]


def _values(node, key) -> list:
    found = []
    if isinstance(node, dict):
        if isinstance(node.get(key), str):
            found.append(node[key])
        for value in node.values():
            found += _values(value, key)
    elif isinstance(node, list):
        for value in node:
            found += _values(value, key)
    return found


def _resolves(schema, ref: str, anchors: set) -> bool:
    if not ref.startswith("#"):
        return False
    if ref in ("#", "#/"):
        return True
    if not ref.startswith("#/"):
        return ref[1:] in anchors
    node = schema
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return False
    return True
