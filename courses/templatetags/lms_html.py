import html

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

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


@register.simple_tag
def lesson_contents(course, current_id: int, done_ids, lessons_url: str, lang: str = "") -> str:
    """The lesson page's contents list: every module with its lessons, the one being read
    marked as the current page and those done ticked, from ``course.contents``. Written as
    strings rather than by template loops or ``format_html`` per item, which took most of the
    page's rendering time for a 25-lesson course. Every title is escaped here, with the
    standard library's ``html.escape`` that Django's ``escape`` wraps."""
    done_label = format_html(
        ' <span class="badge">✓<span class="visually-hidden"> {}</span></span>', _("Done")
    )
    url = conditional_escape(lessons_url)
    lang = conditional_escape(lang)
    parts = ['<ol class="modules">']
    for module in course.contents:
        parts.append(f'<li><strong{lang}>{html.escape(module.title)}</strong><ol class="lessons">')
        for item in module.lessons:
            done = item.pk in done_ids
            current = ' aria-current="page"' if item.pk == current_id else ""
            parts.append(
                f'<li class="{"done" if done else ""}"><a href="{url}{item.pk}/"{current}{lang}>'
                f"{html.escape(item.title)}</a>{done_label if done else ''}</li>"
            )
        parts.append("</ol></li>")
    parts.append("</ol>")
    return mark_safe("".join(parts))  # noqa: S308 - every value was escaped above
