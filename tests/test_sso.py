"""Single sign-on against a real OpenID provider (tests/oidc_provider.py) on 127.0.0.1: real HTTP,
a real discovery document and key set, RSA-signed ID tokens, PKCE checked by the provider."""

import socket
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from oidc_provider import CLIENT_ID, CLIENT_SECRET, TestProvider
from sqlalchemy import func, select

from feedback.accounts import oidc, sso
from feedback.extensions import db
from feedback.models import AuditEntry, IdentityProvider, Role, User
from feedback.web import SESSION_KEY


@pytest.fixture(scope="session")
def running_provider():
    provider = TestProvider().start()
    yield provider
    provider.stop()


@pytest.fixture
def idp(running_provider):
    """The provider, behaving well and knowing nobody; Écho's cache of it emptied."""
    running_provider.reset()
    oidc.cache.clear()
    yield running_provider
    oidc.cache.clear()


@pytest.fixture
def make_identity_provider(app):
    def make(issuer: str, *, establishment=None, secret: str = CLIENT_SECRET,
             name: str = "CIUSSS Test", **fields) -> int:
        with app.app_context():
            provider = IdentityProvider(
                name=name, issuer=issuer, client_id=CLIENT_ID,
                client_secret_encrypted=sso.encrypt_secret(secret, app.config["SECRET_KEY"]),
                establishment_id=establishment.id if establishment else None, **fields)
            db.session.add(provider)
            db.session.commit()
            return provider.id

    return make


@pytest.fixture
def network_idp(idp, make_identity_provider):
    return make_identity_provider(idp.issuer)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def provider_answer(client, provider_id: int, email: str, **start_args) -> str:
    """Start a sign-in at Écho, sign in on the provider's page; the URL it sends the browser to."""
    start = client.get(f"/login/sso/{provider_id}", query_string=start_args)
    assert start.status_code == 302, start.get_data(as_text=True)
    page = requests.get(start.headers["Location"], timeout=5)
    assert page.status_code == 200, page.text  # the provider accepted the request (PKCE too)
    answer = requests.post(start.headers["Location"], data={"email": email},
                           allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    return answer.headers["Location"]


def follow(client, url: str):
    parts = urlsplit(url)
    return client.get(parts.path + ("?" + parts.query if parts.query else ""))


def sign_in_through(client, provider_id: int, email: str):
    return follow(client, provider_answer(client, provider_id, email))


def signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def audit_entries(app, action: str) -> list[AuditEntry]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                                       .order_by(AuditEntry.id)))


def refusal_reasons(app) -> list[str]:
    return [entry.details["reason"] for entry in audit_entries(app, "login.sso_refused")]


def test_a_good_sign_in_opens_a_session_and_is_audited(app, client, idp, network_idp, make_user):
    user = make_user(Role.MANAGER, email="alice@example.org")
    idp.add_user("alice@example.org")
    start = client.get(f"/login/sso/{network_idp}")
    asked = parse_qs(urlsplit(start.headers["Location"]).query)
    assert asked["code_challenge_method"] == ["S256"] and asked["code_challenge"][0]
    assert asked["state"][0] and asked["nonce"][0] and "openid" in asked["scope"][0].split()
    assert asked["redirect_uri"] == ["http://localhost/login/sso/callback"]

    response = sign_in_through(client, network_idp, "alice@example.org")

    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert signed_in(client)
    [entry] = audit_entries(app, "login.sso")
    assert entry.actor_id == user.id and entry.details == {"provider": network_idp}
    with app.app_context():
        assert db.session.get(User, user.id).last_login_at is not None
    assert idp.codes == {}  # the code was redeemed


def test_sign_in_goes_back_to_the_page_asked_for(client, idp, network_idp, make_user):
    make_user(Role.MANAGER, email="alice@example.org")
    idp.add_user("alice@example.org")
    answer = provider_answer(client, network_idp, "alice@example.org", next="/account")
    assert follow(client, answer).headers["Location"] == "/account"


