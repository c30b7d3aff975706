"""Administration: who reaches what, and what every action changes and records."""

import csv
import html
import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from feedback import admin, insights
from feedback.admin import people
from feedback.clock import local_today, utcnow
from feedback.extensions import db
from feedback.models import (
    AuditEntry,
    Establishment,
    Feedback,
    FeedbackKind,
    Incident,
    PasswordReset,
    Role,
    Sector,
    Site,
    Theme,
    User,
    WriterRole,
)
from feedback.tagging import record_feedback


def audit_actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def last_entry(app, action: str) -> AuditEntry:
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == action)
                                  .order_by(AuditEntry.id.desc()))
        assert entry is not None, f"no {action} entry"
        db.session.expunge(entry)
    return entry


def first_site(app, establishment) -> Site:
    with app.app_context():
        site = db.session.scalar(select(Site).where(Site.establishment_id == establishment.id))
        db.session.expunge(site)
    return site


def sector_of(app, establishment, code: str = "urgence") -> Sector:
    with app.app_context():
        sector = db.session.scalar(
            select(Sector).join(Site).where(Site.establishment_id == establishment.id,
                                            Sector.code == code)
        )
        db.session.expunge(sector)
    return sector


@pytest.fixture
def network(make_establishment, make_user):
    """Two establishments and every kind of account."""
    a, b = make_establishment("AAA"), make_establishment("BBB")
    return {
        "a": a, "b": b,
        "root": make_user(Role.ADMIN, None, email="root@example.org"),
        "admin_a": make_user(Role.ADMIN, a, email="admin.a@example.org"),
        "admin_b": make_user(Role.ADMIN, b, email="admin.b@example.org"),
        "manager_a": make_user(Role.MANAGER, a, email="gestion.a@example.org"),
        "super_a": make_user(Role.SUPER_USER, a, email="super.a@example.org"),
        "network_manager": make_user(Role.MANAGER, None, email="reseau@example.org"),
    }


# -- Who reaches what ------------------------------------------------------------------------

NETWORK_ONLY = [
    "/admin/establishments", "/admin/establishments/new", "/admin/themes", "/admin/themes/new",
    "/admin/settings", "/admin/audit", "/admin/audit.csv", "/admin/incidents",
    "/admin/incidents/new",
]


@pytest.mark.parametrize("url", NETWORK_ONLY)
def test_network_pages_are_for_network_admins_only(client, auth, network, url):
    expected = {"root": 200, "admin_a": 403, "manager_a": 403, "super_a": 403,
                "network_manager": 403}
    for who, status in expected.items():
        auth.login(network[who].email)
        response = client.get(url)
        response.close()  # ends a streamed export, as a server would
        assert response.status_code == status, (who, url)
        auth.logout()
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_managers_and_super_users_see_no_admin_page(app, client, auth, network):
    a = network["a"]
    site, sector = first_site(app, a), sector_of(app, a)
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == "super.a@example.org"))
    urls = ["/admin/", f"/admin/establishments/{a.id}", f"/admin/establishments/{a.id}/edit",
            f"/admin/establishments/{a.id}/sites/new", f"/admin/sites/{site.id}/edit",
            f"/admin/sites/{site.id}/sectors/new", f"/admin/sectors/{sector.id}/edit",
            "/admin/people", "/admin/people/new", f"/admin/people/{user_id}/edit"]
    for who in ("manager_a", "super_a", "network_manager"):
        auth.login(network[who].email)
        for url in urls:
            assert client.get(url).status_code == 403, (who, url)
        assert client.post(f"/admin/sectors/{sector.id}/deactivate").status_code == 403
        auth.logout()
    assert "/admin/" not in client.get("/").text  # no menu entry either


def test_admin_menu_entry_shows_for_admins_only(client, auth, network):
    auth.login(network["admin_a"].email)
    assert 'href="/admin/"' in client.get("/").text
    auth.logout()
    auth.login(network["manager_a"].email)
    assert 'href="/admin/"' not in client.get("/").text


def test_establishment_admin_lands_on_their_establishment(client, auth, network):
    auth.login(network["admin_a"].email)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/establishments/{network['a'].id}")
    page = client.get(response.headers["Location"])
    assert page.status_code == 200 and "Établissement 1" in page.text
    assert "Modifier</a>" not in page.text.split("Sites et secteurs")[0]  # settings read-only


def test_establishment_admin_cannot_reach_another_establishment(app, client, auth, network):
    b = network["b"]
    site_b, sector_b = first_site(app, b), sector_of(app, b)
    auth.login(network["admin_a"].email)
    for url in (f"/admin/establishments/{b.id}", f"/admin/establishments/{b.id}/sites/new",
                f"/admin/sites/{site_b.id}/edit", f"/admin/sites/{site_b.id}/sectors/new",
                f"/admin/sectors/{sector_b.id}/edit",
                f"/admin/people/{network['admin_b'].id}/edit",
                f"/admin/people/{network['root'].id}/edit",
                f"/admin/people/{network['network_manager'].id}/edit"):
        assert client.get(url).status_code == 404, url
    for url in (f"/admin/sectors/{sector_b.id}/deactivate", f"/admin/sites/{site_b.id}/deactivate",
                f"/admin/people/{network['admin_b'].id}/deactivate",
                f"/admin/people/{network['root'].id}/deactivate",
                f"/admin/people/{network['root'].id}/reset-link"):
        assert client.post(url).status_code == 404, url
    # and it changed nothing
    with app.app_context():
        assert db.session.get(Sector, sector_b.id).active
        assert db.session.get(User, network["root"].id).active
        assert db.session.scalar(select(func.count(PasswordReset.id))) == 0


