"""The OpenAPI document's schemas: what each operation returns."""

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
from feedback.web import MAX_ID


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def enum_of(values) -> dict:
    return {"type": "string", "enum": [getattr(v, "value", v) for v in values]}


def object_of(properties: dict, required: list[str] | None = None, **extra) -> dict:
    return {"type": "object", "properties": properties,
            "required": required if required is not None else list(properties),
            "additionalProperties": False, **extra}


def problem_schema(description: str) -> dict:
    return {"description": description,
            "content": {"application/problem+json": {"schema": ref("Problem")}}}


def period_schema() -> dict:
    return object_of({"first_week": {"type": "string", "format": "date"},
                    "last_day": {"type": "string", "format": "date"}},
                   description=_("The period, widened to whole Québec weeks."))


def protection_schema() -> dict:
    return {
        "suppressed": {"type": "boolean", "description": _(
            "True when the figures are hidden by the anonymity threshold (they are then "
            "null).")},
        "reason": nullable({"type": "string", "enum": ["small", "pending"],
                             "description": _("Why: too few anonymous answers to form a "
                                              "cohort of the threshold's size, or answers of "
                                              "a week not over yet.")}),
        "withheld": {"type": "boolean", "description": _(
            "True when some anonymous answers of the group count in none of its figures: "
            "they count only in wider groups, or once their week is over.")},
    }


def summary_schemas() -> dict:
    count = {"type": "integer"}
    number = nullable({"type": "number"})
    return {
        "Summary": object_of({
            "establishment": {"type": "string"},
            "period": period_schema(),
            "threshold": {"type": "integer", "description": _(
                "The anonymity threshold applied: the fewest anonymous responses a figure may "
                "rest on.")},
            "themes": ref("ThemeBreakdown"),
            "survey": {"type": "array", "items": ref("SurveyScores")},
        }),
        "ThemeBreakdown": object_of({
            "by": nullable({"type": "string"}),
            **protection_schema(),
            "groups": {"type": "array", "items": object_of({
                "key": {"description": _("The group: null (everything), a week, a phase, a "
                                         "sector id (0: none) or a role group.")},
                **protection_schema(),
                "total": nullable(count),
                "responses": nullable({**count, "description": _(
                    "Of which anonymous (survey and imported comments).")}),
                "by_kind": nullable({"type": "object", "additionalProperties": count}),
                "themes": {"type": "array", "items": object_of({
                    "code": {"type": "string"}, "count": count, "share": {"type": "number"},
                    "responses": count,
                    "sentiment": nullable(object_of({
                        "negative": count, "neutral": count, "positive": count,
                        "mean_polarity": {"type": "number"}})),
                    "sentiment_suppressed": {"type": "boolean"},
                })},
            })},
        }),
        "SurveyScores": object_of({
            "key": {"description": _("The group, as in ThemeBreakdown.")},
            **protection_schema(),
            "responses": nullable(count),
            "recommend": nullable(object_of({
                **protection_schema(), "answers": nullable(count), "promoters": nullable(count),
                "passives": nullable(count), "detractors": nullable(count), "score": number,
            })),
            "items": {"type": "array", "items": object_of({
                "item": {"type": "string"}, **protection_schema(), "answers": nullable(count),
                "mean": number,
                "distribution": nullable({"type": "array", "items": count,
                                           "minItems": 5, "maxItems": 5}),
            })},
        }),
    }


