"""Text helpers: Markdown to safe HTML, and a search form that treats Serbian scripts alike."""

import markdown
import nh3

from lms.text import search_form

__all__ = ["render_markdown", "sanitise_html", "search_form"]


def sanitise_html(html: str) -> str:
    """Remove anything executable: scripts, event handlers, javascript: links, styles."""
    return nh3.clean(html, link_rel="noopener noreferrer nofollow")


def render_markdown(text: str) -> str:
    """Markdown to HTML that is safe to place in a page."""
    html = markdown.markdown(text or "", extensions=["extra", "sane_lists"], output_format="html")
    return sanitise_html(html)