def test_establishment_admin_cannot_change_network_settings(app, client, auth, network):
    a = network["a"]
    auth.login(network["admin_a"].email)
    response = client.post(f"/admin/establishments/{a.id}/edit", data={
        "name": "Renamed", "code": "AAA", "go_live": "2026-05-09", "phase2_day": 14,
        "phase3_day": 60, "anonymity_threshold": 3})
    assert response.status_code == 403
    assert client.post(f"/admin/establishments/{a.id}/deactivate").status_code == 403
    with app.app_context():
        establishment = db.session.get(Establishment, a.id)
        assert (establishment.name, establishment.anonymity_threshold, establishment.active) == (
            "Établissement 1", None, True)


def test_people_list_is_scoped_to_the_establishment(client, auth, network):
    auth.login(network["admin_a"].email)
    page = client.get("/admin/people").text
    assert "admin.a@example.org" in page and "gestion.a@example.org" in page
    for other in ("admin.b@example.org", "root@example.org", "reseau@example.org"):
        assert other not in page
    auth.logout()
    auth.login(network["root"].email)
    page = client.get("/admin/people").text
    assert all(e in page for e in ("admin.b@example.org", "root@example.org", "reseau@example.org"))
    filtered = client.get(f"/admin/people?establishment={network['b'].id}").text
    assert "admin.b@example.org" in filtered and "admin.a@example.org" not in filtered
    network_only = client.get("/admin/people?establishment=0&role=manager").text
    assert "reseau@example.org" in network_only and "root@example.org" not in network_only
    searched = client.get("/admin/people?q=GESTION").text
    assert "gestion.a@example.org" in searched and "super.a@example.org" not in searched


# -- Establishments --------------------------------------------------------------------------

ESTABLISHMENT = {"name": "CIUSSS de l'Estrie – CHUS", "code": "est", "go_live": "2026-09-12",
                 "phase2_day": 14, "phase3_day": 60, "anonymity_threshold": ""}


