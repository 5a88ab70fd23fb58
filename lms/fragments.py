"""Template fragments rendered once per process for each set of their inputs.

A fragment is a template that reads nothing but the values it is given and the active
language: no request, no context processors, no database. Its output is then a function of
those inputs, and a page that renders it on every request with the same ones (the report's
heading, filter form and table head, for the same reader and query) may keep the output and
hand it out again. Translations and URLs only change with a deploy, which starts new processes.
"""

import threading
from collections import OrderedDict
from collections.abc import Hashable

from django.template.loader import get_template
from django.utils.safestring import SafeString
from django.utils.translation import get_language


class Fragment:
    """``render(**values)`` is ``get_template(name).render(values)`` (no request), kept for the
    ``size`` most recently used sets of values in each language. The values must be hashable
    and must be everything the template reads."""

    def __init__(self, template_name: str, *, size: int = 256):
        self.template_name, self.size = template_name, size
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def render(self, **values: Hashable) -> SafeString:
        key = (get_language(), *sorted(values.items()))
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                return found
        markup = get_template(self.template_name).render(values)
        with self._lock:
            self._entries[key] = markup
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return markup

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
