"""The public privacy notice, and the follow-up contacts respondents leave for their managers."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from feedback import privacy
from feedback.access import get_scoped_or_404, role_required, scoped
from feedback.admin import ANONYMITY_BOUNDS
from feedback.extensions import db
from feedback.forms import PostForm
from feedback.models import Campaign, Establishment, FollowUpContact, Role
from feedback.web import page_number

bp = Blueprint("privacy", __name__)

PER_PAGE = 50


@bp.route("/privacy")
def notice():
    """What Écho collects, why, for how long, who sees it: readable without an account."""
    config = current_app.config
    return render_template(
        "privacy/notice.html", periods=privacy.retention_days(config),
        threshold=config["ANONYMITY_THRESHOLD"], bounds=ANONYMITY_BOUNDS,
        contact=config.get("PRIVACY_CONTACT") or "",
        contact_email=config.get("PRIVACY_CONTACT_EMAIL") or "",
    )


@bp.route("/privacy/contacts")
@role_required(Role.MANAGER)
def contacts():
    """Contacts of the user's establishment(s): open ones first, newest first."""
    show = request.args.get("show", "open")
    stmt = scoped(select(FollowUpContact), FollowUpContact.establishment_id).order_by(
        FollowUpContact.handled, FollowUpContact.created_on.desc(), FollowUpContact.id.desc()
    )
    if show == "open":
        stmt = stmt.where(FollowUpContact.handled.is_(False))
    page = db.paginate(stmt, page=page_number(), per_page=PER_PAGE,
                       error_out=False)
    campaign_ids = {contact.campaign_id for contact in page.items if contact.campaign_id}
    title = Campaign.title_en if str(get_locale()) == "en" else Campaign.title_fr
    campaigns = dict(db.session.execute(
        select(Campaign.id, title).where(Campaign.id.in_(campaign_ids))
    ).all()) if campaign_ids else {}
    codes = dict(db.session.execute(select(Establishment.id, Establishment.code)).all())
    return render_template("privacy/contacts.html", page=page, show=show, post_form=PostForm(),
                           campaigns=campaigns, codes=codes,
                           followup_days=privacy.retention_days(current_app.config)["followup"])


def _back() -> str:
    return url_for(".contacts", show=request.args.get("show", "open"))


@bp.post("/privacy/contacts/<int:contact_id>/<any(handled, reopen):verb>")
@role_required(Role.MANAGER)
def contact_handled(contact_id, verb):
    contact = get_scoped_or_404(FollowUpContact, contact_id)
    if PostForm().validate_on_submit():
        privacy.set_followup_handled(current_user, contact, verb == "handled")
        db.session.commit()
        flash(_("Marked as handled.") if verb == "handled" else _("Marked as not handled."),
              "success")
    return redirect(_back())


@bp.post("/privacy/contacts/<int:contact_id>/delete")
@role_required(Role.MANAGER)
def contact_delete(contact_id):
    contact = get_scoped_or_404(FollowUpContact, contact_id)
    if PostForm().validate_on_submit():
        privacy.delete_followup(current_user, contact)
        db.session.commit()
        flash(_("Contact deleted for good."), "success")
    return redirect(_back())
