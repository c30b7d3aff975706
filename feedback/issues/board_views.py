"""The stabilisation board, the command centre's first screen, and each establishment's
service levels and webhook."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date, format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectChoice

from feedback import notifications
from feedback.access import role_required
from feedback.clock import utcnow
from feedback.extensions import db
from feedback.insights import charts
from feedback.issues import board as stabilisation
from feedback.issues.blueprint import (
    bp,
    chosen_establishment,
    establishment_arg,
    establishment_from_args,
    visible_establishments,
)
from feedback.issues.forms import IssueFilterForm, SlaForm, WebhookForm
from feedback.models import Role
from feedback.templating import percent_text


@bp.get("/board")
@role_required(Role.MANAGER)
def board():
    filters = IssueFilterForm(request.args)
    establishments = visible_establishments()
    filters.establishment.choices = [SelectChoice("", _("All establishments"))] + [
        SelectChoice(e.id, e.name) for e in establishments
    ]
    establishment = chosen_establishment(filters, establishments)
    shown = [establishment] if establishment else establishments
    figures = stabilisation.board(shown, utcnow(),
                                  network=establishment is None and current_user.network_wide)
    return render_template("issues/board.html", board=figures, filters=filters,
                           establishment=establishment, age_buckets=BOARD_AGES,
                           exit_labels=_exit_labels(), trend_chart=_trend_chart(figures))


def _trend_chart(figures: stabilisation.Board) -> charts.Chart:
    """Columns of the median hours to resolution of each day (none: nothing resolved)."""
    days = figures.trend
    return charts.column_chart(
        [format_date(day.day, "d MMM") for day in days],
        [charts.Series(_("Median hours to resolution"), "kind-observation",
                       [round(day.median_hours or 0, 1) for day in days])],
        label_every=max(1, len(days) // 10), number=format_number)


BOARD_AGES = {"lt4h": _l("< 4 h"), "4to24h": _l("4–24 h"), "1to3d": _l("1–3 days"),
              "gt3d": _l("> 3 days")}


def _exit_labels() -> dict[str, str]:
    return {
        "p1": _("No P1 open for more than %(hours)d hours, %(days)d days in a row",
                hours=stabilisation.EXIT_P1_HOURS, days=stabilisation.EXIT_P1_DAYS),
        "priority_resolved": _("At least %(share)s of priority issues (P1, P2) resolved",
                               share=percent_text(stabilisation.EXIT_PRIORITY_RESOLVED)),
        "within_24h": _("At least %(share)s of priority issues resolved in under 24 hours",
                        share=percent_text(stabilisation.EXIT_WITHIN_24H)),
    }


@bp.route("/settings", methods=["GET", "POST"])
@role_required(Role.MANAGER)
def settings():
    """An establishment's service levels and webhook (network-wide users pick the establishment)."""
    establishment = (current_user.establishment if not current_user.network_wide
                     else establishment_from_args())
    if establishment is None:
        return render_template("issues/choose_establishment.html",
                               establishments=visible_establishments(),
                               target="issues.settings")
    sla_form, webhook_form = SlaForm(prefix="sla"), WebhookForm(prefix="hook")
    if request.method == "POST" and sla_form.save_sla.data:
        if sla_form.validate():
            if stabilisation.set_sla(establishment, sla_form.levels(), actor=current_user):
                db.session.commit()
                flash(_("Service levels saved."), "success")
            return redirect(url_for(".settings", **establishment_arg(establishment)))
    elif request.method == "POST" and webhook_form.save_webhook.data:
        if webhook_form.validate():
            try:
                notifications.set_webhook(
                    establishment, "" if webhook_form.remove.data else webhook_form.url.data,
                    actor=current_user)
            except notifications.WebhookError as error:
                db.session.rollback()
                webhook_form.url.errors = [str(error)]
            else:
                db.session.commit()
                flash(_("Webhook saved."), "success")
                return redirect(url_for(".settings", **establishment_arg(establishment)))
    elif request.method == "POST":
        abort(400)
    if request.method == "GET" or not sla_form.save_sla.data:
        sla_form.fill(stabilisation.sla_of(establishment))
    hook = notifications.webhook_of(establishment)
    status = 422 if request.method == "POST" else 200
    return render_template("issues/settings.html", establishment=establishment,
                           sla_form=sla_form, webhook_form=webhook_form,
                           webhook=notifications.masked(hook.url) if hook else None,
                           defaults={p.value: hours
                                     for p, hours in stabilisation.DEFAULT_SLA.items()}), status
