"""Headers, cookies, CSRF, sign-in throttling and logs free of patient data."""

import logging
import re

import pytest
import sqlalchemy as sa

from feedback import create_app
from feedback.extensions import db
from feedback.models import Establishment, Feedback, FeedbackKind, Role, User, WriterRole
from feedback.tagging import record_feedback


@pytest.mark.parametrize("path", ["/login", "/nowhere", "/static/css/echo.css"])
def test_every_response_carries_the_security_headers(client, path):
    with client.get(path) as response:
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in response.headers  # plain HTTP here


def test_pages_hold_no_inline_script_or_handler(client, make_user):
    user = make_user(Role.ADMIN)
    pages = [client.get("/login")]
    client.post("/login", data={"email": user.email, "password": "correct-horse-battery"})
    pages.append(client.get("/"))
    for page in pages:
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page.text)
        assert not re.search(r"\son[a-z]+\s*=", page.text)
        assert "javascript:" not in page.text


def test_session_cookie_is_httponly_lax_and_secure_over_https(app, make_user):
    user = make_user(Role.ADMIN)
    data = {"email": user.email, "password": "correct-horse-battery"}
    plain = app.test_client().post("/login", data=data)
    cookie = plain.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    secure = app.test_client().post("/login", data=data, base_url="https://localhost")
    assert "Secure" in secure.headers["Set-Cookie"]
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_https_behind_a_proxy_is_recognised_when_configured(migrated_database, tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": migrated_database[0], "SECRET_KEY": "x",
                      "PROXY_FIX_HOPS": 1}, instance_path=str(tmp_path))
    response = app.test_client().get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in response.headers["Set-Cookie"]
    with app.app_context():
        db.engine.dispose()


def test_csrf_is_enforced_on_state_changing_requests(migrated_database, tmp_path, make_user):
    user = make_user(Role.ADMIN)
    app = create_app({"SQLALCHEMY_DATABASE_URI": migrated_database[0], "SECRET_KEY": "x"},
                     instance_path=str(tmp_path))
    client = app.test_client()
    forged = client.post("/login", data={"email": user.email, "password": "correct-horse-battery"})
    assert forged.status_code == 400
    assert "Ce formulaire a expiré" in forged.text
    page = client.get("/login")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
    signed_in = client.post("/login", data={"email": user.email, "csrf_token": token,
                                            "password": "correct-horse-battery"})
    assert signed_in.status_code == 302
    assert client.post("/logout").status_code == 400  # no token: still signed in
    assert client.get("/").status_code == 200
    with app.app_context():
        db.engine.dispose()


def test_failed_sign_ins_are_throttled_per_account(app, make_user):
    app.config["LOGIN_ACCOUNT_RATE_LIMIT"] = "3 per 15 minutes"
    user = make_user(Role.MANAGER)
    statuses = []
    for attempt in range(4):  # each from another address: the account itself is protected
        client = app.test_client()
        response = client.post("/login", data={"email": user.email, "password": "wrong"},
                               environ_base={"REMOTE_ADDR": f"10.0.0.{attempt}"})
        statuses.append(response.status_code)
    assert statuses == [200, 200, 200, 429]
    assert "Trop de tentatives" in response.text
    # An unknown e-mail is throttled exactly the same way: nothing tells them apart.
    unknown = [app.test_client().post("/login", data={"email": "nobody@example.org",
                                                      "password": "wrong"}).status_code
               for _ in range(4)]
    assert unknown == statuses


def test_successful_sign_ins_do_not_count_against_the_account(app, make_user):
    app.config["LOGIN_ACCOUNT_RATE_LIMIT"] = "2 per 15 minutes"
    user = make_user(Role.MANAGER)
    for _ in range(4):
        client = app.test_client()
        assert client.post("/login", data={"email": user.email,
                                           "password": "correct-horse-battery"}).status_code == 302


def test_sign_ins_are_throttled_per_client(app, make_user):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    client = app.test_client()
    statuses = [client.post("/login", data={"email": f"u{n}@example.org", "password": "x"}
                            ).status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_patient_identifiers_never_reach_the_log(app, caplog):
    with caplog.at_level(logging.INFO, logger=app.logger.name):
        app.logger.warning("Échec pour Mme Gagnon, RAMQ TREM 5203 1512, tél. 819-555-0199")
    assert "TREM 5203 1512" not in caplog.text and "555-0199" not in caplog.text
    assert "Gagnon" not in caplog.text
    assert "[RAMQ]" in caplog.text


@pytest.mark.own_app
def test_database_errors_do_not_log_what_people_wrote(app, caplog, make_user):
    make_user(Role.ADMIN, email="pris@example.org")

    @app.route("/collide")
    def collide():
        db.session.add(User(email="pris@example.org", name="Secret comment text",
                            role=Role.ADMIN, password_hash="x"))
        db.session.commit()

    with caplog.at_level(logging.ERROR):
        response = app.test_client().get("/collide")
    assert response.status_code == 500
    assert "IntegrityError" in caplog.text
    assert "Secret comment text" not in caplog.text and "pris@example.org" not in caplog.text
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_a_nul_character_in_a_form_is_refused_before_any_view(app, auth, client, make_user):
    auth.login(make_user(Role.SUPER_USER).email)
    response = client.post("/observations/new", data={"text": "écran\x00figé"})
    assert response.status_code == 400
    assert client.get("/?q=a\x00b").status_code == 400


def test_control_characters_never_reach_the_stored_text(app, make_establishment):
    establishment = make_establishment()
    with app.app_context():
        record_feedback(establishment=db.session.get(Establishment, establishment.id),
                        text="L'écran\x00 gèle\x07 encore.\nPoste 3.", kind=FeedbackKind.SURVEY,
                        role=WriterRole.NURSE, phase=1)
        db.session.commit()
        assert db.session.scalar(sa.select(Feedback.text)) == "L'écran gèle encore.\nPoste 3."