def test_network_admin_creates_an_establishment(app, client, auth, network):
    auth.login(network["root"].email)
    response = client.post("/admin/establishments/new", data=ESTABLISHMENT)
    assert response.status_code == 302
    with app.app_context():
        created = db.session.scalar(select(Establishment).where(Establishment.code == "EST"))
        assert (created.name, created.go_live, created.anonymity_threshold) == (
            "CIUSSS de l'Estrie – CHUS", date(2026, 9, 12), None)
    entry = last_entry(app, "establishment.created")
    assert (entry.actor_id, entry.establishment_id, entry.details) == (
        network["root"].id, created.id, {"code": "EST"})
    assert client.get(response.headers["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("changes", "message"),
    [({"code": "AAA"}, "Un autre établissement utilise déjà ce code."),
     ({"code": "a b"}, "Utilisez de 2 à 20 lettres majuscules, chiffres ou traits d'union."),
     ({"anonymity_threshold": "2"}, "Entrez un nombre de 3 à 50."),
     ({"anonymity_threshold": "51"}, "Entrez un nombre de 3 à 50."),
     ({"phase2_day": "30", "phase3_day": "30"}, "La phase 3 doit commencer après la phase 2."),
     ({"go_live": ""}, "Entrez la date de mise en service.")],
)
def test_establishment_form_explains_bad_values_and_keeps_them(app, client, auth, network,
                                                                changes, message):
    auth.login(network["root"].email)
    page = client.post("/admin/establishments/new", data={**ESTABLISHMENT, **changes})
    assert page.status_code == 200
    assert message in page.text
    assert "CIUSSS de l&#39;Estrie – CHUS" in page.text  # what was typed stays
    with app.app_context():
        assert db.session.scalar(select(func.count(Establishment.id))) == 2


def test_domain_refuses_a_threshold_outside_the_bounds(app, network):
    with app.app_context():
        root = db.session.get(User, network["root"].id)
        low, high = admin.ANONYMITY_BOUNDS
        for value in (low - 1, high + 1):
            with pytest.raises(admin.AdminError):
                admin.create_establishment(root, name="X", code="XX",
                                                    go_live=date(2026, 1, 1),
                                                    anonymity_threshold=value)
        created = admin.create_establishment(root, name="X", code="xx",
                                                      go_live=date(2026, 1, 1),
                                                      anonymity_threshold=high)
        assert (created.code, created.anonymity_threshold) == ("XX", high)


def test_editing_an_establishment_overrides_its_threshold(app, client, auth, network):
    a = network["a"]
    auth.login(network["root"].email)
    response = client.post(f"/admin/establishments/{a.id}/edit", data={
        **ESTABLISHMENT, "name": "Établissement A", "code": "AAA", "go_live": "2026-05-09",
        "anonymity_threshold": "8"})
    assert response.status_code == 302
    with app.app_context():
        establishment = db.session.get(Establishment, a.id)
        assert establishment.anonymity_threshold == 8
        assert admin.effective_threshold(establishment, 5) == 8
        assert admin.effective_threshold(db.session.get(Establishment, network["b"].id),
                                                  5) == 5
    entry = last_entry(app, "establishment.updated")
    assert entry.details == {"fields": "name,anonymity_threshold",
                             "anonymity_threshold_before": None, "anonymity_threshold_after": 8}
    assert "8 (valeur propre)" in client.get(f"/admin/establishments/{a.id}").text


def test_deactivated_establishment_leaves_forms_but_keeps_its_history(app, client, auth, network):
    a = network["a"]
    with app.app_context():
        record_feedback(establishment=db.session.get(Establishment, a.id), text="Badge refusé.",
                        kind=FeedbackKind.OBSERVATION, role=WriterRole.NURSE, phase=1)
        db.session.commit()
    auth.login(network["root"].email)
    assert client.post(f"/admin/establishments/{a.id}/deactivate").status_code == 302
    with app.app_context():
        assert [e.code for e in admin.active_establishments()] == ["BBB"]
        assert db.session.scalar(select(func.count(Feedback.id))
                                 .where(Feedback.establishment_id == a.id)) == 1
    assert "AAA" in client.get("/admin/establishments").text
    new_user_form = client.get("/admin/people/new").text
    assert "(BBB)" in new_user_form and "(AAA)" not in new_user_form
    assert last_entry(app, "establishment.deactivated").target_id == str(a.id)
    client.post(f"/admin/establishments/{a.id}/reactivate")
    assert audit_actions(app)[-1] == "establishment.reactivated"


# -- Sites and sectors -----------------------------------------------------------------------


def test_establishment_admin_manages_sites_and_sectors(app, client, auth, network):
    a = network["a"]
    auth.login(network["admin_a"].email)
    response = client.post(f"/admin/establishments/{a.id}/sites/new",
                           data={"name": "CLSC de Trois-Rivières", "kind": "clsc"})
    assert response.status_code == 302
    with app.app_context():
        site = db.session.scalar(select(Site).where(Site.name == "CLSC de Trois-Rivières"))
        site_id = site.id
    assert client.post(f"/admin/sites/{site_id}/sectors/new", data={
        "code": "Soutien-Domicile", "name_fr": "Soutien à domicile", "name_en": "Home care",
    }).status_code == 302
    assert client.post(f"/admin/sites/{site_id}/edit",
                       data={"name": "CLSC Trois-Rivières", "kind": "clsc"}).status_code == 302
    with app.app_context():
        site = db.session.get(Site, site_id)
        assert site.name == "CLSC Trois-Rivières"
        assert [(s.code, s.name_en) for s in site.sectors] == [("soutien-domicile", "Home care")]
    assert audit_actions(app)[-3:] == ["site.created", "sector.created", "site.updated"]
    assert last_entry(app, "site.updated").details == {"fields": "name"}
    page = client.get(f"/admin/establishments/{a.id}").text
    assert "CLSC Trois-Rivières" in page and "Soutien à domicile" in page


def test_sector_code_is_unique_within_its_site(app, client, auth, network):
    site = first_site(app, network["a"])
    auth.login(network["admin_a"].email)
    page = client.post(f"/admin/sites/{site.id}/sectors/new",
                       data={"code": "urgence", "name_fr": "Urgence 2", "name_en": "ER 2"})
    assert "Ce site a déjà un secteur avec ce code." in page.text
    other_site = first_site(app, network["b"])
    auth.logout()
    auth.login(network["root"].email)
    assert client.post(f"/admin/sites/{other_site.id}/sectors/new", data={
        "code": "pharmacie", "name_fr": "Pharmacie", "name_en": "Pharmacy"}).status_code == 302


def test_deactivation_hides_from_forms_and_keeps_history(app, client, auth, network):
    a = network["a"]
    urgence, oncologie = sector_of(app, a, "urgence"), sector_of(app, a, "oncologie")
    with app.app_context():
        establishment = db.session.get(Establishment, a.id)
        for text in ("L'imprimante de l'urgence ne fonctionne pas.", "Trop de clics."):
            record_feedback(establishment=establishment, text=text,
                            kind=FeedbackKind.OBSERVATION, role=WriterRole.NURSE, phase=1,
                            sector=db.session.get(Sector, urgence.id))
        db.session.commit()
        assert {s.code for s in admin.active_sectors(a.id)} == {"urgence", "oncologie"}

    auth.login(network["admin_a"].email)
    assert client.post(f"/admin/sectors/{urgence.id}/deactivate").status_code == 302
    with app.app_context():
        assert [s.code for s in admin.active_sectors(a.id)] == ["oncologie"]
        assert insights.sector_feedback_counts(a.id) == {urgence.id: 2}
        stored = db.session.scalars(select(Feedback.sector_id)).all()
        assert stored == [urgence.id, urgence.id]  # feedback still points at its sector
    page = client.get(f"/admin/establishments/{a.id}").text
    assert "Urgence" in page and "Désactivé" in page  # still listed, with its count
    # it cannot be deleted: it has history
    response = client.post(f"/admin/sectors/{urgence.id}/delete", follow_redirects=True)
    assert "Ce secteur a un historique : désactivez-le plutôt." in response.text
    with app.app_context():
        assert db.session.get(Sector, urgence.id) is not None

    # a deactivated site takes its sectors out of forms, and brings them back
    site = first_site(app, a)
    client.post(f"/admin/sites/{site.id}/deactivate")
    with app.app_context():
        assert admin.active_sectors(a.id) == []
        assert admin.active_sites(a.id) == []
        assert admin.sector_choices(a.id, "fr") == []
    client.post(f"/admin/sites/{site.id}/reactivate")
    client.post(f"/admin/sectors/{urgence.id}/reactivate")
    with app.app_context():
        assert admin.sector_choices(a.id, "en") == [
            (oncologie.id, "Oncology — Hôpital 1"), (urgence.id, "Emergency — Hôpital 1")]
    assert audit_actions(app)[-4:] == ["site.deactivated", "site.reactivated",
                                       "sector.reactivated"] or audit_actions(app)[-3:] == [
        "site.deactivated", "site.reactivated", "sector.reactivated"]


def test_unused_sector_and_empty_site_can_be_deleted(app, client, auth, network):
    a = network["a"]
    oncologie = sector_of(app, a, "oncologie")
    auth.login(network["admin_a"].email)
    assert "Supprimer le secteur" in client.get(f"/admin/sectors/{oncologie.id}/edit").text
    assert client.post(f"/admin/sectors/{oncologie.id}/delete").status_code == 302
    with app.app_context():
        assert db.session.get(Sector, oncologie.id) is None
    client.post(f"/admin/establishments/{a.id}/sites/new", data={"name": "Erreur", "kind": "other"})
    with app.app_context():
        empty = db.session.scalar(select(Site.id).where(Site.name == "Erreur"))
    site = first_site(app, a)
    response = client.post(f"/admin/sites/{site.id}/delete", follow_redirects=True)
    assert "Ce site a des secteurs ou de la rétroaction : désactivez-le plutôt." in response.text
    assert client.post(f"/admin/sites/{empty}/delete").status_code == 302
    with app.app_context():
        assert db.session.get(Site, empty) is None and db.session.get(Site, site.id) is not None
    assert audit_actions(app)[-1] == "site.deleted"
    assert "sector.deleted" in audit_actions(app)


# -- People ----------------------------------------------------------------------------------


def test_establishment_admin_invites_a_person_and_the_link_is_shown(app, client, auth, network):
    a = network["a"]
    auth.login(network["admin_a"].email)
    page = client.post("/admin/people/new", data={
        "name": "Julie Roy", "email": "Julie.Roy@Example.org", "role": "manager",
        "establishment": a.id, "locale": "en"})
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert "Compte créé" in page.text
    link = re.search(r'id="link" type="text" readonly value="([^"]+)"', page.text)[1]
    assert "/reset/" in link
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "julie.roy@example.org"))
        assert (user.role, user.establishment_id, user.locale, user.active) == (
            Role.MANAGER, a.id, "en", True)
    assert audit_actions(app)[-2:] == ["user.created", "user.reset_issued"]
    assert last_entry(app, "user.created").details == {"role": "manager"}

    auth.logout()
    token_path = link.split("localhost", 1)[1]
    chosen = "une longue phrase de passe"
    assert client.post(token_path, data={"new_password": chosen,
                                         "confirm": chosen}).status_code == 302
    assert auth.login("julie.roy@example.org", chosen).status_code == 302


