"""The feed's Celery tasks (autodiscovered as `feed.tasks`): thin doors to the services."""

from celery import shared_task

from feed.services import stories


@shared_task(name="feed.expire_stories")
def expire_stories() -> int:
    """Delete status updates past their 24 hours and their photos (idempotent)."""
    return stories.expire_stories()
