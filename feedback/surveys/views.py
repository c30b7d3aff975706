"""Campaigns (managers) and the public one-minute survey (anyone with the link, no account)."""

import io
import json
from datetime import timedelta

import segno
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from wtforms import SelectChoice

from feedback import surveys
from feedback.access import can_see, get_scoped_or_404, role_required, scoped
from feedback.admin import effective_threshold, may_manage_establishment
from feedback.clock import local_today, utcnow
from feedback.extensions import csrf, db, limiter
from feedback.forms import PostForm
from feedback.insights import anonymity
from feedback.insights import participation as insights_participation
from feedback.labels import ROLE_LABELS, place_label
from feedback.learnings import published_learnings
from feedback.models import Campaign, Establishment, Role, Sector, Site, WriterRole
from feedback.surveys import headcounts as headcounts_domain
from feedback.surveys import schedule
from feedback.surveys.forms import (
    CampaignForm,
    HeadcountFileForm,
    InstrumentForm,
    ScheduleForm,
    headcount_form_class,
    survey_form_class,
)
from feedback.templating import percent_text
from feedback.web import (
    choose_establishment,
    page_number,
    public_url,
    requested_establishment,
)

bp = Blueprint("surveys", __name__)

# Role and sector, remembered on the respondent's device for the next pulse (never server-side).
PROFILE_COOKIE = "echo_survey_profile"
PROFILE_MAX_AGE = 180 * 24 * 3600


def survey_rate_limit() -> str:
    return current_app.config["SURVEY_RATE_LIMIT"]


@bp.route("/s/<slug>", methods=["GET", "POST"])
@limiter.limit(survey_rate_limit, methods=["POST"])
@csrf.exempt  # the form checks its own CSRF token, so an expired one keeps the answers on screen
def answer(slug):
    campaign = db.first_or_404(select(Campaign).where(Campaign.slug == slug))
    today = local_today()
    state = surveys.campaign_state(campaign, today)
    if state is not surveys.CampaignState.OPEN:
        return render_template("surveys/unavailable.html", campaign=campaign, state=state)

    locale = str(get_locale())
    sectors = surveys.offered_sectors(campaign)
    form = survey_form(campaign, sectors, locale)
    secret = current_app.config["SECRET_KEY"]

    if request.method == "GET":
        _prefill(form, campaign, sectors, today)
        form.token.data = surveys.new_submission_token(campaign, secret)
    elif form.website.data:
        return redirect(url_for(".thanks", slug=slug))  # a bot: answer as if stored, store nothing
    elif form.validate_on_submit():
        nonce = surveys.read_submission_token(form.token.data or "", campaign, secret)
        if nonce is None:
            form.token.data = surveys.new_submission_token(campaign, secret)
            flash(_("This form was opened too long ago. Your answers are still here: "
                    "send them again."), "error")
        else:
            sector = store_response(form, campaign, sectors, nonce, today)
            response = redirect(url_for(".thanks", slug=slug))
            response.set_cookie(
                PROFILE_COOKIE, json.dumps([form.role.data, sector.id]), max_age=PROFILE_MAX_AGE,
                path="/", httponly=True, samesite="Lax", secure=request.is_secure,
            )
            return response
    elif "csrf_token" in form.errors:
        flash(_("Your session expired. Your answers are still here: send them again."), "error")

    return render_template("surveys/answer.html", campaign=campaign, form=form, locale=locale,
                           comment_max=surveys.COMMENT_MAX_LENGTH)


def survey_form(campaign: Campaign, sectors: list[Sector], locale: str, **kwargs):
    """The campaign's survey form, its roles and sectors offered in `locale`."""
    form = survey_form_class(campaign.instrument, locale)(**kwargs)
    form.role.choices = [SelectChoice(role.value, ROLE_LABELS[role.value])
                         for role in surveys.RESPONDENT_ROLES]
    form.sector.choices = [SelectChoice("", _("Choose your sector"))] + [
        SelectChoice(str(sector.id), sector.label(locale))
        for sector in sectors
    ]
    return form


def store_response(form, campaign: Campaign, sectors: list[Sector], nonce: str, today) -> Sector:
    """Record a valid form's answers (once per token) and commit; returns the chosen sector."""
    sector = next(s for s in sectors if str(s.id) == form.sector.data)
    try:
        surveys.record_survey_response(
            campaign,
            nonce=nonce,
            role=WriterRole(form.role.data),
            sector=sector,
            phase=form.phase.data,
            answers={f.name.removeprefix("item_"): f.data for f in form.item_fields()},
            recommend=form.recommend.data,
            comment=form.comment.data or "",
            contact=form.contact.data or "",
            today=today,
        )
        db.session.commit()
    except IntegrityError:
        # The same form sent twice at once (a double tap): the first one is stored.
        db.session.rollback()
    return sector


