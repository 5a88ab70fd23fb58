"""A bounded map kept per process, for what a process computes once and hands out again (compiled
statements, rendered fragments): the ``size`` most recently used entries, safe across threads."""

import threading
from collections import OrderedDict
from collections.abc import Hashable


class KeptPerProcess:
    def __init__(self, size: int):
        self.size = size
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable):
        """The entry under ``key`` (now the most recently used), or None."""
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: Hashable, value) -> None:
        """Keep ``value`` under ``key``, dropping the least recently used past ``size``."""
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
