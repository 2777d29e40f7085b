"""Passkeys (allauth.mfa): the WebAuthn relying party, and what a new key is called."""

from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings

from accounts.selectors.devices import device_name


class MFAAdapter(DefaultMFAAdapter):
    def get_public_key_credential_rp_entity(self) -> dict[str, str]:
        """The relying party is the host of PUBLIC_URL, never the request's Host header.

        A passkey is bound to its RP id for good: a proxy that forwards another Host, or a member
        who once typed a different address, must not create keys that stop working later.
        """
        entity = super().get_public_key_credential_rp_entity()
        entity["id"] = settings.PUBLIC_HOST
        return entity

    def generate_authenticator_name(self, user, type: Authenticator.Type) -> str:
        """A passkey is named after the device it was made on ("Chrome on Android")."""
        if type == Authenticator.Type.WEBAUTHN and context.request is not None:
            return device_name(context.request.META.get("HTTP_USER_AGENT", ""))
        return super().generate_authenticator_name(user, type)

    def is_mfa_enabled(self, user, types=None) -> bool:
        """Passkeys are a way in, not a second step: a member who adds one to their phone still
        signs in on the laptop with the password alone (or the code). Only an authenticator app
        (TOTP), which a member sets up on purpose, makes the password ask for a second step."""
        second_step_check = types is not None and set(types) == {
            Authenticator.Type.TOTP,
            Authenticator.Type.WEBAUTHN,
        }
        if second_step_check:
            types = [Authenticator.Type.TOTP]
        return super().is_mfa_enabled(user, types=types)
