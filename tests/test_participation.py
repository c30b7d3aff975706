"""Participation: responses, staff reached and response rate per campaign and sector, the campaign
list by status, the headcounts behind the rates, and the schedule of measurement pulses."""

import html
import re
from datetime import date, timedelta
from io import BytesIO

import pytest
from sqlalchemy import select

from feedback.clock import local_today
from feedback.extensions import db
from feedback.models import AuditEntry, Campaign, Establishment, Role, Sector

MAY = date(2026, 5, 12)  # a Tuesday of a week long over: its responses are cut into cohorts


def shown(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.get_data(as_text=True)))


def text(response) -> str:
    """What a person reads: tags dropped."""
    raw = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", html.unescape(raw))


@pytest.fixture
def mcq(make_establishment):
    return make_establishment("MCQ")


@pytest.fixture
def manager(auth, make_user, mcq):
    user = make_user(Role.MANAGER, mcq)
    auth.login(user.email)
    return user


def set_headcounts(app, establishment, **by_code):
    with app.app_context():
        for sector in db.session.scalars(select(Sector).where(
                Sector.site.has(establishment_id=establishment.id))):
            sector.headcount = by_code.get(sector.code)
        db.session.commit()


def test_the_list_groups_campaigns_by_status_and_finished_ones_cannot_be_closed(
        client, manager, mcq, make_campaign):
    make_campaign(mcq, title_fr="Pouls ouvert", opens_in=-1)
    make_campaign(mcq, title_fr="Pouls prévu", opens_in=5)
    make_campaign(mcq, title_fr="Pouls fini", opens_in=-20, lasts=5)
    page = shown(client.get("/campaigns"))
    assert "Pouls ouvert" in page and "Pouls prévu" not in page and "Pouls fini" not in page
    tabs = text(client.get("/campaigns"))
    assert "Ouvertes (1)" in tabs and "Planifiées (1)" in tabs and "Terminées (1)" in tabs
    assert ">Fermer<" in page
    finished = shown(client.get("/campaigns?status=finished"))
    assert "Pouls fini" in finished and "Pouls ouvert" not in finished
    assert ">Fermer<" not in finished and ">Rouvrir<" not in finished
    assert "Pouls prévu" in shown(client.get("/campaigns?status=scheduled"))
    # An unknown status falls back to the open campaigns.
    assert "Pouls ouvert" in shown(client.get("/campaigns?status=zzz"))


def test_the_list_is_paginated(client, manager, mcq, make_campaign):
    for n in range(12):
        make_campaign(mcq, title_fr=f"Ancien pouls {n:02d}", opens_in=-40 - n, lasts=3)
    first = shown(client.get("/campaigns?status=finished"))
    second = shown(client.get("/campaigns?status=finished&page=2"))
    assert first.count("Ancien pouls") == 10 and second.count("Ancien pouls") == 2
    assert "Page 1 de 2" in first
    assert client.get("/campaigns?status=finished&page=abc").status_code == 400


def test_flags_and_rate_of_each_campaign(app, client, manager, mcq, make_campaign, add_response):
    empty = make_campaign(mcq, title_fr="Sans réponse", opens_in=-3)
    few = make_campaign(mcq, title_fr="Peu de réponses", opens_in=-3)
    enough = make_campaign(mcq, title_fr="Assez de réponses", opens_in=-3)
    for _ in range(2):
        add_response(few, day=local_today())
    for _ in range(6):
        add_response(enough, day=local_today())
    page = shown(client.get("/campaigns"))
    blocks = {title: page.split(title)[1].split("</article>")[0]
              for title in ("Sans réponse", "Peu de réponses", "Assez de réponses")}
    assert "Aucune réponse" in blocks["Sans réponse"]
    assert "Trop peu de réponses" in blocks["Peu de réponses"]
    assert "Aucune réponse" not in blocks["Assez de réponses"]
    assert "Trop peu" not in blocks["Assez de réponses"]
    assert "effectif manquant pour 2 secteurs" in blocks["Assez de réponses"]
    set_headcounts(app, mcq, urgence=20, oncologie=10)
    page = shown(client.get("/campaigns"))
    assert "taux de réponse 20 % sur 30 membres du personnel" in page.split(
        "Assez de réponses")[1]
    assert empty.id  # listed with its flag above


