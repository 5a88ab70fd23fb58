"""The organisation tree's version in the shared cache (``lms.versions``): anything kept that
was built from the units (the HR report's unit filter) is stored under it, and a unit created,
renamed, moved or deleted makes it stale (``accounts.signals``)."""

from lms import versions

UNITS_VERSION_KEY = "accounts:units:version"


def units_version() -> int:
    return versions.current(UNITS_VERSION_KEY)


def units_changed() -> None:
    versions.bump(UNITS_VERSION_KEY)