def test_e_mail_is_matched_whatever_its_case(client, idp, network_idp, make_user):
    make_user(Role.MANAGER, email="alice@example.org")
    idp.add_user("Alice@Example.org")
    sign_in_through(client, network_idp, "Alice@Example.org")
    assert signed_in(client)


@pytest.mark.parametrize(("claims", "reason"), [
    ({"aud": "another-application"}, "wrong_audience"),
    ({"aud": ["another-application", CLIENT_ID]}, "wrong_audience"),  # no azp naming Écho
    ({"iss": "https://idp.attacker.example"}, "wrong_issuer"),
    ({"exp": 1_000_000_000}, "expired"),
    ({"nonce": "a-nonce-of-another-sign-in"}, "nonce_mismatch"),
])
def test_an_id_token_failing_a_check_signs_nobody_in(app, client, idp, network_idp, make_user,
                                                       claims, reason):
    make_user(Role.MANAGER, email="alice@example.org")
    idp.add_user("alice@example.org")
    idp.token_claims = claims

    response = sign_in_through(client, network_idp, "alice@example.org")

    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert not signed_in(client)
    assert refusal_reasons(app) == [reason]
    page = client.get("/login").get_data(as_text=True)
    assert "pas pu être vérifiée" in page


def test_a_token_signed_by_another_key_is_refused(app, client, idp, network_idp, make_user):
    make_user(Role.MANAGER, email="alice@example.org")
    idp.add_user("alice@example.org")
    idp.signing_key = idp.forged_key  # same key id as the published key
    sign_in_through(client, network_idp, "alice@example.org")
    assert not signed_in(client)
    assert refusal_reasons(app) == ["bad_signature"]


def test_keys_and_discovery_are_cached_and_a_rotated_key_is_fetched(
        app, client, idp, network_idp, make_user, monkeypatch):
    from joserfc.jwk import RSAKey

    make_user(Role.MANAGER, email="alice@example.org")
    idp.add_user("alice@example.org")
    for _ in range(2):
        sign_in_through(client, network_idp, "alice@example.org")
        assert signed_in(client)
        client.post("/logout")
    assert idp.hits["/.well-known/openid-configuration"] == 1
    assert idp.hits["/jwks"] == 1

    # The provider rotates its key: a token signed by the new one makes Écho read the set again
    # (once the short pause between two readings is over).
    monkeypatch.setattr(oidc, "KEY_REFRESH_INTERVAL", 0)
    new_key = RSAKey.generate_key(2048, parameters={"kid": "key-2", "use": "sig"})
    idp.published_keys, idp.signing_key = [idp.key, new_key], new_key
    sign_in_through(client, network_idp, "alice@example.org")
    assert signed_in(client)
    assert idp.hits["/jwks"] == 2


def test_a_key_nobody_published_is_refused(app, client, idp, network_idp, make_user):
    from joserfc.jwk import RSAKey

    make_user(Role.MANAGER, email="alice@example.org")
    idp.add_user("alice@example.org")
    idp.signing_key = RSAKey.generate_key(2048, parameters={"kid": "unpublished"})
    for _ in range(3):
        sign_in_through(client, network_idp, "alice@example.org")
    assert not signed_in(client)
    assert refusal_reasons(app) == ["bad_signature"] * 3
    # Unknown keys do not make Écho hammer the provider: the key set was read once.
    assert idp.hits["/jwks"] == 1


def test_a_replayed_answer_is_refused(app, client, idp, network_idp, make_user):
    make_user(Role.MANAGER, email="alice@example.org")
    idp.add_user("alice@example.org")
    answer = provider_answer(client, network_idp, "alice@example.org")
    follow(client, answer)
    client.post("/logout")
    # The same answer again, in this browser or in another one: its state was used.
    follow(client, answer)
    other = client.application.test_client()
    follow(other, answer)
    assert not signed_in(client) and not signed_in(other)
    assert refusal_reasons(app) == ["state_missing", "state_missing"]


