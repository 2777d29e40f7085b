from feed.story_models import Story, StoryView

__all__ = ["Story", "StoryView"]