def _prefill(form, campaign: Campaign, sectors: list[Sector], today) -> None:
    form.phase.data = campaign.establishment.phase_on(today)
    try:
        role, sector_id = json.loads(request.cookies.get(PROFILE_COOKIE, ""))
    except (ValueError, TypeError):
        return
    if role in {r.value for r in surveys.RESPONDENT_ROLES}:
        form.role.data = role
    if any(sector.id == sector_id for sector in sectors):
        form.sector.data = str(sector_id)


@bp.route("/s/<slug>/merci")
def thanks(slug):
    campaign = db.first_or_404(select(Campaign).where(Campaign.slug == slug))
    learnings = published_learnings(campaign.establishment_id, limit=5)
    return render_template("surveys/thanks.html", campaign=campaign, learnings=learnings)


@bp.route("/p/<code>")
def pulse(code):
    """An establishment's permanent survey link: it leads to whichever campaign is open."""
    establishment = db.first_or_404(
        select(Establishment).where(Establishment.code == code.upper(), Establishment.active)
    )
    campaign = surveys.open_campaign_of(establishment, local_today())
    if campaign is None:
        return render_template("surveys/no_pulse.html", establishment=establishment)
    return redirect(url_for(".answer", slug=campaign.slug))


# Managers' side ---------------------------------------------------------------------------


CAMPAIGNS_PER_PAGE = 10


@bp.route("/campaigns")
@role_required(Role.MANAGER)
def campaigns():
    """Campaigns by status (open, scheduled, finished), a page at a time, with their rate."""
    group = request.args.get("status", "open")
    if group not in surveys.LIST_GROUPS:
        group = "open"
    today = local_today()
    counts = {name: db.session.scalar(
        scoped(select(func.count(Campaign.id)), Campaign.establishment_id)
        .where(surveys.list_group_clause(name, today))) for name in surveys.LIST_GROUPS}
    order = ((Campaign.opens_on.asc(), Campaign.id.asc()) if group == "scheduled"
             else (Campaign.opens_on.desc(), Campaign.id.desc()))
    page = db.paginate(
        scoped(select(Campaign), Campaign.establishment_id)
        .where(surveys.list_group_clause(group, today)).order_by(*order),
        page=page_number(), per_page=CAMPAIGNS_PER_PAGE, error_out=False)
    rows = list(page.items)
    activity = surveys.campaign_activity([c.id for c in rows])
    default = current_app.config["ANONYMITY_THRESHOLD"]
    thresholds = {e.id: effective_threshold(e, default) for e in {c.establishment for c in rows}}
    participation = {p.campaign.id: p
                     for p in insights_participation.campaign_participation(rows, thresholds)}
    return render_template(
        "surveys/campaigns.html", group=group, counts=counts, page=page,
        campaigns=[(c, surveys.campaign_state(c, today), activity.get(c.id), participation[c.id])
                   for c in rows],
        due=schedule.due_pulses(_establishment_choices(), today), today=today,
        percent=percent_text,
    )


def _establishment_choices() -> list[Establishment]:
    return list(db.session.scalars(
        scoped(select(Establishment).where(Establishment.active), Establishment.id)
        .order_by(Establishment.name)
    ))


def _campaign_form(campaign: Campaign | None = None) -> tuple[CampaignForm, dict[int, int]]:
    """The form, its choices limited to what the user may see, and each sector's establishment."""
    form = CampaignForm(obj=campaign)
    establishments = _establishment_choices()
    form.establishment.choices = [SelectChoice(e.id, e.name) for e in establishments]
    sectors = db.session.execute(
        select(Sector, Site, Establishment)
        .join(Site, Sector.site_id == Site.id)
        .join(Establishment, Site.establishment_id == Establishment.id)
        .where(Establishment.id.in_([e.id for e in establishments]), Sector.active, Site.active)
        .order_by(Establishment.code, Site.name, Sector.name_fr)
    ).all()
    locale = str(get_locale())
    prefix = len(establishments) > 1
    form.sectors.choices = [
        SelectChoice(sector.id, (f"{establishment.code} · " if prefix else "")
                     + place_label(sector.name(locale), site.name))
        for sector, site, establishment in sectors
    ]
    sector_owner = {sector.id: establishment.id for sector, _site, establishment in sectors}
    if campaign is not None and request.method == "GET":
        form.establishment.data = campaign.establishment_id
        form.sectors.data = [s.id for s in campaign.sectors]
    return form, sector_owner


def _chosen(
    form: CampaignForm, owner: dict[int, int]
) -> tuple[Establishment, list[Sector]] | None:
    """The establishment and sectors a valid form names, or None after flagging the field."""
    wrong = [s for s in form.sectors.data if owner.get(s) != form.establishment.data]
    if wrong:
        form.sectors.errors.append(_("Choose sectors of the campaign's establishment only."))
        return None
    establishment = db.session.get(Establishment, form.establishment.data)
    sectors = [db.session.get(Sector, s) for s in form.sectors.data]
    return establishment, sectors