def test_a_missing_or_altered_state_is_refused(app, client, idp, network_idp, make_user):
    make_user(Role.MANAGER, email="alice@example.org")
    idp.add_user("alice@example.org")
    answer = provider_answer(client, network_idp, "alice@example.org")
    parts = urlsplit(answer)
    code = parse_qs(parts.query)["code"][0]
    client.get("/login/sso/callback", query_string={"code": code})
    answer = provider_answer(client, network_idp, "alice@example.org")
    code = parse_qs(urlsplit(answer).query)["code"][0]
    client.get("/login/sso/callback", query_string={"code": code, "state": "forged"})
    assert not signed_in(client)
    assert refusal_reasons(app) == ["state_mismatch", "state_mismatch"]
    page = client.get("/login").get_data(as_text=True)
    assert "a expiré ou a déjà servi" in page


@pytest.mark.parametrize(("setup", "reason"), [
    ("unverified", "email_unverified"),
    ("unknown", "unknown_email"),
    ("deactivated", "deactivated"),
])
def test_only_an_active_account_with_a_verified_e_mail_signs_in(
        app, client, idp, network_idp, make_user, setup, reason):
    if setup != "unknown":
        make_user(Role.MANAGER, email="bob@example.org", active=setup != "deactivated")
    idp.add_user("bob@example.org", verified=setup != "unverified")
    with app.app_context():
        before = db.session.scalar(select(func.count(User.id)))

    sign_in_through(client, network_idp, "bob@example.org")

    assert not signed_in(client)
    assert refusal_reasons(app) == [reason]
    [entry] = audit_entries(app, "login.sso_refused")
    assert entry.actor_email == ("" if reason == "email_missing" else "bob@example.org")
    with app.app_context():  # nobody is created by signing in
        assert db.session.scalar(select(func.count(User.id))) == before
    if reason == "unknown_email":
        assert "bob@example.org" in client.get("/login").get_data(as_text=True)


def test_the_e_mail_claim_and_its_verification_claim_are_configurable(
        client, idp, make_identity_provider, make_user):
    provider_id = make_identity_provider(idp.issuer, email_claim="upn",
                                         verified_claim="xms_edov")
    make_user(Role.MANAGER, email="carol@example.org")
    idp.add_user("someone-else@example.org", verified=False, upn="carol@example.org",
                 xms_edov=True)
    sign_in_through(client, provider_id, "someone-else@example.org")
    assert signed_in(client)


def test_an_establishment_s_provider_signs_in_only_its_own_people(
        app, client, idp, make_identity_provider, make_establishment, make_user):
    a, b = make_establishment(), make_establishment()
    provider_id = make_identity_provider(idp.issuer, establishment=a)
    make_user(Role.MANAGER, a, email="ann@example.org")
    make_user(Role.MANAGER, b, email="ben@example.org")
    idp.add_user("ann@example.org")
    idp.add_user("ben@example.org")
    sign_in_through(client, provider_id, "ben@example.org")
    assert not signed_in(client)
    assert refusal_reasons(app) == ["other_establishment"]
    sign_in_through(client, provider_id, "ann@example.org")
    assert signed_in(client)


def test_a_wrong_client_secret_is_refused_by_the_provider(
        app, client, idp, make_identity_provider, make_user):
    provider_id = make_identity_provider(idp.issuer, secret="not-the-secret")
    make_user(Role.MANAGER, email="alice@example.org")
    idp.add_user("alice@example.org")
    sign_in_through(client, provider_id, "alice@example.org")
    assert not signed_in(client)
    assert refusal_reasons(app) == ["token_refused"]


