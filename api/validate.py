"""marshmallow's validators, their refusals said in the reader's language.

marshmallow words a refused length, range or choice in English with its bounds inside ("Length must be
between 1 and 200."), so no lookup by the whole message can carry the bounds over. These validators check
exactly as marshmallow's do and give their refusal as a Text, which api/framework.py words like any other
field's problem. Schemas import `validate` from here, never from marshmallow.
"""

from marshmallow import ValidationError, validate

from appeals.domain.messages import MESSAGES
from engine import Text


class _Worded:
    """marshmallow's check, its refusal replaced by the Text that the class's `refusal(value)` gives."""

    def __call__(self, value):
        try:
            return super().__call__(value)
        except ValidationError:
            raise ValidationError([self.refusal(value)]) from None


class Length(_Worded, validate.Length):
    """A string's characters, or a list's or object's items, between `min` and `max` (or exactly `equal`)."""

    def refusal(self, value) -> Text:
        unit = MESSAGES.text("unit_characters" if isinstance(value, str) else "unit_items")
        if self.equal is not None:
            return MESSAGES.text("field_length_exactly", equal=self.equal, unit=unit)
        if self.min is None:
            return MESSAGES.text("field_length_at_most", most=self.max, unit=unit)
        if self.max is None:
            return MESSAGES.text("field_length_at_least", least=self.min, unit=unit)
        return MESSAGES.text("field_length_between", least=self.min, most=self.max, unit=unit)


class Range(_Worded, validate.Range):
    """A number from `min` to `max`, both included: the API has no open bounds, so they have no words."""

    def __init__(self, min=None, max=None):  # noqa: A002 (marshmallow's names)
        super().__init__(min, max)

    def refusal(self, value) -> Text:
        if self.min is None:
            return MESSAGES.text("field_number_at_most", most=self.max)
        if self.max is None:
            return MESSAGES.text("field_number_at_least", least=self.min)
        return MESSAGES.text("field_number_between", least=self.min, most=self.max)


class OneOf(_Worded, validate.OneOf):
    """One of `choices`, each named as the API takes it."""

    def refusal(self, value) -> Text:
        return MESSAGES.text("field_one_of", choices=[str(choice) for choice in self.choices])


class Regexp(_Worded, validate.Regexp):
    """A string matching `regex`; `error` says what such a string is."""

    def __init__(self, regex: str, *, error: Text):
        super().__init__(regex)
        self.text = error

    def refusal(self, value) -> Text:
        return self.text
