"""The audit trail reads in words, and every campaign, theme and setting change is in it."""

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from feedback import admin, audit, notifications
from feedback.clock import local_today
from feedback.extensions import db
from feedback.models import AuditEntry, Campaign, Establishment, Role, User
from feedback.surveys import headcounts, schedule


def entries(app, action: str) -> list[AuditEntry]:
    with app.app_context():
        found = list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                                        .order_by(AuditEntry.id)))
        for entry in found:
            db.session.expunge(entry)
    return found


@pytest.fixture
def mcq(make_establishment):
    return make_establishment("MCQ", name="Hôpital de la Mauricie")


@pytest.fixture
def manager(auth, make_user, mcq):
    user = make_user(Role.MANAGER, mcq)
    auth.login(user.email)
    return user


def campaign_form(**overrides):
    today = local_today()
    data = {"title_fr": "Pouls 3", "title_en": "Pulse 3", "intro_fr": "", "intro_en": "",
            "opens_on": today.isoformat(), "closes_on": (today + timedelta(days=6)).isoformat()}
    data.update(overrides)
    return data


def test_campaign_creation_and_edit_are_audited_before_after(app, client, manager, mcq):
    assert client.post("/campaigns/new",
                       data=campaign_form(establishment=str(mcq.id))).status_code == 302
    [created] = entries(app, "campaign.created")
    with app.app_context():
        campaign = db.session.scalar(select(Campaign))
    today = local_today()
    assert (created.actor_id, created.establishment_id, created.target_id) == (
        manager.id, mcq.id, str(campaign.id))
    assert created.details["opens_on"] == today.isoformat()

    later = (today + timedelta(days=9)).isoformat()
    client.post(f"/campaigns/{campaign.id}/edit", data=campaign_form(
        establishment=str(mcq.id), title_en="Pulse three", closes_on=later))
    [edited] = entries(app, "campaign.updated")
    assert edited.details == {
        "closes_on_before": (today + timedelta(days=6)).isoformat(), "closes_on_after": later,
        "fields": "title_en"}
    # Saving the same values again changes nothing and writes nothing.
    client.post(f"/campaigns/{campaign.id}/edit", data=campaign_form(
        establishment=str(mcq.id), title_en="Pulse three", closes_on=later))
    assert len(entries(app, "campaign.updated")) == 1


def test_close_reopen_duplicate_and_questions_are_audited(app, client, manager, mcq,
                                                          make_campaign):
    campaign = make_campaign(mcq, opens_in=-2, lasts=6)
    client.post(f"/campaigns/{campaign.id}/close")
    client.post(f"/campaigns/{campaign.id}/close")  # already closed: nothing new
    client.post(f"/campaigns/{campaign.id}/reopen")
    assert [e.target_id for e in entries(app, "campaign.closed")] == [str(campaign.id)]
    assert [e.target_id for e in entries(app, "campaign.reopened")] == [str(campaign.id)]

    client.post(f"/campaigns/{campaign.id}/duplicate")
    [duplicated] = entries(app, "campaign.duplicated")
    assert duplicated.details["copy_of"] == campaign.id
    assert duplicated.target_id != str(campaign.id)

    with app.app_context():
        instrument = db.session.get(Campaign, campaign.id).instrument
    data = {}
    for i, item in enumerate(instrument["items"]):
        data[f"items-{i}-fr"], data[f"items-{i}-en"] = item["fr"], item["en"]
    for key in ("recommend", "comment"):
        data[f"{key}-fr"], data[f"{key}-en"] = instrument[key]["fr"], instrument[key]["en"]
    data["items-1-fr"] = "Une nouvelle formulation."
    client.post(f"/campaigns/{campaign.id}/questions", data=data)
    [questions] = entries(app, "campaign.questions")
    assert questions.details == {"fields": "items", "count": 1}
    assert "nouvelle" not in str(questions.details)


def test_theme_keywords_and_threshold_and_schedule_changes_say_before_after(
        app, make_user, mcq):
    actor_id = make_user(Role.ADMIN).id
    with app.app_context():
        actor = db.session.get(User, actor_id)
        theme = admin.create_theme(actor, code="wifi", name_fr="Réseau", name_en="Network",
                                   keywords="wifi\nréseau")
        admin.update_theme(actor, theme, name_fr="Réseau sans fil", name_en="Network",
                           description_fr="", description_en="",
                           keywords="wifi\nréseau\nconnexion")
        admin.set_theme_active(actor, theme, False)
        establishment = db.session.get(Establishment, mcq.id)
        before_threshold = establishment.anonymity_threshold
        admin.update_establishment(
            actor, establishment, name=establishment.name, code="MCQ",
            go_live=establishment.go_live, phase2_day=establishment.phase2_day,
            phase3_day=establishment.phase3_day, anonymity_threshold=8)
        schedule.set_schedule(actor, establishment, pulse_days="14, 45", every_months=3)
        sectors = headcounts.establishment_sectors(establishment)[:2]
        headcounts.set_headcounts(actor, establishment, {sectors[0]: 40, sectors[1]: 10})
        headcounts.set_headcounts(actor, establishment, {sectors[0]: 30, sectors[1]: 10})
        notifications.set_webhook(establishment, "https://one.example.org/a", actor=actor)
        notifications.set_webhook(establishment, "https://two.example.org/b", actor=actor)
        db.session.commit()
    [updated] = entries(app, "theme.updated")
    assert (updated.details["keywords_before"], updated.details["keywords_after"]) == (2, 3)
    assert (updated.details["name_fr_before"], updated.details["name_fr_after"]) == (
        "Réseau", "Réseau sans fil")
    assert "name_en_before" not in updated.details
    assert entries(app, "theme.deactivated")[0].details["code"] == "wifi"
    [settings] = entries(app, "establishment.updated")
    assert settings.details["anonymity_threshold_before"] == before_threshold
    assert settings.details["anonymity_threshold_after"] == 8
    [pulses] = entries(app, "establishment.schedule")
    assert pulses.details["days_after"] == "14, 45"
    assert pulses.details["every_months_after"] == 3
    counts = entries(app, "sector.headcounts")
    assert [(e.details["total_before"], e.details["total_after"]) for e in counts] == [
        (0, 50), (50, 40)]
    hooks = entries(app, "webhook.updated")
    assert [(e.details["host_before"], e.details["host_after"]) for e in hooks] == [
        (None, "one.example.org"), ("one.example.org", "two.example.org")]
    assert "/a" not in str(hooks[0].details)


