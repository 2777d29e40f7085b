"""What accounts announces to the apps above it (which it must not import)."""

from django.dispatch import Signal

# Sent with `user` once a new member's account exists (sign-up by any path, or the owner's
# set-up), after the transaction that made it commits: messaging seats them in the family chat.
member_joined = Signal()
