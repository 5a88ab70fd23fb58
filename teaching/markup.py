"""The workspace's repeated markup written in one Python pass: the rows of My courses and the
modules and lessons of a course's authoring page. Their template loops were most of each
page's time: for the bench's 25-lesson course 144 ``{% url %}``, 175 ``{% translate %}`` and 30
``{% csrf_token %}`` a request, 70 % of the page's profile. Pure: the selectors' plain values
in, strings out.

Each function writes what its template loop wrote, byte for byte: the same text and
whitespace, ``{% translate %}`` strings escaped and ``{% blocktranslate %}`` ones not (as
Django's tags do), every value escaped with the standard library's ``html.escape`` (which
``django.utils.html.escape`` wraps), each address reversed once a page with its id put in
afterwards. ``tests/teaching/test_markup.py`` holds them to the templates they replaced."""

import html
from collections.abc import Callable, Iterable

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext, pgettext

from courses.models import CourseStatus
from courses.templatetags.lms_html import lang_attr

from .selectors import CourseOutline, OutlineLesson, OutlineModule, WorkspaceCourse

EMPTY = "—"
# A stand-in id no real row has, so that it is found again in the reversed address.
_SLOT = 987654321


def _address(name: str, *args) -> Callable[[int], str]:
    """``lambda pk: reverse(name, args=[*args, pk])``, escaped, from one reversal."""
    head, _slot, tail = reverse(name, args=[*args, _SLOT]).rpartition(str(_SLOT))
    head, tail = html.escape(head), html.escape(tail)
    return lambda pk: f"{head}{pk}{tail}"


def workspace_rows_html(rows: Iterable[WorkspaceCourse]) -> SafeString:
    """The ``<tr>`` of each course of My courses (``selectors.workspace_courses``)."""
    escape = html.escape
    course_url = _address("teaching:course")
    statuses = {value: escape(str(label)) for value, label in CourseStatus.choices}
    langs: dict[str, str] = {}
    out = []
    for row in rows:
        course = row.course
        lang = langs.get(course.language)
        if lang is None:
            lang = langs[course.language] = lang_attr(course.language)
        if row.quizzes:
            report_url = _address("quizzes:report", course.slug)
            quizzes = "<br>".join(
                f'<a href="{report_url(quiz.pk)}"{lang}>{escape(quiz.title)}</a>'
                for quiz in row.quizzes
            )
        else:
            quizzes = EMPTY
        status = statuses.get(course.status)
        if status is None:
            status = escape(str(course.get_status_display()))
        rate = f"{row.completion_rate}%" if row.learners else EMPTY
        out.append(
            "\n    <tr>\n"
            f'      <th scope="row"><a href="{course_url(course.pk)}"{lang}>'
            f"{escape(course.title)}</a></th>\n"
            f"      <td>{status}</td>\n"
            f"      <td>{row.learners}</td>\n"
            f"      <td>{rate}</td>\n"
            f"      <td>{quizzes}</td>\n"
            "    </tr>\n  "
        )
    return mark_safe("".join(out))  # noqa: S308 -- every value escaped above