def test_per_sector_counts_are_whole_cohorts_and_small_ones_show_under_k(
        app, client, manager, mcq, make_campaign, add_response, cut):
    campaign = make_campaign(mcq, opens_in=-300, lasts=120)
    for _ in range(6):
        add_response(campaign, sector="urgence", day=MAY)
    for _ in range(2):  # pooled with urgence's nurses at a coarser level: not the sector's own
        add_response(campaign, sector="oncologie", day=MAY)
    set_headcounts(app, mcq, urgence=30, oncologie=8)
    cut()
    page = text(client.get(f"/campaigns/{campaign.id}/participation"))
    rows = {name: page.split(f"{name} — Hôpital 1")[1].split("—")[0].split(" %")[0]
            for name in ("Urgence", "Oncologie")}
    assert rows["Urgence"].split() == ["30", "6", "20"]  # staff, responses, rate
    assert rows["Oncologie"].split() == ["8", "<", "5"]  # its 2 are not shown as such
    # The campaign's total (who answered, not what) and its rate over everyone reached.
    assert "8 réponses" in page
    assert "21 %" in page  # 8 of 38


def test_a_sector_whose_week_is_not_over_waits(client, manager, mcq, make_campaign, add_response):
    campaign = make_campaign(mcq, opens_in=-1)
    for _ in range(6):
        add_response(campaign, sector="urgence", day=local_today())
    page = shown(client.get(f"/campaigns/{campaign.id}/participation"))
    assert "après la semaine" in page.split(">Urgence — ")[1].split("</tr>")[0]


def test_participation_of_another_establishment_is_404(client, manager, make_establishment,
                                                       make_campaign):
    other = make_campaign(make_establishment("NIM"))
    assert client.get(f"/campaigns/{other.id}/participation").status_code == 404


# --- Headcounts --------------------------------------------------------------------------------

@pytest.fixture
def admin(auth, make_user, mcq):
    user = make_user(Role.ADMIN, mcq)
    auth.login(user.email)
    return user


def sector_ids(app, establishment) -> dict[str, int]:
    with app.app_context():
        return {s.code: s.id for s in db.session.scalars(select(Sector).where(
            Sector.site.has(establishment_id=establishment.id)))}


def headcounts(app, establishment) -> dict[str, int | None]:
    with app.app_context():
        return {s.code: s.headcount for s in db.session.scalars(select(Sector).where(
            Sector.site.has(establishment_id=establishment.id)))}


def test_an_admin_types_headcounts_and_a_bad_one_is_explained(app, client, admin, mcq):
    ids = sector_ids(app, mcq)
    url = f"/participation/headcounts?establishment={mcq.id}"
    page = client.post(url, data={f"sector_{ids['urgence']}": "25",
                                  f"sector_{ids['oncologie']}": "-3"})
    assert page.status_code == 200
    assert "nombre entier de 0 à 100000" in shown(page).replace("\u202f", "").replace(" 000", "000")
    assert headcounts(app, mcq) == {"urgence": None, "oncologie": None}
    response = client.post(url, data={f"sector_{ids['urgence']}": "25",
                                      f"sector_{ids['oncologie']}": ""})
    assert response.status_code == 302
    assert headcounts(app, mcq) == {"urgence": 25, "oncologie": None}
    with app.app_context():
        assert db.session.scalar(select(AuditEntry.action).where(
            AuditEntry.action == "sector.headcounts")) == "sector.headcounts"


