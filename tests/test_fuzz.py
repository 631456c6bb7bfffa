"""The API against its own OpenAPI document, fuzzed with schemathesis: whatever comes in, no 5xx, and every
response matches what the document says, its status, content type and body, for data that fits the
document and data that does not, and every refusal is worded in Chinese for a reader who names no language.
Bounded: a fixed number of examples per operation and kind.

Operations are driven with Hypothesis directly: schemathesis's pytest plugin does not run under pytest 9.
"""

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

#: Examples per operation and mode, each sent as two roles: 77 s on SQLite and 98 s on PostgreSQL on the
#: shared 2-core machine, where 15 conforming examples alone took 20 s and 26 s in the same runs.
EXAMPLES = {GenerationMode.POSITIVE: 50, GenerationMode.NEGATIVE: 25}
#: A Chinese character.
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@schemathesis.check
def refusal_in_chinese(ctx, response, case) -> None:
    """A refusal to a reader who names no language is in Chinese (zh-CN, the default): its message and what
    it says of each field, bounds and choices included. Open311's errors are English by its spec, and are no
    `{"error": ...}` document."""
    if response.status_code < 400 or "json" not in str(response.headers.get("content-type")):
        return
    body = response.json()
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        said = {"message": error["message"], **{k: v for k, v in error.get("fields", {}).items() if isinstance(v, str)}}
        untranslated = {where: text for where, text in said.items() if not CHINESE.search(text)}
        assert not untranslated, f"not in Chinese: {untranslated}"


#: Not schemathesis's negative_data_rejection: a case made invalid by leaving out the Authorization header
#: is sent with the token put back, and is then rightly accepted.
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
    refusal_in_chinese,
]


#: The operations are fuzzed in this many tests, each taking every SHARDS-th, so that pytest-xdist can spread
#: them over its processes: in one test the fuzzing took 93 s alone, 133 s beside another process, and was
#: the longest stretch of the suite.
SHARDS = 4


@pytest.mark.slow
@pytest.mark.parametrize("shard", range(SHARDS))
def test_no_server_error_and_every_response_matches_the_document(app, tokens, shard):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20
    for operation in operations[shard::SHARDS]:
        for mode in EXAMPLES:
            try:
                _fuzz(operation, mode, tokens)
            except Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE  # nothing the operation takes can be made invalid


def _fuzz(operation, mode: GenerationMode, tokens: dict) -> None:
    """EXAMPLES[mode] cases of `operation`, each sent as an intake user and as a designer."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES[mode], deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def fuzz(case):
        for role in ("intake", "designer"):
            case.call_and_validate(headers={"Authorization": f"Bearer {tokens[role]}"}, checks=CHECKS)

    fuzz()
