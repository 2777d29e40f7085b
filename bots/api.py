"""The Telegram-compatible Bot API over HTTP: `/bot<token>/<method>`.

One DRF view parses (query string, form, multipart, JSON, for GET and POST), resolves the token,
throttles wrong tokens per address and dispatches to `bots.methods`. Every refusal, whoever
raises it, becomes Telegram's envelope in one place: `telegram_exception_handler`. Long polling
is the only asynchronous part: a getUpdates that finds nothing waits on the bot's channel-layer
group without holding a thread's database connection, and answers as soon as an update is stored.
"""

from __future__ import annotations

import asyncio
import logging
import math

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connections
from django.http import Http404, JsonResponse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from bots import services
from bots.errors import ApiError
from bots.methods import METHODS, LongPoll
from bots.params import collect, parse
from core.errors import Invalid, Refused

log = logging.getLogger(__name__)


def envelope_error(error: ApiError) -> dict:
    body = {"ok": False, "error_code": error.error_code, "description": error.description}
    if error.retry_after is not None:
        body["parameters"] = {"retry_after": error.retry_after}
    return body


def as_api_error(exc: Exception) -> ApiError:
    """Any exception as Telegram's error (English descriptions, as Telegram's are)."""
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, Invalid):
        return ApiError(400, f"Bad Request: {exc.message}")
    if isinstance(exc, Refused):
        kind = "Bad Request" if exc.status == 400 else "Forbidden"
        return ApiError(exc.status if exc.status in (400, 403) else 403, f"{kind}: {exc.message}")
    if isinstance(exc, PermissionDenied):
        return ApiError(403, f"Forbidden: {str(exc) or 'not allowed'}")
    if isinstance(exc, Http404):
        return ApiError(400, "Bad Request: not found")
    if isinstance(exc, exceptions.Throttled):
        wait = max(1, math.ceil(exc.wait or 1))
        return ApiError(429, f"Too Many Requests: retry after {wait}", retry_after=wait)
    if isinstance(exc, exceptions.MethodNotAllowed):
        return ApiError(405, "Method Not Allowed")
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return ApiError(400, "Bad Request: unsupported content type of the request body")
    if isinstance(exc, exceptions.ParseError):
        return ApiError(400, f"Bad Request: can't parse the request body: {exc.detail}")
    if isinstance(exc, exceptions.APIException):
        status = exc.status_code if 400 <= exc.status_code < 500 else 400
        return ApiError(status, f"Bad Request: {exc.detail}")
    log.error("Bot API: unexpected error", exc_info=exc)
    return ApiError(500, "Internal Server Error")


def telegram_exception_handler(exc: Exception, context) -> Response:
    """The Bot API's one exception handler: Telegram's envelope, HTTP status = error_code."""
    error = as_api_error(exc)
    response = Response(envelope_error(error), status=error.error_code)
    if error.retry_after is not None:
        response["Retry-After"] = str(error.retry_after)
    return response


class WrongTokenThrottle(SimpleRateThrottle):
    """Counts only failed tokens per address; past the rate, every request of it gets 429."""

    scope = "bot_wrong_token"

    def get_rate(self) -> str:
        return settings.BOTS_WRONG_TOKEN_RATE

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def allow_request(self, request, view) -> bool:
        self.key = self.get_cache_key(request, view)
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        self.history = [moment for moment in self.history if moment > self.now - self.duration]
        return len(self.history) < self.num_requests or self.throttle_failure()

    def record_failure(self, request) -> None:
        self.allow_request(request, None)
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)


class AlwaysJson(DefaultContentNegotiation):
    """JSON whatever Accept says (libraries send */* or nothing)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return (renderers[0], renderers[0].media_type)


class BotApiView(APIView):
    authentication_classes: list = []
    permission_classes: list = []
    throttle_classes = [WrongTokenThrottle]
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = AlwaysJson

    def get_exception_handler(self):
        return telegram_exception_handler

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        self.bot = services.bot_for_token(kwargs["token"])
        if self.bot is None:
            WrongTokenThrottle().record_failure(request)
            raise ApiError(401, "Unauthorized")
        self.method = METHODS.get(kwargs["method"].lower())
        if self.method is None:
            raise ApiError(404, "Not Found")

    def get(self, request, token: str, method: str) -> Response:
        # Telegram's descriptions are English; so are the services' refusals they carry.
        with translation.override("en"):
            raw = collect(request.query_params, request.data, request.FILES)
            values = parse(self.method.params, raw, request.FILES)
            result = self.method.function(self.bot, **values)
        if isinstance(result, LongPoll):
            response = Response(status=204)
            response.long_poll = result
            return response
        return Response({"ok": True, "result": result})

    post = get


bot_api_view = BotApiView.as_view()


def _unlogged(response):
    # Django logs every 4xx with its path, and the path holds the bot's token.
    response._has_been_logged = True
    return response


def _answer(request, token: str, method: str):
    response = _unlogged(bot_api_view(request, token=token, method=method))
    if getattr(response, "long_poll", None) is None:
        response.render()
    return response


def _json(body: dict, status: int = 200) -> JsonResponse:
    return _unlogged(JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False}))


def _pending(poll: LongPoll) -> list[dict]:
    return services.pending_updates(bot=poll.bot, limit=poll.limit)


def _release_connections() -> None:
    # A waiting poller holds no database connection (the pool is small; pollers can be many).
    connections.close_all()


async def _long_poll(poll: LongPoll) -> JsonResponse:
    layer = get_channel_layer()
    channel = await layer.new_channel()
    group = services.group_for(poll.bot.pk)
    await layer.group_add(group, channel)
    try:
        # Subscribed before looking: an update stored meanwhile still wakes this request.
        updates = await sync_to_async(_pending)(poll)
        if not updates:
            await sync_to_async(_release_connections)()
            try:
                async with asyncio.timeout(poll.timeout):
                    await layer.receive(channel)
            except TimeoutError:
                pass
            updates = await sync_to_async(_pending)(poll)
    except Exception as exc:
        return _json(envelope_error(as_api_error(exc)), status=500)
    finally:
        await layer.group_discard(group, channel)
    return _json({"ok": True, "result": updates})


@csrf_exempt
async def endpoint(request, token: str, method: str):
    """`/bot<token>/<method>`: the DRF view, then the wait of a long poll if it asked for one."""
    response = await sync_to_async(_answer)(request, token, method)
    poll = getattr(response, "long_poll", None)
    if poll is None:
        return response
    return await _long_poll(poll)


@csrf_exempt
def file_endpoint(request, token: str, path: str):
    """`/file/bot<token>/<path>`: files are not served yet (getFile does not exist yet)."""
    if services.bot_for_token(token) is None:
        return _json(envelope_error(ApiError(401, "Unauthorized")), status=401)
    return _json(envelope_error(ApiError(404, "Not Found")), status=404)
