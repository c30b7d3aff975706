"""Managers run survey campaigns: create, reword, close, duplicate; only their establishment's."""

import html
from datetime import timedelta

import pytest
from sqlalchemy import select

from feedback.clock import local_today
from feedback.extensions import db
from feedback.models import Campaign, Role, Sector, SurveyResponse, WriterRole


def shown(response) -> str:
    """The page's text as a person reads it (HTML entities decoded)."""
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def mcq(make_establishment):
    return make_establishment("MCQ")


@pytest.fixture
def manager(auth, make_user, mcq):
    user = make_user(Role.MANAGER, mcq)
    auth.login(user.email)
    return user


def form_data(**overrides):
    today = local_today()
    data = {"title_fr": "Pouls de la semaine 3", "title_en": "Week 3 pulse",
            "intro_fr": "", "intro_en": "", "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(days=6)).isoformat()}
    data.update(overrides)
    return data


def test_a_manager_creates_a_campaign_for_their_establishment(app, client, manager, mcq):
    response = client.post("/campaigns/new", data=form_data(establishment=str(mcq.id)))
    assert response.status_code == 302
    with app.app_context():
        campaign = db.session.scalar(select(Campaign))
        assert (campaign.establishment_id, campaign.title_en) == (mcq.id, "Week 3 pulse")
        assert len(campaign.slug) >= 12
        assert [item["theme"] for item in campaign.instrument["items"]] == [
            "access", "training", "workflow", "support", "safety"]
    assert response.headers["Location"] == f"/campaigns/{campaign.id}/poster"


def test_campaign_form_explains_its_errors(app, client, manager, mcq, make_establishment):
    other = make_establishment("NIM")
    with app.app_context():
        foreign_sector = db.session.scalar(
            select(Sector.id).where(Sector.site.has(establishment_id=other.id)))
    today = local_today()
    page = client.post("/campaigns/new", data=form_data(
        establishment=str(mcq.id), title_fr="", closes_on=(today - timedelta(days=1)).isoformat(),
        sectors=[str(foreign_sector)]))
    assert page.status_code == 200
    assert "Donnez un titre au sondage." in shown(page)
    assert "La date de fermeture ne peut pas précéder la date d'ouverture." in shown(page)
    # A sector or an establishment the manager cannot see is not even offered.
    assert "Choisissez des secteurs dans la liste." in shown(page)
    page = client.post("/campaigns/new", data=form_data(establishment=str(other.id)))
    assert "Choisissez un établissement dans la liste." in shown(page)
    with app.app_context():
        assert db.session.scalar(select(Campaign.id)) is None


def test_the_list_counts_responses_per_day(app, client, manager, mcq, make_campaign):
    campaign = make_campaign(mcq, opens_in=-3)
    today = local_today()
    with app.app_context():
        for days_ago, n in ((2, 3), (0, 1)):
            for i in range(n):
                db.session.add(SurveyResponse(
                    campaign_id=campaign.id, establishment_id=mcq.id, role=WriterRole.NURSE,
                    phase=1, submitted_on=today - timedelta(days=days_ago),
                    submission_token=f"t{days_ago}-{i}"))
        db.session.commit()
    page = client.get("/campaigns")
    assert "4 réponses" in shown(page)
    rows = page.text.split("Réponses par jour")[-1]
    assert rows.count('class="num">3<') == 1 and rows.count('class="num">1<') == 1


def test_close_reopen_and_duplicate(app, client, manager, mcq, make_campaign):
    campaign = make_campaign(mcq, opens_in=-2, lasts=6)
    client.post(f"/campaigns/{campaign.id}/close")
    assert "Ce sondage est fermé." in shown(client.get(f"/s/{campaign.slug}"))
    client.post(f"/campaigns/{campaign.id}/reopen")
    assert 'name="token"' in shown(client.get(f"/s/{campaign.slug}"))

    response = client.post(f"/campaigns/{campaign.id}/duplicate")
    with app.app_context():
        copy = db.session.scalar(select(Campaign).where(Campaign.id != campaign.id))
        assert response.headers["Location"] == f"/campaigns/{copy.id}/edit"
        assert copy.opens_on == campaign.closes_on + timedelta(days=1)
        assert copy.closes_on - copy.opens_on == campaign.closes_on - campaign.opens_on
        assert copy.slug != campaign.slug and copy.instrument == campaign.instrument


def test_rewording_the_questions_keeps_their_themes(app, client, manager, mcq, make_campaign):
    campaign = make_campaign(mcq)
    page = client.get(f"/campaigns/{campaign.id}/questions")
    assert "Je sais où obtenir de l'aide rapidement." in shown(page)
    with app.app_context():
        instrument = db.session.get(Campaign, campaign.id).instrument
    data = {}
    for i, item in enumerate(instrument["items"]):
        data[f"items-{i}-fr"], data[f"items-{i}-en"] = item["fr"], item["en"]
    data["items-3-fr"] = "Je sais qui appeler quand le DSN bloque."
    for key in ("recommend", "comment"):
        data[f"{key}-fr"], data[f"{key}-en"] = instrument[key]["fr"], instrument[key]["en"]
    assert client.post(f"/campaigns/{campaign.id}/questions", data=data).status_code == 302
    with app.app_context():
        item = db.session.get(Campaign, campaign.id).instrument["items"][3]
    assert (item["code"], item["theme"], item["fr"]) == (
        "support", "support", "Je sais qui appeler quand le DSN bloque.")
    assert "Je sais qui appeler quand le DSN bloque." in shown(client.get(f"/s/{campaign.slug}"))
    data["items-0-en"] = ""
    assert "Écrivez la question." in shown(client.post(
        f"/campaigns/{campaign.id}/questions", data=data))


def test_another_establishment_cannot_see_or_touch_a_campaign(app, client, auth, make_user, mcq,
                                                              make_establishment, make_campaign):
    campaign = make_campaign(mcq)
    auth.login(make_user(Role.MANAGER, make_establishment("NIM")).email)
    assert "Pouls de la semaine" not in shown(client.get("/campaigns"))
    for url in (f"/campaigns/{campaign.id}/edit", f"/campaigns/{campaign.id}/questions",
                f"/campaigns/{campaign.id}/poster", f"/campaigns/{campaign.id}/qr.png"):
        assert client.get(url).status_code == 404, url
    for action in ("close", "reopen", "duplicate"):
        assert client.post(f"/campaigns/{campaign.id}/{action}").status_code == 404
    with app.app_context():
        assert db.session.get(Campaign, campaign.id).closed is False


def test_super_users_do_not_run_campaigns(client, auth, make_user, mcq):
    auth.login(make_user(Role.SUPER_USER, mcq).email)
    assert client.get("/campaigns").status_code == 403
    assert client.get("/campaigns/new").status_code == 403


def test_network_admins_choose_the_establishment(app, client, auth, make_user, mcq,
                                                 make_establishment):
    other = make_establishment("NIM")
    auth.login(make_user(Role.ADMIN, None).email)
    page = client.get("/campaigns/new")
    assert "MCQ · " in shown(page) and "NIM · " in shown(page)
    client.post("/campaigns/new", data=form_data(establishment=str(other.id)))
    with app.app_context():
        assert db.session.scalar(select(Campaign.establishment_id)) == other.id
