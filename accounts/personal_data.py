"""The registry of personal data: what each app holds about a person, for export and erasure.

``accounts`` sits below every learning app, so it cannot import them. Each app registers one
section in its ``AppConfig.ready``: a function that returns the person's data as JSON-ready
values, and optionally one that erases what the app holds beyond statistics. The data download
and the erasure walk the registry, so an app that holds personal data joins both by registering.
"""

from collections.abc import Callable
from dataclasses import dataclass

from .models import User


@dataclass(frozen=True)
class PersonalDataSection:
    key: str
    export: Callable[[User], object]
    erase: Callable[[User], None] | None = None


_sections: dict[str, PersonalDataSection] = {}


def register_personal_data(
    key: str,
    *,
    export: Callable[[User], object],
    erase: Callable[[User], None] | None = None,
) -> None:
    """Register a section; registering the same key again replaces it (``ready`` may run twice
    in tests)."""
    _sections[key] = PersonalDataSection(key=key, export=export, erase=erase)


def registered_sections() -> list[PersonalDataSection]:
    return list(_sections.values())
