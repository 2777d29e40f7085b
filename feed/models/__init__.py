"""The feed's tables: posts and what hangs off them, and status updates (stories).

Django finds an app's models by importing `feed.models`, so every model is imported here.
"""

from feed.models.posts import Comment, Favourite, FavouriteFolder, Like, Post, PostMedia, Report
from feed.models.stories import STORY_LIFETIME, STORY_TEXT_MAX, Story, StoryView, story_expiry

__all__ = [
    "STORY_LIFETIME",
    "STORY_TEXT_MAX",
    "Comment",
    "Favourite",
    "FavouriteFolder",
    "Like",
    "Post",
    "PostMedia",
    "Report",
    "Story",
    "StoryView",
    "story_expiry",
]
