"""A task's submitted data checked against its form's JSON Schema, and what is wrong with each field said
in the reader's language.

Kept apart from the operations (runtime.py): checking a form is what a completion does before it touches
the workflow, and the wording of jsonschema's findings is a catalog's job, not the write's.
"""

import json

from jsonschema import Draft202012Validator, FormatChecker

from .errors import InvalidData
from .messages import MESSAGES


def check(schema: dict, data: dict) -> None:
    """InvalidData, with a problem per field, unless `data` satisfies `schema`."""
    errors = sorted(
        Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(data), key=lambda e: list(e.path)
    )
    if errors:
        fields = {}
        for error in errors:
            name = ".".join(str(p) for p in error.path) or _named_field(error) or "data"
            fields.setdefault(name, _problem(error))
        raise InvalidData(MESSAGES.text("form_not_satisfied"), fields=fields)


#: What a form's JSON Schema finds wrong with a field, by the keyword that failed: a message key, and the
#: parameter that takes the keyword's value. Any other keyword is named in _FORM_RULE_BROKEN.
_FORM_PROBLEMS = {
    "required": ("field_required", None),
    "additionalProperties": ("field_not_in_form", None),
    "type": ("field_not_of_type", "type"),
    "enum": ("field_not_a_choice", "choices"),
    "const": ("field_not_the_value", "value"),
    "not": ("field_left_out_here", None),
    "minLength": ("field_too_short", "limit"),
    "maxLength": ("field_too_long", "limit"),
    "pattern": ("field_not_matching", "pattern"),
    "format": ("field_not_of_format", "format"),
    "minimum": ("field_below_minimum", "limit"),
    "maximum": ("field_above_maximum", "limit"),
    "exclusiveMinimum": ("field_not_above", "limit"),
    "exclusiveMaximum": ("field_not_below", "limit"),
    "multipleOf": ("field_not_a_multiple", "limit"),
    "minItems": ("field_too_few_items", "limit"),
    "maxItems": ("field_too_many_items", "limit"),
    "uniqueItems": ("field_items_repeat", None),
}
#: A keyword without words of its own (oneOf, contains, ...): the field breaks the form's rule of that name.
_FORM_RULE_BROKEN = ("field_breaks_form_rule", "keyword")


def _problem(error):
    """What is wrong with the field, as a Text for the reader."""
    key, parameter = _FORM_PROBLEMS.get(error.validator, _FORM_RULE_BROKEN)
    if parameter is None:
        return MESSAGES.text(key)
    value = error.validator if parameter == "keyword" else error.validator_value
    if parameter == "choices":
        value = [_json_words(choice) for choice in value]
    elif parameter == "value":
        value = _json_words(value)
    return MESSAGES.text(key, **{parameter: value})


def _json_words(value) -> str:
    """A value as the form writes it: a string as it is, anything else in JSON's words (true, 3, null)."""
    return value if isinstance(value, str) else json.dumps(value)


def _named_field(error) -> str | None:
    """The field a missing-field or unknown-field error names in its message (its path is the object's)."""
    if error.validator in ("required", "additionalProperties") and "'" in error.message:
        return error.message.split("'")[1]
    return None
