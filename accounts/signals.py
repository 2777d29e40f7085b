"""Signing in and out (by any method: allauth sends Django's signals) keeps the devices list."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from accounts.services import devices


@receiver(user_logged_in, dispatch_uid="toricy-device-signed-in")
def device_signed_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        devices.record_sign_in(request=request, user=user)


@receiver(user_logged_out, dispatch_uid="toricy-device-signed-out")
def device_signed_out(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        devices.forget(session_key=request.session.session_key)
