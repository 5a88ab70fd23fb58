"""Server log lines: each printed once, and a 403 without a traceback."""

import io
import logging

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import include, path
from django.utils.log import configure_logging

pytestmark = pytest.mark.django_db


def forbidden(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("boom")


def fine(request):
    logging.getLogger("django.request").warning("One line from %s", "django.request")
    return HttpResponse("ok")


# The project's own addresses too, so that the error pages can render their links.
urlpatterns = [
    path("forbidden/", forbidden),
    path("broken/", broken),
    path("fine/", fine),
    path("", include("lms.urls")),
]


@pytest.fixture
def log_output(settings):
    """The project's LOGGING applied for real, with the console handler writing to a buffer."""
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = True  # Django's own console handler is active only under DEBUG.
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
    buffer = io.StringIO()
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    # Every console handler of every logger, so a second handler's copy would show here too.
    handlers = {
        handler
        for logger in loggers
        for handler in logger.handlers
        if type(handler) is logging.StreamHandler
    }
    previous = {handler: handler.setStream(buffer) for handler in handlers}
    yield buffer
    for handler, stream in previous.items():
        handler.setStream(stream)


def test_project_logging_has_one_console_handler_on_the_root():
    assert settings.LOGGING["loggers"]["django"]["handlers"] == []
    assert settings.LOGGING["root"]["handlers"] == ["console"]


def test_every_line_is_printed_once(client, log_output):
    client.get("/fine/")
    assert log_output.getvalue().count("One line from django.request") == 1


def test_a_403_is_logged_once_without_a_traceback(client, log_output):
    response = client.get("/forbidden/")
    assert response.status_code == 403
    output = log_output.getvalue()
    assert output.count("Forbidden (Permission denied): /forbidden/") == 1
    assert "Traceback" not in output


def test_a_500_keeps_its_traceback(client, log_output):
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    output = log_output.getvalue()
    assert output.count("Internal Server Error: /broken/") == 1
    assert "Traceback" in output and "RuntimeError: boom" in output
