from asgiref.sync import async_to_sync
from celery import shared_task

from calls import services
from core import realtime


@shared_task(name="calls.drop_silent")
def drop_silent() -> int:
    """Take crashed or unreachable tabs out of their calls, so nobody stays "busy" for good."""
    try:
        return services.drop_silent()
    finally:
        async_to_sync(realtime.close_layer)()
