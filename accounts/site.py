"""The site's name and public address, for anything that leaves the browser (emails first).

``LMS_SITE_NAME`` (translated by default: "ICT Training Centre") and ``LMS_SITE_URL`` (the public
base address, e.g. ``https://obuka.example.gov.rs``) are read when used. Without
``LMS_SITE_URL``, addresses are built from the request, as Django would.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings


@dataclass(frozen=True)
class SiteInfo:
    """What email templates read as ``current_site``: ``name`` and ``domain``."""

    name: str
    domain: str


def site_name() -> str:
    return str(settings.LMS_SITE_NAME)


def site_info(request=None) -> SiteInfo:
    base = urlsplit(settings.LMS_SITE_URL or "")
    if base.netloc:
        domain = base.netloc
    elif request is not None:
        domain = request.get_host()
    else:
        domain = ""
    return SiteInfo(name=site_name(), domain=domain)


def site_url(location: str, request=None) -> str:
    """``location`` (a path, or an address built from the request) on the public address."""
    base = urlsplit(settings.LMS_SITE_URL or "")
    if not base.netloc:
        return request.build_absolute_uri(location) if request is not None else location
    bits = urlsplit(location)
    path = base.path.rstrip("/") + (bits.path if bits.path.startswith("/") else "/" + bits.path)
    return urlunsplit((base.scheme, base.netloc, path, bits.query, bits.fragment))
