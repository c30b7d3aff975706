"""Single sign-on settings: the identity providers people sign in through (routes of the admin
blueprint). Network admins only: a provider decides who may enter Écho."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from feedback.accounts import sso
from feedback.admin.blueprint import (
    bp,
    confirmed,
    establishment_choices,
    establishment_or_404,
    network_admin_required,
)
from feedback.admin.forms import IdentityProviderForm
from feedback.extensions import db
from feedback.forms import PostForm
from feedback.models import IdentityProvider
from feedback.web import public_url


def _form(provider: IdentityProvider | None) -> IdentityProviderForm:
    form = IdentityProviderForm(obj=provider)
    if provider is not None and not form.is_submitted():
        form.establishment.data = provider.establishment_id or 0
        form.client_secret.data = ""  # write-only: the stored secret never goes back out
    form.establishment.choices = establishment_choices(network_label=_("The whole network"))
    return form


@bp.route("/sign-in")
@network_admin_required
def sso_providers():
    return render_template(
        "admin/sso_providers.html", providers=sso.providers(), post_form=PostForm(),
        callback_url=public_url("auth.sso_callback"),
        local_setting=current_app.config["LOCAL_PASSWORDS"],
        local_in_effect=sso.local_passwords_allowed(current_app.config["LOCAL_PASSWORDS"],
                                                    sso.enabled_providers()))


def _save(provider: IdentityProvider | None):
    form = _form(provider)
    if form.validate_on_submit():
        establishment = (establishment_or_404(form.establishment.data)
                         if form.establishment.data else None)
        try:
            saved = sso.save_provider(
                provider, actor=current_user, secret_key=current_app.config["SECRET_KEY"],
                establishment=establishment, name=form.name.data, issuer=form.issuer.data,
                client_id=form.client_id.data, client_secret=form.client_secret.data or "",
                email_claim=form.email_claim.data, verified_claim=form.verified_claim.data,
                enabled=form.enabled.data)
        except sso.ProviderError as error:
            db.session.rollback()
            getattr(form, error.field).errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Identity provider %(name)s saved.", name=saved.name), "success")
            return redirect(url_for(".sso_providers"))
    status = 422 if form.errors else 200
    return render_template("admin/sso_provider_form.html", form=form, provider=provider,
                           callback_url=public_url("auth.sso_callback")), status


@bp.route("/sign-in/new", methods=["GET", "POST"])
@network_admin_required
def sso_provider_new():
    return _save(None)


@bp.route("/sign-in/<int:provider_id>/edit", methods=["GET", "POST"])
@network_admin_required
def sso_provider_edit(provider_id: int):
    return _save(db.get_or_404(IdentityProvider, provider_id))


@bp.post("/sign-in/<int:provider_id>/delete")
@network_admin_required
def sso_provider_delete(provider_id: int):
    provider = db.get_or_404(IdentityProvider, provider_id)
    return confirmed(lambda: sso.delete_provider(provider, actor=current_user),
                     _("Identity provider %(name)s deleted.", name=provider.name),
                     back=url_for(".sso_providers"))
