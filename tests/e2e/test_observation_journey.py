"""Journey 2: a super-user logs an observation while the Wi-Fi is down; sent once back online."""

import re

from playwright.sync_api import expect
from sqlalchemy import func, select

from feedback.extensions import db
from feedback.models import Feedback, FeedbackKind, ObservationDetail, Role


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill("correct-horse-battery")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def observations(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ObservationDetail))


def test_journey_2_an_observation_survives_the_wifi(app, live_server, page, context, journey,
                                                    make_establishment, make_user):
    establishment = make_establishment("MCQ")
    super_user = make_user(Role.SUPER_USER, establishment)
    sign_in(page, live_server, super_user.email)
    page.goto(f"{live_server}/observations/new")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null"
                           " || document.readyState === 'complete'")
    journey.shot("form")
    journey.check_accessibility("form")

    context.set_offline(True)
    urgence = page.locator("select[name=location] option", has_text="Urgence").first
    page.get_by_label("Où").select_option(urgence.get_attribute("value"))
    page.get_by_label("Qu'avez-vous vu?").fill(
        "Le lecteur de bracelets ne répond plus au poste 3 de l'urgence; les infirmières "
        "tapent les numéros à la main.")
    page.get_by_role("group", name="Qui a été touché?").get_by_text(
        re.compile("^Infirmière")).click()
    page.get_by_role("button", name=re.compile("Envoyer|Enregistrer")).click()
    expect(page.locator("#queue-count")).to_have_text("En attente d'envoi (1)")
    journey.shot("waiting-offline")
    assert observations(app) == 0

    context.set_offline(False)
    expect(page.locator("#sent")).to_have_text("Observation envoyée. Merci.", timeout=15_000)
    expect(page.locator("#queue-count")).to_have_text("Rien en attente sur cet appareil.")
    journey.shot("sent")
    journey.check_accessibility("sent")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ObservationDetail)) == 1
        feedback = db.session.scalar(select(Feedback))
        assert feedback.kind == FeedbackKind.OBSERVATION and feedback.author_id == super_user.id

    # Going offline and online again sends nothing twice.
    context.set_offline(True)
    context.set_offline(False)
    page.reload()
    expect(page.locator("#queue-count")).to_have_text("Rien en attente sur cet appareil.")
    assert observations(app) == 1