def test_establishment_admin_cannot_create_network_wide_accounts(app, client, auth, network):
    auth.login(network["admin_a"].email)
    form = client.get("/admin/people/new").text
    assert "Tout le réseau" not in form and "(BBB)" not in form
    for establishment in (0, network["b"].id):
        page = client.post("/admin/people/new", data={
            "name": "X", "email": "x@example.org", "role": "admin",
            "establishment": establishment, "locale": "fr"})
        assert page.status_code == 200
        assert "Choisissez un établissement dans la liste." in page.text
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "x@example.org")) is None


def test_permission_rules_in_the_domain(app, network):
    with app.app_context():
        admin_a = db.session.get(User, network["admin_a"].id)
        manager = db.session.get(User, network["manager_a"].id)
        a = db.session.get(Establishment, network["a"].id)
        b = db.session.get(Establishment, network["b"].id)
        assert admin.assignable_roles(manager) == [Role.SUPER_USER, Role.MANAGER]
        assert admin.assignable_roles(admin_a) == list(Role)
        for establishment in (None, b):
            with pytest.raises(PermissionError):
                people.invite_user(admin_a, email="y@example.org", name="Y",
                                           role=Role.MANAGER, establishment=establishment)
        with pytest.raises(PermissionError):
            admin.check_may_manage_user(admin_a, db.session.get(User, network["root"].id))
        with pytest.raises(PermissionError):  # a manager, even of A, manages nobody
            admin.check_may_manage_user(manager, db.session.get(User,
                                                                         network["super_a"].id))
        assert admin.may_manage_establishment(admin_a, a.id)
        assert not admin.may_manage_establishment(admin_a, b.id)
        assert not admin.may_manage_establishment(manager, a.id)


