"""Signing in and out, in French by default."""

from sqlalchemy import select

from feedback.extensions import db
from feedback.models import AuditEntry, Role, User


def test_login_page_is_french_by_default(client):
    page = client.get("/login")
    assert page.status_code == 200
    assert '<html lang="fr">' in page.text
    assert "Se connecter" in page.text
    assert "Courriel" in page.text


def test_anonymous_home_redirects_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")


def test_manager_signs_in_and_sees_their_establishment(client, auth, make_establishment, make_user):
    establishment = make_establishment("MCQ", name="Santé Québec – Mauricie-et-Centre-du-Québec")
    manager = make_user(Role.MANAGER, establishment)
    response = auth.login(manager.email)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "Santé Québec – Mauricie-et-Centre-du-Québec" in home.text
    assert "Se déconnecter" in home.text


def test_email_is_case_insensitive(client, auth, make_user):
    make_user(Role.ADMIN, email="chef@example.org")
    assert auth.login("  Chef@Example.ORG ").status_code == 302


def test_wrong_password_and_unknown_email_get_the_same_message(client, auth, make_user):
    user = make_user(Role.ADMIN)
    wrong_password = auth.login(user.email, "not-the-password")
    unknown_email = auth.login("nobody@example.org", "not-the-password")
    for page in (wrong_password, unknown_email):
        assert page.status_code == 200
        assert "Courriel ou mot de passe incorrect." in page.text
    assert client.get("/").status_code == 302  # still signed out


def test_inactive_user_cannot_sign_in(client, auth, make_user):
    user = make_user(Role.MANAGER, active=False)
    page = auth.login(user.email)
    assert "Ce compte est désactivé" in page.text
    assert client.get("/").status_code == 302


def test_deactivated_user_is_signed_out_at_next_request(app, client, auth, make_user):
    user = make_user(Role.MANAGER)
    auth.login(user.email)
    assert client.get("/").status_code == 200
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()
    assert client.get("/").status_code == 302


def test_missing_fields_are_explained_next_to_them(client):
    page = client.post("/login", data={"email": "pas-un-courriel", "password": ""})
    assert "Entrez un courriel valide." in page.text
    assert "Entrez votre mot de passe." in page.text


def test_logout_ends_the_session(client, auth, make_user):
    user = make_user(Role.SUPER_USER)
    auth.login(user.email)
    response = auth.logout()
    assert response.headers["Location"].endswith("/login")
    assert response.headers["Clear-Site-Data"] == '"cache"'
    assert client.get("/").status_code == 302


def test_logout_needs_a_post(client, auth, make_user):
    auth.login(make_user(Role.SUPER_USER).email)
    assert client.get("/logout").status_code == 405


def test_next_is_followed_only_within_the_site(client, make_user):
    user = make_user(Role.ADMIN)
    data = {"email": user.email, "password": "correct-horse-battery"}
    local = client.post("/login?next=/some/page", data=data)
    assert local.headers["Location"] == "/some/page"
    client.post("/logout")
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post(f"/login?next={target}", data=data)
        assert response.headers["Location"] == "/", target
        client.post("/logout")


def test_sign_in_starts_a_fresh_session(client, make_user):
    user = make_user(Role.ADMIN)
    with client.session_transaction() as session:
        session["planted"] = "by-an-attacker"
    client.post("/login", data={"email": user.email, "password": "correct-horse-battery"})
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"].startswith(f"{user.id}.")


def test_last_login_is_recorded(app, auth, make_user):
    user = make_user(Role.MANAGER)
    auth.login(user.email)
    with app.app_context():
        assert db.session.get(User, user.id).last_login_at is not None


def test_sign_ins_are_recorded_in_the_audit_trail(app, auth, make_user):
    user = make_user(Role.MANAGER)
    auth.login(user.email, "wrong-password")
    auth.login(user.email)
    with app.app_context():
        entries = db.session.execute(
            select(AuditEntry.action, AuditEntry.actor_id, AuditEntry.actor_email)
            .order_by(AuditEntry.id)
        ).all()
    assert entries == [("login.failure", None, user.email), ("login.success", user.id, user.email)]


def test_a_new_password_signs_out_the_other_sessions(app, make_user):
    user = make_user(Role.MANAGER)
    data = {"email": user.email, "password": "correct-horse-battery"}
    phone, desk = app.test_client(), app.test_client()
    phone.post("/login", data=data)
    desk.post("/login", data=data)
    with app.app_context():
        db.session.get(User, user.id).set_password("une-nouvelle-phrase-rare")
        db.session.commit()
    assert phone.get("/").status_code == 302 and desk.get("/").status_code == 302


def test_a_forged_session_id_is_refused(app, make_user):
    user = make_user(Role.ADMIN)
    client = app.test_client()
    for forged in (str(user.id), f"{user.id}.0000000000000000", "x.y"):
        with client.session_transaction() as session:
            session["_user_id"] = forged
            session["_fresh"] = True
        assert client.get("/").status_code == 302, forged
