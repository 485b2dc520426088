"""Schemathesis against the API's own OpenAPI schema: every operation, valid and invalid
requests, every built-in check (server errors, status codes, content types, headers,
response schemas, negative data rejected, positive data accepted, unsupported methods,
…), 200 generated examples per operation, derandomized so that a run is repeatable.

``SCHEMATHESIS_MAX_EXAMPLES`` changes the number of examples (e.g. 1000 for a longer
hunt); the default is the issue's 200, which runs in a few minutes.
"""

import os

import hypothesis
import pytest
import schemathesis

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "200"))


def _load_schema():
    # Loaded at collection (pytest-django has set Django up by then); the schema view
    # needs no database. schemathesis's lazy from_fixture() does not run on pytest 9.
    from flemingsberg.wsgi import application

    loaded = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
    loaded.config.generation.update(
        modes=list(schemathesis.GenerationMode), max_examples=MAX_EXAMPLES
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
    case.call_and_validate()  # every check schemathesis has (its configured default: all)
