"""Journey: a super-user's shift on a phone (390 × 844). An observation sent online is confirmed
right under the button, focused; one written with the Wi-Fi down waits with its reason and is
said sent when the connection returns; today's page turns one into a request to the command
centre. Every new state passes the accessibility check."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from feedback.clock import local_today
from feedback.extensions import db
from feedback.models import Feedback, Issue, IssueStatus, Priority, Role, WriterRole

SENT = "Observation envoyée. Merci."
KEPT = "Gardée sur cet appareil. Elle sera envoyée dès que la connexion le permettra."
NOTHING_WAITING = "Rien en attente sur cet appareil."


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 390, "height": 844},
            "is_mobile": True, "has_touch": True}


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill("correct-horse-battery")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def fill(page, text: str, group: str) -> None:
    urgence = page.locator("select[name=location] option", has_text="Urgence").first
    page.get_by_label("Où").select_option(urgence.get_attribute("value"))
    page.get_by_label("Qu'avez-vous vu?").fill(text)
    page.get_by_role("group", name="Qui a été touché?").get_by_text(re.compile(group)).click()


def stored(app) -> dict[str, WriterRole]:
    with app.app_context():
        return dict(db.session.execute(select(Feedback.text, Feedback.role)).all())


def test_a_super_users_shift_on_a_phone(app, live_server, page, context, journey,
                                        make_establishment, make_user):
    establishment = make_establishment("MCQ", go_live=local_today() - timedelta(days=10))
    super_user = make_user(Role.SUPER_USER, establishment)
    sign_in(page, live_server, super_user.email)
    page.goto(f"{live_server}/observations/new")
    outcome = page.locator("#sent")
    send = page.get_by_role("button", name="Envoyer l'observation")
    expect(page.locator("#queue-count")).to_have_text(NOTHING_WAITING)
    journey.check_accessibility("form")

    # Online: the confirmation appears under the button, where the observer is looking.
    fill(page, "Le médecin de garde ne voit pas les résultats de laboratoire dans le dossier.",
         "^Médecin")
    send.click()
    # The server's first observation loads the text analysis: a few seconds on a busy machine.
    expect(outcome).to_have_text(SENT, timeout=20_000)
    expect(outcome).to_be_in_viewport()
    expect(outcome).to_be_focused()
    expect(outcome).to_have_attribute("role", "status")
    box, button_box = outcome.bounding_box(), send.bounding_box()
    assert 0 <= box["y"] - (button_box["y"] + button_box["height"]) < 40  # right under it
    expect(page.locator("#sent-list li")).to_have_count(1)
    journey.shot("sent-online")
    journey.check_accessibility("sent-online")
    assert list(stored(app).values()) == [WriterRole.PHYSICIAN]

    # Offline: kept on the device, and the queue says so and why.
    context.set_offline(True)
    fill(page, "Le lecteur de bracelets ne répond plus au poste 3; les infirmières tapent les "
               "numéros à la main.", "^Infirmière")
    send.click()
    expect(outcome).to_have_text(KEPT)
    expect(outcome).to_be_in_viewport()
    expect(outcome).to_be_focused()
    expect(page.locator("#queue-count")).to_have_text("En attente d'envoi (1)")
    expect(page.locator("#queue-problem")).to_contain_text("pas de connexion")
    expect(page.get_by_role("button", name="Envoyer maintenant")).to_be_visible()
    journey.shot("waiting-offline")
    journey.check_accessibility("waiting-offline")
    assert len(stored(app)) == 1

    # Back online: sent once, and the page says it was sent, and when.
    context.set_offline(False)
    expect(outcome).to_have_text(SENT, timeout=15_000)
    expect(page.locator("#queue-count")).to_have_text(NOTHING_WAITING)
    expect(page.locator("#queue-problem")).to_be_hidden()
    sent_log = page.locator("#sent-list li")
    expect(sent_log).to_have_count(2)
    expect(sent_log.first).to_contain_text(re.compile(r"Écrite à .*, envoyée à "))
    expect(sent_log.first).to_contain_text("lecteur de bracelets")
    journey.shot("sent-after-reconnecting")
    journey.check_accessibility("sent-after-reconnecting")
    assert sorted(stored(app).values()) == [WriterRole.NURSE, WriterRole.PHYSICIAN]
    page.reload()
    expect(page.locator("#sent-list li")).to_have_count(2)  # the log outlives the page
    assert len(stored(app)) == 2

    # Today: what became of each, and one tap sends one to the command centre.
    page.goto(f"{live_server}/observations/today")
    cards = page.locator("li.card")
    expect(cards).to_have_count(2)
    expect(cards.first).to_contain_text("pas encore liée à un enjeu")
    journey.check_accessibility("today")
    card = cards.filter(has_text="lecteur de bracelets")
    card.get_by_role("button", name="Envoyer au centre de commandement comme enjeu").click()
    said = page.get_by_role("status").filter(has_text="Envoyée au centre de commandement")
    expect(said).to_be_in_viewport()
    card = page.locator("li.card").filter(has_text="lecteur de bracelets")
    expect(card).to_contain_text("Nouveau")
    expect(card.get_by_role("button")).to_have_count(0)
    journey.shot("today-requested")
    journey.check_accessibility("today-requested")
    with app.app_context():
        issue = db.session.scalar(select(Issue))
        assert issue.status is IssueStatus.NEW and issue.priority is Priority.P3
        assert [f.text[:30] for f in issue.evidence] == ["Le lecteur de bracelets ne rép"]
        assert db.session.scalar(select(func.count()).select_from(Issue)) == 1
