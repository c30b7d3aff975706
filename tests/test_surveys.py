"""The anonymous one-minute survey: answering it, and what is (not) stored."""

import html
import io
import re
from datetime import timedelta

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import func, inspect, select

from feedback.clock import local_today, local_week_start
from feedback.extensions import db
from feedback.models import (
    Campaign,
    Feedback,
    FeedbackKind,
    FollowUpContact,
    Role,
    Sector,
    SurveyAnswer,
    SurveyResponse,
)

ITEMS = ("access", "training", "workflow", "support", "safety")


def sector_id(app, establishment_id: int, code="urgence") -> int:
    with app.app_context():
        return db.session.scalar(
            select(Sector.id).where(
                Sector.code == code, Sector.site.has(establishment_id=establishment_id)))


def token_of(page) -> str:
    return re.search(r'name="token" type="hidden" value="([^"]+)"', page.text).group(1)


def answers(sector_choice: int, token: str, **overrides) -> dict:
    data = {"role": "nurse", "sector": str(sector_choice), "phase": "1", "recommend": "8",
            "comment": "", "contact": "", "website": "", "token": token}
    data.update({f"item_{code}": "4" for code in ITEMS})
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def stored(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def shown(response) -> str:
    """The page's text as a person reads it (HTML entities decoded)."""
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def campaign(make_establishment, make_campaign):
    return make_campaign(make_establishment("MCQ"))


def test_a_nurse_answers_in_french(app, client, campaign):
    page = client.get(f"/s/{campaign.slug}")
    assert page.status_code == 200
    assert "Votre rôle" in shown(page)
    assert "Je peux accéder au DSN quand j'en ai besoin." in shown(page)
    assert "<script" not in shown(page)  # works without JavaScript
    sector = sector_id(app, campaign.establishment_id)
    response = client.post(f"/s/{campaign.slug}", data=answers(
        sector, token_of(page), item_access="2",
        comment="Le tap-in plante au poste 3, c'est lent."))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/s/{campaign.slug}/merci"
    thanks = client.get(response.headers["Location"])
    assert "Vous avez dit, nous avons fait" in shown(thanks)

    with app.app_context():
        stored_response = db.session.scalar(select(SurveyResponse))
        assert (stored_response.role, stored_response.sector_id, stored_response.phase,
                stored_response.recommend) == ("nurse", sector, 1, 8)
        assert stored_response.submitted_on == local_today()
        assert {a.item: (a.theme_code, a.value) for a in stored_response.answers} == {
            "access": ("access", 2), "training": ("training", 4), "workflow": ("workflow", 4),
            "support": ("support", 4), "safety": ("safety", 4)}
        comment = stored_response.comment
        assert comment.kind == FeedbackKind.SURVEY and comment.campaign_id == campaign.id
        assert comment.language == "fr" and comment.sentiment == "negative"
        assert comment.author_id is None
        assert comment.created_at == local_week_start(local_today())


def test_the_same_survey_in_english(app, client, campaign):
    headers = {"Accept-Language": "en-CA"}
    page = client.get(f"/s/{campaign.slug}", headers=headers)
    assert "Your role" in shown(page) and "I can get into the DSN when I need to." in shown(page)
    assert "What would help you most this week?" in shown(page)
    response = client.post(
        f"/s/{campaign.slug}", headers=headers,
        data=answers(sector_id(app, campaign.establishment_id), token_of(page),
                     role="physician", comment="The order sets for sepsis are still missing."))
    assert response.status_code == 302
    assert "Thank you" in shown(client.get(response.headers["Location"], headers=headers))
    with app.app_context():
        assert db.session.scalar(select(Feedback.language)) == "en"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"role": None}, "Choisissez votre rôle."),
        ({"role": "super_user"}, "Choisissez un des rôles proposés."),
        ({"sector": ""}, "Choisissez votre secteur."),
        ({"phase": None}, "Choisissez une phase."),
        ({"item_workflow": None}, "Choisissez une réponse de 1 à 5."),
        ({"item_safety": "6"}, "Choisissez une réponse de 1 à 5."),
        ({"recommend": "11"}, "Choisissez un nombre de 0 à 10."),
        ({"comment": "x" * 1001}, "moins de 1000 caractères (il en compte 1001)"),
        ({"contact": "y" * 201}, "200"),
    ],
)
def test_each_mistake_is_explained_and_the_answers_are_kept(app, client, campaign, overrides,
                                                           message):
    page = client.get(f"/s/{campaign.slug}")
    data = answers(sector_id(app, campaign.establishment_id), token_of(page), item_access="5",
                   **overrides)
    retry = client.post(f"/s/{campaign.slug}", data=data)
    assert retry.status_code == 200
    assert message in shown(retry)
    assert 'aria-invalid="true"' in shown(retry) or 'class="error"' in shown(retry)
    assert re.search(r'id="item_access-4"[^>]*value="5"[^>]*checked|'
                     r'checked[^>]*id="item_access-4"', retry.text)
    assert stored(app, SurveyResponse) == 0


