from celery import shared_task

from calls import services


@shared_task(name="calls.drop_silent")
def drop_silent() -> int:
    """Take crashed or unreachable tabs out of their calls, so nobody stays "busy" for good."""
    return services.drop_silent()