@bp.route("/campaigns/new", methods=["GET", "POST"])
@role_required(Role.MANAGER)
def new_campaign():
    form, owner = _campaign_form()
    if request.method == "GET":
        today = local_today()
        form.opens_on.data, form.closes_on.data = today, today + timedelta(days=6)
    if form.validate_on_submit() and (chosen := _chosen(form, owner)):
        establishment, sectors = chosen
        campaign = surveys.create_campaign(
            establishment=establishment, title_fr=form.title_fr.data, title_en=form.title_en.data,
            intro_fr=form.intro_fr.data, intro_en=form.intro_en.data,
            opens_on=form.opens_on.data, closes_on=form.closes_on.data, sectors=sectors,
            created_by=current_user,
        )
        db.session.commit()
        flash(_("Campaign created. Its link and poster are ready."), "success")
        return redirect(url_for(".poster", campaign_id=campaign.id))
    return render_template("surveys/edit.html", form=form, campaign=None)


@bp.route("/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
@role_required(Role.MANAGER)
def edit_campaign(campaign_id):
    campaign = get_scoped_or_404(Campaign, campaign_id)
    form, owner = _campaign_form(campaign)
    if form.validate_on_submit() and (chosen := _chosen(form, owner)):
        establishment, sectors = chosen
        if establishment.id != campaign.establishment_id and campaign.responses:
            form.establishment.errors.append(
                _("This campaign has responses: its establishment cannot change."))
        else:
            surveys.update_campaign(
                campaign, actor=current_user, establishment=establishment, sectors=sectors,
                **{name: getattr(form, name).data for name in (
                    "title_fr", "title_en", "intro_fr", "intro_en", "opens_on", "closes_on")})
            db.session.commit()
            flash(_("Campaign saved."), "success")
            return redirect(url_for(".campaigns"))
    return render_template("surveys/edit.html", form=form, campaign=campaign)


@bp.route("/campaigns/<int:campaign_id>/questions", methods=["GET", "POST"])
@role_required(Role.MANAGER)
def questions(campaign_id):
    campaign = get_scoped_or_404(Campaign, campaign_id)
    instrument = campaign.instrument
    form = InstrumentForm(data={"items": instrument["items"], "recommend": instrument["recommend"],
                                "comment": instrument["comment"]})
    if form.validate_on_submit():
        surveys.reword_campaign(campaign, form.data, actor=current_user)
        db.session.commit()
        flash(_("Questions saved."), "success")
        return redirect(url_for(".campaigns"))
    themes = [item["theme"] for item in instrument["items"]]
    return render_template("surveys/questions.html", form=form, campaign=campaign, themes=themes)


@bp.post("/campaigns/<int:campaign_id>/close", defaults={"closed": True}, endpoint="close")
@bp.post("/campaigns/<int:campaign_id>/reopen", defaults={"closed": False}, endpoint="reopen")
@role_required(Role.MANAGER)
def set_closed(campaign_id, closed):
    campaign = get_scoped_or_404(Campaign, campaign_id)
    if PostForm().validate_on_submit():
        surveys.set_campaign_closed(campaign, closed, actor=current_user)
        db.session.commit()
        flash(_("Campaign closed: its link no longer accepts answers.") if closed
              else _("Campaign reopened."), "success")
    return redirect(url_for(".campaigns"))


@bp.post("/campaigns/<int:campaign_id>/duplicate")
@role_required(Role.MANAGER)
def duplicate(campaign_id):
    campaign = get_scoped_or_404(Campaign, campaign_id)
    if not PostForm().validate_on_submit():
        return redirect(url_for(".campaigns"))
    copy = surveys.duplicate_campaign(campaign, created_by=current_user, today=local_today())
    db.session.commit()
    flash(_("Next pulse created: check its dates."), "success")
    return redirect(url_for(".edit_campaign", campaign_id=copy.id))


@bp.route("/campaigns/<int:campaign_id>/poster")
@role_required(Role.MANAGER)
def poster(campaign_id):
    campaign = get_scoped_or_404(Campaign, campaign_id)
    link = public_url(".answer", slug=campaign.slug)
    qr_svg = segno.make(link, error="m").svg_inline(scale=8, dark="#000", title=link)
    code = campaign.establishment.code
    kiosks = [(sector, public_url(".kiosk", code=code, unite=sector.id))
              for sector in surveys.offered_sectors(campaign)]
    return render_template("surveys/poster.html", campaign=campaign, link=link, qr_svg=qr_svg,
                           kiosks=kiosks)


@bp.route("/campaigns/<int:campaign_id>/qr.png")
@role_required(Role.MANAGER)
def qr_png(campaign_id):
    campaign = get_scoped_or_404(Campaign, campaign_id)
    buffer = io.BytesIO()
    segno.make(public_url(".answer", slug=campaign.slug), error="m").save(
        buffer, kind="png", scale=10, border=4
    )
    return Response(buffer.getvalue(), mimetype="image/png", headers={
        "Content-Disposition": f'inline; filename="echo-{campaign.slug}.png"'})


# Participation and the measurement schedule ---------------------------------------------------


@bp.route("/campaigns/<int:campaign_id>/participation")
@role_required(Role.MANAGER)
def participation(campaign_id):
    campaign = get_scoped_or_404(Campaign, campaign_id)
    threshold = effective_threshold(campaign.establishment,
                                    current_app.config["ANONYMITY_THRESHOLD"])
    figures = insights_participation.participation_by_sector(
        campaign, threshold, anonymity.last_closed_week(utcnow()))
    return render_template("surveys/participation.html", campaign=campaign, reach=figures,
                           state=surveys.campaign_state(campaign, local_today()),
                           percent=percent_text)


@bp.post("/campaigns/pulse/<int:establishment_id>/<int:day>")
@role_required(Role.MANAGER)
def create_pulse(establishment_id, day):
    """One click on a due pulse: its campaign, with the previous pulse's questions."""
    establishment = db.get_or_404(Establishment, establishment_id)
    if not can_see(establishment.id):
        abort(404)
    if not PostForm().validate_on_submit():
        return redirect(url_for(".campaigns"))
    today = local_today()
    pulse = schedule.due_pulse(establishment, today)
    if pulse is None or pulse.day != day:
        flash(_("This pulse is not due, or its campaign already exists."), "error")
        return redirect(url_for(".campaigns"))
    campaign = schedule.create_pulse_campaign(pulse, created_by=current_user, today=today)
    db.session.commit()
    flash(_("The pulse's campaign is created with the same questions as the previous one: "
            "check its dates, then put up its poster."), "success")
    return redirect(url_for(".edit_campaign", campaign_id=campaign.id))


@bp.route("/participation/headcounts", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def headcounts():
    """Staff per sector, typed in or imported from a CSV file: the response rates' denominators."""
    establishment = requested_establishment()
    if establishment is None:
        return choose_establishment("surveys.headcounts")
    if not may_manage_establishment(current_user, establishment.id):
        abort(404)
    locale = str(get_locale())
    sectors = headcounts_domain.establishment_sectors(establishment)
    form = headcount_form_class(sectors, locale)(
        data={f"sector_{s.id}": s.headcount for s in sectors})
    upload = HeadcountFileForm()
    if request.method == "POST" and "file" in request.files:
        if upload.validate_on_submit():
            try:
                values = headcounts_domain.read_headcount_csv(upload.file.data.read(),
                                                              establishment)
            except headcounts_domain.HeadcountError as error:
                upload.file.errors.append(str(error))
            else:
                changed = headcounts_domain.set_headcounts(current_user, establishment, values)
                db.session.commit()
                flash(ngettext("%(num)d headcount changed.", "%(num)d headcounts changed.",
                               changed), "success")
                return redirect(url_for(".headcounts", establishment=establishment.id))
    elif form.validate_on_submit():
        by_id = {s.id: s for s in sectors}
        changed = headcounts_domain.set_headcounts(current_user, establishment, {
            by_id[int(field.name.removeprefix("sector_"))]: field.data
            for field in form.sector_fields()})
        db.session.commit()
        flash(ngettext("%(num)d headcount changed.", "%(num)d headcounts changed.", changed),
              "success")
        return redirect(url_for(".headcounts", establishment=establishment.id))
    return render_template("surveys/headcounts.html", establishment=establishment, form=form,
                           upload=upload, columns=headcounts_domain.CSV_COLUMNS)


@bp.route("/participation/schedule", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def schedule_edit():
    """An establishment's measurement pulses (days after go-live, then every few months)."""
    establishment = requested_establishment()
    if establishment is None:
        return choose_establishment("surveys.schedule_edit")
    if not may_manage_establishment(current_user, establishment.id):
        abort(404)
    form = ScheduleForm(obj=establishment)
    if form.validate_on_submit():
        if schedule.set_schedule(current_user, establishment, pulse_days=form.pulse_days.data,
                                 every_months=form.pulse_every_months.data):
            db.session.commit()
            flash(_("Measurement schedule saved."), "success")
        return redirect(url_for(".schedule_edit", establishment=establishment.id))
    return render_template("surveys/schedule.html", establishment=establishment, form=form,
                           pulses=schedule.pulses(establishment, local_today()))
