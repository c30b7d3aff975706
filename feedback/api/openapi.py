"""The OpenAPI 3.1 document of the JSON API, written by hand, in the reader's language.

tests/test_api_schema.py checks that every /api/v1 route is described here and, with Schemathesis,
that the API answers as described.
"""

from flask_babel import gettext as _

from feedback.api.schemas import enum_of, problem_schema, ref, schemas
from feedback.models import (
    FeedbackKind,
    SentimentLabel,
    WriterRole,
)

VERSION = "1.0.0"
MAX_PAGE = 100
DEFAULT_PAGE = 25
MAX_ID = 2**31 - 1  # ids are 32-bit integers in PostgreSQL

PROBLEM_TYPES = ("bad-request", "unauthorized", "forbidden", "not-found", "method-not-allowed",
                 "conflict", "too-large", "unsupported-media-type", "validation", "rate-limited",
                 "server-error")


def _json(description: str, schema: dict, headers: dict | None = None) -> dict:
    response = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        response["headers"] = headers
    return response


def _errors(*codes: int) -> dict:
    """The problem responses an operation may give."""
    texts = {
        400: _("The body is not valid JSON."),
        401: _("No token, an unknown token, or a revoked one."),
        403: _("The token owner's role does not give access to this operation."),
        404: _("Unknown, or not part of the token owner's establishment."),
        409: _("The client UUID belongs to someone else's observation."),
        413: _("The body is larger than the API accepts."),
        415: _("The body is not sent as application/json."),
        422: _("The data is not valid: `errors` lists each problem."),
        429: _("Too many requests with this token: wait for the number of seconds in "
               "Retry-After."),
    }
    return {str(code): problem_schema(texts[code]) for code in codes}


def _parameter(name: str, where: str, schema: dict, description: str,
               required: bool = False) -> dict:
    return {"name": name, "in": where, "required": required or where == "path",
            "description": description, "schema": schema}


def _code_parameter() -> dict:
    return _parameter("code", "path", {"type": "string", "pattern": "^[A-Za-z0-9-]{1,20}$"},
                      _("The establishment's code (e.g. MCQ)."))


