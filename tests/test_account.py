"""One's own account (password, language) and one-time password links, e-mailed for real."""

import base64
import email
import email.policy
import hashlib
import logging
import re
import socket
import ssl
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from sqlalchemy import func, select

from feedback.accounts import resets
from feedback.clock import utcnow
from feedback.extensions import db
from feedback.mail import MailError, send_mail
from feedback.models import AuditEntry, PasswordReset, Role, User
from tests.conftest import PASSWORD

NEW_PASSWORD = "une phrase assez longue"


def audit_actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def issue_link(app, user_id: int, *, hours: int = 48, now=None) -> str:
    with app.app_context():
        token = resets.issue_reset(db.session.get(User, user_id), actor=None,
                                   valid_for=timedelta(hours=hours), now=now)
        db.session.commit()
    return token


# -- Profile ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_every_role_has_a_profile(client, auth, make_establishment, make_user, role):
    user = make_user(role, make_establishment())
    auth.login(user.email)
    page = client.get("/account")
    assert page.status_code == 200
    assert user.email in page.text and "Mot de passe actuel" in page.text
    assert 'href="/account"' in page.text  # in the menu


def test_profile_needs_a_sign_in(client):
    response = client.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_changing_ones_password(app, client, auth, make_user):
    user = make_user(Role.SUPER_USER)
    old_link = issue_link(app, user.id)
    auth.login(user.email)
    response = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert "Votre mot de passe a été changé." in client.get("/account").text
    auth.logout()
    assert auth.login(user.email, PASSWORD).status_code == 200  # the old one is refused
    assert auth.login(user.email, NEW_PASSWORD).status_code == 302
    assert "user.password_changed" in audit_actions(app)
    with app.app_context():
        assert resets.find_valid_reset(old_link) is None  # outstanding links die with it


@pytest.mark.parametrize(
    ("data", "message"),
    [({"current_password": "not-my-password"}, "Ce n'est pas votre mot de passe actuel."),
     ({"new_password": "motdepasse123", "confirm": "motdepasse123"},
      "Ce mot de passe est trop courant. Choisissez-en un moins prévisible."),
     ({"new_password": "court", "confirm": "court"}, "Utilisez au moins 10 caractères."),
     ({"confirm": "autre chose encore"}, "Les deux mots de passe diffèrent."),
     ({"new_password": PASSWORD, "confirm": PASSWORD},
      "Choisissez un mot de passe différent de l'actuel.")],
)
def test_refused_password_changes_are_explained(app, client, auth, make_user, data, message):
    user = make_user(Role.MANAGER)
    auth.login(user.email)
    page = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
        **data})
    assert page.status_code == 422
    text = page.text.replace("&#39;", "'")
    assert message in text
    with app.app_context():
        assert db.session.get(User, user.id).check_password(PASSWORD)


def test_common_password_refusal_is_in_the_users_language(client, auth, make_user):
    user = make_user(Role.MANAGER, locale="en")
    auth.login(user.email)
    page = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": "iloveyou123", "confirm": "iloveyou123"})
    assert "This password is too common. Choose a less predictable one." in page.text


def test_shipped_list_refuses_local_favourites(app):
    from feedback.accounts.passwords import common_passwords, password_problem

    assert len(common_passwords()) > 1000
    with app.test_request_context():
        for password in ("motdepasse123", "Bonjour1234", "1234567890", "azertyuiop"):
            assert password_problem(password) is not None, password
        assert password_problem("trois chats sur le toit") is None


def test_changing_ones_language(app, client, auth, make_user):
    user = make_user(Role.SUPER_USER)
    auth.login(user.email)
    response = client.post("/account/language", data={"language": "en"})
    assert response.status_code == 302
    page = client.get("/account")
    assert '<html lang="en">' in page.text and "Language saved." in page.text
    with app.app_context():
        assert db.session.get(User, user.id).locale == "en"
    assert client.post("/account/language", data={"language": "de"}).status_code == 422


def test_the_profile_offers_tokens_and_signing_out_everywhere(client, auth, make_user):
    auth.login(make_user(Role.MANAGER).email)
    page = client.get("/account").text
    assert 'action="/account/tokens/new"' in page or "/account/tokens/new" in page
    assert 'action="/account/sessions/end"' in page and "Me déconnecter partout" in page


# -- One-time links --------------------------------------------------------------------------


def test_only_the_hash_of_a_token_is_stored(app, make_user):
    user = make_user(Role.MANAGER)
    token = issue_link(app, user.id)
    assert len(token) >= 40
    with app.app_context():
        stored = db.session.scalar(select(PasswordReset.token_hash))
    assert stored == hashlib.sha256(token.encode()).hexdigest() != token


