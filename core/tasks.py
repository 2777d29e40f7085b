from celery import shared_task

from core import realtime


@shared_task(name="core.prune_events")
def prune_events() -> int:
    """Forget realtime events past the retention period (idempotent)."""
    return realtime.prune_events()