def test_provider_down_says_so_and_keeps_the_password_form(
        app, client, idp, make_identity_provider, make_user, auth):
    provider_id = make_identity_provider(f"http://127.0.0.1:{closed_port()}")
    user = make_user(Role.MANAGER, email="alice@example.org")

    response = client.get(f"/login/sso/{provider_id}")

    assert response.status_code == 302 and response.headers["Location"] == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert "ne peut pas être joint" in page and "mot de passe Écho" in page
    assert 'name="password"' in page
    assert refusal_reasons(app) == ["provider_unreachable"]
    assert auth.login(user.email).status_code == 302  # the password still works


def test_provider_down_in_english(client, idp, make_identity_provider, make_user):
    provider_id = make_identity_provider(f"http://127.0.0.1:{closed_port()}")
    client.post("/language", data={"language": "en"})
    client.get(f"/login/sso/{provider_id}")
    assert "cannot be reached just now" in client.get("/login").get_data(as_text=True)


def test_the_provider_s_button_comes_first(client, network_idp):
    page = client.get("/login").get_data(as_text=True)
    assert f'href="/login/sso/{network_idp}' in page
    assert page.index(f"/login/sso/{network_idp}") < page.index('name="password"')
    assert "Se connecter avec CIUSSS Test" in page


def test_passwords_can_be_switched_off_once_a_provider_exists(
        app, client, auth, idp, make_identity_provider, make_user):
    user = make_user(Role.MANAGER, email="alice@example.org")
    app.config["LOCAL_PASSWORDS"] = False
    # No provider yet: passwords stay, nobody is locked out.
    assert 'name="password"' in client.get("/login").get_data(as_text=True)
    make_identity_provider(idp.issuer)

    page = client.get("/login").get_data(as_text=True)
    assert 'name="password"' not in page and "/login/sso/" in page
    auth.login(user.email)
    assert not signed_in(client)
    assert client.get("/reset").status_code == 302  # no password links either


def test_signing_out_ends_the_session_and_offers_the_provider_s_sign_out(
        app, client, idp, network_idp, make_user):
    make_user(Role.MANAGER, email="alice@example.org")
    idp.add_user("alice@example.org")
    sign_in_through(client, network_idp, "alice@example.org")
    with client.session_transaction() as session:
        copied = dict(session)

    client.post("/logout")

    page = client.get("/login").get_data(as_text=True)
    link = f"{idp.issuer}/logout?client_id={CLIENT_ID}&amp;post_logout_redirect_uri="
    assert link in page
    assert "logout?" not in client.get("/login").get_data(as_text=True)  # offered once
    # The old cookie, replayed, opens nothing: the server ended that session.
    with client.session_transaction() as session:
        session.update(copied)
    assert copied[SESSION_KEY] and not signed_in(client)


def test_no_sign_out_link_when_the_provider_publishes_none(client, idp, network_idp, make_user):
    make_user(Role.MANAGER, email="alice@example.org")
    idp.add_user("alice@example.org")
    idp.end_session = False
    sign_in_through(client, network_idp, "alice@example.org")
    client.post("/logout")
    assert f"{idp.issuer}/logout" not in client.get("/login").get_data(as_text=True)


def test_an_unknown_or_disabled_provider_is_404(client, idp, make_identity_provider):
    disabled = make_identity_provider(idp.issuer, enabled=False)
    assert client.get(f"/login/sso/{disabled}").status_code == 404
    assert client.get("/login/sso/999999").status_code == 404
    assert "/login/sso/" not in client.get("/login").get_data(as_text=True)


# -- Administration ----------------------------------------------------------------------------


def provider_form(issuer: str, **fields) -> dict:
    return {"name": "CIUSSS Test", "establishment": "0", "issuer": issuer,
            "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "email_claim": "email",
            "verified_claim": "email_verified", "enabled": "y", **fields}


