from django import template
from django.utils.safestring import mark_safe

from courses.text import sanitise_html

register = template.Library()


@register.filter
def sanitised(html: str) -> str:
    """Stored lesson HTML was cleaned on save; cleaning again on render means a row written
    around the service (a migration, a raw import) still cannot put a script on the page."""
    return mark_safe(sanitise_html(html or ""))  # noqa: S308 - the line above sanitises it