def test_role_change_is_audited_with_both_roles(app, client, auth, network):
    super_a = network["super_a"]
    auth.login(network["admin_a"].email)
    response = client.post(f"/admin/people/{super_a.id}/edit", data={
        "name": "Super A", "email": super_a.email, "role": "manager",
        "establishment": network["a"].id, "locale": "fr"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, super_a.id).role is Role.MANAGER
    assert audit_actions(app)[-2:] == ["user.updated", "user.role_changed"]
    entry = last_entry(app, "user.role_changed")
    assert (entry.actor_id, entry.target_id, entry.establishment_id, entry.details) == (
        network["admin_a"].id, str(super_a.id), network["a"].id,
        {"from_role": "super_user", "to_role": "manager"})


def test_network_admin_moves_a_person_between_establishments(app, client, auth, network):
    manager = network["manager_a"]
    auth.login(network["root"].email)
    client.post(f"/admin/people/{manager.id}/edit", data={
        "name": manager.name, "email": manager.email, "role": "manager",
        "establishment": 0, "locale": "fr"})
    with app.app_context():
        assert db.session.get(User, manager.id).network_wide
    entry = last_entry(app, "user.establishment_changed")
    assert entry.details == {"from_establishment": network["a"].id, "to_establishment": None}


def test_nobody_changes_their_own_role_or_deactivates_themselves(app, client, auth, network):
    me = network["admin_a"]
    auth.login(me.email)
    form = client.get(f"/admin/people/{me.id}/edit").text
    assert 'name="role"' not in form
    client.post(f"/admin/people/{me.id}/edit", data={
        "name": "Moi", "email": me.email, "role": "super_user", "establishment": network["b"].id,
        "locale": "fr"})
    response = client.post(f"/admin/people/{me.id}/deactivate", follow_redirects=True)
    assert "Vous ne pouvez pas désactiver votre propre compte." in response.text
    with app.app_context():
        user = db.session.get(User, me.id)
        assert (user.name, user.role, user.establishment_id, user.active) == (
            "Moi", Role.ADMIN, network["a"].id, True)
        with pytest.raises(admin.AdminError):
            people.update_user(user, user, name="Moi", email=me.email,
                                       role=Role.MANAGER, establishment=user.establishment,
                                       locale="fr")


def test_deactivated_person_cannot_sign_in_and_history_stays(app, client, auth, network):
    super_a = network["super_a"]
    with app.app_context():
        record_feedback(establishment=db.session.get(Establishment, network["a"].id),
                        text="Le lecteur de badge est lent.", kind=FeedbackKind.OBSERVATION,
                        role=WriterRole.NURSE, phase=1,
                        author=db.session.get(User, super_a.id))
        db.session.commit()
    auth.login(network["admin_a"].email)
    assert client.post(f"/admin/people/{super_a.id}/deactivate").status_code == 302
    auth.logout()
    assert "Ce compte est désactivé" in auth.login(super_a.email).text
    with app.app_context():
        assert db.session.scalar(select(Feedback.author_id)) == super_a.id
    auth.login(network["admin_a"].email)
    page = client.get("/admin/people?status=inactive").text
    assert super_a.email in page and "gestion.a@example.org" not in page
    client.post(f"/admin/people/{super_a.id}/reactivate")
    assert [a for a in audit_actions(app) if a.startswith("user.")] == [
        "user.deactivated", "user.reactivated"]
    auth.logout()
    assert auth.login(super_a.email).status_code == 302


def test_reset_link_is_refused_for_a_deactivated_account(app, client, auth, network):
    super_a = network["super_a"]
    auth.login(network["admin_a"].email)
    client.post(f"/admin/people/{super_a.id}/deactivate")
    response = client.post(f"/admin/people/{super_a.id}/reset-link", follow_redirects=True)
    assert "Réactivez le compte avant de lui envoyer un lien." in response.text
    with app.app_context():
        assert db.session.scalar(select(func.count(PasswordReset.id))) == 0


def test_duplicate_email_is_explained_next_to_the_field(app, client, auth, network):
    auth.login(network["root"].email)
    page = client.post("/admin/people/new", data={
        "name": "Doublon", "email": "ADMIN.A@example.org", "role": "manager",
        "establishment": network["a"].id, "locale": "fr"})
    assert "Un utilisateur avec ce courriel existe déjà." in page.text
    assert 'id="email-error"' in page.text


# -- Themes ----------------------------------------------------------------------------------


def theme_codes(feedback: Feedback) -> set[str]:
    return {link.theme.code for link in feedback.themes}


def test_a_new_theme_with_keywords_tags_new_feedback_at_once(app, client, auth, network):
    text = "Le dosimètre Zorblax ne transmet plus ses valeurs au dossier."
    with app.app_context():
        establishment = db.session.get(Establishment, network["a"].id)
        before = record_feedback(establishment=establishment, text=text,
                                 kind=FeedbackKind.OBSERVATION, role=WriterRole.NURSE, phase=1)
        db.session.flush()
        assert "devices" not in theme_codes(before)
        db.session.rollback()

    auth.login(network["root"].email)
    response = client.post("/admin/themes/new", data={
        "code": "devices", "name_fr": "Appareils biomédicaux", "name_en": "Medical devices",
        "description_fr": "Pompes, moniteurs, dosimètres.", "description_en": "Pumps, monitors.",
        "keywords": "zorblax\n  pompe   volumétrique \nZORBLAX\n\nvolumetric pump"})
    assert response.status_code == 302
    with app.app_context():
        theme = db.session.scalar(select(Theme).where(Theme.code == "devices"))
        assert theme.keywords == "zorblax\npompe volumétrique\nvolumetric pump"
        establishment = db.session.get(Establishment, network["a"].id)
        after = record_feedback(establishment=establishment, text=text,
                                kind=FeedbackKind.OBSERVATION, role=WriterRole.NURSE, phase=1)
        english = record_feedback(establishment=establishment,
                                  text="The volumetric pump alarms keep going off.",
                                  kind=FeedbackKind.OBSERVATION, role=WriterRole.NURSE, phase=1)
        db.session.commit()
        assert "devices" in theme_codes(after)
        assert "devices" in theme_codes(english)
    assert last_entry(app, "theme.created").details == {"code": "devices", "keywords": 3}


def test_keywords_added_to_an_existing_theme_change_the_analysis(app, client, auth, network):
    text = "Quibbix, encore Quibbix."
    with app.app_context():
        training = db.session.scalar(select(Theme).where(Theme.code == "training"))
        establishment = db.session.get(Establishment, network["a"].id)
        before = record_feedback(establishment=establishment, text=text,
                                 kind=FeedbackKind.OBSERVATION, role=WriterRole.NURSE, phase=1)
        db.session.flush()
        assert "training" not in theme_codes(before)
        db.session.rollback()
        theme_id = training.id
    auth.login(network["root"].email)
    client.post(f"/admin/themes/{theme_id}/edit", data={
        "code": "ignored", "name_fr": "Formation et apprentissage",
        "name_en": "Training and learning", "description_fr": "", "description_en": "",
        "keywords": "quibbix"})
    with app.app_context():
        theme = db.session.get(Theme, theme_id)
        assert (theme.code, theme.keywords) == ("training", "quibbix")
        after = record_feedback(establishment=db.session.get(Establishment, network["a"].id),
                                text=text, kind=FeedbackKind.OBSERVATION,
                                role=WriterRole.NURSE, phase=1)
        db.session.flush()
        assert "training" in theme_codes(after)
        db.session.rollback()
    entry = last_entry(app, "theme.updated")
    assert entry.details == {"code": "training", "fields": "description_fr,description_en,keywords",
                             "keywords": 1, "keywords_before": 0, "keywords_after": 1}


def test_a_deactivated_theme_is_no_longer_given(app, client, auth, network):
    with app.app_context():
        access = db.session.scalar(select(Theme).where(Theme.code == "access"))
        access_id = access.id
    auth.login(network["root"].email)
    client.post(f"/admin/themes/{access_id}/deactivate")
    with app.app_context():
        feedback = record_feedback(establishment=db.session.get(Establishment, network["a"].id),
                                   text="Mon mot de passe est encore bloqué, impossible de me "
                                        "connecter.",
                                   kind=FeedbackKind.OBSERVATION, role=WriterRole.NURSE, phase=1)
        db.session.flush()
        assert "access" not in theme_codes(feedback)
        db.session.rollback()
    page = client.get("/admin/themes").text
    assert "Accès et stabilité" in page and "Réactiver" in page
    assert last_entry(app, "theme.deactivated").details == {"code": "access"}


def test_theme_code_must_be_new_and_well_formed(client, auth, network):
    auth.login(network["root"].email)
    data = {"name_fr": "X", "name_en": "X", "keywords": ""}
    assert "Un autre thème utilise déjà ce code." in client.post(
        "/admin/themes/new", data={**data, "code": "access"}).text
    assert "Utilisez de 2 à 40 lettres minuscules" in client.post(
        "/admin/themes/new", data={**data, "code": "é!"}).text


# -- Settings --------------------------------------------------------------------------------


def test_settings_show_the_effective_configuration_and_no_secret(app, client, auth, network):
    app.config.update(MAIL_SERVER="smtp.example.org", MAIL_PORT=587, MAIL_USE_TLS=True,
                      MAIL_USERNAME="echo-bot", MAIL_PASSWORD="hunter2-very-secret",
                      ANONYMITY_THRESHOLD=7, RETENTION_DAYS={"followup": 45})
    with app.app_context():
        db.session.get(Establishment, network["b"].id).anonymity_threshold = 12
        db.session.commit()
        engine = db.engine.dialect.name
    auth.login(network["root"].email)
    page = client.get("/admin/settings").text
    assert engine in page
    assert "7 réponses" in page and "BBB" in page and "12 réponses" in page
    assert "45 jours" in page and "730 jours" in page
    assert "30 per minute" in page  # the survey rate limit
    assert "smtp.example.org:587" in page and "STARTTLS" in page
    for secret in ("hunter2-very-secret", "test-secret-key", "echo-bot"):
        assert secret not in page


# -- Audit trail -----------------------------------------------------------------------------


def test_audit_trail_lists_translated_actions_and_filters(app, client, auth, network):
    auth.login(network["root"].email)
    client.post(f"/admin/people/{network['super_a'].id}/deactivate")
    page = client.get("/admin/audit").text
    assert "Compte désactivé" in page and "Connexion réussie" in page
    assert "user.deactivated" not in page.split("<tbody>")[1]

    only = client.get("/admin/audit?action=user.deactivated").text.split("<tbody>")[1]
    assert "Compte désactivé" in only and "Connexion réussie" not in only
    by_actor = client.get("/admin/audit?actor=ROOT@").text.split("<tbody>")[1]
    assert "root@example.org" in by_actor
    by_place = client.get(f"/admin/audit?establishment={network['b'].id}").text
    assert "Aucune entrée ne correspond" in by_place
    today = local_today()
    assert "Compte désactivé" in client.get(f"/admin/audit?since={today}&until={today}").text
    tomorrow = today + timedelta(days=1)
    assert "Aucune entrée" in client.get(f"/admin/audit?since={tomorrow}").text


def test_audit_trail_is_paginated_and_keeps_its_filters(app, client, auth, network):
    from feedback import audit

    with app.app_context():
        for n in range(60):
            audit.record("login.failure", actor=None, actor_email=f"x{n}@example.org")
        audit.record("some.future_action", actor=None)
        db.session.commit()
    auth.login(network["root"].email)
    first = client.get("/admin/audit?action=login.failure").text
    assert "60 entrées" in first
    assert "x59@example.org" in first and "x0@example.org" not in first
    assert 'rel="prev"' not in first
    following = re.search(r'href="(/admin/audit\?[^"]*)" rel="next"', first).group(1)
    following = html.unescape(following)
    assert "action=login.failure" in following and "cursor=" in following
    second = client.get(following).text
    assert "x0@example.org" in second and "x59@example.org" not in second
    assert 'rel="next"' not in second
    # Back: the first page again, every entry once across both.
    back = html.unescape(re.search(r'href="(/admin/audit\?[^"]*)" rel="prev"', second).group(1))
    again = client.get(back).text
    shown = set(re.findall(r"x\d+@example.org", first))
    assert set(re.findall(r"x\d+@example.org", again)) == shown
    assert shown | set(re.findall(r"x\d+@example.org", second)) == {
        f"x{n}@example.org" for n in range(60)}
    assert not shown & set(re.findall(r"x\d+@example.org", second))
    # an action without a readable name yet shows its code
    assert "some.future_action" in client.get("/admin/audit?action=some.future_action").text


def test_audit_export_is_a_neutralised_csv_and_is_itself_audited(app, client, auth, network):
    from feedback import audit

    with app.app_context():
        audit.record("login.failure", actor=None, actor_email="=HYPERLINK(\"http://x\")")
        audit.record("login.failure", actor=None, actor_email="@SUM(A1)")
        audit.record("login.failure", actor=None, actor_email="+cmd|' /C calc'!A0")
        audit.record("login.failure", actor=None, actor_email="-2+3")
        audit.record("login.failure", actor=None, actor_email="\tTAB")
        db.session.commit()
    auth.login(network["root"].email)
    response = client.get("/admin/audit.csv?action=login.failure")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:4] == ["Heure (Québec)", "Qui", "Code de l'action", "Action"]
    emails = [row[1] for row in rows[1:]]
    assert sorted(emails) == sorted(["'\tTAB", "'-2+3", "'+cmd|' /C calc'!A0", "'@SUM(A1)",
                                     "'=HYPERLINK(\"http://x\")"])
    assert all(row[3] == "Échec de connexion" for row in rows[1:])
    for row in rows:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)
    entry = last_entry(app, "audit.exported")
    assert (entry.actor_id, entry.details) == (network["root"].id,
                                               {"filter_action": "login.failure"})


