"""Google sign-in: allauth's Google provider with two rules of Toricy's own.

1. The redirect URI is always PUBLIC_URL + /accounts/google/login/callback/, never guessed from
   the request: behind a TLS-terminating proxy Django may see http or an inner host name, and
   Google then answers redirect_uri_mismatch.
2. The id_token's signature is always checked against Google's published keys. allauth skips
   that check when the token came straight from the token endpoint (OpenID Connect allows it), but
   it costs one request and refuses a forged token even when the path to Google is not what we
   think it is.

allauth builds the authorization redirect with the provider's `oauth2_adapter_class` and binds its
callback view to its own adapter class, so both are replaced: the provider through
`accounts.adapter.SocialAccountAdapter.get_provider`, the callback by a route on the same path in
accounts/urls.py (which comes before allauth's urls).

The endpoints are read from settings.SOCIALACCOUNT_PROVIDERS["google"] on every request (allauth
reads them once, at import), so that tests can point them at tests/fakes/google.py.
"""

from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.providers.google import views as allauth_google
from allauth.socialaccount.providers.google.provider import GoogleProvider as AllauthGoogleProvider
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView
from django.conf import settings
from django.urls import reverse


def endpoint(name: str) -> str:
    """AUTHORIZE_URL, ACCESS_TOKEN_URL, CERTS_URL, IDENTITY_URL or ID_TOKEN_ISSUER."""
    configured = getattr(settings, "SOCIALACCOUNT_PROVIDERS", {}).get("google", {})
    return configured.get(name) or getattr(allauth_google, name)


def callback_url() -> str:
    """The one redirect URI to register in Google Cloud Console."""
    return settings.PUBLIC_URL + reverse("google_callback")


class GoogleAdapter(allauth_google.GoogleOAuth2Adapter):
    @property
    def authorize_url(self) -> str:
        return endpoint("AUTHORIZE_URL")

    @property
    def access_token_url(self) -> str:
        return endpoint("ACCESS_TOKEN_URL")

    @property
    def identity_url(self) -> str:
        return endpoint("IDENTITY_URL")

    @property
    def id_token_issuer(self) -> str:
        return endpoint("ID_TOKEN_ISSUER")

    def get_callback_url(self, request, app) -> str:
        return callback_url()

    def _decode_id_token(self, app, id_token):
        return jwtkit.verify_and_decode(
            credential=id_token,
            keys_url=endpoint("CERTS_URL"),
            issuer=self.id_token_issuer,
            audience=app.client_id,
            lookup_kid=jwtkit.lookup_kid_pem_x509_certificate,
            verify_signature=True,
        )


class GoogleProvider(AllauthGoogleProvider):
    oauth2_adapter_class = GoogleAdapter


oauth2_callback = OAuth2CallbackView.adapter_view(GoogleAdapter)
