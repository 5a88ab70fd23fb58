"""The project's URLs, plus two routes that only the benchmarks ask for.

- /bench/empty/ for run_bench.py's ``--reference`` runs;
- /bench/post/, the reference form post for quiz_bench.py.

The extra routes come last, so every project URL resolves exactly as in lms.urls.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_POST

from lms.urls import urlpatterns as project_urlpatterns


def empty_page(request):
    """base.html with an empty content block: what any page of the site costs at least."""
    return render(request, "base.html", {})


@login_required
@require_POST
def minimal_post(request):
    """The least a signed-in form post costs: the session and the user are loaded, the CSRF
    middleware reads the whole form to check its token (as for any form), and the answer is
    the redirect a form view gives after a POST. The database is not touched beyond that."""
    return HttpResponseRedirect("/bench/post/")


urlpatterns = [
    *project_urlpatterns,
    path("bench/empty/", empty_page),
    path("bench/post/", minimal_post),
]
