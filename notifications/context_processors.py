from notifications import services


class _UnreadCount:
    """Counted only when a template asks for it, and then once per page."""

    def __init__(self, user):
        self.user = user
        self.value = None

    def __call__(self) -> int:
        if self.value is None:
            self.value = services.unread_count(self.user)
        return self.value


def bell(request):
    """The unread count the bell in every page's header shows."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": _UnreadCount(user)}
