"""Toricy's place in allauth's sign-in pipeline."""

from allauth.account import app_settings
from allauth.account.stages import EmailVerificationStage as AllauthEmailVerificationStage


class EmailVerificationStage(AllauthEmailVerificationStage):
    """An email must be verified, unless the member came in by a verified phone.

    allauth makes email verification mandatory for every account; a grandparent may have only a
    phone. The phone stage runs first, so an account whose phone is verified by then has proved
    who it is, and its email (if any) can be verified later from the settings.
    """

    def handle(self):
        user = self.login.user
        if user and user.phone and user.phone_verified:
            self.login.email_verification = app_settings.EmailVerificationMethod.OPTIONAL
        return super().handle()
