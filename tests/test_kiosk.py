"""Kiosk mode: the survey on a unit's shared workstation remembers nothing between people."""

import html
import json
import re

import pytest
from sqlalchemy import func, select

from feedback.extensions import db
from feedback.models import Sector, SurveyResponse

ITEMS = ("access", "training", "workflow", "support", "safety")


@pytest.fixture
def mcq(make_establishment):
    return make_establishment("MCQ")


@pytest.fixture
def campaign(mcq, make_campaign):
    return make_campaign(mcq)


def urgence(app, establishment) -> int:
    with app.app_context():
        return db.session.scalar(select(Sector.id).where(
            Sector.code == "urgence", Sector.site.has(establishment_id=establishment.id)))


def token_of(page) -> str:
    return re.search(r'name="token" type="hidden" value="([^"]+)"', page.text).group(1)


def answers(sector: int, token: str, **overrides) -> dict:
    data = {"role": "nurse", "sector": str(sector), "phase": "1", "recommend": "8",
            "comment": "", "contact": "", "website": "", "token": token}
    data.update({f"item_{code}": "4" for code in ITEMS})
    data.update(overrides)
    return data


def responses(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(SurveyResponse))


def assert_forgets(response):
    """Nothing kept on the device: no cookie set, nothing cached."""
    assert "Set-Cookie" not in response.headers, response.headers.get("Set-Cookie")
    assert response.headers["Cache-Control"] == "no-store"


def test_the_kiosk_form_starts_at_the_units_sector_and_keeps_nothing(app, client, mcq,
                                                                      campaign):
    app.config["WTF_CSRF_ENABLED"] = True  # as in production: pages put a token in the session
    unit = urgence(app, mcq)
    # Someone answered on this browser before, through the phone link: the kiosk ignores it.
    client.set_cookie("echo_survey_profile", json.dumps(["physician", unit]))
    page = client.get(f"/k/mcq?unite={unit}")
    assert page.status_code == 200
    assert_forgets(page)
    text = html.unescape(page.text)
    assert 'autocomplete="off"' in text and "csrf_token" not in text
    assert re.search(rf'<option selected value="{unit}">|<option value="{unit}" selected>', text)
    assert 'value="physician" checked' not in text and "checked" not in text.split(
        'name="phase"')[0]
    assert "js/kiosk.js" in text and 'data-kiosk-idle="60"' in text
    assert f'data-kiosk-home="/k/MCQ?unite={unit}"' in text


def test_an_answer_is_stored_once_then_the_thank_you_page_leads_back(app, client, mcq,
                                                                     campaign):
    app.config["WTF_CSRF_ENABLED"] = True
    unit = urgence(app, mcq)
    page = client.get(f"/k/MCQ?unite={unit}")
    sent = client.post(f"/k/MCQ?unite={unit}&lang=fr", data=answers(unit, token_of(page)))
    assert sent.status_code == 302
    assert sent.headers["Location"] == f"/k/MCQ/merci?unite={unit}&lang=fr"
    assert "Set-Cookie" not in sent.headers
    assert responses(app) == 1
    # The same form sent again (the Back button, a double tap): still one response.
    client.post(f"/k/MCQ?unite={unit}", data=answers(unit, token_of(page)))
    assert responses(app) == 1
    thanks = client.get(sent.headers["Location"])
    assert_forgets(thanks)
    text = html.unescape(thanks.text)
    assert "Merci" in text and f'href="/k/MCQ?unite={unit}"' in text
    assert f'content="15;url=/k/MCQ?unite={unit}"' in text  # without JavaScript too
    assert 'data-kiosk-always="true"' in text
    # The next person gets a fresh form: a new token, nothing filled in but the unit.
    following = client.get(f"/k/MCQ?unite={unit}")
    assert token_of(following) != token_of(page)
    assert 'value="nurse" checked' not in following.text


def test_mistakes_are_explained_on_the_kiosk_and_nothing_is_kept(app, client, mcq, campaign):
    unit = urgence(app, mcq)
    page = client.get(f"/k/MCQ?unite={unit}")
    wrong = client.post(f"/k/MCQ?unite={unit}", data=answers(unit, token_of(page), role=""))
    assert wrong.status_code == 200
    assert_forgets(wrong)
    assert "Choisissez votre rôle." in html.unescape(wrong.text)
    assert responses(app) == 0
    forged = client.post(f"/k/MCQ?unite={unit}", data=answers(unit, "forged"))
    assert "ouvert il y a trop longtemps" in html.unescape(forged.text)
    assert responses(app) == 0


def test_a_person_may_answer_in_english_and_the_next_one_starts_in_the_default(
        app, client, mcq, campaign):
    unit = urgence(app, mcq)
    page = client.get(f"/k/MCQ?unite={unit}&lang=en", headers={"Accept-Language": "fr-CA"})
    assert "How much do you agree?" in html.unescape(page.text)
    assert_forgets(page)
    sent = client.post(f"/k/MCQ?unite={unit}&lang=en", data=answers(unit, token_of(page)))
    thanks = client.get(sent.headers["Location"], headers={"Accept-Language": "fr-CA"})
    assert "Thank you" in thanks.text and f'href="/k/MCQ?unite={unit}"' in thanks.text
    again = client.get(f"/k/MCQ?unite={unit}", headers={"Accept-Language": "fr-CA"})
    assert "À quel point êtes-vous d'accord?" in html.unescape(again.text)


def test_without_an_open_campaign_the_kiosk_says_so(client, make_establishment):
    make_establishment("NIM")
    page = client.get("/k/NIM")
    assert page.status_code == 200 and "Set-Cookie" not in page.headers
    assert client.get("/k/NOPE").status_code == 404


def test_a_unit_the_campaign_does_not_offer_is_ignored(app, client, mcq, make_campaign):
    make_campaign(mcq, sector_codes=("oncologie",))
    unit = urgence(app, mcq)
    page = client.get(f"/k/MCQ?unite={unit}")
    assert f'<option value="{unit}"' not in page.text and "Oncologie" in page.text
    assert 'data-kiosk-home="/k/MCQ"' in page.text


def test_the_poster_page_gives_each_units_kiosk_link(app, client, auth, make_user, mcq,
                                                     campaign):
    from feedback.models import Role

    auth.login(make_user(Role.MANAGER, mcq).email)
    page = html.unescape(client.get(f"/campaigns/{campaign.id}/poster").text)
    assert f"/k/MCQ?unite={urgence(app, mcq)}" in page
