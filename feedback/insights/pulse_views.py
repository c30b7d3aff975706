"""The pulse-to-pulse page of the summaries (its routes join the dashboard's)."""

from flask import render_template
from flask_babel import get_locale

from feedback.access import role_required
from feedback.clock import local_today
from feedback.insights import pulses
from feedback.insights.blueprint import bp
from feedback.insights.presentation import item_labels
from feedback.models import Role
from feedback.surveys import schedule
from feedback.web import choose_establishment, requested_establishment, summary_selection


@bp.get("/pulses")
@role_required(Role.MANAGER)
def pulse_comparison():
    """Each pulse of the schedule beside the previous one: same questions, whole cohorts."""
    establishment = requested_establishment()
    if establishment is None:
        return choose_establishment("dashboard.pulse_comparison")
    today = local_today()
    f = summary_selection(establishment, establishment.go_live, max(today, establishment.go_live))
    comparison = pulses.pulse_comparison(f)
    return render_template(
        "dashboard/pulses.html", establishment=establishment, comparison=comparison,
        schedule=schedule.pulses(establishment, today), threshold=f.threshold,
        labels=item_labels([establishment.id], str(get_locale())), today=today)