def test_a_sector_of_another_establishment_is_refused(app, client, campaign, make_establishment):
    other = make_establishment("NIM")
    page = client.get(f"/s/{campaign.slug}")
    retry = client.post(f"/s/{campaign.slug}",
                        data=answers(sector_id(app, other.id), token_of(page)))
    assert "Ce secteur ne fait pas partie de ce sondage." in shown(retry)
    assert stored(app, SurveyResponse) == 0


def test_a_campaign_limited_to_some_sectors_offers_only_those(app, client, make_establishment,
                                                              make_campaign):
    establishment = make_establishment()
    campaign = make_campaign(establishment, sector_codes=("oncologie",))
    page = client.get(f"/s/{campaign.slug}")
    assert "Oncologie" in shown(page) and "Urgence" not in shown(page)
    refused = client.post(f"/s/{campaign.slug}",
                          data=answers(sector_id(app, establishment.id, "urgence"), token_of(page)))
    assert refused.status_code == 200 and stored(app, SurveyResponse) == 0
    accepted = client.post(f"/s/{campaign.slug}", data=answers(
        sector_id(app, establishment.id, "oncologie"), token_of(page)))
    assert accepted.status_code == 302 and stored(app, SurveyResponse) == 1


@pytest.mark.parametrize(
    ("opens_in", "lasts", "message"),
    [(2, 7, "Ce sondage ouvrira le"), (-10, 3, "Ce sondage a pris fin le")],
)
def test_a_campaign_outside_its_dates_takes_no_answer(app, client, make_establishment,
                                                      make_campaign, opens_in, lasts, message):
    establishment = make_establishment()
    campaign = make_campaign(establishment, opens_in=opens_in, lasts=lasts)
    page = client.get(f"/s/{campaign.slug}")
    assert message in shown(page) and 'name="token"' not in shown(page)
    post = client.post(f"/s/{campaign.slug}", data=answers(sector_id(app, establishment.id), "t"))
    assert message in shown(post)
    assert stored(app, SurveyResponse) == 0


def test_a_closed_campaign_takes_no_answer(app, client, campaign):
    page = client.get(f"/s/{campaign.slug}")
    with app.app_context():
        db.session.get(Campaign, campaign.id).closed = True
        db.session.commit()
    post = client.post(f"/s/{campaign.slug}",
                       data=answers(sector_id(app, campaign.establishment_id), token_of(page)))
    assert "Ce sondage est fermé." in shown(post)
    assert stored(app, SurveyResponse) == 0


def test_unknown_campaign_is_404(client):
    assert client.get("/s/does-not-exist").status_code == 404


def test_a_double_submit_records_one_response(app, client, campaign):
    page = client.get(f"/s/{campaign.slug}")
    data = answers(sector_id(app, campaign.establishment_id), token_of(page), comment="Merci!",
                   contact="julie@example.org")
    first = client.post(f"/s/{campaign.slug}", data=data)
    second = client.post(f"/s/{campaign.slug}", data=data)
    assert first.headers["Location"] == second.headers["Location"] == f"/s/{campaign.slug}/merci"
    assert stored(app, SurveyResponse) == 1
    assert stored(app, Feedback) == 1
    assert stored(app, FollowUpContact) == 1


def test_a_forged_or_foreign_token_stores_nothing(app, client, make_establishment, make_campaign):
    mcq = make_establishment()
    campaign = make_campaign(mcq)
    other = make_campaign(mcq)
    foreign_token = token_of(client.get(f"/s/{other.slug}"))
    sector = sector_id(app, campaign.establishment_id)
    for token in ("forged", foreign_token):
        page = client.post(f"/s/{campaign.slug}", data=answers(sector, token))
        assert "Ce formulaire a été ouvert il y a trop longtemps" in shown(page)
        assert token_of(page) not in (token, "")  # a fresh token to send again
    assert stored(app, SurveyResponse) == 0


def test_nothing_identifying_is_stored(app, client, campaign):
    page = client.get(f"/s/{campaign.slug}")
    client.post(
        f"/s/{campaign.slug}",
        data=answers(sector_id(app, campaign.establishment_id), token_of(page), comment="Ça va."),
        environ_base={"REMOTE_ADDR": "10.9.8.7", "HTTP_USER_AGENT": "Mozilla/5.0 PhoneOfJulie"},
    )
    with app.app_context():
        columns = {c.name for model in (SurveyResponse, SurveyAnswer)
                   for c in inspect(model).columns}
        assert not columns & {"ip", "ip_address", "user_agent", "user_id", "created_at"}
        rows = [db.session.execute(select(model.__table__)).mappings().all()
                for model in (SurveyResponse, SurveyAnswer, Feedback)]
        flat = repr(rows)
        assert "10.9.8.7" not in flat and "PhoneOfJulie" not in flat
        # The comment keeps only its week: Monday midnight in Québec (the response, its day).
        assert db.session.scalar(select(Feedback.created_at)) == local_week_start(local_today())


