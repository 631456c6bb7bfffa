"""The API against its own OpenAPI document, fuzzed with schemathesis: whatever comes in, no 5xx, and every
response matches what the document says (bounded: a fixed number of examples per operation).

Operations are driven with Hypothesis directly: schemathesis's pytest plugin does not run under pytest 9.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

EXAMPLES = 15


@pytest.mark.slow
def test_no_server_error_and_every_response_matches_the_document(app, tokens):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def fuzz(case):
            for role in ("intake", "designer"):
                case.call_and_validate(
                    headers={"Authorization": f"Bearer {tokens[role]}"},
                    checks=[not_a_server_error, response_schema_conformance],
                )

        fuzz()