def test_an_admin_configures_a_provider_whose_secret_never_shows(
        app, client, auth, idp, make_user, caplog):
    admin = make_user(Role.ADMIN, email="admin@example.org")
    auth.login(admin.email)
    caplog.set_level("DEBUG")

    response = client.post("/admin/sign-in/new", data=provider_form(idp.issuer))

    assert response.status_code == 302
    with app.app_context():
        provider = db.session.scalars(select(IdentityProvider)).one()
        assert CLIENT_SECRET not in provider.client_secret_encrypted  # encrypted at rest
        assert sso.client_of(provider, app.config["SECRET_KEY"]).client_secret == CLIENT_SECRET
        provider_id = provider.id
    # Saving again with the secret left empty keeps it.
    client.post(f"/admin/sign-in/{provider_id}/edit",
                data=provider_form(idp.issuer, client_secret="", name="Renamed"))
    with app.app_context():
        provider = db.session.get(IdentityProvider, provider_id)
        assert provider.name == "Renamed"
        assert sso.client_of(provider, app.config["SECRET_KEY"]).client_secret == CLIENT_SECRET
    # A sign-in uses it (the provider checks it), and logs nothing of it.
    make_user(Role.MANAGER, email="alice@example.org")
    idp.add_user("alice@example.org")
    client.post("/logout")
    sign_in_through(client, provider_id, "alice@example.org")
    assert signed_in(client)
    client.post("/logout")
    auth.login(admin.email)

    pages = [client.get(url) for url in (
        "/admin/sign-in", f"/admin/sign-in/{provider_id}/edit", "/admin/settings",
        "/admin/audit", "/admin/audit.csv")]
    assert all(page.status_code == 200 for page in pages), [p.status_code for p in pages]
    for page in pages:
        assert CLIENT_SECRET not in page.get_data(as_text=True)
    assert "identité ajouté" in pages[3].get_data(as_text=True)  # the action, in French
    assert CLIENT_SECRET not in caplog.text
    created = audit_entries(app, "sso.provider_created")[0]
    assert created.details["secret_changed"] is True and CLIENT_SECRET not in str(created.details)


def test_a_provider_form_with_mistakes_explains_each(app, client, auth, idp, make_user,
                                                      make_identity_provider):
    admin = make_user(Role.ADMIN, email="admin@example.org")
    auth.login(admin.email)
    response = client.post("/admin/sign-in/new", data=provider_form(
        "ftp://idp.example", client_secret="", email_claim="e mail", client_id=""))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Entrez une adresse https://" in page and "identifiant client." in page
    assert "Un nom de revendication" in page
    # A valid form without a secret: the secret is asked for, next to its field.
    response = client.post("/admin/sign-in/new",
                           data=provider_form(idp.issuer, client_secret=""))
    assert response.status_code == 422 and 'id="client_secret-error"' in \
        response.get_data(as_text=True)
    # A second provider for the network is refused next to its field.
    make_identity_provider(idp.issuer)
    response = client.post("/admin/sign-in/new", data=provider_form(idp.issuer))
    assert response.status_code == 422 and 'id="establishment-error"' in \
        response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(IdentityProvider.id))) == 1


def test_a_changed_secret_key_asks_for_the_secret_again(
        app, client, idp, make_identity_provider):
    provider_id = make_identity_provider(idp.issuer)
    app.config["SECRET_KEY"] = "another-secret-key"
    client.get(f"/login/sso/{provider_id}")
    assert refusal_reasons(app) == ["secret_unreadable"]


def test_settings_say_when_passwords_are_off_and_why_they_are_still_on(app, client, auth,
                                                                        make_user):
    admin = make_user(Role.ADMIN, email="admin@example.org")
    app.config["LOCAL_PASSWORDS"] = False
    auth.login(admin.email)  # no provider yet: the password still opens Écho
    assert signed_in(client)
    settings = client.get("/admin/settings").get_data(as_text=True)
    assert "Désactivés dès qu" in settings and "LOCAL_PASSWORDS" in settings
    page = client.get("/admin/sign-in").get_data(as_text=True)
    assert "gardés tant qu" in page and "http://localhost/login/sso/callback" in page


