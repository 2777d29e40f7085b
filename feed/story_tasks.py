from celery import shared_task

from feed import stories


@shared_task(name="feed.expire_stories")
def expire_stories() -> int:
    """Delete status updates past their 24 hours and their photos (idempotent)."""
    return stories.expire_stories()
