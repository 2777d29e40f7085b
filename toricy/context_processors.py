from core import realtime


def shell(request):
    """What every page's shell needs: theme, the event sequence the page starts from."""
    user = request.user
    signed_in = user.is_authenticated
    return {
        "theme": user.theme if signed_in else "system",
        "accent": user.accent if signed_in else "teal",
        "text_size": user.text_size if signed_in else "m",
        "event_seq": realtime.last_seq(user.pk) if signed_in else 0,
    }
