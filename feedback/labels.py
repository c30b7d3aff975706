"""The words the interface shows for stored codes (roles, phases, kinds…), in one place."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    SelectChoice,
)


def place_label(sector: str, site: str) -> str:
    """How a sector is named wherever people pick or read one: the sector, then its site."""
    return f"{sector} — {site}"


ROLE_LABELS = {
    "physician": _l("Physician"),
    "nurse": _l("Nurse or nursing assistant"),
    "professional": _l("Professional (pharmacy, rehabilitation, social work…)"),
    "clerk": _l("Administrative staff"),
    "manager": _l("Manager"),
    "super_user": _l("Super-user"),
    "other": _l("Other"),
}


PHASE_LABELS = {
    1: _l("1. First contact: access and stability"),
    2: _l("2. Appropriation: learning and adjustments"),
    3: _l("3. Change management: workflows and habits"),
}


AGREEMENT_LABELS = (
    (1, _l("Strongly disagree")),
    (2, _l("Disagree")),
    (3, _l("Neutral")),
    (4, _l("Agree")),
    (5, _l("Strongly agree")),
)


ACCOUNT_ROLE_LABELS = {
    "super_user": _l("Super-user"),
    "manager": _l("Manager"),
    "admin": _l("Administrator"),
}


SITE_KIND_LABELS = {
    "hospital": _l("Hospital"),
    "clsc": _l("CLSC"),
    "chsld": _l("CHSLD"),
    "other": _l("Other"),
}


LANGUAGE_CHOICES = [SelectChoice("fr", "Français"), SelectChoice("en", "English")]


KIND_LABELS = {
    "survey": _l("Survey comments"),
    "observation": _l("Observations"),
    "import": _l("Imported comments"),
}


SENTIMENT_LABELS = {
    "negative": _l("Negative"),
    "neutral": _l("Neutral"),
    "positive": _l("Positive"),
}


# What each line of a retention report is about.
RETENTION_LABELS = {
    "survey": _l("Survey comments"),
    "survey_response": _l("Survey responses and their answers"),
    "observation": _l("Field observations"),
    "import": _l("Imported comments"),
    "import_job": _l("Import runs and their reports"),
    "followup": _l("Follow-up contacts"),
    "audit": _l("Audit trail entries"),
}
