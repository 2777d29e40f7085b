"""The floor: a bare Channels relay, what any Channels fan-out costs on this machine.

    DJANGO_SETTINGS_MODULE=bench.floor_settings python -m daphne bench.floor_relay:application

Every socket at /ws/ joins the group "relay" and is told `{"type":"ready"}` once it is in it; a
frame any socket sends is `group_send` to the group as it is, and every member of the group
(the sender too) gets it back on its socket. No authentication, no database, no rendering.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.floor_settings")

import django

django.setup()

from channels.generic.websocket import AsyncWebsocketConsumer
from channels.routing import ProtocolTypeRouter, URLRouter
from django.urls import path

GROUP = "relay"
READY = '{"type":"ready"}'


class RelayConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        await self.channel_layer.group_add(GROUP, self.channel_name)
        await self.accept()
        await self.send(text_data=READY)

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(GROUP, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        await self.channel_layer.group_send(GROUP, {"type": "relay.frame", "text": text_data})

    async def relay_frame(self, message: dict) -> None:
        await self.send(text_data=message["text"])


application = ProtocolTypeRouter({"websocket": URLRouter([path("ws/", RelayConsumer.as_asgi())])})
