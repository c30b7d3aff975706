"""The form of one's own notification choices."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField


class PreferencesForm(FlaskForm):
    p1_alerts = BooleanField(_l("A P1 issue is opened, or an issue is past its service level"))
    assigned_alerts = BooleanField(_l("An issue is assigned to me"))
    daily_digest = BooleanField(_l("Every morning at 7:00: the command centre's digest (new, "
                                   "past their service level, resolved)"))
    weekly_digest = BooleanField(_l("Every Monday at 7:30: the week's digest (volumes, emerging "
                                    "themes, learnings not yet published)"))
    save = SubmitField(_l("Save my choices"))
