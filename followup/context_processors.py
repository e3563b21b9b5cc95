from django.utils.functional import SimpleLazyObject

from followup.models import Notification


def inbox(request) -> dict:
    """The unread count in the navigation; counted only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_caseworker:
        return {}
    return {
        "inbox": {
            "unread": SimpleLazyObject(lambda: Notification.objects.for_user(user).unread().count())
        }
    }
