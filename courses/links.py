"""Links other apps add beside an enrollment on "My learning" and the course page (the
certificates app adds its PDF). Providers are registered in ``AppConfig.ready`` so this app
imports none of them.

A provider receives a list of enrollments and returns ``{enrollment_id: [EnrollmentLink]}``
with a fixed number of queries however many enrollments there are.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Enrollment


@dataclass(frozen=True)
class EnrollmentLink:
    label: str
    url: str
    note: str = ""


LinkProvider = Callable[[list["Enrollment"]], dict[int, list[EnrollmentLink]]]

_providers: list[LinkProvider] = []


def register_enrollment_links(provider: LinkProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def links_for(enrollments: Iterable["Enrollment"]) -> dict[int, list[EnrollmentLink]]:
    enrollments = [e for e in enrollments if e is not None]
    links: dict[int, list[EnrollmentLink]] = {}
    if not enrollments:
        return links
    for provider in _providers:
        for enrollment_id, items in provider(enrollments).items():
            links.setdefault(enrollment_id, []).extend(items)
    return links
