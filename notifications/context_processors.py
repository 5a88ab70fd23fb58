from django.utils.functional import SimpleLazyObject

from . import selectors


def unread_notifications(request):
    """The bell's count: one COUNT query, run only when a page shows the bell."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": SimpleLazyObject(lambda: selectors.unread_count(user=user))}
