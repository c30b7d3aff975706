"""What a manager decides from: the drivers of the recommend score, and the floor's perception
next to the command centre's figures and the EHR's adoption, week by week."""

from flask import render_template, request
from flask_babel import get_locale

from feedback import insights
from feedback.access import role_required
from feedback.insights import perception
from feedback.insights.blueprint import bp, build_filter, filter_args, prepare_filters
from feedback.insights.forms import SummaryFilterForm
from feedback.insights.presentation import (
    driver_themes,
    drivers_chart,
    item_labels,
    perception_charts,
)
from feedback.models import Role
from feedback.web import choose_establishment, requested_establishment


def _selection(endpoint: str):
    establishment = requested_establishment()
    if establishment is None:
        return None, choose_establishment(endpoint)
    form = SummaryFilterForm(request.args)
    prepare_filters(form, establishment)
    f = build_filter(form, establishment)
    return (establishment, form, f), None


@bp.get("/drivers")
@role_required(Role.MANAGER)
def drivers():
    found, page = _selection("dashboard.drivers")
    if found is None:
        return page
    establishment, form, f = found
    figures = insights.SummaryFigures(f, establishment)
    return render_template(
        "dashboard/drivers.html", establishment=establishment, form=form, f=f,
        figures=figures, args=filter_args(form, establishment),
        items=item_labels([establishment.id], str(get_locale())), drivers_chart=drivers_chart,
        theme_names=driver_themes(str(get_locale())),
    )



@bp.get("/perception")
@role_required(Role.MANAGER)
def perception_view():
    found, page = _selection("dashboard.perception_view")
    if found is None:
        return page
    establishment, form, f = found
    seen = perception.perception_weeks(insights.SummaryFigures(f, establishment))
    locale = str(get_locale())
    return render_template(
        "dashboard/perception.html", establishment=establishment, form=form, f=f,
        perception=seen, charts=perception_charts(seen, locale), locale=locale,
        args=filter_args(form, establishment),
    )