def test_a_follow_up_contact_is_kept_apart_from_the_answers(app, client, campaign):
    page = client.get(f"/s/{campaign.slug}")
    client.post(f"/s/{campaign.slug}", data=answers(
        sector_id(app, campaign.establishment_id), token_of(page), contact=" poste 4521 "))
    with app.app_context():
        contact = db.session.scalar(select(FollowUpContact))
        assert contact.contact == "poste 4521" and contact.handled is False
        assert {c.name for c in inspect(FollowUpContact).columns}.isdisjoint(
            {"response_id", "survey_response_id", "feedback_id"})


def test_the_honeypot_stores_nothing(app, client, campaign):
    page = client.get(f"/s/{campaign.slug}")
    response = client.post(f"/s/{campaign.slug}", data=answers(
        sector_id(app, campaign.establishment_id), token_of(page), website="http://spam.example"))
    assert response.status_code == 302  # the bot sees a success
    assert stored(app, SurveyResponse) == 0


def test_too_many_submissions_get_a_translated_429(app, client, campaign):
    app.config["SURVEY_RATE_LIMIT"] = "2 per minute"
    sector = sector_id(app, campaign.establishment_id)
    statuses = []
    for _ in range(3):
        page = client.get(f"/s/{campaign.slug}")
        statuses.append(client.post(f"/s/{campaign.slug}", data=answers(sector, token_of(page))))
    assert [r.status_code for r in statuses] == [302, 302, 429]
    assert "Trop de tentatives" in statuses[-1].text
    assert stored(app, SurveyResponse) == 2


def test_phase_is_prefilled_from_the_go_live_date(app, client, make_establishment, make_campaign):
    for days_since, phase in ((3, 1), (20, 2), (90, 3)):
        establishment = make_establishment(go_live=local_today() - timedelta(days=days_since))
        page = client.get(f"/s/{make_campaign(establishment).slug}")
        checked = re.search(
            r'<input checked id="phase-\d" name="phase" required type="radio" value="(\d)"',
            page.text)
        assert checked and checked.group(1) == str(phase), days_since


def test_role_and_sector_are_remembered_on_the_device(app, client, campaign):
    sector = sector_id(app, campaign.establishment_id, "oncologie")
    page = client.get(f"/s/{campaign.slug}")
    client.post(f"/s/{campaign.slug}", data=answers(sector, token_of(page), role="clerk"))
    again = client.get(f"/s/{campaign.slug}")
    assert re.search(
        r'<input checked id="role-\d" name="role" required type="radio" value="clerk"', again.text)
    assert f'<option selected value="{sector}">' in shown(again)
    fresh = client.__class__(app).get(f"/s/{campaign.slug}")  # another phone remembers nothing
    assert "checked id=\"role-" not in shown(fresh)


def test_the_survey_page_is_light(client, campaign):
    page = client.get(f"/s/{campaign.slug}")
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page.text)
    total = len(page.data)
    for asset in assets:
        with client.get(asset) as response:
            total += len(response.data)
    assert any(asset.endswith(".css") for asset in assets)
    assert total < 100_000, total


def test_the_poster_qr_code_leads_to_the_survey(app, client, auth, make_establishment,
                                               make_campaign, make_user):
    establishment = make_establishment()
    campaign = make_campaign(establishment)
    auth.login(make_user(Role.MANAGER, establishment).email)
    poster = client.get(f"/campaigns/{campaign.id}/poster")
    assert poster.status_code == 200 and "<svg" in shown(poster)
    png = client.get(f"/campaigns/{campaign.id}/qr.png")
    assert png.mimetype == "image/png"
    decoded = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png.data)))]
    assert decoded == [f"http://localhost/s/{campaign.slug}"]
    app.config["PUBLIC_BASE_URL"] = "https://echo.example.org/"
    png = client.get(f"/campaigns/{campaign.id}/qr.png")
    decoded = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png.data)))]
    assert decoded == [f"https://echo.example.org/s/{campaign.slug}"]


def test_the_permanent_link_leads_to_the_open_campaign(client, make_establishment, make_campaign):
    establishment = make_establishment("MCQ")
    assert "Aucun sondage n'est ouvert" in shown(client.get("/p/mcq"))
    make_campaign(establishment, opens_in=-20, lasts=5)  # ended
    current = make_campaign(establishment)
    response = client.get("/p/mcq")
    assert response.headers["Location"] == f"/s/{current.slug}"
    assert client.get("/p/nope").status_code == 404
