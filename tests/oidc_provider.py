"""A small OpenID provider for the tests: a real HTTP server on 127.0.0.1 (werkzeug, in a
thread) with a real discovery document, a real key set and RSA-signed ID tokens (joserfc).

It implements the authorization code flow as a provider must: its sign-in page, one-time codes
bound to the client, the redirect URI and the PKCE challenge (S256), client authentication at
the token endpoint, and an end-session page. A test makes it misbehave through `token_claims`
(claims forced into the next ID tokens) and `signing_key` (a key it does not publish).
"""

import base64
import hashlib
import html
import secrets
import threading
import time
from urllib.parse import urlencode

from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

CLIENT_ID = "echo-client"
CLIENT_SECRET = "client-secret-" + "x7Qm2pLr9Vw4"


class TestProvider:
    __test__ = False  # not a test class, whatever its name

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "key-1", "use": "sig",
                                                         "alg": "RS256"})
        # Same key id as the published key, another private key: a forged signature.
        self.forged_key = RSAKey.generate_key(2048, parameters={"kid": "key-1"})
        self.server = make_server("127.0.0.1", 0, self.wsgi, threaded=True)
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.reset()

    def reset(self) -> None:
        """Behave well again, know nobody, forget codes and counts."""
        self.users: dict[str, dict] = {}
        self.codes: dict[str, dict] = {}
        self.token_claims: dict = {}
        self.signing_key = self.key
        self.published_keys = [self.key]
        self.end_session = True
        self.hits: dict[str, int] = {}

    def add_user(self, email: str, *, verified: bool = True, **claims) -> None:
        self.users[email] = {"email": email, "email_verified": verified,
                             "sub": hashlib.sha256(email.encode()).hexdigest()[:20], **claims}

    def start(self) -> "TestProvider":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)

    # -- HTTP ------------------------------------------------------------------------------

    def wsgi(self, environ, start_response):
        request = Request(environ)
        self.hits[request.path] = self.hits.get(request.path, 0) + 1
        routes = {
            "/.well-known/openid-configuration": self.discovery,
            "/jwks": self.jwks,
            "/authorize": self.authorize,
            "/token": self.token,
            "/logout": self.logout,
        }
        handler = routes.get(request.path)
        response = handler(request) if handler else Response("not found", 404)
        return response(environ, start_response)

    def discovery(self, request: Request) -> Response:
        document = {
            "issuer": self.issuer,
            "authorization_endpoint": self.issuer + "/authorize",
            "token_endpoint": self.issuer + "/token",
            "jwks_uri": self.issuer + "/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            "scopes_supported": ["openid", "email", "profile"],
        }
        if self.end_session:
            document["end_session_endpoint"] = self.issuer + "/logout"
        return _json(document)

    def jwks(self, request: Request) -> Response:
        return _json({"keys": [key.as_dict(private=False) for key in self.published_keys]})

    def authorize(self, request: Request) -> Response:
        params = request.values
        if params.get("client_id") != CLIENT_ID or params.get("response_type") != "code":
            return Response("unknown client or response type", 400)
        if params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
            return Response("PKCE (S256) is required", 400)
        if "openid" not in params.get("scope", "").split():
            return Response("not an OpenID request", 400)
        if request.method == "GET":
            return self.sign_in_page(request)
        email = params.get("email", "")
        if email not in self.users:
            return self.sign_in_page(request, error="Unknown account")
        code = secrets.token_urlsafe(24)
        self.codes[code] = {"email": email, "redirect_uri": params["redirect_uri"],
                            "nonce": params.get("nonce"),
                            "challenge": params["code_challenge"]}
        answer = {"code": code, "state": params.get("state", "")}
        return Response(status=302, headers={
            "Location": params["redirect_uri"] + "?" + urlencode(answer)})

    def sign_in_page(self, request: Request, error: str = "") -> Response:
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in request.values.items() if k != "email")
        body = (
            "<!doctype html><html lang='en'><head><title>Test identity provider</title></head>"
            "<body><main><h1>Test identity provider</h1>"
            + (f"<p role='alert'>{html.escape(error)}</p>" if error else "")
            + "<form method='post' action='/authorize'>" + hidden
            + "<label for='email'>Work e-mail</label> <input id='email' name='email' type='email'>"
            " <button type='submit'>Continue</button></form></main></body></html>")
        return Response(body, 200 if not error else 401, content_type="text/html")

    def token(self, request: Request) -> Response:
        if request.authorization is None or (
                request.authorization.username, request.authorization.password) != (
                CLIENT_ID, CLIENT_SECRET):
            return _json({"error": "invalid_client"}, 401)
        form = request.form
        grant = self.codes.pop(form.get("code", ""), None)  # a code works once
        if form.get("grant_type") != "authorization_code" or grant is None:
            return _json({"error": "invalid_grant"}, 400)
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return _json({"error": "invalid_grant", "error_description": "redirect_uri"}, 400)
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(
            hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if not verifier or challenge != grant["challenge"]:
            return _json({"error": "invalid_grant", "error_description": "PKCE"}, 400)
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": CLIENT_ID, "iat": now, "exp": now + 300,
                  "nonce": grant["nonce"], **self.users[grant["email"]], **self.token_claims}
        id_token = jwt.encode({"alg": "RS256", "kid": self.signing_key.kid}, claims,
                              self.signing_key)
        return _json({"access_token": secrets.token_urlsafe(16), "token_type": "Bearer",
                      "expires_in": 300, "id_token": id_token})

    def logout(self, request: Request) -> Response:
        back = request.args.get("post_logout_redirect_uri", "")
        return Response(f"<!doctype html><title>Signed out</title><p>Signed out of the test "
                        f"provider.</p><a href='{html.escape(back)}'>Back</a>",
                        content_type="text/html")


def _json(document: dict, status: int = 200) -> Response:
    import json

    return Response(json.dumps(document), status, content_type="application/json")
