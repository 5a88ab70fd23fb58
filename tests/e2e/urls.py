"""The project's URLs plus a route that answers 403.

No page of the site refuses with a 403 today (out-of-scope objects are 404s), but
``templates/403.html`` is what any future ``PermissionDenied`` shows, so the accessibility check
reaches it through Django's own 403 handler here.
"""

from django.core.exceptions import PermissionDenied
from django.urls import path

from lms.urls import urlpatterns as project_urlpatterns


def forbidden(request):
    raise PermissionDenied


urlpatterns = [path("test-only/forbidden/", forbidden), *project_urlpatterns]
