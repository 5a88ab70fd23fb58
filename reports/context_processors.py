from django.utils.functional import SimpleLazyObject

from . import permissions


def reports_link(request):
    """Whether the header links to /reports/; evaluated only for privileged users, so a
    learner's page runs no extra query."""
    return {"show_reports_link": SimpleLazyObject(lambda: permissions.can_assign(request.user))}
