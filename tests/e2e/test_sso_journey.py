"""Journey: a network admin sets up the organisation's identity provider; a manager then signs in
through the provider's own page, and signs out of Écho and of the provider."""

import re

import pytest
from oidc_provider import CLIENT_ID, CLIENT_SECRET, TestProvider
from playwright.sync_api import expect
from sqlalchemy import select

from feedback.accounts import oidc
from feedback.extensions import db
from feedback.models import AuditEntry, Role


@pytest.fixture
def identity_provider():
    provider = TestProvider().start()
    oidc.cache.clear()
    yield provider
    provider.stop()
    oidc.cache.clear()


def test_journey_sign_in_through_the_organisation(app, live_server, page, journey,
                                                   identity_provider, make_establishment,
                                                   make_user):
    establishment = make_establishment("MCQ")
    admin = make_user(Role.ADMIN, email="admin@example.org")
    manager = make_user(Role.MANAGER, establishment, email="gestionnaire@example.org")
    identity_provider.add_user(manager.email)

    # The admin registers the provider.
    page.goto(f"{live_server}/login")
    page.get_by_label("Courriel").fill(admin.email)
    page.get_by_label("Mot de passe").fill("correct-horse-battery")
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{live_server}/admin/sign-in")
    expect(page.get_by_text(f"{live_server}/login/sso/callback")).to_be_visible()
    page.get_by_role("link", name="Nouveau fournisseur d'identité").click()
    page.get_by_label("Nom sur le bouton de connexion").fill("CIUSSS Test")
    page.get_by_label("URL de l'émetteur").fill(identity_provider.issuer)
    page.get_by_label("Identifiant client").fill(CLIENT_ID)
    page.get_by_label("Secret client").fill(CLIENT_SECRET)
    journey.shot("provider-form")
    journey.check_accessibility("provider-form")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("cell", name=identity_provider.issuer)).to_be_visible()
    assert CLIENT_SECRET not in page.content()
    journey.check_accessibility("providers")
    page.get_by_role("button", name="Se déconnecter").click()

    # The manager signs in through the provider's page: the button comes first.
    page.goto(f"{live_server}/login")
    button = page.get_by_role("link", name="Se connecter avec CIUSSS Test")
    expect(button).to_be_visible()
    journey.shot("sign-in-page")
    journey.check_accessibility("sign-in-page")
    button.click()
    expect(page.get_by_role("heading", name="Test identity provider")).to_be_visible()
    assert page.url.startswith(identity_provider.issuer + "/authorize?")
    page.get_by_label("Work e-mail").fill(manager.email)
    journey.shot("provider-page")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    assert page.url.startswith(live_server)
    journey.shot("signed-in")
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "login.sso")
                                   ).one()
        assert entry.actor_id == manager.id

    # Signing out of Écho offers the provider's sign-out page.
    page.get_by_role("button", name="Se déconnecter").click()
    provider_sign_out = page.get_by_role("link", name="Se déconnecter aussi de CIUSSS Test")
    expect(provider_sign_out).to_be_visible()
    journey.shot("signed-out")
    journey.check_accessibility("signed-out")
    provider_sign_out.click()
    expect(page.get_by_text("Signed out of the test provider.")).to_be_visible()
    assert re.match(re.escape(identity_provider.issuer) + r"/logout\?client_id=", page.url)
