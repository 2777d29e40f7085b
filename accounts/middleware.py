from django.conf import settings
from django.utils import translation

from accounts.services import devices

LANGUAGE_COOKIE = settings.LANGUAGE_COOKIE_NAME


class LanguageMiddleware:
    """Russian unless the member chose otherwise (their setting, or a cookie before sign-in).

    The browser's Accept-Language is deliberately ignored: a grandmother whose phone happens to be
    set to English should still see the family's Russian unless she picks English herself.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = user.language
        else:
            language = request.COOKIES.get(LANGUAGE_COOKIE, settings.LANGUAGE_CODE)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class DeviceMiddleware:
    """Keeps the member's device "last active" and their session's year fresh (throttled)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            devices.touch(request=request)
        return self.get_response(request)