def test_later_sign_ins_follow_the_provider_s_subject_not_the_e_mail(
        app, client, idp, network_idp, make_user):
    user = make_user(Role.MANAGER, email="alice@example.org")
    idp.add_user("alice@example.org", sub="subject-alice")
    sign_in_through(client, network_idp, "alice@example.org")
    client.post("/logout")
    # Alice's address changes at her organisation; Écho still knows her by her subject.
    idp.add_user("alice.tremblay@example.org", sub="subject-alice", verified=False)
    sign_in_through(client, network_idp, "alice.tremblay@example.org")
    assert signed_in(client)
    assert [e.actor_id for e in audit_entries(app, "login.sso")] == [user.id, user.id]


def test_an_address_given_to_someone_else_does_not_open_the_account(
        app, client, idp, network_idp, make_user):
    make_user(Role.MANAGER, email="alice@example.org")
    idp.add_user("alice@example.org", sub="subject-alice")
    sign_in_through(client, network_idp, "alice@example.org")
    client.post("/logout")
    # The organisation gives the address to another person (another subject).
    idp.add_user("alice@example.org", sub="subject-newcomer")
    sign_in_through(client, network_idp, "alice@example.org")
    assert not signed_in(client)
    assert refusal_reasons(app) == ["subject_changed"]


def test_an_answer_naming_another_issuer_is_refused(app, client, idp, network_idp, make_user):
    make_user(Role.MANAGER, email="alice@example.org")
    idp.add_user("alice@example.org")
    answer = provider_answer(client, network_idp, "alice@example.org")
    follow(client, answer + "&iss=https%3A%2F%2Fidp.attacker.example")
    assert not signed_in(client)
    assert refusal_reasons(app) == ["wrong_issuer"]


def test_a_discovery_document_of_another_issuer_is_refused(
        app, client, idp, make_identity_provider):
    provider_id = make_identity_provider(idp.issuer + "/")  # not the issuer it publishes
    client.get(f"/login/sso/{provider_id}")
    assert refusal_reasons(app) == ["provider_misconfigured"]
    assert "du côté d" in client.get("/login").get_data(as_text=True)


def test_an_admin_unties_an_account_whose_provider_account_was_replaced(
        app, client, auth, idp, network_idp, make_user):
    user = make_user(Role.MANAGER, email="alice@example.org")
    admin = make_user(Role.ADMIN, email="admin@example.org")
    idp.add_user("alice@example.org", sub="old-subject")
    sign_in_through(client, network_idp, "alice@example.org")
    client.post("/logout")
    idp.add_user("alice@example.org", sub="new-subject")

    auth.login(admin.email)
    page = client.get(f"/admin/people/{user.id}/edit").get_data(as_text=True)
    assert "Délier du fournisseur d" in page
    assert client.post(f"/admin/people/{user.id}/untie").status_code == 302
    client.post("/logout")

    sign_in_through(client, network_idp, "alice@example.org")
    assert signed_in(client)
    [entry] = audit_entries(app, "sso.identity_untied")
    assert entry.details == {"count": 1} and entry.target_id == str(user.id)


def test_provider_down_before_its_answer_is_redeemed(app, client, make_identity_provider,
                                                     make_user):
    short_lived = TestProvider().start()
    try:
        provider_id = make_identity_provider(short_lived.issuer)
        make_user(Role.MANAGER, email="alice@example.org")
        short_lived.add_user("alice@example.org")
        answer = provider_answer(client, provider_id, "alice@example.org")
    finally:
        short_lived.stop()
        short_lived.server.server_close()
    follow(client, answer)  # the code cannot be exchanged: the provider is gone
    assert not signed_in(client)
    assert refusal_reasons(app) == ["provider_unreachable"]
    page = client.get("/login").get_data(as_text=True)
    assert "ne peut pas être joint" in page and 'name="password"' in page