def test_a_link_works_once(app, client, auth, make_user):
    user = make_user(Role.MANAGER)
    token = issue_link(app, user.id)
    page = client.get(f"/reset/{token}")
    assert page.status_code == 200 and "Choisissez un mot de passe" in page.text
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert page.headers["Cache-Control"] == "no-store"
    response = client.post(f"/reset/{token}", data={"new_password": NEW_PASSWORD,
                                                     "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert auth.login(user.email, NEW_PASSWORD).status_code == 302
    auth.logout()
    again = client.post(f"/reset/{token}", data={"new_password": "encore une autre phrase",
                                                 "confirm": "encore une autre phrase"})
    assert again.status_code == 404 and "Ce lien n'est pas valide" in again.text
    assert auth.login(user.email, NEW_PASSWORD).status_code == 302
    assert audit_actions(app).count("user.reset_used") == 1


def test_a_link_expires(app, client, make_user):
    user = make_user(Role.MANAGER)
    token = issue_link(app, user.id, hours=48, now=utcnow() - timedelta(hours=49))
    page = client.get(f"/reset/{token}")
    assert page.status_code == 404
    with app.app_context():
        assert resets.find_valid_reset(token) is None
        assert resets.find_valid_reset(token, now=utcnow() - timedelta(hours=48, minutes=30))
    fresh = issue_link(app, user.id, hours=1)
    assert client.get(f"/reset/{fresh}").status_code == 200


def test_a_new_link_cancels_the_previous_ones(app, client, make_user):
    user = make_user(Role.MANAGER)
    first, second = issue_link(app, user.id), issue_link(app, user.id)
    assert client.get(f"/reset/{first}").status_code == 404
    assert client.get(f"/reset/{second}").status_code == 200


def test_invalid_links_all_get_the_same_answer(app, client, make_user):
    user = make_user(Role.MANAGER)
    deactivated = make_user(Role.MANAGER, active=False)
    used = issue_link(app, user.id)
    client.post(f"/reset/{used}", data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
                follow_redirects=True)
    expired = issue_link(app, user.id, now=utcnow() - timedelta(days=3))
    inactive = issue_link(app, deactivated.id)
    pages = [client.get(f"/reset/{token}") for token in
             ("nimportequoi", used, expired, inactive, "x" * 500)]
    # the language switch sends people back to the page they are on: that part differs
    bodies = {re.sub(r'value="/reset/[^"]*"', "", p.text) for p in pages}
    assert {p.status_code for p in pages} == {404}
    assert len(bodies) == 1


def test_a_link_still_enforces_the_password_policy(app, client, make_user):
    user = make_user(Role.MANAGER)
    token = issue_link(app, user.id)
    page = client.post(f"/reset/{token}", data={"new_password": "azertyuiop",
                                                "confirm": "azertyuiop"})
    assert "Ce mot de passe est trop courant" in page.text
    assert client.get(f"/reset/{token}").status_code == 200  # not spent by a refusal


def test_without_mail_the_forgotten_password_page_points_to_an_admin(client):
    page = client.get("/reset")
    assert "Demandez un lien de mot de passe à votre administrateur" in page.text
    assert 'name="email"' not in page.text
    assert "Mot de passe oublié?" in client.get("/login").text


# -- SMTP, for real --------------------------------------------------------------------------


class Inbox:
    """An aiosmtpd handler keeping every message it is given."""

    def __init__(self) -> None:
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self, count: int, timeout: float = 5.0) -> list[email.message.EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self.envelopes) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return [email.message_from_bytes(envelope.content, policy=email.policy.default)
                for envelope in self.envelopes]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def inbox(app):
    """A real SMTP server on 127.0.0.1, and the app configured to send through it."""
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port,
                      MAIL_SENDER="Écho <echo@example.org>")
    yield handler
    controller.stop()


def link_in(message) -> str:
    body = message.get_body(("plain",)).get_content()
    return re.search(r"http://localhost(/reset/[\w-]+)", body)[1]


def test_admin_link_is_e_mailed_and_works(app, client, auth, inbox, make_establishment,
                                          make_user):
    establishment = make_establishment()
    admin = make_user(Role.ADMIN, establishment)
    person = make_user(Role.SUPER_USER, establishment, email="julie@example.org")
    auth.login(admin.email)
    response = client.post(f"/admin/people/{person.id}/reset-link", follow_redirects=True)
    assert "Un lien a été envoyé par courriel à julie@example.org." in response.text
    assert "/reset/" not in response.text  # never shown when it was mailed
    [message] = inbox.messages(1)
    assert inbox.envelopes[0].rcpt_tos == ["julie@example.org"]
    assert message["Subject"] == "Choisissez un nouveau mot de passe pour Écho"
    assert message["From"] == "Écho <echo@example.org>"
    body = message.get_body(("plain",)).get_content()
    assert "Bonjour Utilisateur 2," in body and "une seule fois" in body
    auth.logout()
    path = link_in(message)
    assert client.post(path, data={"new_password": NEW_PASSWORD,
                                   "confirm": NEW_PASSWORD}).status_code == 302
    assert auth.login("julie@example.org", NEW_PASSWORD).status_code == 302
    assert client.get(path).status_code == 404