def schemas() -> dict:
    role = enum_of(WriterRole)
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
        "Me": object_of({
            "name": {"type": "string"},
            "email": {"type": "string"},
            "role": enum_of(Role),
            "establishment": nullable({"type": "string", "description": _(
                "The establishment's code; null for a network-wide account.")}),
            "token": object_of({"name": {"type": "string"}, "prefix": {"type": "string"},
                              "created_at": {"type": "string", "format": "date-time"}}),
        }, description=_("The owner of the token, whose role and establishment the token acts "
                         "with.")),
        "Sector": object_of({
            "id": {"type": "integer"}, "code": {"type": "string"},
            "name_fr": {"type": "string"}, "name_en": {"type": "string"},
            "active": {"type": "boolean"},
        }),
        "Site": object_of({
            "id": {"type": "integer"}, "name": {"type": "string"}, "kind": enum_of(SiteKind),
            "active": {"type": "boolean"},
            "sectors": {"type": "array", "items": ref("Sector")},
        }),
        "Establishment": object_of({
            "code": {"type": "string"}, "name": {"type": "string"},
            "go_live": {"type": "string", "format": "date"},
            "phase": {"type": "integer", "minimum": 1, "maximum": 3,
                      "description": _("The adaptation phase it is in today.")},
            "active": {"type": "boolean"},
            "sites": {"type": "array", "items": ref("Site")},
        }),
        "EstablishmentList": object_of({"items": {"type": "array",
                                                "items": ref("Establishment")}}),
        "Feedback": object_of({
            "ref": {"type": "string", "pattern": "^[0-9a-z]{12}$", "description": _(
                "The feedback's reference: random, so that it says nothing of when it was "
                "stored.")},
            "establishment": {"type": "string", "description": _("The establishment's code.")},
            "kind": enum_of(FeedbackKind),
            "text": {"type": "string", "description": _(
                "The text as stored: patient identifiers already replaced by placeholders.")},
            "language": {"type": "string", "enum": ["fr", "en"]},
            "sentiment": enum_of(SentimentLabel),
            "polarity": {"type": "number", "minimum": -1, "maximum": 1},
            "themes": {"type": "array", "items": object_of({
                "code": {"type": "string"}, "confidence": {"type": "number"},
                "source": enum_of(ThemeSource)})},
            "site": nullable(object_of({"id": {"type": "integer"}, "name": {"type": "string"}})),
            "sector": nullable(object_of({
                "id": {"type": "integer"}, "code": {"type": "string"},
                "name_fr": {"type": "string"}, "name_en": {"type": "string"}})),
            "role": nullable({**role, "description": _(
                "The writer's role; for an observation, who was affected. Anonymous comments "
                "(survey and imported) show it only in a listing, and only when their anonymity "
                "cohort shares it.")}),
            "phase": nullable({"type": "integer", "minimum": 1, "maximum": 3,
                                "description": _(
                                    "Anonymous comments show it only in a listing, and only "
                                    "when their anonymity cohort shares it.")}),
            "created_at": nullable({"type": "string", "format": "date-time", "description": _(
                "When it was written (UTC); null for anonymous comments.")}),
            "created_on": nullable({"type": "string", "format": "date", "description": _(
                "The Québec day it was written; null for anonymous comments.")}),
            "week_of": nullable({"type": "string", "format": "date", "description": _(
                "The Monday of its Québec week (for anonymous comments, only in a listing).")}),
            "issue_id": nullable({"type": "integer"}),
            "observation": nullable(object_of({
                "priority": nullable(enum_of(Priority)),
                "affected_role": nullable(role),
                "client_uuid": {"type": "string"},
            })),
        }),
        "FeedbackPage": object_of({
            "period": period_schema(),
            "anonymous_hidden": {"type": "boolean", "description": _(
                "True when the selection lists no anonymous comment although it holds some: "
                "too few to form a cohort of the anonymity threshold's size, or from a week "
                "not over yet.")},
            "anonymous_withheld": {"type": "boolean", "description": _(
                "True when some anonymous comments of the selection are not listed (they "
                "count only in wider selections, or once their week is over).")},
            "items": {"type": "array", "items": ref("Feedback")},
            "next_cursor": nullable({"type": "string", "description": _(
                "Pass it as `cursor` to read the next page; null on the last page.")}),
            "next": nullable({"type": "string", "description": _(
                "The URL of the next page, with the same filters.")}),
        }),
        "NewObservation": {
            **object_of({
                "text": {"type": "string", "minLength": 1, "maxLength": 2000, "description": _(
                    "What was seen; patient identifiers are removed before anything is "
                    "stored.")},
                "sector_id": {"type": "integer", "minimum": 1, "maximum": MAX_ID,
                              "description": _("Where: a sector (see /establishments).")},
                "site_id": {"type": "integer", "minimum": 1, "maximum": MAX_ID,
                            "description": _("Where: a whole site, when no sector fits.")},
                "affected_role": {**role, "description": _("Who was affected.")},
                "priority": nullable(enum_of(Priority)),
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
        "IssueKpis": object_of({
            "start": {"type": "string", "format": "date-time"},
            "end": {"type": "string", "format": "date-time"},
            "received": {"type": "integer"}, "resolved": {"type": "integer"},
            "duplicates": {"type": "integer"},
            "priority_received": {"type": "integer"}, "priority_resolved": {"type": "integer"},
            "priority_resolved_within_24h": {"type": "integer"},
            "priority_waiting": {"type": "integer"},
            "median_hours_to_resolution": nullable({"type": "number"}),
            "resolved_share": nullable({"type": "number"}),
            "priority_resolved_share": nullable({"type": "number"}),
            "priority_within_24h_share": nullable({"type": "number"}),
            "backlog": {"type": "integer"},
            "backlog_by_theme": {"type": "array", "items": object_of({
                "theme": {"type": "string"}, "open": {"type": "integer"},
                "priority": {"type": "integer"}})},
            "backlog_without_theme": {"type": "integer"},
        }, description=_("The command centre's issue indicators, as on the issues page.")),
        "Learning": object_of({
            "id": {"type": "integer"}, "title": {"type": "string"},
            "learned": {"type": "string"}, "action": {"type": "string"},
            "action_owner": {"type": "string"},
            "action_on": nullable({"type": "string", "format": "date"}),
            "phase": nullable({"type": "integer"}),
            "published_at": nullable({"type": "string", "format": "date-time"}),
            "themes": {"type": "array", "items": {"type": "string"}},
        }),
        "LearningList": object_of({"items": {"type": "array", "items": ref("Learning")}}),
        **summary_schemas(),
    }
