from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from courses.text import sanitise_html

register = template.Library()


@register.filter
def sanitised(html: str) -> str:
    """Stored lesson HTML was cleaned on save; cleaning again on render means a row written
    around the service (a migration, a raw import) still cannot put a script on the page."""
    return mark_safe(sanitise_html(html or ""))  # noqa: S308 - the line above sanitises it


@register.simple_tag
def lang_attr(language: str | None) -> str:
    """`` lang="ko"`` on content written in another language than the page (a Korean course
    title on a Serbian page), so that screen readers and line breaking follow its language."""
    if not language or language == get_language():
        return ""
    return format_html(' lang="{}"', language)