def test_csv_safe_neutralises_every_formula_prefix():
    from feedback.insights.exports import csv_safe

    for prefix in ("=", "+", "-", "@", "\t", "\r"):
        assert csv_safe(prefix + "1") == "'" + prefix + "1"
    assert csv_safe("admin@example.org") == "admin@example.org"
    assert csv_safe(None) == "" and csv_safe(3) == "3"


# -- Incident register -----------------------------------------------------------------------

INCIDENT = {"establishment": "0", "occurred_on": "2026-06-01", "discovered_on": "2026-06-02",
            "description": "Liste de contacts oubliée dans une salle de repos.",
            "information_kinds": "Courriels", "people_affected": "6",
            "risk_assessment": "Faible", "cai_notified_on": "", "people_notified_on": "",
            "measures": "Liste détruite."}


def test_incident_register_crud(app, client, auth, network):
    auth.login(network["root"].email)
    assert client.post("/admin/incidents/new", data=INCIDENT).status_code == 302
    with app.app_context():
        incident = db.session.scalar(select(Incident))
        assert (incident.establishment_id, incident.people_affected, incident.serious_risk,
                incident.created_by_id) == (None, 6, False, network["root"].id)
        incident_id = incident.id
    listing = client.get("/admin/incidents").text
    assert "Liste de contacts oubliée" in listing

    response = client.post(f"/admin/incidents/{incident_id}/edit", data={
        **INCIDENT, "establishment": str(network["a"].id), "serious_risk": "y",
        "cai_notified_on": "2026-06-03", "people_notified_on": "2026-06-04"})
    assert response.status_code == 302
    with app.app_context():
        incident = db.session.get(Incident, incident_id)
        assert (incident.establishment_id, incident.serious_risk, incident.cai_notified_on) == (
            network["a"].id, True, date(2026, 6, 3))
    assert last_entry(app, "incident.updated").details == {
        "fields": "establishment_id,serious_risk,cai_notified_on,people_notified_on",
        "serious_risk": True}

    assert client.post(f"/admin/incidents/{incident_id}/delete").status_code == 302
    with app.app_context():
        assert db.session.get(Incident, incident_id) is None
    assert [a for a in audit_actions(app) if a.startswith("incident.")] == [
        "incident.created", "incident.updated", "incident.deleted"]
    # the audit trail keeps that it existed, not what it said
    with app.app_context():
        for entry in db.session.scalars(select(AuditEntry)):
            assert "Liste de contacts" not in str(entry.details)


