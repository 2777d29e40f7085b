from asgiref.sync import async_to_sync
from celery import shared_task

from accounts import services
from core import realtime


@shared_task(name="accounts.sweep_stale_connections")
def sweep_stale_connections() -> int:
    """Mark members whose sockets died without closing as last seen at their last ping."""
    try:
        return services.sweep_stale_connections()
    finally:
        # A worker's event loop is gone after the task: leave no Redis pool bound to it.
        async_to_sync(realtime.close_layer)()


@shared_task(name="accounts.clear_expired_statuses")
def clear_expired_statuses() -> int:
    """Empty custom statuses whose time is up (pages already hide them when read)."""
    return services.clear_expired_statuses()
