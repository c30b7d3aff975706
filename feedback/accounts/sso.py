"""Single sign-on: the identity providers an admin configures, and whom a provider's verified
answer signs in. The protocol itself is in accounts.oidc. The caller commits.

The client secret is stored encrypted (Fernet, with a key derived from the deployment's
SECRET_KEY) and is write-only: pages show whether one is set, never its value; the audit trail
records that it changed, never what it is.
"""

import base64
from dataclasses import asdict

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from feedback import audit
from feedback.accounts import find_user, record_login
from feedback.accounts.oidc import (
    Client,
    OidcRefusal,
    Pending,
    authorization_url,
    cache,
    complete,
    end_session_url,
)
from feedback.extensions import db
from feedback.models import Establishment, ExternalIdentity, IdentityProvider, Role, User


class ProviderError(ValueError):
    """A provider cannot be saved as asked; str() is a translated explanation for `field`."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# -- The secret, encrypted at rest -----------------------------------------------------------


def _fernet(secret_key: str) -> Fernet:
    key = HKDF(algorithm=SHA256(), length=32, salt=None,
               info=b"echo identity-provider client secret").derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt_secret(secret: str, secret_key: str) -> str:
    return _fernet(secret_key).encrypt(secret.encode()).decode()


def client_of(provider: IdentityProvider, secret_key: str) -> Client:
    """Écho as registered with `provider`, its secret decrypted for this exchange only."""
    try:
        secret = _fernet(secret_key).decrypt(provider.client_secret_encrypted.encode()).decode()
    except InvalidToken as error:
        # SECRET_KEY changed since the secret was entered: an admin must enter it again.
        raise OidcRefusal("secret_unreadable") from error
    return Client(issuer=provider.issuer, client_id=provider.client_id, client_secret=secret)


# -- Configuration (admin pages) -------------------------------------------------------------


def providers() -> list[IdentityProvider]:
    """Every provider, the network's first, then by establishment."""
    return list(db.session.scalars(
        select(IdentityProvider).outerjoin(Establishment)
        .order_by(IdentityProvider.establishment_id.is_not(None), Establishment.name)))


def enabled_providers() -> list[IdentityProvider]:
    return [provider for provider in providers() if provider.enabled]


def local_passwords_allowed(setting: bool, configured: list[IdentityProvider]) -> bool:
    """Passwords are switched off only once a provider can sign people in: a deployment never
    locks every admin out by its settings alone."""
    return setting or not configured


def save_provider(provider: IdentityProvider | None, *, actor: User, secret_key: str,
                  establishment: Establishment | None, name: str, issuer: str, client_id: str,
                  client_secret: str, email_claim: str, verified_claim: str,
                  enabled: bool) -> IdentityProvider:
    """Add a provider (provider None) or change one. An empty `client_secret` keeps the stored
    one; a new provider needs one."""
    establishment_id = establishment.id if establishment else None
    taken = db.session.scalar(select(IdentityProvider.id).where(
        IdentityProvider.establishment_id.is_(None) if establishment_id is None
        else IdentityProvider.establishment_id == establishment_id))
    if taken is not None and (provider is None or taken != provider.id):
        raise ProviderError(_l("This establishment already has its provider: change that one.")
                            if establishment_id else
                            _l("The network already has its provider: change that one."),
                            "establishment")
    created = provider is None
    if created:
        if not client_secret:
            raise ProviderError(_l("Enter the client secret the provider gave you."),
                                "client_secret")
        provider = IdentityProvider()
        db.session.add(provider)
    provider.establishment_id = establishment_id
    provider.name, provider.issuer, provider.client_id = name, issuer, client_id
    provider.email_claim, provider.verified_claim = email_claim, verified_claim
    provider.enabled = enabled
    if client_secret:
        provider.client_secret_encrypted = encrypt_secret(client_secret, secret_key)
    db.session.flush()
    # A changed issuer must be read anew, not from the cache.
    cache.clear()
    audit.record("sso.provider_created" if created else "sso.provider_updated", actor=actor,
                 establishment_id=establishment_id, target=provider, issuer=issuer[:120],
                 client_id=client_id[:120], secret_changed=bool(client_secret), enabled=enabled)
    return provider


