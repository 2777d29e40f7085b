from celery import shared_task

from accounts import services


@shared_task(name="accounts.sweep_stale_connections")
def sweep_stale_connections() -> int:
    """Mark members whose sockets died without closing as last seen at their last ping."""
    return services.sweep_stale_connections()


@shared_task(name="accounts.clear_expired_statuses")
def clear_expired_statuses() -> int:
    """Empty custom statuses whose time is up (pages already hide them when read)."""
    return services.clear_expired_statuses()
