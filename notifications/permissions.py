"""Who may do what with notifications. Pure predicates, used by views and the admin."""

from accounts.permissions import is_administrator


def can_view_notification(user, log) -> bool:
    """Only the recipient sees a notification in the app (administrators use the admin log)."""
    return user.is_authenticated and log.recipient_id == user.pk


def can_manage_preferences(user) -> bool:
    return user.is_authenticated and user.is_active


def can_resend(user) -> bool:
    return user.is_authenticated and is_administrator(user)
