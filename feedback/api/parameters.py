"""The API's query parameters: read, checked, and every error reported at once."""

from datetime import date, datetime

from flask import (
    abort,
    request,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from feedback import insights, paging
from feedback.access import can_see
from feedback.api import openapi
from feedback.api.problems import (
    NUL,
    Invalid,
    parameter_error,
)
from feedback.extensions import db
from feedback.forms import REF
from feedback.models import (
    Establishment,
    Feedback,
    FeedbackKind,
    WriterRole,
)
from feedback.web import default_period, summary_selection


def int_parameter(name: str, errors: list[dict], *, low: int = 1,
                   high: int = openapi.MAX_ID) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        errors.append(parameter_error(name, _("Give a whole number from %(low)s to %(high)s.",
                                              low=low, high=high)))
        return None
    return value


def date_parameter(name: str, errors: list[dict]) -> date | None:
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        if len(raw) != 10:  # fromisoformat also reads 20260512 and week dates
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        errors.append(parameter_error(name, _("Give a date as YYYY-MM-DD.")))
        return None


def choice_parameter(name: str, allowed: list[str], errors: list[dict]) -> str | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    if raw not in allowed:
        errors.append(parameter_error(name, _("Use one of: %(values)s.",
                                              values=", ".join(allowed))))
        return None
    return raw


def establishment_or_404(code: str) -> Establishment:
    if NUL in code or len(code) > 20:
        abort(404)
    establishment = db.session.scalar(
        select(Establishment).where(Establishment.code == code.strip().upper()))
    if establishment is None or not can_see(establishment.id):
        abort(404)
    return establishment


LIST_PARAMETERS = ("establishment", "since", "until", "phase", "role", "sector", "kind", "theme",
                   "sentiment", "limit", "cursor")


SUMMARY_PARAMETERS = ("since", "until", "phase", "role", "sector", "kind", "by")


SUMMARY_GROUPS = ("week", "phase", "sector", "role_group")


def summary_filter_from_query(establishment: Establishment,
                              errors: list[dict]) -> insights.SummaryFilter:
    """The summaries' own filter, from the query string: whole Québec weeks, the threshold."""
    since = date_parameter("since", errors)
    until = date_parameter("until", errors)
    phase = int_parameter("phase", errors, high=3)
    role = choice_parameter("role", [r.value for r in WriterRole], errors)
    sector_id = int_parameter("sector", errors)
    kind = choice_parameter("kind", [k.value for k in FeedbackKind], errors)
    if since and until and until < since:
        errors.append(parameter_error("until", _("The last day must not be before the first.")))
    if errors:
        raise Invalid(errors)
    # Without dates, the summary page's own period: from go-live to the last week with data.
    default_first, default_last = default_period(establishment)
    first, last = since or default_first, until or default_last
    return summary_selection(
        establishment, first, max(first, last), phase=phase,
        role=WriterRole(role) if role else None, sector_id=sector_id,
        kind=FeedbackKind(kind) if kind else None)


def unknown_parameters(allowed: tuple[str, ...]) -> list[dict]:
    return [parameter_error(name, _("Unknown parameter."))
            for name in sorted(set(request.args) - set(allowed))]


def listed_establishment(errors: list[dict]) -> Establishment | None:
    code = request.args.get("establishment", "")
    if not code:
        if current_user.network_wide:
            errors.append(parameter_error("establishment", _(
                "Choose an establishment (its code): your account is network-wide.")))
        return current_user.establishment
    establishment = db.session.scalar(
        select(Establishment).where(Establishment.code == code.strip().upper()))
    if establishment is None or not can_see(establishment.id):
        errors.append(parameter_error("establishment", _("Unknown establishment, or not yours.")))
        return None
    return establishment


def encode_cursor(feedback: Feedback) -> str:
    return paging.encode_cursor(insights.LISTING_KEYS, insights.listing_key(feedback))


def cursor_from(value: str | None, errors: list[dict]) -> tuple[datetime, str] | None:
    """The listing position a cursor names (the pages' own cursors: one format for both)."""
    if not value:
        return None
    try:
        (moment, last_ref), backward = paging.decode_cursor(insights.LISTING_KEYS, value)
        if backward or not REF.fullmatch(last_ref):
            raise paging.InvalidCursor(value)
    except paging.InvalidCursor:
        errors.append(parameter_error("cursor", _(
            "This cursor is not valid: use next_cursor from the previous page.")))
        return None
    return moment, last_ref
