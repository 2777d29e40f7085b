"""The row of status updates, so any page (the feed first) can include it as it is."""

from django import template

from feed.selectors import stories as story_selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def story_rings(context):
    """The asking member's row: their own ring first, then the others (one query)."""
    user = context["request"].user
    if not user.is_authenticated:
        return []
    return story_selectors.rings_for(user)
