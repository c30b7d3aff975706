"""OpenID Connect, the relying party's side: the provider's discovery document and keys (cached),
the authorization request (code flow with PKCE, state and nonce), the code exchange and every
check of the ID token. No Flask and no database: callers pass what they know.

Any refusal is an OidcRefusal whose `reason` is a short code, recorded in the audit trail and
turned into words for people by the caller.
"""

import hmac
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.errors import (
    BadSignatureError,
    ClaimError,
    ExpiredTokenError,
    InvalidKeyIdError,
    JoseError,
)
from joserfc.jwk import KeySet

# Signatures by the provider's published keys only: never "none", never a shared secret.
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")
SCOPES = "openid email profile"
# Clocks of Écho and of the provider may differ this much (seconds).
LEEWAY = 60
# A token signed by a key we do not know makes us read the key set again, at most this often
# (seconds): the provider rotated its keys, or someone forges tokens and must not make us a
# relay hammering the provider.
KEY_REFRESH_INTERVAL = 30


class OidcRefusal(Exception):
    """The provider's answer cannot sign anyone in; `reason` says why (a short code)."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason if not detail else f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail[:80]


@dataclass(frozen=True)
class Client:
    """Écho as registered with one provider."""

    issuer: str
    client_id: str
    client_secret: str = field(repr=False)


@dataclass(frozen=True)
class Pending:
    """What the browser's session keeps between the redirection and the provider's answer."""

    state: str
    nonce: str
    code_verifier: str

    @classmethod
    def new(cls) -> "Pending":
        return cls(state=generate_token(32), nonce=generate_token(32),
                   code_verifier=generate_token(64))


class ProviderCache:
    """Discovery documents and key sets, per issuer, kept `ttl` seconds in this process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._documents: dict[str, tuple[float, dict]] = {}
        self._keys: dict[str, tuple[float, KeySet]] = {}  # when read, what

    def clear(self) -> None:
        with self._lock:
            self._documents.clear()
            self._keys.clear()

    def metadata(self, issuer: str, *, ttl: float, timeout: float) -> dict:
        with self._lock:
            cached = self._documents.get(issuer)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        document = _fetch_json(issuer.rstrip("/") + "/.well-known/openid-configuration", timeout)
        # The document must speak for the issuer we trust (OpenID Connect Discovery, 4.3).
        if document.get("issuer") != issuer:
            raise OidcRefusal("provider_misconfigured", "issuer of the discovery document")
        for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            if not isinstance(document.get(name), str):
                raise OidcRefusal("provider_misconfigured", f"no {name}")
        with self._lock:
            self._documents[issuer] = (time.monotonic() + ttl, document)
        return document

    def keys(self, jwks_uri: str, *, ttl: float, timeout: float, refresh: bool = False) -> KeySet:
        """The provider's key set; `refresh` reads it again unless it was read moments ago."""
        now = time.monotonic()
        with self._lock:
            cached = self._keys.get(jwks_uri)
        if cached:
            read_at, key_set = cached
            if now < read_at + (KEY_REFRESH_INTERVAL if refresh else ttl):
                return key_set
        try:
            key_set = KeySet.import_key_set(_fetch_json(jwks_uri, timeout))
        except (JoseError, KeyError, TypeError, ValueError) as error:
            raise OidcRefusal("provider_misconfigured", "key set") from error
        with self._lock:
            self._keys[jwks_uri] = (now, key_set)
        return key_set


cache = ProviderCache()


def _fetch_json(url: str, timeout: float) -> dict:
    try:
        response = requests.get(url, timeout=timeout, headers={"Accept": "application/json"})
        response.raise_for_status()
        document = response.json()
    except requests.RequestException as error:
        raise OidcRefusal("provider_unreachable", type(error).__name__) from error
    except ValueError as error:
        raise OidcRefusal("provider_misconfigured", "not JSON") from error
    if not isinstance(document, dict):
        raise OidcRefusal("provider_misconfigured", "not a JSON object")
    return document


def _session(client: Client, redirect_uri: str, metadata: dict, timeout: float) -> OAuth2Session:
    methods = metadata.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    method = ("client_secret_basic" if "client_secret_basic" in methods
              else "client_secret_post")
    return OAuth2Session(client.client_id, client.client_secret, scope=SCOPES,
                         redirect_uri=redirect_uri, code_challenge_method="S256",
                         token_endpoint_auth_method=method, default_timeout=timeout)


def authorization_url(client: Client, metadata: dict, redirect_uri: str,
                      pending: Pending, *, timeout: float) -> str:
    """Where to send the browser: the provider's sign-in page, for this request only."""
    with _session(client, redirect_uri, metadata, timeout) as session:
        url, _state = session.create_authorization_url(
            metadata["authorization_endpoint"], state=pending.state, nonce=pending.nonce,
            code_verifier=pending.code_verifier)
    return url