def test_invitation_is_e_mailed_in_the_persons_language(app, client, auth, inbox, make_user):
    auth.login(make_user(Role.ADMIN).email)
    response = client.post("/admin/people/new", data={
        "name": "Pat Smith", "email": "pat@example.org", "role": "admin", "establishment": 0,
        "locale": "en"})
    assert response.status_code == 302
    [message] = inbox.messages(1)
    assert message["Subject"] == "Your Écho account"
    body = message.get_body(("plain",)).get_content()
    assert "An Écho account has been created for you" in body
    assert "Your sign-in e-mail is pat@example.org." in body
    assert link_in(message).startswith("/reset/")


def test_unreachable_mail_server_falls_back_to_showing_the_link(app, client, auth, make_user):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=2)
    auth.login(make_user(Role.ADMIN).email)
    person = make_user(Role.MANAGER)
    page = client.post(f"/admin/people/{person.id}/reset-link")
    assert page.status_code == 200
    assert "Le serveur de courriel n&#39;a pas accepté le message" in page.text
    token = re.search(r"/reset/([\w-]+)", page.text)[1]
    assert client.get(f"/reset/{token}").status_code == 200
    assert audit_actions(app)[-2:] == ["user.reset_issued", "user.reset_mail_failed"]


def test_forgotten_password_answers_the_same_for_unknown_addresses(app, client, inbox,
                                                                   make_user):
    make_user(Role.MANAGER, email="connu@example.org")
    make_user(Role.MANAGER, email="parti@example.org", active=False)
    answers = []
    for address in ("connu@example.org", "inconnu@example.org", "parti@example.org"):
        response = client.post("/reset", data={"email": address}, follow_redirects=True)
        answers.append(response.text.split('<div class="flashes"')[1].split("</div>")[0])
    assert len(set(answers)) == 1 and "Si un compte actif utilise cette adresse" in answers[0]
    messages = inbox.messages(1)
    time.sleep(0.2)  # nothing else arrives
    assert len(inbox.envelopes) == 1 and inbox.envelopes[0].rcpt_tos == ["connu@example.org"]
    assert link_in(messages[0]).startswith("/reset/")
    with app.app_context():
        assert db.session.scalar(select(func.count(PasswordReset.id))) == 1


def test_forgotten_password_requests_are_rate_limited(app, client, inbox, make_user):
    app.config["PASSWORD_RESET_RATE_LIMIT"] = "2 per hour"
    statuses = [client.post("/reset", data={"email": "x@example.org"}).status_code
                for _ in range(3)]
    assert statuses == [302, 302, 429]


# -- SMTP with STARTTLS and a login, for real ------------------------------------------------

RELAY_LOGIN, RELAY_PASSWORD = "echo-relay", "Relais-Secret-4821"


@pytest.fixture
def certificate(tmp_path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key, made by the openssl command line."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
         "-days", "1", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=10,
    )
    return cert, key


class Relay(Inbox):
    """An inbox that also notes every login attempted, right or wrong."""

    def __init__(self) -> None:
        super().__init__()
        self.logins = []

    def authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        self.logins.append(auth_data.login.decode())
        right = (auth_data.login, auth_data.password) == (RELAY_LOGIN.encode(),
                                                          RELAY_PASSWORD.encode())
        return AuthResult(success=right, handled=False)


@pytest.fixture
def relay(app, certificate, monkeypatch):
    """Start a real SMTP server on 127.0.0.1 with the options given; the app sends through it.

    The app's own client checks certificates against the system store, which SSL_CERT_FILE
    replaces here with the test certificate: verification stays on.
    """
    cert, key = certificate
    server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_tls.load_cert_chain(cert, key)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    controllers = []

    def start(*, starttls=True, implicit_tls=False, auth=True) -> Relay:
        handler = Relay()
        options = {"authenticator": handler.authenticate}
        if starttls:
            options.update(tls_context=server_tls, require_starttls=True)
        if implicit_tls:
            options.update(ssl_context=server_tls)
        if auth:
            options.update(auth_required=True, auth_require_tls=True)
        else:
            # AUTH offered in clear text, to check that the client does not take it.
            options.update(auth_required=False, auth_require_tls=False)
        controller = Controller(handler, hostname="127.0.0.1", port=free_port(), **options)
        controller.start()
        controllers.append(controller)
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_TIMEOUT=2,
                          MAIL_SENDER="Écho <echo@example.org>", MAIL_USE_TLS=not implicit_tls,
                          MAIL_USE_SSL=implicit_tls, MAIL_USERNAME=RELAY_LOGIN,
                          MAIL_PASSWORD=RELAY_PASSWORD)
        return handler

    yield start
    for controller in controllers:
        controller.stop()


