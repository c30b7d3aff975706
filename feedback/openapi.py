"""The OpenAPI 3.1 document of the JSON API, written by hand, in the reader's language.

tests/test_api_schema.py checks that every /api/v1 route is described here and, with Schemathesis,
that the API answers as described.
"""

from flask_babel import gettext as _

from feedback.models import (
    FeedbackKind,
    Priority,
    Role,
    SentimentLabel,
    SiteKind,
    ThemeSource,
    WriterRole,
)

VERSION = "1.0.0"
MAX_PAGE = 100
DEFAULT_PAGE = 25
MAX_ID = 2**31 - 1  # ids are 32-bit integers in PostgreSQL

PROBLEM_TYPES = ("bad-request", "unauthorized", "forbidden", "not-found", "method-not-allowed",
                 "conflict", "too-large", "unsupported-media-type", "validation", "rate-limited",
                 "server-error")


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def _enum(values) -> dict:
    return {"type": "string", "enum": [getattr(v, "value", v) for v in values]}


def _object(properties: dict, required: list[str] | None = None, **extra) -> dict:
    return {"type": "object", "properties": properties,
            "required": required if required is not None else list(properties),
            "additionalProperties": False, **extra}


def _problem(description: str) -> dict:
    return {"description": description,
            "content": {"application/problem+json": {"schema": _ref("Problem")}}}


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
    return {str(code): _problem(texts[code]) for code in codes}


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
        _parameter("role", "query", _enum(WriterRole), _("Only this writer role.")),
        _parameter("sector", "query", {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                   _("Only this sector (id).")),
        _parameter("kind", "query", _enum(FeedbackKind), _("Only this kind of feedback.")),
    ]


def _period() -> dict:
    return _object({"first_week": {"type": "string", "format": "date"},
                    "last_day": {"type": "string", "format": "date"}},
                   description=_("The period, widened to whole Québec weeks."))


def _protection() -> dict:
    return {
        "suppressed": {"type": "boolean", "description": _(
            "True when the figures are hidden by the anonymity threshold (they are then "
            "null).")},
        "reason": _nullable({"type": "string", "enum": ["small", "pending"],
                             "description": _("Why: too few anonymous answers to form a "
                                              "cohort of the threshold's size, or answers of "
                                              "a week not over yet.")}),
        "withheld": {"type": "boolean", "description": _(
            "True when some anonymous answers of the group count in none of its figures: "
            "they count only in wider groups, or once their week is over.")},
    }


def _summary_schemas() -> dict:
    count = {"type": "integer"}
    number = _nullable({"type": "number"})
    return {
        "Summary": _object({
            "establishment": {"type": "string"},
            "period": _period(),
            "threshold": {"type": "integer", "description": _(
                "The anonymity threshold applied: the fewest anonymous responses a figure may "
                "rest on.")},
            "themes": _ref("ThemeBreakdown"),
            "survey": {"type": "array", "items": _ref("SurveyScores")},
        }),
        "ThemeBreakdown": _object({
            "by": _nullable({"type": "string"}),
            **_protection(),
            "groups": {"type": "array", "items": _object({
                "key": {"description": _("The group: null (everything), a week, a phase, a "
                                         "sector id (0: none) or a role group.")},
                **_protection(),
                "total": _nullable(count),
                "responses": _nullable({**count, "description": _(
                    "Of which anonymous (survey and imported comments).")}),
                "by_kind": _nullable({"type": "object", "additionalProperties": count}),
                "themes": {"type": "array", "items": _object({
                    "code": {"type": "string"}, "count": count, "share": {"type": "number"},
                    "responses": count,
                    "sentiment": _nullable(_object({
                        "negative": count, "neutral": count, "positive": count,
                        "mean_polarity": {"type": "number"}})),
                    "sentiment_suppressed": {"type": "boolean"},
                })},
            })},
        }),
        "SurveyScores": _object({
            "key": {"description": _("The group, as in ThemeBreakdown.")},
            **_protection(),
            "responses": _nullable(count),
            "recommend": _nullable(_object({
                **_protection(), "answers": _nullable(count), "promoters": _nullable(count),
                "passives": _nullable(count), "detractors": _nullable(count), "score": number,
            })),
            "items": {"type": "array", "items": _object({
                "item": {"type": "string"}, **_protection(), "answers": _nullable(count),
                "mean": number,
                "distribution": _nullable({"type": "array", "items": count,
                                           "minItems": 5, "maxItems": 5}),
            })},
        }),
    }