def delete_provider(provider: IdentityProvider, *, actor: User) -> None:
    audit.record("sso.provider_deleted", actor=actor, establishment_id=provider.establishment_id,
                 target=provider, issuer=provider.issuer[:120])
    db.session.delete(provider)
    cache.clear()


# -- Signing in ------------------------------------------------------------------------------


def begin(provider: IdentityProvider, redirect_uri: str, *, secret_key: str, ttl: float,
          timeout: float) -> tuple[str, dict]:
    """The provider's page to send the browser to, and what the session keeps until it answers."""
    client = client_of(provider, secret_key)
    metadata = cache.metadata(client.issuer, ttl=ttl, timeout=timeout)
    pending = Pending.new()
    url = authorization_url(client, metadata, redirect_uri, pending, timeout=timeout)
    return url, {"provider": provider.id, **asdict(pending)}


def finish(kept: dict | None, answer: dict[str, str], redirect_uri: str, *, secret_key: str,
           ttl: float, timeout: float) -> tuple[IdentityProvider, dict]:
    """The provider that answered and the verified claims of its ID token."""
    provider = db.session.get(IdentityProvider, kept.get("provider", 0)) if kept else None
    if provider is None or not provider.enabled:
        raise OidcRefusal("state_missing")
    pending = Pending(state=kept["state"], nonce=kept["nonce"],
                      code_verifier=kept["code_verifier"])
    claims = complete(client_of(provider, secret_key), pending, answer, redirect_uri, ttl=ttl,
                      timeout=timeout)
    return provider, claims


class AccountRefusal(OidcRefusal):
    """The provider vouched for someone Écho will not sign in; `email` is whom it named."""

    def __init__(self, reason: str, email: str = "", user: User | None = None):
        super().__init__(reason)
        self.email, self.user = email, user


def account_for(claims: dict, provider: IdentityProvider) -> User:
    """The active account the provider's answer names. The first time, the account whose e-mail
    the provider verified, then tied to the provider's subject; afterwards, that subject's
    account. Nobody is created: an admin grants accounts, roles and establishments."""
    subject = claims["sub"]
    if len(subject) > 255:
        raise AccountRefusal("invalid_claims")
    link = db.session.scalar(select(ExternalIdentity).where(
        ExternalIdentity.issuer == provider.issuer, ExternalIdentity.subject == subject))
    if link is not None:
        user = link.user
    else:
        user = _account_by_verified_email(claims, provider)
        if db.session.scalar(select(ExternalIdentity.id).where(
                ExternalIdentity.user_id == user.id, ExternalIdentity.issuer == provider.issuer)):
            # The account is tied to someone else at this provider, who held the address first.
            raise AccountRefusal("subject_changed", user.email, user)
    if not user.active:
        raise AccountRefusal("deactivated", user.email, user)
    if provider.establishment_id is not None and user.establishment_id != provider.establishment_id:
        raise AccountRefusal("other_establishment", user.email, user)
    if link is None:
        _tie(user, provider.issuer, subject)
    return user


def _tie(user: User, issuer: str, subject: str) -> None:
    """Ties the account to the provider's subject. Two first sign-ins of the same person at
    once (two tabs, a double click) race to the same tie: the loser keeps the winner's when it
    names this account, and is refused when the subject or the account was tied otherwise."""
    try:
        with db.session.begin_nested():
            db.session.add(ExternalIdentity(user=user, issuer=issuer, subject=subject))
    except IntegrityError:
        tied = db.session.scalar(select(ExternalIdentity.user_id).where(
            ExternalIdentity.issuer == issuer, ExternalIdentity.subject == subject))
        if tied != user.id:
            raise AccountRefusal("subject_changed", user.email, user) from None


def _account_by_verified_email(claims: dict, provider: IdentityProvider) -> User:
    email = claims.get(provider.email_claim)
    if not isinstance(email, str) or "@" not in email or len(email) > 254:
        raise AccountRefusal("email_missing")
    email = email.strip().lower()
    if claims.get(provider.verified_claim) not in (True, "true"):
        raise AccountRefusal("email_unverified", email)
    user = find_user(email)
    if user is None:
        raise AccountRefusal("unknown_email", email)
    return user


