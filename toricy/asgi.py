"""The one ASGI entry point: HTTP through Django, /ws/ through the realtime consumer."""

import asyncio
import os

from django.core.asgi import get_asgi_application
from twisted.web.http import HTTPChannel

# daphne (Twisted) closes a request whose request line (LineReceiver's MAX_LENGTH), or request
# line and headers together, pass 16 KiB. The Bot API takes a 4096-character text in the query
# string: in Cyrillic that is up to 24 KiB percent-encoded (6 characters a letter).
HTTPChannel.MAX_LENGTH = 64 * 1024
HTTPChannel.totalHeadersSize = 64 * 1024

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toricy.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402 (needs Django set up first)
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from core import realtime  # noqa: E402
from toricy.routing import websocket_urlpatterns  # noqa: E402

router = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # Origin must be one of ALLOWED_HOSTS: another site cannot open a socket with our cookie.
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)


async def application(scope, receive, send):
    """The router, on a server that runs realtime fan-out on its own event loop (core.realtime)."""
    if settings.REALTIME_BACKGROUND_FANOUT:
        realtime.serve_on(asyncio.get_running_loop())
    return await router(scope, receive, send)
