"""Text helpers: Markdown to safe HTML, and a search form that treats Serbian scripts alike.

The lesson sanitiser keeps an explicit allow-list instead of nh3's defaults, so that what a
trainer may put in a lesson is written down here and changes only by a reviewed edit: the tags
Markdown produces (with "extra") and a few for structure, a handful of attributes per tag, and
links to https and mailto only. Images are served from this site (relative addresses) or from
the hosts listed in ``settings.LMS_LESSON_IMAGE_HOSTS``; a remote image would otherwise tell a
third party who read which lesson and when.
"""

from urllib.parse import urlsplit

import markdown
import nh3
from django.conf import settings

from lms.text import search_form

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_TAGS",
    "ALLOWED_URL_SCHEMES",
    "render_markdown",
    "sanitise_html",
    "search_form",
]

ALLOWED_TAGS = frozenset(
    {
        # Text and structure Markdown writes.
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code",
        "em", "strong", "b", "i", "a", "img", "ul", "ol", "li", "dl", "dt", "dd", "abbr",
        "sup", "sub", "del", "ins", "div",
        # Tables ("extra").
        "table", "thead", "tbody", "tr", "th", "td", "caption",
        # Written by hand in lessons now and then.
        "kbd", "mark", "small", "s", "q", "cite", "figure", "figcaption", "details",
        "summary", "span",
    }
)  # fmt: skip

ALLOWED_ATTRIBUTES = {
    # On every tag: a passage in another language, and a tooltip.
    "*": frozenset({"lang", "title"}),
    "a": frozenset({"href", "hreflang"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "th": frozenset({"scope", "colspan", "rowspan"}),
    "td": frozenset({"colspan", "rowspan"}),
    "ol": frozenset({"start"}),
    "q": frozenset({"cite"}),
    "blockquote": frozenset({"cite"}),
    # Footnote anchors ("extra"); only ids of the fn:/fnref: form, see _keep_attribute.
    "sup": frozenset({"id"}),
    "li": frozenset({"id"}),
}

ALLOWED_URL_SCHEMES = frozenset({"https", "mailto"})

# The attributes that hold an address; the scheme is checked by nh3, the image host here.
_FOOTNOTE_ID_PREFIXES = ("fn:", "fnref:")


def _image_allowed(src: str) -> bool:
    """Relative addresses (this site) always; absolute ones only on the listed hosts."""
    parts = urlsplit(src.strip())
    if not parts.scheme and not parts.netloc:
        return True
    hosts = {host.lower() for host in getattr(settings, "LMS_LESSON_IMAGE_HOSTS", ())}
    return parts.scheme == "https" and (parts.hostname or "").lower() in hosts


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not _image_allowed(value):
        return None
    if attribute == "id" and not value.startswith(_FOOTNOTE_ID_PREFIXES):
        return None
    return value


def sanitise_html(html: str) -> str:
    """Keep only the allow-listed tags, attributes and URL schemes; remove anything executable
    (scripts, event handlers, javascript: and data: links, styles, frames)."""
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_keep_attribute,
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
    )
    return cleaned


def render_markdown(text: str) -> str:
    """Markdown to HTML that is safe to place in a page."""
    html = markdown.markdown(text or "", extensions=["extra", "sane_lists"], output_format="html")
    return sanitise_html(html)
