"""The template context of the learner's course and lesson pages, built in one place for the
learner's views and for the trainer's learner preview (``teaching``), so both render the same
templates from the same data. The preview passes no enrollment and no finished lessons, and
its own addresses for the course and its lessons, so nothing it links to records progress."""

from .models import Course, Enrollment, Lesson
from .selectors import course_progress, next_lesson_to_read, ordered_lessons
from .templatetags.lms_html import lang_attr


def course_page_context(
    *,
    course: Course,
    enrollment: Enrollment | None,
    done_ids: set[int],
    can_read: bool,
    can_enrol: bool,
    course_url: str,
    enrollment_links: list,
    preview: bool = False,
) -> dict:
    """The course page for a course loaded by ``selectors.course_by_slug(with_quizzes=True)``.
    ``enrollment`` is the learner's open enrollment (None when not enrolled or previewing)."""
    # The preview shows the page of a learner who has just enrolled.
    started = enrollment is not None or preview
    return {
        "course": course,
        "page_title": course.title,
        "preview": preview,
        # Worked out once for the title and every entry of the contents.
        "course_lang": lang_attr(course.language),
        "enrollment": enrollment,
        "enrollment_links": enrollment_links,
        "progress": course_progress(course=course, enrollment=enrollment, done_ids=done_ids),
        "done_ids": done_ids,
        "can_enrol": can_enrol and not preview,
        "can_read": can_read,
        # One address for every lesson of the contents instead of one reversal per lesson.
        "lessons_url": f"{course_url}lessons/",
        # The main action once enrolled: start, or continue where the learner left off.
        "next_lesson": (
            next_lesson_to_read(course=course, done_ids=done_ids) if started and can_read else None
        ),
    }


def lesson_page_context(
    *,
    course: Course,
    lesson: Lesson,
    enrollment: Enrollment | None,
    done_ids: set[int],
    can_mark_done: bool,
    course_url: str,
    preview: bool = False,
) -> dict | None:
    """The lesson page for a course and lesson loaded by ``selectors.course_and_lesson``; None
    for a lesson that is not in the course's contents (archived): it has no page."""
    lessons = ordered_lessons(course)
    index = next((i for i, item in enumerate(lessons) if item.pk == lesson.pk), None)
    if index is None:
        return None
    return {
        "course": course,
        "preview": preview,
        # Worked out once for the title, the body and every entry of the contents.
        "course_lang": lang_attr(course.language),
        "lesson": lesson,
        "enrollment": enrollment,
        "done_ids": done_ids,
        "is_done": lesson.pk in done_ids,
        "can_mark_done": can_mark_done and not preview,
        "course_url": course_url,
        # One address for the whole contents list instead of one reversal per lesson.
        "lessons_url": f"{course_url}lessons/",
        "previous_lesson": lessons[index - 1] if index > 0 else None,
        "next_lesson": lessons[index + 1] if index + 1 < len(lessons) else None,
        "progress": course_progress(course=course, enrollment=enrollment, done_ids=done_ids),
    }