def complete(client: Client, pending: Pending | None, answer: dict[str, str], redirect_uri: str,
             *, ttl: float, timeout: float, now: float | None = None) -> dict:
    """The verified claims of the ID token the provider's answer leads to.

    `answer` is the query string the provider sent the browser back with. Checks, in order:
    state (this browser started this sign-in, once), the code exchanged with the PKCE verifier,
    then the ID token's signature, issuer, audience, expiry and nonce.
    """
    if pending is None:
        raise OidcRefusal("state_missing")
    if not hmac.compare_digest(answer.get("state", ""), pending.state):
        raise OidcRefusal("state_mismatch")
    # An answer naming another issuer comes from another provider (RFC 9207, mix-up attacks).
    if "iss" in answer and answer["iss"] != client.issuer:
        raise OidcRefusal("wrong_issuer", "authorization response")
    if error := answer.get("error"):
        raise OidcRefusal("provider_error", error)
    if not (code := answer.get("code")):
        raise OidcRefusal("code_missing")
    metadata = cache.metadata(client.issuer, ttl=ttl, timeout=timeout)
    with _session(client, redirect_uri, metadata, timeout) as session:
        try:
            token = session.fetch_token(metadata["token_endpoint"], code=code,
                                        grant_type="authorization_code",
                                        code_verifier=pending.code_verifier)
        except requests.RequestException as error:
            raise OidcRefusal("provider_unreachable", type(error).__name__) from error
        except OAuthError as error:
            raise OidcRefusal("token_refused", str(error.error or "")) from error
        except ValueError as error:
            raise OidcRefusal("token_refused", "not JSON") from error
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise OidcRefusal("id_token_missing")
    return verify_id_token(id_token, client, metadata, nonce=pending.nonce, ttl=ttl,
                           timeout=timeout, now=now)


# The claim a failed check names → the refusal recorded.
_CLAIM_REASONS = {"iss": "wrong_issuer", "aud": "wrong_audience", "azp": "wrong_audience",
                  "exp": "expired", "nonce": "nonce_mismatch"}


def verify_id_token(id_token: str, client: Client, metadata: dict, *, nonce: str, ttl: float,
                    timeout: float, now: float | None = None) -> dict:
    """The ID token's claims, once its signature (by the provider's published key), issuer,
    audience, expiry and nonce are checked."""
    allowed = [alg for alg in metadata.get("id_token_signing_alg_values_supported", ["RS256"])
               if alg in ALGORITHMS] or ["RS256"]
    claims = _signed_claims(id_token, metadata["jwks_uri"], allowed, ttl=ttl, timeout=timeout)
    registry = jwt.JWTClaimsRegistry(
        now=int(now if now is not None else time.time()), leeway=LEEWAY,
        iss={"essential": True, "value": client.issuer},
        aud={"essential": True, "value": client.client_id},
        exp={"essential": True}, iat={"essential": True}, sub={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        registry.validate(claims)
    except ExpiredTokenError as error:
        raise OidcRefusal("expired") from error
    except ClaimError as error:
        first = error.claim.split(",")[0]
        raise OidcRefusal(_CLAIM_REASONS.get(first, "invalid_claims"), first) from error
    # Several audiences: the token must name Écho as the party it was issued to.
    if isinstance(claims["aud"], list) and len(claims["aud"]) > 1 \
            and claims.get("azp") != client.client_id:
        raise OidcRefusal("wrong_audience", "azp")
    return claims


def _signed_claims(id_token: str, jwks_uri: str, algorithms: list[str], *, ttl: float,
                   timeout: float) -> dict:
    for refresh in (False, True):
        keys = cache.keys(jwks_uri, ttl=ttl, timeout=timeout, refresh=refresh)
        try:
            return dict(jwt.decode(id_token, keys, algorithms=algorithms).claims)
        except InvalidKeyIdError:
            continue  # signed by a key we have not read yet: read the set once more
        except BadSignatureError as error:
            raise OidcRefusal("bad_signature") from error
        except (JoseError, ValueError, TypeError) as error:
            raise OidcRefusal("malformed_token", type(error).__name__) from error
    raise OidcRefusal("bad_signature", "unknown key")


def end_session_url(metadata: dict, client: Client, post_logout_redirect_uri: str) -> str | None:
    """The provider's sign-out page (RP-Initiated Logout), when its discovery document has one."""
    endpoint = metadata.get("end_session_endpoint")
    if not isinstance(endpoint, str) or not endpoint:
        return None
    separator = "&" if "?" in endpoint else "?"
    return endpoint + separator + urlencode({"client_id": client.client_id,
                                             "post_logout_redirect_uri": post_logout_redirect_uri})