def test_headcounts_from_a_csv_file_all_or_nothing(app, client, admin, mcq):
    url = f"/participation/headcounts?establishment={mcq.id}"
    bad = "site;sector;headcount\nHôpital 1;urgence;40\nHôpital 1;cardiologie;12\n"
    page = client.post(url, data={"file": (BytesIO(bad.encode()), "effectifs.csv")},
                       content_type="multipart/form-data")
    assert "Ligne 3" in shown(page) and "cardiologie" in shown(page)
    assert headcounts(app, mcq) == {"urgence": None, "oncologie": None}
    good = "site,sector,headcount\nHôpital 1,urgence,40\nhôpital 1,ONCOLOGIE,12\n"
    response = client.post(url, data={"file": (BytesIO(good.encode()), "effectifs.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    assert headcounts(app, mcq) == {"urgence": 40, "oncologie": 12}
    # The same file again changes nothing.
    client.post(url, data={"file": (BytesIO(good.encode()), "effectifs.csv")},
                content_type="multipart/form-data")
    assert headcounts(app, mcq) == {"urgence": 40, "oncologie": 12}


def test_managers_do_not_set_headcounts_nor_admins_of_another_establishment(
        app, client, auth, make_user, mcq, make_establishment):
    manager = make_user(Role.MANAGER, mcq)
    auth.login(manager.email)
    assert client.get(f"/participation/headcounts?establishment={mcq.id}").status_code == 403
    other = make_establishment("NIM")
    admin = make_user(Role.ADMIN, other)
    auth.logout()
    auth.login(admin.email)
    assert client.get(f"/participation/headcounts?establishment={mcq.id}").status_code == 404


# --- The measurement schedule ------------------------------------------------------------------

def test_the_schedule_has_fixed_days_then_every_six_months(app, make_establishment):
    from feedback.surveys import schedule

    with app.app_context():
        establishment = db.session.get(Establishment, make_establishment(
            go_live=date(2026, 1, 15)).id)
        days = schedule.pulse_days(establishment, date(2027, 2, 1))
        assert days == [7, 30, 90, 181, 365, 546]  # 15 July 2026, 15 Jan. 2027, 15 July 2027
        establishment.pulse_days, establishment.pulse_every_months = "14, 45", 0
        assert schedule.pulse_days(establishment, date(2030, 1, 1)) == [14, 45]
    for text, ok in (("7,30,90", True), ("7; 30", True), ("30,7", False), ("7,7", False),
                     ("", False), ("sept", False), ("99999", False)):
        with app.test_request_context():
            try:
                schedule.parse_pulse_days(text)
            except schedule.ScheduleError:
                assert not ok, text
            else:
                assert ok, text


def test_a_due_pulse_is_proposed_and_created_in_one_click_with_the_same_questions(
        app, client, make_establishment, make_user, auth, make_campaign):
    today = local_today()
    establishment = make_establishment("PUL", go_live=today - timedelta(days=28))
    user = make_user(Role.MANAGER, establishment)
    auth.login(user.email)
    first = make_campaign(establishment, opens_in=-21, lasts=6, sector_codes=("urgence",))
    with app.app_context():
        db.session.get(Campaign, first.id).pulse_day = 7
        campaign = db.session.get(Campaign, first.id)
        instrument = dict(campaign.instrument)
        instrument["items"] = [dict(i) for i in campaign.instrument["items"]]
        instrument["items"][0]["fr"] = "Question reformulée"
        campaign.instrument = instrument
        db.session.commit()
    page = shown(client.get("/campaigns"))
    assert "Jour 30 après le démarrage" in page
    response = client.post(f"/campaigns/pulse/{establishment.id}/30")
    assert response.status_code == 302
    with app.app_context():
        created = db.session.scalar(select(Campaign).where(Campaign.pulse_day == 30))
        assert created.opens_on == today + timedelta(days=2)
        assert created.instrument["items"][0]["fr"] == "Question reformulée"
        assert [s.code for s in created.sectors] == ["urgence"]
    assert "Jour 30 après le démarrage" not in shown(client.get("/campaigns"))
    # A second click (another tab) creates nothing more.
    client.post(f"/campaigns/pulse/{establishment.id}/30")
    with app.app_context():
        assert len(db.session.scalars(select(Campaign).where(
            Campaign.pulse_day == 30)).all()) == 1


def test_a_pulse_not_due_or_of_another_establishment_is_refused(
        app, client, manager, mcq, make_establishment):
    assert client.post(f"/campaigns/pulse/{mcq.id}/7").status_code == 302  # go-live long past
    with app.app_context():
        assert db.session.scalar(select(Campaign)) is None
    other = make_establishment("NIM", go_live=local_today())
    assert client.post(f"/campaigns/pulse/{other.id}/7").status_code == 404


def test_an_admin_sets_the_schedule_and_a_bad_one_is_explained(app, client, admin, mcq):
    url = f"/participation/schedule?establishment={mcq.id}"
    page = text(client.post(url, data={"pulse_days": "30, 7", "pulse_every_months": "6"}))
    assert "en ordre croissant" in page
    with app.app_context():
        assert db.session.get(Establishment, mcq.id).pulse_days == "7,30,90"
    response = client.post(url, data={"pulse_days": "14;45 , 120", "pulse_every_months": "12"})
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(Establishment, mcq.id)
        assert (saved.pulse_days, saved.pulse_every_months) == ("14, 45, 120", 12)
        assert db.session.scalar(select(AuditEntry.action).where(
            AuditEntry.action == "establishment.schedule")) == "establishment.schedule"
    assert "Jour 45 après le démarrage" in text(client.get(url))
