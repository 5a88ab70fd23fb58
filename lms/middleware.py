from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse


def _way_back(path: str) -> str:
    """The page an action belongs to: ``/courses/x/enrol/`` → ``/courses/x/`` (the course),
    ``…/lessons/3/done/`` → the lesson, ``…/quizzes/1/start/`` → the quiz; else the catalogue."""
    parent = path.rstrip("/").rsplit("/", 1)[0] + "/"
    if parent != path:
        try:
            resolve(parent)
        except Resolver404:
            pass
        else:
            return parent
    return reverse("courses:catalogue")


class MethodNotAllowedPageMiddleware:
    """Django answers a GET on a POST-only address (enrol, mark as done, start an attempt) with
    an empty 405; this gives it the site's own page, translated, with a way back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not response.content:
            page = render(
                request, "405.html", {"back_url": _way_back(request.path_info)}, status=405
            )
            page["Allow"] = response["Allow"]
            return page
        return response
