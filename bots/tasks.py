from celery import shared_task

from bots import services


@shared_task(name="bots.prune_updates")
def prune_updates() -> int:
    return services.prune_updates()
