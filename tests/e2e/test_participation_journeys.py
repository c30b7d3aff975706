"""A kiosk on a unit's shared workstation forgets each person; a manager's home on a phone shows
what changed this week above the fold, its menu folded away."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from feedback import issues
from feedback.clock import local_today, utcnow
from feedback.extensions import db
from feedback.insights import anonymity
from feedback.models import Establishment, Priority, Role, Sector, SurveyResponse

PASSWORD = "correct-horse-battery"  # tests/conftest.py's


@pytest.fixture
def kiosk_url(app, live_server, live_app, make_establishment, make_campaign):
    establishment = make_establishment("MCQ", name="Santé Québec – Mauricie-et-Centre-du-Québec")
    make_campaign(establishment)
    with app.app_context():
        unit = db.session.scalar(select(Sector.id).where(
            Sector.code == "urgence", Sector.site.has(establishment_id=establishment.id)))
    live_app.config.update(KIOSK_IDLE_SECONDS=2, KIOSK_THANKS_SECONDS=2)
    return f"{live_server}/k/MCQ?unite={unit}", unit


def test_a_kiosk_forgets_each_person(app, live_app, page, journey, kiosk_url):
    url, unit = kiosk_url
    page.goto(url)
    expect(page.get_by_label("Votre secteur")).to_have_value(str(unit))
    journey.shot("kiosk")
    journey.check_accessibility("kiosk")
    # Someone starts, then walks away: after the idle delay the form is as new, at the top.
    page.get_by_label("Médecin").check()
    comment = page.get_by_label("Qu'est-ce qui vous aiderait le plus cette semaine?")
    comment.fill("Je reviens tout de suite.")
    page.wait_for_timeout(3500)
    expect(page.get_by_label("Médecin")).not_to_be_checked()
    expect(comment).to_have_value("")
    assert page.evaluate("window.scrollY") == 0
    journey.shot("kiosk-after-idle")

    # The next person answers (at their own pace); the thank-you page goes back to the first
    # question by itself.
    live_app.config["KIOSK_IDLE_SECONDS"] = 60
    page.goto(url)
    page.get_by_label("Infirmière, infirmier ou infirmière auxiliaire").check()
    for group in page.get_by_role("group").filter(has_text="Tout à fait d'accord").all():
        group.get_by_label("D'accord", exact=True).check()
    comment.fill("Plus de temps de pratique.")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_role("heading", name="Merci : vos réponses sont enregistrées.")
           ).to_be_visible()
    journey.shot("kiosk-thanks")
    journey.check_accessibility("kiosk-thanks")
    expect(page.get_by_role("button", name="Envoyer mes réponses")).to_be_visible(timeout=6000)
    expect(page.get_by_label("Infirmière, infirmier ou infirmière auxiliaire")).not_to_be_checked()
    expect(comment).to_have_value("")
    # Nothing was kept on the workstation, and the answer was stored once.
    assert page.context.cookies() == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 1


@pytest.fixture
def browser_context_args(browser_context_args, request):
    if request.node.name.startswith("test_a_managers_home"):
        return {**browser_context_args, "viewport": {"width": 390, "height": 844},
                "is_mobile": True, "has_touch": True}
    return browser_context_args


def test_a_managers_home_on_a_phone(app, live_server, page, journey, make_establishment,
                                     make_user, add_feedback):
    establishment = make_establishment("MCQ", name="Santé Québec – Mauricie-et-Centre-du-Québec",
                                       go_live=local_today() - timedelta(days=27))
    manager = make_user(Role.MANAGER, establishment)
    week = anonymity.last_closed_week(utcnow())
    for n in range(7):
        add_feedback(establishment, kind="observation", role="super_user",
                     day=week + timedelta(days=n % 5), themes=("training",))
    with app.app_context():
        issues.create_issue(db.session.get(Establishment, establishment.id),
                            title="Imprimantes muettes à l'urgence", priority=Priority.P1,
                            actor=None, at=utcnow() - timedelta(hours=30))
        db.session.commit()
    page.goto(f"{live_server}/login")
    page.get_by_label("Courriel").fill(manager.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    changes = page.locator(".week-changes li")
    expect(changes).to_have_count(3)
    # Above the fold: every change on the first screen, the header well under 40 % of it.
    for n in range(3):
        box = changes.nth(n).bounding_box()
        assert box["y"] + box["height"] <= 844, box
    header = page.locator(".site-header").bounding_box()
    assert header["height"] < 0.2 * 844, header  # the issue asks under 40 %
    expect(page.locator("#main-menu")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    journey.shot("home-phone")
    journey.check_accessibility("home-phone")
    # The menu opens on demand.
    page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Sondages")).to_be_visible()
    journey.shot("home-phone-menu")
    journey.check_accessibility("home-phone-menu")
    page.get_by_role("link", name="1 enjeu prioritaire a dépassé sa cible de 24 heures").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