def external_identities(user: User) -> list[ExternalIdentity]:
    return list(db.session.scalars(select(ExternalIdentity).where(
        ExternalIdentity.user_id == user.id).order_by(ExternalIdentity.created_at)))


def untie(user: User, *, actor: User) -> int:
    """Forget whom the providers knew `user` as (their account there was replaced): the next
    sign-in matches the account by verified e-mail again. Returns how many ties were undone."""
    identities = external_identities(user)
    for identity in identities:
        db.session.delete(identity)
    audit.record("sso.identity_untied", actor=actor, establishment_id=user.establishment_id,
                 target=user, count=len(identities))
    return len(identities)


def sign_out_page(provider: IdentityProvider, post_logout_redirect_uri: str, *, secret_key: str,
                  ttl: float, timeout: float) -> str | None:
    """The provider's own sign-out page (read from its discovery document), if it has one."""
    client = client_of(provider, secret_key)
    metadata = cache.metadata(client.issuer, ttl=ttl, timeout=timeout)
    return end_session_url(metadata, client, post_logout_redirect_uri)


def request_access(email: str, provider: IdentityProvider) -> list[User]:
    """Someone the provider verified, without an Écho account, asks for one: record it; the
    active admins who may create it (the network's, and the provider's establishment's)."""
    audit.record("login.sso_access_requested", actor=None, actor_email=email,
                 establishment_id=provider.establishment_id, provider=provider.id)
    return list(db.session.scalars(select(User).where(
        User.active, User.role == Role.ADMIN,
        User.establishment_id.is_(None) if provider.establishment_id is None
        else or_(User.establishment_id.is_(None),
                 User.establishment_id == provider.establishment_id)).order_by(User.id)))


def record_sign_in(user: User, provider: IdentityProvider) -> None:
    record_login(user)
    audit.record("login.sso", actor=user, establishment_id=user.establishment_id,
                 provider=provider.id)


def record_refusal(refusal: OidcRefusal, provider: IdentityProvider | None) -> None:
    user = getattr(refusal, "user", None)
    audit.record("login.sso_refused", actor=user, actor_email=getattr(refusal, "email", ""),
                 establishment_id=(user.establishment_id if user else
                                   provider.establishment_id if provider else None),
                 reason=refusal.reason, provider=provider.id if provider else None)


# What a person is told, per refusal: translated, and never more than they need.
_UNVERIFIED = _l("Your organisation's answer could not be verified, so nobody was signed in. "
                 "Try again; if it happens again, tell your Écho administrator.")
_CONFIGURATION = _l("Sign-in through your organisation is not working on Écho's side. "
                    "Tell your Écho administrator.")
REFUSAL_MESSAGES = {
    "provider_unreachable": _l("Your organisation's sign-in service cannot be reached just now. "
                               "Try again in a few minutes."),
    "provider_misconfigured": _CONFIGURATION,
    "secret_unreadable": _CONFIGURATION,
    "token_refused": _CONFIGURATION,
    "provider_error": _l("Your organisation's sign-in service did not sign you in."),
    "state_missing": _l("This sign-in has expired or was already used. Start again."),
    "state_mismatch": _l("This sign-in has expired or was already used. Start again."),
    "email_missing": _l("Your organisation did not give Écho your e-mail address. "
                        "Tell your Écho administrator."),
    "email_unverified": _l("Your organisation has not verified your e-mail address, so Écho "
                           "cannot match it to an account."),
    "unknown_email": _l("No Écho account uses the address %(email)s. Ask your Écho "
                        "administrator for one: they also grant its role."),
    "deactivated": _l("This account is deactivated. Contact your Écho administrator."),
    "subject_changed": _l("Your organisation's account is not the one this Écho account was "
                          "first used with. Contact your Écho administrator."),
    "other_establishment": _l("Your account belongs to another establishment: sign in through "
                              "its button."),
}


def refusal_message(refusal: OidcRefusal) -> str:
    message = REFUSAL_MESSAGES.get(refusal.reason, _UNVERIFIED)
    return str(message) % {"email": getattr(refusal, "email", "")}
