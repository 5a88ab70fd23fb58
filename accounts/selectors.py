"""Read queries about people that other apps and the admin reuse."""

from django.db.models import QuerySet

from lms.text import search_form

from .models import User
from .roles import Role


def users_with_role(role: Role) -> QuerySet[User]:
    """Active people holding ``role`` (the group of the same name)."""
    return User.objects.filter(is_active=True, groups__name=role)


def users_matching(queryset: QuerySet[User], query: str) -> QuerySet[User]:
    """Narrow ``queryset`` to people whose name, email or employee number holds every word of
    ``query``, in either Serbian script, with or without diacritics (``lms.text.search_form``)."""
    for word in search_form(query).split():
        queryset = queryset.filter(search_text__contains=word)
    return queryset
