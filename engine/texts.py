"""Texts for people, in more than one language: a message is a key and its named parameters, turned into
words only when someone reads it, in that reader's language and time zone.

So a stored message (a reminder) reads in whichever language its reader asks for, and a refusal raised deep
in the code is worded by the one handler that knows the request's language. Parameters are JSON values
(a time is kept as ISO 8601), so a Text can be stored as it is.

A template's placeholder may carry a kind after a colon: `{due:time}` and `{day:date}` are written in the
reader's zone and language, `{month:month}` and `{month:month_long}` name a month number; any other kind
(`{step:steps}`) names a code through the `names` function the reader's side supplies (a translation
table), and falls back to the code itself. A list parameter is worded item by item. A parameter may be a
Text itself (why a replay diverges, inside "the history does not replay"): it is worded for the same
reader; such a message is for reading, not for storing.
"""

import string
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

#: The languages every text exists in; the first is the default.
LANGUAGES = ("zh-CN", "en")
DEFAULT_LANGUAGE = LANGUAGES[0]

_LIST_SEPARATORS = {"zh-CN": "、", "en": " or "}
#: English month names written out (strftime's %b would follow the server's locale).
_MONTHS = "January February March April May June July August September October November December".split()
_MONTH_FORMATS = {
    "month": {"zh-CN": lambda n: f"{n}月", "en": lambda n: _MONTHS[n - 1][:3]},
    "month_long": {"zh-CN": lambda n: f"{n}月", "en": lambda n: _MONTHS[n - 1]},
}
_DATE_FORMATS = {
    "zh-CN": lambda d: f"{d.year}年{d.month}月{d.day}日",  # 2026年12月9日
    "en": lambda d: f"{d.day} {_MONTHS[d.month - 1][:3]} {d.year}",  # 9 Dec 2026
}


@dataclass(frozen=True)
class Text:
    """One message: `key` in `catalog`, with its parameters. `str()` gives the English (for logs)."""

    catalog: "Catalog" = field(repr=False)
    key: str
    params: dict

    def render(self, language: str = "en", *, zone: str = "UTC", names=None) -> str:
        return self.catalog.render(self.key, self.params, Wording(language, zone, names))

    def __str__(self) -> str:
        return self.render()


class Catalog:
    """Message templates by key and language, checked when built: every key exists in every language, with
    the same placeholders, so a missing translation fails at import rather than in front of a reader."""

    def __init__(self, templates: dict[str, dict[str, str]]):
        for key, by_language in templates.items():
            if set(by_language) != set(LANGUAGES):
                raise ValueError(f"message '{key}' must exist in exactly {', '.join(LANGUAGES)}")
            shapes = {frozenset(placeholders(t)) for t in by_language.values()}
            if len(shapes) != 1:
                raise ValueError(f"message '{key}' has different placeholders in its languages")
        self.templates = templates

    def text(self, key: str, **params) -> Text:
        """The message `key` with `params` (named as in its templates; datetimes and dates become ISO 8601)."""
        expected = placeholders(self.templates[key][DEFAULT_LANGUAGE])
        if set(params) != expected:
            raise ValueError(f"message '{key}' takes {sorted(expected)}, not {sorted(params)}")
        return Text(self, key, {name: _plain(value) for name, value in params.items()})

    def render(self, key: str, params: dict, wording: "Wording") -> str:
        return wording.format(self.templates[key][wording.language], **params)


class Wording(string.Formatter):
    """Fills a template for one reader: times in their zone, codes by their names, in their language."""

    def __init__(self, language: str, zone: str, names=None):
        super().__init__()
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        self.zone, self.names = ZoneInfo(zone), names

    def format_field(self, value, format_spec: str):
        if isinstance(value, Text):
            return value.catalog.render(value.key, value.params, self)
        if isinstance(value, list):
            return _LIST_SEPARATORS[self.language].join(self.format_field(v, format_spec) for v in value)
        if not format_spec or value is None:
            return str(value)
        if format_spec == "time":  # 2026年12月9日 23:59 / 9 Dec 2026 23:59
            moment = datetime.fromisoformat(value).astimezone(self.zone)
            return f"{_DATE_FORMATS[self.language](moment)} {moment:%H:%M}"
        if format_spec == "date":
            day = datetime.fromisoformat(value).astimezone(self.zone) if "T" in value else date.fromisoformat(value)
            return _DATE_FORMATS[self.language](day)
        if format_spec in _MONTH_FORMATS:
            return _MONTH_FORMATS[format_spec][self.language](int(value))
        named = self.names(format_spec, value, self.language) if self.names else None
        return named or str(value)


def worded_values(values: dict, word) -> dict:
    """`values` (an error's fields, say) with each Text value worded by `word`; any other value (a number a
    program reads, such as `retry_after`) as it is."""
    return {key: word(value) if isinstance(value, Text) else value for key, value in values.items()}


def worded_items(items: list[dict], word) -> list[dict]:
    """`items` (a refused package's problems, say) with each Text value worded by `word`."""
    return [worded_values(item, word) for item in items]


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _plain(value):
    return value.isoformat() if isinstance(value, date | datetime) else value
