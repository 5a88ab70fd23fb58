"""Template fragments rendered once per process for each set of their inputs.

A fragment is a template that reads nothing but the values it is given and the active
language: no request, no context processors, no database. Its output is then a function of
those inputs, and a page that renders it on every request with the same ones (the report's
heading, filter form and table head, for the same reader and query) may keep the output and
hand it out again. Translations and URLs only change with a deploy, which starts new processes.
"""

from collections.abc import Hashable

from django.template.loader import get_template
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from .kept import KeptPerProcess


class Fragment:
    """``render(**values)`` is ``get_template(name).render(values)`` (no request), kept for the
    ``size`` most recently used sets of values in each language. The values must be hashable
    and must be everything the template reads."""

    def __init__(self, template_name: str, *, size: int = 256):
        self.template_name = template_name
        self._entries = KeptPerProcess(size)

    def render(self, **values: Hashable) -> SafeString:
        key = (get_language(), *sorted(values.items()))
        markup = self._entries.get(key)
        if markup is None:
            markup = get_template(self.template_name).render(values)
            self._entries.put(key, markup)
        return markup

    def clear(self) -> None:
        self._entries.clear()
