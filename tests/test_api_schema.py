"""The API and its OpenAPI document agree: every route is described, and Schemathesis, sending
requests generated from the document, finds no server error and no answer the document does not
describe.
"""

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select

from feedback.accounts import tokens
from feedback.api import openapi
from feedback.clock import local_today, utcnow
from feedback.extensions import db
from feedback.models import Learning, LearningStatus, Role, Sector, User

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]
# Bounded: the whole module runs in well under a minute (random runs of 200 examples per
# operation, on SQLite and PostgreSQL, found nothing more while it was written).
EXAMPLES = 30


def test_every_api_route_is_in_the_document_and_nothing_else(app, client):
    document = client.get("/api/v1/openapi.json").json
    documented = {(path, method.upper()) for path, operations in document["paths"].items()
                  for method in operations}
    routes = {
        (re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule), method)
        for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes == documented
    operation_ids = [operation["operationId"] for operations in document["paths"].values()
                     for operation in operations.values()]
    assert len(operation_ids) == len(set(operation_ids))


@pytest.fixture
def api_token(app, make_establishment, make_user) -> str:
    """A manager's token, in an establishment with data for every operation to find."""
    establishment = make_establishment("MCQ")
    user = make_user(Role.MANAGER, establishment)
    with app.app_context():
        owner = db.session.get(User, user.id)
        db.session.add(Learning(establishment_id=establishment.id, title="Étiquettes",
                                learned="Les étiquettes s'imprimaient mal.",
                                status=LearningStatus.PUBLISHED, published_at=utcnow(),
                                action_on=local_today()))
        _token, secret = tokens.issue_token(owner, "Schemathesis", now=utcnow())
        db.session.commit()
        assert db.session.scalar(select(Sector.id)) is not None
    app.config["API_RATE_LIMIT"] = "100000 per minute"
    return secret


# The document as the app serves it (built outside a request: the same, in English). Each test
# then sends its requests to the test's own app, in-process (Schemathesis's WSGI transport).
schema = schemathesis.openapi.from_dict(openapi.document("http://localhost/"))


@schema.parametrize()
# Derandomized, without an example database: the same examples on every run and every machine
# (a failure found while developing is then fixed and stays covered).
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_the_api_answers_as_its_document_says(case, app, api_token):
    response = case.call(app=app, headers={"Authorization": f"Bearer {api_token}"})
    case.validate_response(response, checks=CHECKS)
