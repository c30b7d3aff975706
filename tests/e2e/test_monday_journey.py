"""Journey 5: a manager's Monday. From the home page to what drives the score, the floor's
perception next to the command centre's figures, participation, and the one-month update as a
PDF, on the
showcase establishment's demo data (EHR adoption weeks included)."""

import re

import pytest
from playwright.sync_api import expect
from test_manager_journey import served_database  # noqa: F401 (the demo, served)

from feedback.demo import DEMO_PASSWORD

pytestmark = pytest.mark.xdist_group("demo")


def test_journey_5_a_managers_monday(live_app, live_server, page, journey):
    # The PDF is the queue's work: no consumer runs beside the live server, so it runs at once.
    live_app.config.update(QUEUE_IMMEDIATE=True, QUEUE_RETRY_SECONDS=0)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server}/login")
    page.get_by_label("Courriel").fill("gestion.mcq@echo.example")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    journey.shot("home")
    journey.check_accessibility("home")

    # The summary links to the drivers of the recommend score.
    page.get_by_role("navigation").get_by_role("link", name="Sommaire").click()
    page.get_by_role("link", name="Ce qui fait bouger l’indice").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ce qui fait bouger l’indice")
    drivers = page.locator("#drivers-all")
    expect(drivers.locator("tbody tr")).to_have_count(5)  # the five questions, weighed
    expect(page.get_by_text(re.compile(r"n = \d+ réponses"))).to_have_count(4)
    expect(page.get_by_role("img", name="Part de la variation expliquée, par question")
           ).to_be_visible()
    journey.shot("drivers")
    journey.check_accessibility("drivers")

    # Perception next to operations, then narrowed to the physicians.
    page.get_by_role("link", name="Perception et opérations").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Perception et opérations")
    expect(page.locator("svg.chart")).to_have_count(4)  # said, observed, handled, the EHR
    expect(page.get_by_role("heading", name="Ce que rapporte le DSN")).to_be_visible()
    journey.shot("perception")
    journey.check_accessibility("perception")
    page.get_by_label("Rôle", exact=True).select_option("physician")
    page.get_by_role("button", name="Appliquer").click()
    expect(page).to_have_url(re.compile(r"role=physician"))
    journey.shot("perception-physicians")
    journey.check_accessibility("perception-physicians")

    # Participation: the campaigns with their rates, then one campaign by sector.
    page.get_by_role("navigation").get_by_role("link", name="Sondages").click()
    page.get_by_role("link", name=re.compile("^Terminées")).click()
    page.get_by_role("link", name="Participation").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Participation")
    expect(page.get_by_text("taux de réponse")).to_be_visible()
    expect(page.get_by_role("table", name="Par secteur")).to_be_visible()
    journey.shot("participation")
    journey.check_accessibility("participation")

    # The one-month update, with its new sections, then as the server's PDF.
    page.goto(f"{live_server}/dashboard/report")
    for heading in ("1. Faits saillants", "3. Enjeux rencontrés, par phase d’adaptation",
                    "5. Ce qui fait bouger l’indice de recommandation",
                    "6. Perception et opérations", "7. En résumé"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.get_by_text(re.compile(r"des billets prioritaires résolus, .* en moins de 24"))
           ).to_be_visible()
    journey.shot("report")
    journey.check_accessibility("report")
    # Page 1 as printed on Letter (content 725 × 950 px): the heading and the highlights with
    # their key figures fill at least two thirds of it (it used to be two thirds blank).
    page.set_viewport_size({"width": 725, "height": 950})
    page.emulate_media(media="print")
    filled = page.evaluate("""() => {
        const top = document.querySelector('.report').getBoundingClientRect().top;
        const end = document.querySelector('[aria-labelledby=highlights-title]')
            .getBoundingClientRect().bottom;
        return end - top; }""")
    assert 950 * 2 / 3 < filled < 950, filled
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 1280, "height": 900})
    # The queue prepares the PDF (at once in the tests), then offers it to its requester.
    page.get_by_role("button", name="Télécharger en PDF").click()
    expect(page.get_by_text("Le PDF est prêt.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le fichier").click()
    pdf = journey.folder / "one-month-update.pdf"
    download.value.save_as(pdf)
    data = pdf.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    (journey.folder / "pdf-pages.txt").write_text(str(pages))
    assert data.startswith(b"%PDF") and 3 <= pages <= 12