def schemas() -> dict:
    role = _enum(WriterRole)
    return {
        "Problem": {
            "type": "object",
            "description": _("An error, as RFC 9457 problem details."),
            "properties": {
                "type": {"type": "string", "description": _("What kind of problem: a link to "
                                                            "its explanation.")},
                "title": {"type": "string", "description": _("A short summary of the kind of "
                                                             "problem.")},
                "status": {"type": "integer", "description": _("The HTTP status code.")},
                "detail": {"type": "string", "description": _("What went wrong, for a "
                                                              "person.")},
                "instance": {"type": "string", "description": _("The path of the request.")},
                "errors": {
                    "type": "array",
                    "description": _("With 422: each invalid field (a JSON pointer into the "
                                     "body) or query parameter."),
                    "items": {
                        "type": "object",
                        "properties": {
                            "detail": {"type": "string"},
                            "pointer": {"type": "string"},
                            "parameter": {"type": "string"},
                        },
                        "required": ["detail"],
                    },
                },
            },
            "required": ["type", "title", "status", "detail"],
        },
        "Me": _object({
            "name": {"type": "string"},
            "email": {"type": "string"},
            "role": _enum(Role),
            "establishment": _nullable({"type": "string", "description": _(
                "The establishment's code; null for a network-wide account.")}),
            "token": _object({"name": {"type": "string"}, "prefix": {"type": "string"},
                              "created_at": {"type": "string", "format": "date-time"}}),
        }, description=_("The owner of the token, whose role and establishment the token acts "
                         "with.")),
        "Sector": _object({
            "id": {"type": "integer"}, "code": {"type": "string"},
            "name_fr": {"type": "string"}, "name_en": {"type": "string"},
            "active": {"type": "boolean"},
        }),
        "Site": _object({
            "id": {"type": "integer"}, "name": {"type": "string"}, "kind": _enum(SiteKind),
            "active": {"type": "boolean"},
            "sectors": {"type": "array", "items": _ref("Sector")},
        }),
        "Establishment": _object({
            "code": {"type": "string"}, "name": {"type": "string"},
            "go_live": {"type": "string", "format": "date"},
            "phase": {"type": "integer", "minimum": 1, "maximum": 3,
                      "description": _("The adaptation phase it is in today.")},
            "active": {"type": "boolean"},
            "sites": {"type": "array", "items": _ref("Site")},
        }),
        "EstablishmentList": _object({"items": {"type": "array",
                                                "items": _ref("Establishment")}}),
        "Feedback": _object({
            "ref": {"type": "string", "pattern": "^[0-9a-z]{12}$", "description": _(
                "The feedback's reference: random, so that it says nothing of when it was "
                "stored.")},
            "establishment": {"type": "string", "description": _("The establishment's code.")},
            "kind": _enum(FeedbackKind),
            "text": {"type": "string", "description": _(
                "The text as stored: patient identifiers already replaced by placeholders.")},
            "language": {"type": "string", "enum": ["fr", "en"]},
            "sentiment": _enum(SentimentLabel),
            "polarity": {"type": "number", "minimum": -1, "maximum": 1},
            "themes": {"type": "array", "items": _object({
                "code": {"type": "string"}, "confidence": {"type": "number"},
                "source": _enum(ThemeSource)})},
            "site": _nullable(_object({"id": {"type": "integer"}, "name": {"type": "string"}})),
            "sector": _nullable(_object({
                "id": {"type": "integer"}, "code": {"type": "string"},
                "name_fr": {"type": "string"}, "name_en": {"type": "string"}})),
            "role": _nullable({**role, "description": _(
                "The writer's role. Anonymous comments (survey and imported) show it only in a "
                "listing, and only when their anonymity cohort shares it.")}),
            "phase": _nullable({"type": "integer", "minimum": 1, "maximum": 3,
                                "description": _(
                                    "Anonymous comments show it only in a listing, and only "
                                    "when their anonymity cohort shares it.")}),
            "created_at": _nullable({"type": "string", "format": "date-time", "description": _(
                "When it was written (UTC); null for anonymous comments.")}),
            "created_on": _nullable({"type": "string", "format": "date", "description": _(
                "The Québec day it was written; null for anonymous comments.")}),
            "week_of": _nullable({"type": "string", "format": "date", "description": _(
                "The Monday of its Québec week (for anonymous comments, only in a listing).")}),
            "issue_id": _nullable({"type": "integer"}),
            "observation": _nullable(_object({
                "priority": _nullable(_enum(Priority)),
                "affected_role": _nullable(role),
                "client_uuid": {"type": "string"},
            })),
        }),
        "FeedbackPage": _object({
            "period": _period(),
            "anonymous_hidden": {"type": "boolean", "description": _(
                "True when the selection lists no anonymous comment although it holds some: "
                "too few to form a cohort of the anonymity threshold's size, or from a week "
                "not over yet.")},
            "anonymous_withheld": {"type": "boolean", "description": _(
                "True when some anonymous comments of the selection are not listed (they "
                "count only in wider selections, or once their week is over).")},
            "items": {"type": "array", "items": _ref("Feedback")},
            "next_cursor": _nullable({"type": "string", "description": _(
                "Pass it as `cursor` to read the next page; null on the last page.")}),
            "next": _nullable({"type": "string", "description": _(
                "The URL of the next page, with the same filters.")}),
        }),
        "NewObservation": {
            **_object({
                "text": {"type": "string", "minLength": 1, "maxLength": 2000, "description": _(
                    "What was seen; patient identifiers are removed before anything is "
                    "stored.")},
                "sector_id": {"type": "integer", "minimum": 1, "maximum": MAX_ID,
                              "description": _("Where: a sector (see /establishments).")},
                "site_id": {"type": "integer", "minimum": 1, "maximum": MAX_ID,
                            "description": _("Where: a whole site, when no sector fits.")},
                "affected_role": {**role, "description": _("Who was affected.")},
                "priority": _nullable(_enum(Priority)),
                "client_uuid": {"type": "string", "format": "uuid", "description": _(
                    "Your identifier for this observation: sending it again records it once. "
                    "Generated when left out.")},
                "observed_at": {"type": "string", "format": "date-time", "description": _(
                    "When it was seen, with its time zone (default: now); at most 30 days "
                    "ago.")},
                "themes": {"type": "array", "items": {"type": "string"}, "maxItems": 20,
                           "description": _("Theme codes to add to those the analysis "
                                            "finds.")},
            }, required=["text", "affected_role"]),
            "description": _("A field observation, recorded with the same rules as the "
                             "observation form. Give sector_id or site_id."),
        },
        "IssueKpis": _object({
            "start": {"type": "string", "format": "date-time"},
            "end": {"type": "string", "format": "date-time"},
            "received": {"type": "integer"}, "resolved": {"type": "integer"},
            "duplicates": {"type": "integer"},
            "priority_received": {"type": "integer"}, "priority_resolved": {"type": "integer"},
            "priority_resolved_within_24h": {"type": "integer"},
            "priority_waiting": {"type": "integer"},
            "median_hours_to_resolution": _nullable({"type": "number"}),
            "resolved_share": _nullable({"type": "number"}),
            "priority_resolved_share": _nullable({"type": "number"}),
            "priority_within_24h_share": _nullable({"type": "number"}),
            "backlog": {"type": "integer"},
            "backlog_by_theme": {"type": "array", "items": _object({
                "theme": {"type": "string"}, "open": {"type": "integer"},
                "priority": {"type": "integer"}})},
            "backlog_without_theme": {"type": "integer"},
        }, description=_("The command centre's issue indicators, as on the issues page.")),
        "Learning": _object({
            "id": {"type": "integer"}, "title": {"type": "string"},
            "learned": {"type": "string"}, "action": {"type": "string"},
            "action_owner": {"type": "string"},
            "action_on": _nullable({"type": "string", "format": "date"}),
            "phase": _nullable({"type": "integer"}),
            "published_at": _nullable({"type": "string", "format": "date-time"}),
            "themes": {"type": "array", "items": {"type": "string"}},
        }),
        "LearningList": _object({"items": {"type": "array", "items": _ref("Learning")}}),
        **_summary_schemas(),
    }


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
            "responses": {"200": _json(_("The token's owner."), _ref("Me")), **_errors(*auth)},
        }},
        "/api/v1/establishments": {"get": {
            "operationId": "list_establishments", "tags": ["establishments"],
            "summary": _("Establishments, sites and sectors"),
            "description": _("Those the token's owner may see: their establishment, or all "
                             "for a network-wide account. Sector and site ids are what "
                             "observations are filed under."),
            "responses": {"200": _json(_("The establishments."), _ref("EstablishmentList")),
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
                    _parameter("sentiment", "query", _enum(SentimentLabel),
                               _("Only this sentiment.")),
                    _parameter("limit", "query", {"type": "integer", "minimum": 1,
                                                  "maximum": MAX_PAGE,
                                                  "default": DEFAULT_PAGE},
                               _("How many per page.")),
                    _parameter("cursor", "query", {"type": "string", "maxLength": 200},
                               _("Where the page starts: next_cursor of the previous page.")),
                ],
                "responses": {"200": _json(_("A page of feedback."), _ref("FeedbackPage")),
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
                    "schema": _ref("NewObservation")}}},
                "responses": {
                    "201": _json(_("Recorded."), _ref("Feedback"), headers={"Location": {
                        "description": _("Its URL."), "schema": {"type": "string"}}}),
                    "200": _json(_("Already recorded with this client_uuid."), _ref("Feedback")),
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
            "responses": {"200": _json(_("The feedback."), _ref("Feedback")),
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
            "responses": {"200": _json(_("The summary."), _ref("Summary")),
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
            "responses": {"200": _json(_("The indicators."), _ref("IssueKpis")),
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
            "responses": {"200": _json(_("The learnings."), _ref("LearningList")),
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