@pytest.fixture
def written_entries(app, make_user, mcq):
    """A representative set of entries as the app writes them, plus one it does not know."""
    admin_id = make_user(Role.ADMIN, email="root@example.org").id
    with app.app_context():
        owner = User(email="nadia@example.org", name="Nadia Caron", role=Role.MANAGER,
                     establishment_id=mcq.id, password_hash="x")
        db.session.add(owner)
        db.session.flush()
        actor = db.session.get(User, admin_id)
        actor.name = "Alice Admin"
        audit.record("issue.update", actor=actor, establishment_id=mcq.id, priority="P1",
                     owner_id=owner.id)
        audit.record("issue.status", actor=actor, establishment_id=mcq.id,
                     previous="new", to="resolved", duplicate_of=None)
        audit.record("user.role_changed", actor=actor, target=owner,
                     from_role="manager", to_role="admin")
        audit.record("export.download", actor=actor, establishment_id=mcq.id,
                     table="feedback", format="csv")
        audit.record("theme.updated", actor=actor, fields="keywords,name_fr",
                     keywords=3, keywords_before=2, keywords_after=3)
        audit.record("mystery.thing_done", actor=None, odd_key_name=4)
        db.session.commit()
    return admin_id


def test_the_trail_shows_words_not_codes_in_french(app, client, auth, written_entries):
    auth.login("root@example.org")
    body = client.get("/admin/audit").text.split("<tbody>")[1]
    for words in ("Responsable : Nadia Caron", "Priorité : P1 — sécurité des patients",
                  "Enjeu modifié",
                  "Statut : Nouveau → Résolu", "Rôle : Gestionnaire → Administrateur",
                  "Données exportées", "Alice Admin", "Hôpital de la Mauricie",
                  "Mots-clés : 2 → 3", "Mystery thing done", "Odd key name : 4"):
        assert words in body, words
    assert "Doublon de" not in body  # an empty detail is left out
    for code in ("owner_id", "export.download", "issue.update", "from_role", "=4",
                 "keywords_before", "resolved"):
        assert code not in body, code


def test_the_trail_and_its_csv_in_english(app, client, auth, written_entries):
    with app.app_context():
        db.session.get(User, written_entries).locale = "en"
        db.session.commit()
    auth.login("root@example.org")
    body = client.get("/admin/audit", headers={"Accept-Language": "en"}).text.split("<tbody>")[1]
    for words in ("Owner: Nadia Caron", "Issue changed", "Status: New → Resolved",
                  "Role: Manager → Administrator", "Data exported",
                  "Fields changed: Keywords, Name (French)"):
        assert words in body, words
    assert "owner_id" not in body

    rows = list(csv.reader(io.StringIO(
        client.get("/admin/audit.csv", headers={"Accept-Language": "en"}).text)))
    text = "\n".join(",".join(row) for row in rows)
    assert "Owner: Nadia Caron" in text and "Alice Admin" in text
    assert "owner_id" not in text and "Mystery thing done" in text


def test_names_are_read_once_per_kind_not_once_per_row(app, client, auth, written_entries, mcq):
    from sqlalchemy import event

    def add_entries(n: int) -> None:
        with app.app_context():
            actor = db.session.get(User, written_entries)
            for i in range(n):
                owner = User(email=f"owner{n}-{i}@example.org", name=f"Owner {i}",
                             role=Role.MANAGER, establishment_id=mcq.id, password_hash="x")
                db.session.add(owner)
                db.session.flush()
                audit.record("issue.update", actor=actor, establishment_id=mcq.id,
                             owner_id=owner.id, duplicate_of=i + 1)
            db.session.commit()

    def statements_for_page() -> int:
        seen = []
        with app.app_context():
            engine = db.engine
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.get("/admin/audit").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(seen)

    auth.login("root@example.org")
    add_entries(3)
    few = statements_for_page()
    add_entries(20)
    assert few > 3
    assert statements_for_page() == few
