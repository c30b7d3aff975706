"""What every template can use: navigation by role, the language switch, date filters."""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from babel import Locale, dates, numbers
from babel.numbers import LC_NUMERIC, parse_pattern
from flask import Flask, current_app, request
from flask_babel import (
    format_date,
    format_datetime,
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


class LocaleTexts:
    """Numbers and week labels written in one language, as flask-babel writes them.

    A summary page writes several hundred shares, means and week labels, and babel parses the
    locale again for every one; here it is parsed once per language.
    """

    def __init__(self, locale: Locale | None) -> None:
        self.locale = locale  # None outside a request: babel's defaults, as flask-babel does
        self._numbers = Locale.parse(locale or LC_NUMERIC)
        self._decimal = self._numbers.decimal_formats[None]  # babel's format_decimal's default

    def percent(self, value: float | None) -> str:
        return _PERCENT.apply(value, self._numbers) if value is not None else "—"

    def number(self, value) -> str:
        return self._decimal.apply(value, self._numbers)

    def mean(self, value: float | None) -> str:
        if value is None:
            return "—"
        return numbers.format_decimal(round(value, 1), "0.0", locale=self.locale)

    def score(self, value: float | None) -> str:
        if value is None:
            return "—"
        rounded = round(value)
        return ("+" if rounded > 0 else "") + self.number(rounded)

    def week(self, week: date) -> str:
        """A week by its Monday: "4 mai"."""
        return dates.format_date(week, "d MMM", locale=self.locale)


@lru_cache(maxsize=16)
def _texts_in(locale: Locale | None) -> LocaleTexts:
    return LocaleTexts(locale)


def locale_texts() -> LocaleTexts:
    """The current language's texts (the request's, or the one a task forces)."""
    return _texts_in(get_locale())


def format_number(value) -> str:
    """flask-babel's format_number, its locale and pattern looked up once."""
    return locale_texts().number(value)


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
    return locale_texts().percent(value)


def points_text(value: float) -> str:
    """A change of share in percentage points, signed."""
    rounded = round(value * 100)
    return _("%(sign)s%(n)s pts", sign="+" if rounded > 0 else "", n=format_number(rounded))


def score_text(value: float | None) -> str:
    return locale_texts().score(value)


def mean_text(value: float | None) -> str:
    return locale_texts().mean(value)


def heat_class(value: float | None, maximum: float = 0.5) -> str:
    """A CSS class from heat-0 to heat-5 for a share (colour is never the only cue)."""
    if value is None:
        return "heat-hidden"
    return f"heat-{min(5, int(value / maximum * 5 + 0.5)) if maximum else 0}"


def week_label(week: date) -> str:
    return locale_texts().week(week)