def _selection_parameters() -> list[dict]:
    """The summaries' filter: a period widened to whole Québec weeks, and the dimensions."""
    return [
        _parameter("since", "query", {"type": "string", "format": "date"},
                   _("From this Québec day; the period is widened to whole weeks, Monday to "
                     "Sunday (default: the go-live date).")),
        _parameter("until", "query", {"type": "string", "format": "date"},
                   _("Up to this Québec day, included (default: the last week with data).")),
        _parameter("phase", "query", {"type": "integer", "minimum": 1, "maximum": 3},
                   _("Only this adaptation phase.")),
        _parameter("role", "query", enum_of(WriterRole),
                   _("Only this role: the writer's, or for observations who was affected.")),
        _parameter("sector", "query", {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                   _("Only this sector (id).")),
        _parameter("kind", "query", enum_of(FeedbackKind), _("Only this kind of feedback.")),
    ]


def paths() -> dict:
    auth = (401, 429)
    return {
        "/api/v1/openapi.json": {"get": {
            "operationId": "openapi", "tags": ["docs"], "security": [],
            "summary": _("This document"),
            "responses": {"200": {"description": _("The OpenAPI 3.1 document."),
                                  "content": {"application/json": {"schema": {
                                      "type": "object"}}}}},
        }},
        "/api/v1/docs": {"get": {
            "operationId": "docs", "tags": ["docs"], "security": [],
            "summary": _("This document, as a web page"),
            "responses": {"200": {"description": _("The documentation page."),
                                  "content": {"text/html": {"schema": {"type": "string"}}}}},
        }},
        "/api/v1/me": {"get": {
            "operationId": "me", "tags": ["account"],
            "summary": _("Who the token acts for"),
            "responses": {"200": _json(_("The token's owner."), ref("Me")), **_errors(*auth)},
        }},
        "/api/v1/establishments": {"get": {
            "operationId": "list_establishments", "tags": ["establishments"],
            "summary": _("Establishments, sites and sectors"),
            "description": _("Those the token's owner may see: their establishment, or all "
                             "for a network-wide account. Sector and site ids are what "
                             "observations are filed under."),
            "responses": {"200": _json(_("The establishments."), ref("EstablishmentList")),
                          **_errors(*auth)},
        }},
        "/api/v1/feedback": {
            "get": {
                "operationId": "list_feedback", "tags": ["feedback"],
                "summary": _("List feedback"),
                "description": _(
                    "The listing of the managers' summaries, newest first, a page at a time, "
                    "with the same anonymity rules: anonymous comments (survey and imported) "
                    "appear only when the selection rests on enough of them, never with their "
                    "day or phase. Super-users read only their own observations."),
                "parameters": [
                    _parameter("establishment", "query", {"type": "string", "maxLength": 20},
                               _("The establishment (its code); required for a network-wide "
                                 "account, yours otherwise.")),
                    *_selection_parameters(),
                    _parameter("theme", "query", {"type": "string", "maxLength": 40},
                               _("Only feedback carrying this theme (its code).")),
                    _parameter("sentiment", "query", enum_of(SentimentLabel),
                               _("Only this sentiment.")),
                    _parameter("limit", "query", {"type": "integer", "minimum": 1,
                                                  "maximum": MAX_PAGE,
                                                  "default": DEFAULT_PAGE},
                               _("How many per page.")),
                    _parameter("cursor", "query", {"type": "string", "maxLength": 200},
                               _("Where the page starts: next_cursor of the previous page.")),
                ],
                "responses": {"200": _json(_("A page of feedback."), ref("FeedbackPage")),
                              **_errors(*auth, 403, 422)},
            },
            "post": {
                "operationId": "create_observation", "tags": ["feedback"],
                "summary": _("Record an observation"),
                "description": _(
                    "The same rules and the same analysis as the observation form: patient "
                    "identifiers are removed first, then language, sentiment and themes. "
                    "Sending the same client_uuid again returns the stored observation "
                    "(200) instead of recording it twice."),
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": ref("NewObservation")}}},
                "responses": {
                    "201": _json(_("Recorded."), ref("Feedback"), headers={"Location": {
                        "description": _("Its URL."), "schema": {"type": "string"}}}),
                    "200": _json(_("Already recorded with this client_uuid."), ref("Feedback")),
                    **_errors(400, *auth, 403, 409, 413, 415, 422),
                },
            },
        },
        "/api/v1/feedback/{ref}": {"get": {
            "operationId": "get_feedback", "tags": ["feedback"],
            "summary": _("One feedback"),
            "parameters": [_parameter("ref", "path", {"type": "string",
                                                      "pattern": "^[0-9a-z]{12}$"},
                                      _("The feedback's reference."))],
            "responses": {"200": _json(_("The feedback."), ref("Feedback")),
                          **_errors(*auth, 404)},
        }},
        "/api/v1/establishments/{code}/summary": {"get": {
            "operationId": "summary", "tags": ["summaries"],
            "summary": _("Summary of an establishment"),
            "description": _(
                "The managers' summary: feedback per theme (count, share, sentiment) and "
                "survey scores, overall or per week, phase, sector or role group. Computed by "
                "the same functions as the summary page, with the same anonymity guard: "
                "anonymous answers count only through whole cohorts of at least the threshold "
                "that the selection does not split, so no two selections differ by fewer. A "
                "group without any is suppressed, with the reason, and its figures are null. "
                "Managers and administrators."),
            "parameters": [
                _code_parameter(),
                *_selection_parameters(),
                _parameter("by", "query", {"type": "string",
                                           "enum": ["week", "phase", "sector", "role_group"]},
                           _("Break the figures down by this dimension.")),
            ],
            "responses": {"200": _json(_("The summary."), ref("Summary")),
                          **_errors(*auth, 403, 404, 422)},
        }},
        "/api/v1/establishments/{code}/issue-kpis": {"get": {
            "operationId": "issue_kpis", "tags": ["summaries"],
            "summary": _("Issue indicators"),
            "description": _("The command centre's indicators for the issues created between "
                             "two Québec days (by default, from go-live to today), as the issues "
                             "page computes them. Managers and administrators."),
            "parameters": [
                _code_parameter(),
                _parameter("from", "query", {"type": "string", "format": "date"},
                           _("First day (default: the go-live date).")),
                _parameter("to", "query", {"type": "string", "format": "date"},
                           _("Last day, included (default: today).")),
            ],
            "responses": {"200": _json(_("The indicators."), ref("IssueKpis")),
                          **_errors(*auth, 403, 404, 422)},
        }},
        "/api/v1/establishments/{code}/learnings": {"get": {
            "operationId": "list_learnings", "tags": ["summaries"],
            "summary": _("Published learnings"),
            "description": _("What managers learned and changed, as published to staff, "
                             "newest first."),
            "parameters": [
                _code_parameter(),
                _parameter("limit", "query", {"type": "integer", "minimum": 1,
                                              "maximum": MAX_PAGE, "default": DEFAULT_PAGE},
                           _("How many, at most.")),
            ],
            "responses": {"200": _json(_("The learnings."), ref("LearningList")),
                          **_errors(*auth, 404, 422)},
        }},
    }


def document(server: str) -> dict:
    """The whole document; `server` is the API's base URL as the client reaches it."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": _("Écho API"),
            "version": VERSION,
            "description": _(
                "Écho's data for other systems: record observations, read feedback, "
                "summaries, issue indicators and published learnings. Every request carries a "
                "personal token, created in your profile: `Authorization: Bearer <token>`. "
                "The token acts with your role and your establishment. Errors are RFC 9457 "
                "problem details (application/problem+json). Times are UTC (ISO 8601); days "
                "are Québec days."),
        },
        "servers": [{"url": server}],
        "security": [{"bearerAuth": []}],
        "tags": [
            {"name": "feedback", "description": _("What staff said and what super-users "
                                                  "saw.")},
            {"name": "summaries", "description": _("Figures and learnings of an "
                                                   "establishment.")},
            {"name": "establishments", "description": _("Where feedback comes from.")},
            {"name": "account", "description": _("The token itself.")},
            {"name": "docs", "description": _("This documentation.")},
        ],
        "paths": paths(),
        "components": {
            "securitySchemes": {"bearerAuth": {
                "type": "http", "scheme": "bearer",
                "description": _("A personal token from your profile (it starts with "
                                 "echo_)."),
            }},
            "schemas": schemas(),
        },
    }