@pytest.mark.parametrize(
    ("changes", "message"),
    [({"discovered_on": ""}, "Entrez la date de la découverte."),
     ({"description": "  "}, "Décrivez l'incident."),
     ({"occurred_on": "2026-06-05"}, "Un incident est découvert le jour où il survient ou après."),
     ({"cai_notified_on": "2026-05-01"}, "Un avis ne peut précéder l'incident."),
     ({"people_affected": "-1"}, "Entrez zéro ou plus.")],
)
def test_incident_form_explains_inconsistent_entries(app, client, auth, network, changes,
                                                     message):
    auth.login(network["root"].email)
    page = client.post("/admin/incidents/new", data={**INCIDENT, **changes})
    assert page.status_code == 200
    assert message in html.unescape(page.text)
    with app.app_context():
        assert db.session.scalar(select(func.count(Incident.id))) == 0


def test_an_incident_cannot_be_discovered_in_the_future(app, client, auth, network):
    auth.login(network["root"].email)
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    page = client.post("/admin/incidents/new", data={**INCIDENT, "occurred_on": "",
                                                       "discovered_on": tomorrow})
    assert "Cette date est dans le futur." in page.text


def test_incident_register_is_for_network_admins_only(app, client, auth, network):
    with app.app_context():
        incident = Incident(discovered_on=date(2026, 6, 2), description="x",
                            establishment_id=network["a"].id)
        db.session.add(incident)
        db.session.commit()
        incident_id = incident.id
    for who in ("admin_a", "manager_a", "super_a"):
        auth.login(network[who].email)
        assert client.get(f"/admin/incidents/{incident_id}/edit").status_code == 403
        assert client.post(f"/admin/incidents/{incident_id}/delete").status_code == 403
        auth.logout()
    with app.app_context():
        assert db.session.get(Incident, incident_id) is not None


