"""One's own notification choices, under the account."""

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from feedback import notifications
from feedback.access import role_required
from feedback.extensions import db
from feedback.mail import mail_enabled
from feedback.models import Role
from feedback.notifications.forms import PreferencesForm

bp = Blueprint("notifications", __name__)


@bp.route("/account/notifications", methods=["GET", "POST"])
@role_required(Role.MANAGER)  # every notification is about the command centre's issues
def preferences():
    preference = notifications.preferences_of(current_user)
    form = PreferencesForm(obj=preference)
    if form.validate_on_submit():
        notifications.set_preferences(
            current_user, **{name: form[name].data for name in notifications.PREFERENCES})
        db.session.commit()
        flash(_("Your notification choices are saved."), "success")
        return redirect(url_for(".preferences"))
    return render_template("account/notifications.html", form=form,
                           mail_on=mail_enabled(current_app.config))