def send_test_mail(app) -> None:
    send_mail(app.config, to="julie@example.org", subject="Essai", body="Bonjour\n")


def test_reset_link_goes_through_starttls_and_a_login(app, client, auth, relay, make_user,
                                                      caplog):
    server = relay()
    caplog.set_level(logging.DEBUG)
    auth.login(make_user(Role.ADMIN).email)
    person = make_user(Role.MANAGER, email="julie@example.org")
    response = client.post(f"/admin/people/{person.id}/reset-link", follow_redirects=True)
    assert "Un lien a été envoyé par courriel à julie@example.org." in response.text
    [message] = server.messages(1)
    assert server.envelopes[0].rcpt_tos == ["julie@example.org"]
    assert message["Subject"] == "Choisissez un nouveau mot de passe pour Écho"
    assert link_in(message).startswith("/reset/")
    assert server.logins == [RELAY_LOGIN]
    assert RELAY_PASSWORD not in caplog.text


def test_a_wrong_mail_password_shows_the_link_and_stays_out_of_the_log(app, client, auth,
                                                                       relay, make_user, caplog):
    server = relay()
    app.config["MAIL_PASSWORD"] = wrong = "Mauvais-Secret-1234"
    caplog.set_level(logging.DEBUG)
    auth.login(make_user(Role.ADMIN).email)
    person = make_user(Role.MANAGER)
    page = client.post(f"/admin/people/{person.id}/reset-link")
    assert page.status_code == 200
    assert "Le serveur de courriel n&#39;a pas accepté le message" in page.text
    assert re.search(r"/reset/[\w-]+", page.text)  # the admin passes the link on
    assert audit_actions(app)[-2:] == ["user.reset_issued", "user.reset_mail_failed"]
    assert "SMTPAuthenticationError while sending to 127.0.0.1" in caplog.text
    # smtplib tries each mechanism offered (PLAIN, then LOGIN) before giving up.
    assert set(server.logins) == {RELAY_LOGIN} and server.envelopes == []
    for secret in (wrong, RELAY_PASSWORD):
        encoded = [base64.b64encode(secret.encode()).decode(),
                   base64.b64encode(f"\0{RELAY_LOGIN}\0{secret}".encode()).decode()]
        assert not any(text in caplog.text for text in [secret, *encoded])


def test_mail_server_certificates_are_checked(app, relay, monkeypatch, tmp_path):
    server = relay()
    other = tmp_path / "other"
    other.mkdir()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
         "-days", "1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(other / "key.pem"), "-out", str(other / "cert.pem")],
        check=True, capture_output=True, timeout=10,
    )
    monkeypatch.setenv("SSL_CERT_FILE", str(other / "cert.pem"))  # trusts another certificate
    with pytest.raises(MailError, match="SSLCertVerificationError") as failure:
        send_test_mail(app)
    assert isinstance(failure.value.__cause__, ssl.SSLCertVerificationError)
    assert server.logins == [] and server.envelopes == []


def test_a_server_without_starttls_gets_nothing_in_clear_text(app, relay):
    # The server offers AUTH on the plain connection and would accept the password there.
    server = relay(starttls=False, auth=False)
    with pytest.raises(MailError, match="SMTPNotSupportedError") as failure:
        send_test_mail(app)
    assert "STARTTLS" in str(failure.value.__cause__)
    assert server.logins == [] and server.envelopes == []


def test_a_login_without_encryption_is_refused_before_connecting(app, relay):
    server = relay(starttls=False, auth=False)
    app.config.update(MAIL_USE_TLS=False, MAIL_USE_SSL=False)
    with pytest.raises(MailError, match="clear text"):
        send_test_mail(app)
    assert server.logins == [] and server.envelopes == []
    app.config.update(MAIL_USERNAME="")  # a relay without login may stay unencrypted
    send_test_mail(app)
    assert len(server.messages(1)) == 1


def test_implicit_tls_is_checked_and_delivers(app, relay):
    server = relay(starttls=False, implicit_tls=True, auth=False)
    send_test_mail(app)
    [message] = server.messages(1)
    assert message["Subject"] == "Essai" and server.envelopes[0].rcpt_tos == ["julie@example.org"]
    assert server.logins == [RELAY_LOGIN]
