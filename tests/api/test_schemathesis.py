"""Schemathesis against the API's own OpenAPI schema: generated requests for every
operation, each response checked against the schema, and no server error.

Bounded so that it runs in seconds on SQLite and PostgreSQL alike: positive (valid)
requests only, the schema's examples, boundary values (coverage) and 10 generated cases per
operation, derandomized so that a run is repeatable.
"""

import hypothesis
import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 10
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _load_schema():
    # Loaded at collection (pytest-django has set Django up by then); the schema view
    # needs no database. schemathesis's lazy from_fixture() does not run on pytest 9.
    from flemingsberg.wsgi import application

    loaded = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
    loaded.config.generation.update(
        modes=[schemathesis.GenerationMode.POSITIVE], max_examples=MAX_EXAMPLES
    )
    loaded.config.phases.update(phases=["examples", "coverage", "fuzzing"])
    return loaded


schema = _load_schema()


@pytest.fixture
def _keep_test_transaction():
    """Calls go to the WSGI app directly, not through Django's test client, so the
    end of each request would close the database connection and with it the test's
    transaction (PostgreSQL). Django's client disconnects the same signal handler."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_api_conforms_to_its_schema(case, open_data, _keep_test_transaction):
    case.call_and_validate(checks=CHECKS)
