"""A task's data checked against its form: what is wrong with each field, in the reader's language, whichever
JSON Schema keyword the form's designer used."""

import pytest

from engine import InvalidData
from engine.forms import check

FORM = {
    "type": "object",
    "properties": {
        "reached": {"type": "boolean"},
        "code": {"type": "string", "pattern": "^[A-Z]{2}$"},
        "score": {"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10, "multipleOf": 2},
        "photos": {"type": "array", "minItems": 1, "maxItems": 2, "uniqueItems": True},
        "kind": {"const": "visit"},
        "contact": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
    },
    "if": {"properties": {"reached": {"const": False}}, "required": ["reached"]},
    "then": {"properties": {"score": {"not": {}}}},
}


@pytest.mark.parametrize(
    "data, field, chinese, english",
    [
        ({"code": "abc"}, "code", "不符合格式 ^[A-Z]{2}$", "does not match ^[A-Z]{2}$"),
        ({"score": 0}, "score", "须大于 0", "more than 0"),
        ({"score": 10}, "score", "须小于 10", "less than 10"),
        ({"score": 3}, "score", "须为 2 的倍数", "a multiple of 2"),
        ({"photos": []}, "photos", "至少 1 项", "at least 1 item(s)"),
        ({"photos": ["a", "b", "c"]}, "photos", "最多 2 项", "at most 2 item(s)"),
        ({"photos": ["a", "a"]}, "photos", "各项不得重复", "items repeat"),
        ({"kind": "call"}, "kind", "须为 visit", "must be visit"),
        ({"reached": False, "score": 4}, "score", "此处不应填写", "must be left out here"),
        ({"contact": [1]}, "contact", "不符合表单规则 oneOf", "breaks the form's rule oneOf"),
    ],
)
def test_every_keyword_a_form_breaks_is_said_in_the_readers_language(data, field, chinese, english):
    with pytest.raises(InvalidData) as refused:
        check(FORM, data)
    problem = refused.value.fields[field]
    assert (problem.render("zh-CN"), problem.render("en")) == (chinese, english)
