"""A local fake of Google's OAuth 2.0 / OpenID Connect endpoints, for tests only.

It speaks the shapes of the real thing: the authorization endpoint (checks client_id, the exact
redirect_uri, response_type, scope, state and the PKCE S256 challenge, then "signs in" the
configured Google user at once and redirects back with a code), the token endpoint (checks the
code, redirect_uri, client credentials and the PKCE verifier; answers with an access token and an
RS256-signed id_token), the signing keys (v1 PEM certificates, which allauth reads, and v3 JWKS)
and userinfo. Paths are Google's, under `url` instead of Google's hosts:

    with FakeGoogle(redirect_uri="http://127.0.0.1:8000/accounts/google/login/callback/") as google:
        settings.SOCIALACCOUNT_PROVIDERS["google"] |= google.endpoints()

A server process takes the same endpoints from GOOGLE_OAUTH_BASE_URL=google.url (see settings).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

ISSUER = "https://accounts.google.com"
AUTHORIZE_PATH = "/o/oauth2/v2/auth"
TOKEN_PATH = "/token"
CERTS_PATH = "/oauth2/v1/certs"
JWKS_PATH = "/oauth2/v3/certs"
USERINFO_PATH = "/oauth2/v2/userinfo"


@dataclass
class GoogleUser:
    """The Google account the fake signs in."""

    sub: str = "109876543210987654321"
    email: str = "masha@gmail.test"
    email_verified: bool = True
    name: str = "Маша Петрова"
    given_name: str = "Маша"
    family_name: str = "Петрова"
    picture: str = "https://lh3.googleusercontent.test/a/masha"

    def claims(self) -> dict:
        return {
            "sub": self.sub,
            "email": self.email,
            "email_verified": self.email_verified,
            "name": self.name,
            "given_name": self.given_name,
            "family_name": self.family_name,
            "picture": self.picture,
        }


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _uint_b64url(number: int) -> str:
    return _b64url(number.to_bytes((number.bit_length() + 7) // 8, "big"))


class SigningKey:
    """An RSA key with a kid and a self-signed certificate, as Google publishes them."""

    def __init__(self) -> None:
        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(20)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fake.accounts.google.test")])
        now = datetime.now(UTC)
        self.certificate_pem = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(self.private_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=1))
            .sign(self.private_key, hashes.SHA256())
            .public_bytes(serialization.Encoding.PEM)
            .decode()
        )

    def jwk(self) -> dict:
        numbers = self.private_key.public_key().public_numbers()
        return {
            "kty": "RSA",
            "alg": "RS256",
            "use": "sig",
            "kid": self.kid,
            "n": _uint_b64url(numbers.n),
            "e": _uint_b64url(numbers.e),
        }

    def sign(self, claims: dict, kid: str | None = None) -> str:
        return jwt.encode(
            claims, self.private_key, algorithm="RS256", headers={"kid": kid or self.kid}
        )


@dataclass
class Grant:
    """What an authorization code stands for until the token endpoint redeems it."""

    redirect_uri: str
    code_challenge: str
    nonce: str | None
    user: GoogleUser


@dataclass
class FakeGoogle:
    redirect_uri: str
    client_id: str = "toricy-test.apps.googleusercontent.com"
    client_secret: str = "fake-google-secret"
    user: GoogleUser = field(default_factory=GoogleUser)
    # Answer the sign-in with error=access_denied, as when the person presses "Cancel".
    deny: bool = False
    # Sign id_tokens with a key that is not published (under the published kid): a forgery.
    forge_signature: bool = False
    # Every refusal, as "<endpoint>: <reason>", so a test can say why a flow stopped.
    refusals: list[str] = field(default_factory=list)
    authorization_requests: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.key = SigningKey()
        self._forger = SigningKey()
        self._grants: dict[str, Grant] = {}
        self._access_tokens: dict[str, GoogleUser] = {}
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # --- running --------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        assert self._server, "start() the fake first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def endpoints(self) -> dict[str, str]:
        """The allauth Google provider settings that point it here."""
        return {
            "AUTHORIZE_URL": self.url + AUTHORIZE_PATH,
            "ACCESS_TOKEN_URL": self.url + TOKEN_PATH,
            "CERTS_URL": self.url + CERTS_PATH,
            "IDENTITY_URL": self.url + USERINFO_PATH,
        }

    def start(self) -> FakeGoogle:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake._handle(self, "GET")

            def do_POST(self) -> None:
                fake._handle(self, "POST")

            def log_message(self, *args) -> None:
                """Quiet: a test shows refusals through `refusals`."""

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FakeGoogle:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- HTTP -----------------------------------------------------------------------------------
    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(handler.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        form: dict[str, str] = {}
        if method == "POST":
            length = int(handler.headers.get("Content-Length") or 0)
            body = handler.rfile.read(length).decode()
            form = {k: v[-1] for k, v in parse_qs(body).items()}
        routes = {
            ("GET", AUTHORIZE_PATH): lambda: self._authorize(query),
            ("POST", TOKEN_PATH): lambda: self._token(form, handler.headers.get("Authorization")),
            ("GET", CERTS_PATH): lambda: (200, {"Content-Type": "application/json"}, self._certs()),
            ("GET", JWKS_PATH): lambda: (200, {"Content-Type": "application/json"}, self._jwks()),
            ("GET", USERINFO_PATH): lambda: self._userinfo(handler.headers.get("Authorization")),
        }
        route = routes.get((method, parts.path))
        status, headers, payload = route() if route else (404, {}, b"Not Found")
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(payload)))
        handler.send_header("Cache-Control", "no-store")
        handler.end_headers()
        handler.wfile.write(payload)

    def _refuse_page(self, reason: str) -> tuple[int, dict, bytes]:
        """Google shows its own error page (it never redirects to a redirect_uri it distrusts)."""
        self.refusals.append(f"authorize: {reason}")
        page = f"<!doctype html><title>Error 400</title><h1>Error 400: {reason}</h1>"
        return 400, {"Content-Type": "text/html; charset=utf-8"}, page.encode()

    def _json_error(self, status: int, error: str, description: str) -> tuple[int, dict, bytes]:
        self.refusals.append(f"token: {error}: {description}")
        body = json.dumps({"error": error, "error_description": description}).encode()
        return status, {"Content-Type": "application/json"}, body

    def _authorize(self, query: dict) -> tuple[int, dict, bytes]:
        self.authorization_requests.append(query)
        if query.get("client_id") != self.client_id:
            return self._refuse_page("invalid_client")
        if query.get("redirect_uri") != self.redirect_uri:
            return self._refuse_page("redirect_uri_mismatch")
        if query.get("response_type") != "code":
            return self._refuse_page("unsupported_response_type")
        scopes = set(query.get("scope", "").split())
        if not {"openid", "email", "profile"} <= scopes:
            return self._refuse_page("invalid_scope")
        if not query.get("state"):
            return self._refuse_page("missing state")
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            return self._refuse_page("invalid_request: PKCE S256 code_challenge required")
        back = {"state": query["state"]}
        if self.deny:
            back["error"] = "access_denied"
        else:
            code = "4/" + secrets.token_urlsafe(32)
            with self._lock:
                self._grants[code] = Grant(
                    redirect_uri=query["redirect_uri"],
                    code_challenge=query["code_challenge"],
                    nonce=query.get("nonce"),
                    user=self.user,
                )
            back |= {"code": code, "scope": " ".join(sorted(scopes)), "prompt": "none"}
        return 302, {"Location": f"{query['redirect_uri']}?{urlencode(back)}"}, b""

    def _client_credentials(self, form: dict, authorization: str | None) -> tuple[str, str]:
        if authorization and authorization.startswith("Basic "):
            decoded = base64.b64decode(authorization[6:]).decode()
            client_id, _, secret = decoded.partition(":")
            return client_id, secret
        return form.get("client_id", ""), form.get("client_secret", "")

    def _token(self, form: dict, authorization: str | None) -> tuple[int, dict, bytes]:
        if form.get("grant_type") != "authorization_code":
            return self._json_error(400, "unsupported_grant_type", "Invalid grant_type")
        client_id, secret = self._client_credentials(form, authorization)
        if client_id != self.client_id or secret != self.client_secret:
            return self._json_error(401, "invalid_client", "The OAuth client was not found.")
        with self._lock:
            grant = self._grants.pop(form.get("code", ""), None)  # a code works once
        if grant is None:
            return self._json_error(400, "invalid_grant", "Malformed auth code.")
        if form.get("redirect_uri") != grant.redirect_uri:
            return self._json_error(400, "redirect_uri_mismatch", "Bad Request")
        verifier = form.get("code_verifier", "")
        if _b64url(hashlib.sha256(verifier.encode()).digest()) != grant.code_challenge:
            return self._json_error(400, "invalid_grant", "Invalid code verifier.")
        access_token = "ya29." + secrets.token_urlsafe(32)
        with self._lock:
            self._access_tokens[access_token] = grant.user
        body = {
            "access_token": access_token,
            "expires_in": 3599,
            "scope": "openid https://www.googleapis.com/auth/userinfo.email "
            "https://www.googleapis.com/auth/userinfo.profile",
            "token_type": "Bearer",
            "id_token": self.id_token(grant.user, nonce=grant.nonce, access_token=access_token),
        }
        return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()

    def id_token(
        self, user: GoogleUser, *, nonce: str | None = None, access_token: str = ""
    ) -> str:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "azp": self.client_id,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 3600,
            **user.claims(),
        }
        if access_token:
            digest = hashlib.sha256(access_token.encode()).digest()
            claims["at_hash"] = _b64url(digest[: len(digest) // 2])
        if nonce:
            claims["nonce"] = nonce
        if self.forge_signature:
            return self._forger.sign(claims, kid=self.key.kid)
        return self.key.sign(claims)

    def _certs(self) -> bytes:
        return json.dumps({self.key.kid: self.key.certificate_pem}).encode()

    def _jwks(self) -> bytes:
        return json.dumps({"keys": [self.key.jwk()]}).encode()

    def _userinfo(self, authorization: str | None) -> tuple[int, dict, bytes]:
        token = (authorization or "").removeprefix("Bearer ")
        user = self._access_tokens.get(token)
        if user is None:
            return HTTPStatus.UNAUTHORIZED, {}, b'{"error": "invalid_token"}'
        info = user.claims() | {"id": user.sub, "verified_email": user.email_verified}
        del info["sub"], info["email_verified"]
        return 200, {"Content-Type": "application/json"}, json.dumps(info).encode()
