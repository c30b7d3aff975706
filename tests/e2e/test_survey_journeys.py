"""Journeys 1 and 4: a nurse answers on her phone in French; a colleague answers in English."""

import logging
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from feedback.clock import utcnow
from feedback.extensions import db
from feedback.models import Feedback, Learning, LearningStatus, SurveyResponse


@pytest.fixture
def campaign(app, make_establishment, make_campaign):
    establishment = make_establishment("MCQ", name="Santé Québec – Mauricie-et-Centre-du-Québec")
    with app.app_context():
        db.session.add(Learning(
            establishment_id=establishment.id, title="Imprimantes d'étiquettes à l'urgence",
            learned="Vous nous avez dit que les étiquettes sortaient sur la mauvaise imprimante.",
            action="Les files d'impression des 12 postes de l'urgence ont été corrigées.",
            status=LearningStatus.PUBLISHED, published_at=utcnow() - timedelta(days=1)))
        db.session.commit()
    return make_campaign(establishment)


def responses(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(SurveyResponse))


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 360, "height": 740},
            "is_mobile": True, "has_touch": True}


def test_journey_1_a_nurse_answers_on_her_phone(app, live_server, page, journey, campaign, caplog):
    caplog.set_level(logging.DEBUG)
    page.goto(f"{live_server}/s/{campaign.slug}")
    expect(page.locator("h1")).to_have_text("Pouls de la semaine")
    journey.shot("survey")
    journey.check_accessibility("survey")
    # Nothing overflows the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_label("Infirmière, infirmier ou infirmière auxiliaire").check()
    urgence = page.locator("select[name=sector] option", has_text="Urgence").get_attribute("value")
    page.get_by_label("Votre secteur").select_option(urgence)
    for statement in ("Je peux accéder au DSN quand j'en ai besoin.",
                      "Ma formation m'a préparé(e) à travailler dans le DSN.",
                      "Le DSN soutient ma façon de travailler."):
        page.get_by_role("group", name=statement).get_by_label("D'accord", exact=True).check()
    # A mistake: two statements left unanswered.
    page.get_by_label("Qu'est-ce qui vous aiderait le plus cette semaine?").fill(
        "Plus de temps de pratique sur la FADM avant les quarts de nuit. "
        "Hier, Mme Tremblay (RAMQ TREM 5203 1512) a attendu son bracelet.")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_role("alert").filter(has_text="Des réponses manquent")).to_be_visible()
    expect(page.get_by_text("Choisissez une réponse de 1 à 5.")).to_have_count(2)
    journey.shot("mistake")
    journey.check_accessibility("mistake")
    assert responses(app) == 0
    # What she had entered is still there.
    expect(page.get_by_label("Qu'est-ce qui vous aiderait le plus cette semaine?")).to_contain_text(
        "Plus de temps de pratique sur la FADM")

    for statement in ("Je sais où obtenir de l'aide rapidement.",
                      "Je peux offrir des soins sécuritaires avec le DSN."):
        page.get_by_role("group", name=statement).get_by_label("Tout à fait d'accord").check()
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_role("heading", name="Vous avez dit, nous avons fait")).to_be_visible()
    expect(page.get_by_text("Imprimantes d'étiquettes à l'urgence")).to_be_visible()
    journey.shot("thanks")
    journey.check_accessibility("thanks")
    assert responses(app) == 1
    with app.app_context():
        stored = db.session.scalar(select(Feedback.text))
    assert "TREM 5203 1512" not in stored and "Tremblay" not in stored and "[RAMQ]" in stored
    # Nothing the nurse wrote or answered reaches the application's logs.
    logged = caplog.text
    assert caplog.records  # the server did log (requests), so the check means something
    for secret in ("TREM 5203 1512", "Tremblay", "pratique sur la FADM", "item_access"):
        assert secret not in logged


def test_journey_4_in_english_by_keyboard_then_back_to_french(app, live_server, page, journey,
                                                             campaign):
    page.goto(f"{live_server}/s/{campaign.slug}")
    page.get_by_role("button", name="English").click()
    expect(page.locator("h1")).to_have_text("Weekly pulse")
    expect(page.get_by_text("I can get into the DSN when I need to.")).to_be_visible()
    journey.shot("english-survey")
    journey.check_accessibility("english-survey")

    # Keyboard only from here: Tab between fields, arrows and Space inside radio groups.
    keyboard = page.keyboard

    def tab_to(selector: str) -> None:
        for _ in range(60):
            keyboard.press("Tab")
            if page.evaluate("s => document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to("input[name=role]")
    keyboard.press("ArrowDown")  # physician → nurse
    tab_to("select[name=sector]")
    keyboard.press("ArrowDown")
    for item in ("access", "training", "workflow", "support", "safety"):
        tab_to(f"input[name=item_{item}]")
        keyboard.press("Space")
        keyboard.press("ArrowRight")
        keyboard.press("ArrowRight")  # 3: neutral
    tab_to("input[name=recommend]")
    keyboard.press("Space")
    tab_to("textarea[name=comment]")
    keyboard.type("The order sets for sepsis are still missing in the ED.")
    tab_to("button[type=submit].primary")
    journey.shot("english-filled")
    keyboard.press("Enter")

    thanks = page.get_by_role("heading", name="Thank you: your answers are recorded.")
    expect(thanks).to_be_visible()
    journey.shot("english-thanks")
    assert responses(app) == 1
    with app.app_context():
        response = db.session.scalar(select(SurveyResponse))
        assert response.role == "nurse"
        assert {a.value for a in response.answers} == {3}

    page.get_by_role("button", name="Français").click()
    merci = page.get_by_role("heading", name="Merci : vos réponses sont enregistrées.")
    expect(merci).to_be_visible()
    journey.shot("back-to-french")
