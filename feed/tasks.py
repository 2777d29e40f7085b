# Celery's autodiscovery reads `feed.tasks`: the stories' tasks live in their own module.
from feed.story_tasks import expire_stories

__all__ = ["expire_stories"]
