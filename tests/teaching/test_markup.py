"""The workspace's rows and outline written in Python (``teaching.markup``) are what their
template loops wrote, byte for byte, in every language, every title escaped."""

from pathlib import Path

import pytest
from django.template import engines
from django.utils import translation

from courses.models import Course, CourseStatus
from teaching.markup import outline_html, workspace_rows_html
from teaching.selectors import (
    CourseOutline,
    OutlineLesson,
    OutlineModule,
    QuizLink,
    WorkspaceCourse,
)

HERE = Path(__file__).parent
# The loops the two templates had before their rows were written in Python.
OUTLINE_TEMPLATE = (HERE / "course_outline_before.html").read_text()
ROWS_TEMPLATE = (HERE / "workspace_rows_before.html").read_text()

HOSTILE = "<script>\"x\" & 'y'</script>"
ESCAPED = "&lt;script&gt;&quot;x&quot; &amp; &#x27;y&#x27;&lt;/script&gt;"
LANGUAGES = ["en", "sr", "sr-latn", "ko"]
TOKEN = "tok3n<&>"


class _Obj:
    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)


class _Related(list):
    """A prefetched relation as the template read it: ``module.lessons.all``."""

    def all(self):
        return self


def _lesson(pk, *, minutes=10, required=True, archived=False, done=0, title=None):
    return OutlineLesson(pk, title or f"Lesson {pk} & co", minutes, required, archived, done)


def _outline() -> CourseOutline:
    return CourseOutline(
        modules=[
            OutlineModule(
                10,
                f"Увод {HOSTILE}",
                [
                    _lesson(1, done=1),
                    _lesson(2, minutes=0, required=False, done=21, title=HOSTILE),
                    _lesson(3, archived=True, done=3),
                    _lesson(4, archived=True, required=False),
                    _lesson(5, minutes=1234),
                ],
                [QuizLink(7, f"Check {HOSTILE}"), QuizLink(8, "Второ")],
            ),
            OutlineModule(11, "Empty module", [], []),
            OutlineModule(12, "One lesson", [_lesson(6, done=2)], [QuizLink(9, "Only")]),
            OutlineModule(13, "Last", [_lesson(14), _lesson(15, done=5)], []),
        ],
        final_exams=[],
    )


def _as_template_modules(outline: CourseOutline) -> list:
    return [
        _Obj(
            pk=module.pk,
            title=module.title,
            lessons=_Related(_Obj(**lesson._asdict()) for lesson in module.lessons),
            quizzes=_Related(module.quizzes),
        )
        for module in outline.modules
    ]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("course_language", ["en", "ko"])
def test_the_outline_is_what_the_template_wrote(language, course_language):
    from courses.templatetags.lms_html import lang_attr

    outline = _outline()
    template = engines["django"].from_string(OUTLINE_TEMPLATE)
    with translation.override(language):
        expected = template.render(
            {
                "modules": _as_template_modules(outline),
                "course": _Obj(pk=3, language=course_language),
                "csrf_token": TOKEN,
            }
        )
        written = outline_html(
            outline, course_id=3, lang=lang_attr(course_language), csrf_token=TOKEN
        )
    assert written == expected


def test_the_outline_of_one_module_with_one_lesson_has_no_move_buttons():
    outline = CourseOutline([OutlineModule(1, "Only", [_lesson(2)], [])], [])
    template = engines["django"].from_string(OUTLINE_TEMPLATE)
    with translation.override("en"):
        expected = template.render(
            {
                "modules": _as_template_modules(outline),
                "course": _Obj(pk=3, language="en"),
                "csrf_token": TOKEN,
            }
        )
        written = outline_html(outline, course_id=3, lang="", csrf_token=TOKEN)
    assert written == expected
    assert 'name="direction"' not in written
    assert outline_html(CourseOutline([], []), course_id=3, lang="", csrf_token=TOKEN) == ""


def test_the_outline_escapes_titles_and_links_each_action():
    with translation.override("en"):
        written = outline_html(_outline(), course_id=3, lang="", csrf_token=TOKEN)
    assert HOSTILE not in written and ESCAPED in written
    assert 'value="tok3n&lt;&amp;&gt;"' in written
    assert 'href="/teach/lessons/2/edit/"' in written
    assert 'href="/teach/courses/3/preview/lessons/2/"' in written
    assert 'action="/teach/modules/12/move/"' in written
    assert 'href="/teach/quizzes/9/"' in written
    assert "completed by 1 learner</span>" in written
    assert "completed by 21 learners</span>" in written
    # Learners' progress keeps a lesson from being deleted: archive it instead.
    assert 'href="/teach/lessons/1/archive/"' in written
    assert 'href="/teach/lessons/1/delete/"' not in written
    assert 'href="/teach/lessons/4/delete/"' in written
    assert 'action="/teach/lessons/3/restore/"' in written


def _course(pk, *, title, language="en", status=CourseStatus.DRAFT) -> Course:
    return Course(pk=pk, slug=f"course-{pk}", title=title, language=language, status=status)


def _rows() -> list[WorkspaceCourse]:
    return [
        WorkspaceCourse(_course(1, title=HOSTILE), learners=0, completed=0, quizzes=[]),
        WorkspaceCourse(
            _course(2, title="Е-управа", language="sr", status=CourseStatus.PUBLISHED),
            learners=3,
            completed=1,
            quizzes=[QuizLink(5, f"Quiz {HOSTILE}"), QuizLink(6, "Second")],
        ),
        WorkspaceCourse(
            _course(3, title="Archived & old", language="ko", status=CourseStatus.ARCHIVED),
            learners=1250,
            completed=1250,
            quizzes=[QuizLink(7, "Final")],
        ),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_workspace_rows_are_what_the_template_wrote(language):
    rows = _rows()
    template = engines["django"].from_string(ROWS_TEMPLATE)
    with translation.override(language):
        assert workspace_rows_html(rows) == template.render({"rows": rows})


def test_the_workspace_rows_escape_titles_and_link_the_reports():
    with translation.override("en"):
        written = workspace_rows_html(_rows())
    assert HOSTILE not in written and ESCAPED in written
    assert 'href="/teach/courses/2/" lang="sr"' in written
    assert 'href="/courses/course-2/quizzes/6/report/" lang="sr"' in written
    assert "<td>33%</td>" in written and "<td>—</td>" in written
