"""What every template can use: navigation by role, the language switch, date filters."""

from dataclasses import dataclass
from datetime import date

from babel import Locale
from babel.numbers import LC_NUMERIC, parse_pattern
from flask import Flask, current_app, request
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    format_number,
    format_percent,
    get_locale,
    ngettext,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from feedback.forms import LanguageForm, PostForm
from feedback.models import Role


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: str
    role: Role


# An entry appears in the menu as soon as its endpoint exists and the user's role reaches it.
NAVIGATION = (
    NavItem("main.home", _l("Home"), Role.SUPER_USER),
    NavItem("observations.new", _l("Observe"), Role.SUPER_USER),
    NavItem("issues.board", _l("Command centre"), Role.MANAGER),
    NavItem("dashboard.summary", _l("Summary"), Role.MANAGER),
    NavItem("surveys.campaigns", _l("Surveys"), Role.MANAGER),
    NavItem("learnings.index", _l("Learnings"), Role.MANAGER),
    NavItem("dashboard.compare", _l("Compare"), Role.MANAGER),
    NavItem("imports.index", _l("Import"), Role.MANAGER),
    NavItem("privacy.contacts", _l("Follow-ups"), Role.MANAGER),
    NavItem("admin.index", _l("Administration"), Role.ADMIN),
    NavItem("account.profile", _l("My account"), Role.SUPER_USER),
)


def navigation() -> list[NavItem]:
    if not current_user.is_authenticated:
        return []
    return [
        item
        for item in NAVIGATION
        if item.endpoint in current_app.view_functions and current_user.has_role(item.role)
    ]


def template_context() -> dict:
    locale = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    other = "en" if locale == "fr" else "fr"
    return {
        "locale": locale,
        "navigation": navigation(),
        "language_form": LanguageForm(language=other, next=request.full_path.rstrip("?")),
        "other_language": other,
        "post_form": PostForm(),
    }


def endpoint_exists(endpoint: str) -> bool:
    """Lets templates link to an area only once it exists."""
    return endpoint in current_app.view_functions


def register(app: Flask) -> None:
    app.context_processor(template_context)
    app.jinja_env.globals.update(endpoint_exists=endpoint_exists)
    app.jinja_env.filters.update(datetime=format_datetime, date=format_date, number=format_number)


def share_text(value: float | None) -> str:
    return format_percent(value) if value is not None else "—"


def duration_text(hours: float | None) -> str:
    """A span of time the way people say it: "45 min", "3 h 20", then whole days ("200 days")."""
    if hours is None:
        return "—"
    minutes = max(0, round(hours * 60))
    if minutes < 60:
        return _("%(n)s min", n=format_number(minutes))
    if minutes < 48 * 60:
        whole, rest = divmod(minutes, 60)
        if not rest:
            return _("%(h)s h", h=format_number(whole))
        return _("%(h)s h %(m)s", h=format_number(whole), m=f"{rest:02d}")
    days = minutes // (24 * 60)
    return ngettext("%(n)s day", "%(n)s days", days, n=format_number(days))


# Parsed once: a summary page writes a few hundred shares, and parsing the pattern each time was
# a quarter of the cost of each (babel's format_percent does exactly this apply).
_PERCENT = parse_pattern("#,##0 %")


def percent_text(value: float | None) -> str:
    if value is None:
        return "—"
    return _PERCENT.apply(value, Locale.parse(get_locale() or LC_NUMERIC))


def points_text(value: float) -> str:
    """A change of share in percentage points, signed."""
    rounded = round(value * 100)
    return _("%(sign)s%(n)s pts", sign="+" if rounded > 0 else "", n=format_number(rounded))


def score_text(value: float | None) -> str:
    if value is None:
        return "—"
    rounded = round(value)
    return ("+" if rounded > 0 else "") + format_number(rounded)


def mean_text(value: float | None) -> str:
    return format_decimal(round(value, 1), "0.0") if value is not None else "—"


def heat_class(value: float | None, maximum: float = 0.5) -> str:
    """A CSS class from heat-0 to heat-5 for a share (colour is never the only cue)."""
    if value is None:
        return "heat-hidden"
    return f"heat-{min(5, int(value / maximum * 5 + 0.5)) if maximum else 0}"


def week_label(week: date) -> str:
    return format_date(week, "d MMM")
