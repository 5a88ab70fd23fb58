from django.utils.functional import SimpleLazyObject

from . import permissions


def teaching_link(request):
    """Whether the header links to /teach/; read from the user's cached roles only when a
    privileged user's page asks."""
    return {
        "show_teaching_link": SimpleLazyObject(lambda: permissions.can_open_workspace(request.user))
    }
