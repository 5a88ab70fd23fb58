from django import template
from django.utils.html import format_html
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
    marked as the current page and those done ticked. Built here rather than by template loops,
    which took most of the page's rendering time for a 25-lesson course."""
    done_label = format_html(
        ' <span class="badge">✓<span class="visually-hidden"> {}</span></span>', _("Done")
    )
    modules = []
    for module in course.modules.all():
        items = []
        for item in module.lessons.all():
            done = item.pk in done_ids
            items.append(
                format_html(
                    '<li class="{}"><a href="{}{}/"{}{}>{}</a>{}</li>',
                    "done" if done else "",
                    lessons_url,
                    item.pk,
                    mark_safe(' aria-current="page"') if item.pk == current_id else "",
                    lang,
                    item.title,
                    done_label if done else "",
                )
            )
        modules.append(
            format_html(
                '<li><strong{}>{}</strong><ol class="lessons">{}</ol></li>',
                lang,
                module.title,
                mark_safe("".join(items)),  # noqa: S308 - each item was escaped above
            )
        )
    return format_html('<ol class="modules">{}</ol>', mark_safe("".join(modules)))  # noqa: S308