# -- The audit trail holds no feedback text --------------------------------------------------


def test_no_audit_entry_contains_feedback_text_or_survey_answers(app, client, auth, runner,
                                                                 network, make_campaign):
    from feedback import privacy
    from feedback.models import FollowUpContact

    secret_words = "Mme Tremblay pleure chaque soir dans le vestiaire"
    auth.login(network["root"].email)
    with app.app_context():
        establishment = db.session.get(Establishment, network["a"].id)
        record_feedback(establishment=establishment, text=secret_words,
                        kind=FeedbackKind.OBSERVATION, role=WriterRole.NURSE, phase=1,
                        created_at=utcnow() - timedelta(days=2000))
        db.session.add(FollowUpContact(establishment_id=establishment.id,
                                       contact="joanie.secret@example.org",
                                       created_on=local_today()))
        db.session.commit()
        contact_id = db.session.scalar(select(FollowUpContact.id))
        themes = {t.code: t.id for t in db.session.scalars(select(Theme))}
    # a round of sensitive actions
    client.post(f"/admin/themes/{themes['safety']}/edit", data={
        "name_fr": "Sécurité", "name_en": "Safety", "description_fr": "",
        "description_en": "", "keywords": "vestiaire"})
    client.post(f"/admin/people/{network['super_a'].id}/deactivate")
    client.post(f"/admin/people/{network['manager_a'].id}/reset-link")
    client.get("/admin/audit.csv")
    client.post(f"/privacy/contacts/{contact_id}/handled")
    client.post(f"/privacy/contacts/{contact_id}/delete")
    assert runner.invoke(args=["purge"]).exit_code == 0
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry)).all()
        actions = {entry.action for entry in entries}
        assert {"theme.updated", "user.deactivated", "user.reset_issued", "audit.exported",
                "followup.handled", "followup.deleted", "retention.purge"} <= actions
        for entry in entries:
            blob = " ".join([entry.actor_email, entry.action, entry.target_type,
                             entry.target_id, repr(entry.details)]).lower()
            for word in ("tremblay", "pleure", "joanie", "secret@"):
                assert word not in blob, (entry.action, entry.details)
        assert privacy.purge(utcnow(), periods=privacy.retention_days(app.config),
                             dry_run=True).total == 0