# -- Asking for an account -----------------------------------------------------------------------


@pytest.fixture
def inbox(app):
    """A real SMTP server on 127.0.0.1 (as in test_account.py), the app sending through it."""
    from aiosmtpd.controller import Controller
    from test_account import Inbox, free_port

    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port,
                      MAIL_SENDER="Écho <echo@example.org>")
    yield handler
    controller.stop()


def test_someone_without_an_account_asks_the_admins_for_one(
        app, client, idp, make_identity_provider, make_establishment, make_user, inbox):
    a, b = make_establishment(), make_establishment()
    provider_id = make_identity_provider(idp.issuer, establishment=a)
    network_admin = make_user(Role.ADMIN, email="root@example.org", locale="en")
    admin_a = make_user(Role.ADMIN, a, email="admin-a@example.org")
    make_user(Role.ADMIN, b, email="admin-b@example.org")  # not B's business
    make_user(Role.ADMIN, email="former@example.org", active=False)
    make_user(Role.MANAGER, a, email="manager-a@example.org")
    idp.add_user("newcomer@example.org")
    with app.app_context():
        before = db.session.scalar(select(func.count(User.id)))

    sign_in_through(client, provider_id, "newcomer@example.org")
    page = client.get("/login").get_data(as_text=True)
    assert "Demander un compte" in page and "newcomer@example.org" in page
    assert client.post("/login/sso/request-access").status_code == 302

    messages = inbox.messages(2)
    assert sorted(e.rcpt_tos[0] for e in inbox.envelopes) == [admin_a.email, network_admin.email]
    by_recipient = {m["To"]: m for m in messages}
    assert by_recipient[network_admin.email]["Subject"] == \
        "Écho: newcomer@example.org asks for an account"
    assert "demande un compte" in by_recipient[admin_a.email]["Subject"]
    assert "http://localhost/admin/people/new" in \
        by_recipient[admin_a.email].get_body(("plain",)).get_content()
    [entry] = audit_entries(app, "login.sso_access_requested")
    assert entry.actor_email == "newcomer@example.org" and entry.establishment_id == a.id
    # Asked once: the button is gone and a second request sends nothing.
    assert "Demander un compte" not in client.get("/login").get_data(as_text=True)
    client.post("/login/sso/request-access")
    assert len(inbox.messages(2, timeout=0.5)) == 2
    with app.app_context():  # and nobody was created
        assert db.session.scalar(select(func.count(User.id))) == before


def test_only_a_verified_unknown_address_may_ask_for_an_account(
        app, client, idp, network_idp, make_user):
    idp.add_user("unverified@example.org", verified=False)
    sign_in_through(client, network_idp, "unverified@example.org")
    assert "Demander un compte" not in client.get("/login").get_data(as_text=True)
    client.post("/login/sso/request-access")
    assert audit_entries(app, "login.sso_access_requested") == []


def test_two_first_sign_ins_at_once_keep_one_tie_and_no_error(app, idp, network_idp, make_user):
    """The losing half of a race between two first sign-ins (two tabs): its look-up missed the
    tie the winner was committing, so its own insert meets the winner's row."""
    alice = make_user(Role.MANAGER, email="alice@example.org")
    bob = make_user(Role.MANAGER, email="bob@example.org")
    with app.app_context():
        db.session.add(sso.ExternalIdentity(user_id=alice.id, issuer=idp.issuer,
                                            subject="subject-alice"))
        db.session.commit()
        sso._tie(db.session.get(User, alice.id), idp.issuer, "subject-alice")
        db.session.commit()
        with pytest.raises(sso.AccountRefusal) as refused:
            sso._tie(db.session.get(User, bob.id), idp.issuer, "subject-alice")
        assert refused.value.reason == "subject_changed"
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(sso.ExternalIdentity)) == 1
