"""Channel layers as Channels and channels_redis ship them, with one send for many groups.

`core.realtime` hands one event to many members' groups at once (`group_send_many`):
- the in-memory layer (embedded mode) sweeps expired messages on every send and receive, a scan
  of every channel and group (O(N) per send, so O(N^2) per event for N members); here the sweep
  runs at most once a second;
- the Redis pub/sub layer awaits one PUBLISH per group; here the PUBLISH calls of one event go in
  one pipeline per shard, one round trip.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable

from channels.layers import InMemoryChannelLayer as ChannelsInMemoryChannelLayer
from channels_redis.pubsub import RedisPubSubChannelLayer as ChannelsRedisPubSubChannelLayer

Message = dict
Sends = Iterable[tuple[str, Message]]


class InMemoryChannelLayer(ChannelsInMemoryChannelLayer):
    SWEEP_EVERY = 1.0

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._swept_at = 0.0

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now - self._swept_at < self.SWEEP_EVERY:
            return
        self._swept_at = now
        super()._clean_expired()

    async def group_send_many(self, sends: Sends) -> None:
        for group, message in sends:
            await self.group_send(group, message)


class RedisPubSubChannelLayer(ChannelsRedisPubSubChannelLayer):
    async def group_send_many(self, sends: Sends) -> None:
        # Built on channels_redis 4.3's own naming and shard choice (pinned in requirements),
        # so these frames reach exactly the subscribers group_send would reach.
        layer = self._get_layer()
        by_shard: dict[int, list[tuple[str, bytes]]] = defaultdict(list)
        for group, message in sends:
            channel = layer._get_group_channel_name(group)
            shard = layer._get_shard(channel)
            by_shard[id(shard)].append((channel, self.serialize(message)))
        shards = {id(shard): shard for shard in layer._shards}
        for key, publishes in by_shard.items():
            shard = shards[key]
            async with shard._lock:
                shard._ensure_redis()
                pipe = shard._redis.pipeline(transaction=False)
                for channel, data in publishes:
                    pipe.publish(channel, data)
                await pipe.execute()