def outline_html(
    outline: CourseOutline, *, course_id: int, lang: str, csrf_token: str
) -> SafeString:
    """The ``<li>`` of each module of the course's authoring page, with its lessons, their
    actions and the module's quizzes. ``lang`` is the course's ``lang_attr``; ``csrf_token``
    the page's token, for the forms that move and restore."""
    escape = html.escape
    csrf = (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
        if csrf_token
        else ""
    )
    # The {% translate %} strings, escaped as the tag escapes them.
    rename, add_lesson = escape(gettext("Rename")), escape(gettext("Add a lesson"))
    move_up, move_down = escape(gettext("Move up")), escape(gettext("Move down"))
    delete, edit = escape(gettext("Delete")), escape(gettext("Edit"))
    preview, restore = escape(gettext("Preview as learner")), escape(gettext("Restore"))
    archive = escape(gettext("Archive instead of deleting"))
    archived = escape(pgettext("lesson", "Archived"))
    badge = f' <strong class="badge">{archived}</strong>'
    hidden_from_learners, optional = (
        escape(gettext("hidden from learners")),
        escape(gettext("optional")),
    )
    no_lessons, quizzes_label = (
        escape(gettext("No lessons in this module yet.")),
        escape(gettext("Quizzes:")),
    )
    module_edit_url = _address("teaching:module_edit")
    lesson_create_url = _address("teaching:lesson_create")
    module_move_url = _address("teaching:module_move")
    module_delete_url = _address("teaching:module_delete")
    lesson_order_url = _address("teaching:lesson_order")
    lesson_edit_url = _address("teaching:lesson_edit")
    lesson_preview_url = _address("teaching:lesson_learner_preview", course_id)
    lesson_move_url = _address("teaching:lesson_move")
    lesson_restore_url = _address("teaching:lesson_restore")
    lesson_archive_url = _address("teaching:lesson_archive")
    lesson_delete_url = _address("teaching:lesson_delete")
    quiz_url = _address("teaching:quiz")
    durations: dict[int, str] = {}
    completions: dict[int, str] = {}

    def moves(title: str, first: bool, last: bool, indent: str) -> str:
        up = (
            ""
            if first
            else f'<button type="submit" name="direction" value="up" class="secondary">'
            f'{move_up}<span class="visually-hidden"> {title}</span></button>'
        )
        down = (
            ""
            if last
            else f'<button type="submit" name="direction" value="down" class="secondary">'
            f'{move_down}<span class="visually-hidden"> {title}</span></button>'
        )
        return f"{indent}{csrf}\n{indent}{up}\n{indent}{down}\n"

    def lesson_html(lesson: OutlineLesson, first: bool, last: bool) -> str:
        pk, title, done = lesson.pk, escape(lesson.title), lesson.progress_count
        hidden = f'<span class="visually-hidden"> {title}</span>'
        # What the two {% blocktranslate %} wrote: the translation unescaped, the number in it.
        duration = durations.get(lesson.estimated_minutes)
        if duration is None:
            duration = durations[lesson.estimated_minutes] = gettext("%(minutes)s min") % {
                "minutes": lesson.estimated_minutes
            }
        meta = f"{hidden_from_learners} · {duration}" if lesson.is_archived else duration
        if not lesson.required:
            meta = f"{meta} · {optional}"
        if done:
            completed = completions.get(done)
            if completed is None:
                completed = completions[done] = ngettext(
                    "completed by %(counter)s learner", "completed by %(counter)s learners", done
                ) % {"counter": done}
            meta = f"{meta} · {completed}"
        if lesson.is_archived:
            marks = ' class="archived"', badge
            keep = (
                f'\n            <form method="post" action="{lesson_restore_url(pk)}"'
                f' class="inline-form">{csrf}<button type="submit" class="secondary">'
                f"{restore}{hidden}</button></form>\n            "
            )
        else:
            marks = "", ""
            keep = f'<a href="{lesson_archive_url(pk)}">{archive}{hidden}</a>' if done else ""
        removal = "" if done else f'<a href="{lesson_delete_url(pk)}">{delete}{hidden}</a>'
        return (
            f'\n        <li id="lesson-{pk}" data-id="{pk}"{marks[0]}>\n'
            f"          <span{lang}>{title}</span>{marks[1]}\n"
            f'          <span class="meta">{meta}</span>\n'
            '          <div class="inline-actions">\n'
            f'            <a href="{lesson_edit_url(pk)}">{edit}{hidden}</a>\n'
            f'            <a href="{lesson_preview_url(pk)}">{preview}'
            f'<span class="visually-hidden"> — {title}</span></a>\n'
            f'            <form method="post" action="{lesson_move_url(pk)}" class="inline-form">\n'
            f"{moves(title, first, last, '              ')}"
            "            </form>\n"
            f"            {keep}\n"
            f"            {removal}\n"
            "          </div>\n        </li>\n        "
        )

    def module_html(module: OutlineModule, first: bool, last: bool) -> str:
        pk, title = module.pk, escape(module.title)
        hidden = f'<span class="visually-hidden"> {title}</span>'
        parts = [
            f'\n    <li id="module-{pk}" data-id="{pk}">\n'
            f"      <h3{lang}>{title}</h3>\n"
            '      <div class="inline-actions">\n'
            f'        <a href="{module_edit_url(pk)}">{rename}{hidden}</a>\n'
            f'        <a href="{lesson_create_url(pk)}">{add_lesson}'
            f'<span class="visually-hidden"> — {title}</span></a>\n'
            f'        <form method="post" action="{module_move_url(pk)}" class="inline-form">\n'
            f"{moves(title, first, last, '          ')}"
            "        </form>\n"
            f'        <a href="{module_delete_url(pk)}">{delete}{hidden}</a>\n'
            "      </div>\n      \n      "
        ]
        lessons = module.lessons
        if lessons:
            end = len(lessons) - 1
            parts.append(
                f'\n      <ol class="lessons" data-reorder-url="{lesson_order_url(pk)}">\n        '
            )
            parts.extend(lesson_html(item, i == 0, i == end) for i, item in enumerate(lessons))
            parts.append("\n      </ol>\n      ")
        else:
            parts.append(f'\n      <p class="empty">{no_lessons}</p>\n      ')
        parts.append("\n      \n      ")
        if module.quizzes:
            links = ", ".join(
                f'<a href="{quiz_url(quiz.pk)}"{lang}>{escape(quiz.title)}</a>'
                for quiz in module.quizzes
            )
            parts.append(f'\n      <p class="meta">{quizzes_label} {links}</p>\n      ')
        parts.append("\n    </li>\n  ")
        return "".join(parts)

    modules = outline.modules
    end = len(modules) - 1
    html_out = "".join(module_html(module, i == 0, i == end) for i, module in enumerate(modules))
    return mark_safe(html_out)  # noqa: S308 -- every value escaped above
