"""The course's trainers preview the course page and its lessons exactly as a learner sees them,
through the learner's templates, with nothing recorded anywhere."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from courses.models import Course, CourseStatus, Enrollment, Lesson, LessonProgress
from quizzes.models import Answer, Attempt
from tests.factories import (
    EnrollmentFactory,
    LessonFactory,
    ModuleFactory,
    UserFactory,
    course_with_lessons,
)
from tests.query_counts import assert_query_count, count_queries
from tests.quizzes.factories import QuizFactory, choice_question, correct_answers
from tests.teaching.conftest import privileged

pytestmark = pytest.mark.django_db

BANNER = "Preview — as a learner sees it; nothing is recorded."


@pytest.fixture
def course(trainer):
    course = course_with_lessons(
        lessons_per_module=2, modules=2, trainers=[trainer], status=CourseStatus.DRAFT
    )
    module = course.modules.order_by("position").first()
    quiz = QuizFactory(course=course, module=module, title="Check yourself")
    choice_question(quiz)
    final = QuizFactory(course=course, module=None, title="Final exam of the course")
    choice_question(final)
    return course


def _lessons(course: Course) -> list[Lesson]:
    return list(Lesson.objects.filter(course=course).order_by("module__position", "position"))


def _course_url(course):
    return reverse("teaching:course_learner_preview", args=[course.pk])


def _lesson_url(course, lesson):
    return reverse("teaching:lesson_learner_preview", args=[course.pk, lesson.pk])


def test_the_course_preview_is_the_learners_page_at_the_start(trainer_client, course):
    first = _lessons(course)[0]
    quizzes = {q.title: q for q in course.quizzes.all()}

    response = trainer_client.get(_course_url(course))

    assert response.status_code == 200
    assert response.templates[0].name == "courses/course_detail.html"
    text = response.text
    assert BANNER in text
    assert reverse("teaching:course", args=[course.pk]) in text  # the way back
    progress = response.context["progress"]
    assert (progress.done, progress.total, progress.percent) == (0, 4, 0)
    assert 'value="0"' in text and "0 of 4 required lessons" in text
    # "Start" opens the first lesson's preview; no enrol form, no learner address.
    assert f'href="{_lesson_url(course, first)}" data-testid="next-lesson"' in text
    assert ">Start<" in text
    assert reverse("courses:enrol", args=[course.slug]) not in text
    assert reverse("courses:lesson", args=[course.slug, first.pk]) not in text
    # Both quizzes lead to the quiz preview, never to the learner's quiz page.
    for quiz in quizzes.values():
        assert reverse("teaching:quiz_preview", args=[quiz.pk]) in text
        assert reverse("quizzes:detail", args=[course.slug, quiz.pk]) not in text


def test_the_lesson_preview_shows_the_learners_lesson_with_an_inactive_done_button(
    trainer_client, course
):
    first, second, *_rest = _lessons(course)

    response = trainer_client.get(_lesson_url(course, first))

    assert response.status_code == 200
    assert response.templates[0].name == "courses/lesson_detail.html"
    text = response.text
    assert BANNER in text
    assert "0 of 4 required lessons" in text
    assert '<button type="button" disabled' in text and "Mark as done and continue" in text
    assert reverse("courses:lesson_done", args=[course.slug, first.pk]) not in text
    assert 'method="post"' not in text.split('id="main"')[1]
    # The pager, the contents list and the breadcrumbs stay inside the preview.
    assert f'href="{_lesson_url(course, second)}" rel="next"' in text
    assert f'href="{_course_url(course)}"' in text
    assert reverse("courses:detail", args=[course.slug]) + "lessons/" not in text


def test_the_lesson_body_goes_through_the_learners_sanitiser(trainer_client, course):
    lesson = _lessons(course)[0]
    # Written around the service, as a migration or a raw import could: rendering cleans it.
    Lesson.objects.filter(pk=lesson.pk).update(
        body_html="<p><strong>Јасно</strong></p><script>alert(1)</script>"
        '<iframe src="javascript:alert(2)"></iframe><a href="javascript:x()">link</a>'
    )
    cache.clear()

    response = trainer_client.get(_lesson_url(course, lesson))

    body = response.text.split('class="lesson-body"')[1].split("</div>")[0]
    assert "<strong>Јасно</strong>" in body
    assert "<script" not in body and "iframe" not in body and "javascript" not in body


def test_previewing_writes_nothing(trainer_client, trainer, course):
    """Course page, every lesson and the quiz preview taken and checked: no enrolment, no
    progress, no attempt, no answer, no audit event, the course unchanged."""
    tables = (Enrollment, LessonProgress, Attempt, Answer, AuditEvent)
    before = {model: model.objects.count() for model in tables}
    stamp = Course.objects.filter(pk=course.pk).values_list("updated_at", flat=True).get()

    assert trainer_client.get(_course_url(course)).status_code == 200
    for lesson in _lessons(course):
        assert trainer_client.get(_lesson_url(course, lesson)).status_code == 200
    quiz = course.quizzes.get(title="Check yourself")
    checked = trainer_client.post(
        reverse("teaching:quiz_preview", args=[quiz.pk]), {"seed": "1", **correct_answers(quiz)}
    )
    assert checked.context["result"].passed

    assert {model: model.objects.count() for model in tables} == before
    assert not Enrollment.objects.filter(user=trainer).exists()
    assert Course.objects.filter(pk=course.pk).values_list("updated_at", flat=True).get() == stamp


def test_a_published_course_with_learners_previews_at_zero_whatever_the_trainer_did(
    trainer_client, trainer, course
):
    """The preview is the page of a learner who has just enrolled, even when the trainer is
    enrolled and has finished lessons themselves."""
    Course.objects.filter(pk=course.pk).update(status=CourseStatus.PUBLISHED)
    cache.clear()
    enrollment = EnrollmentFactory(course=course, user=trainer)
    LessonProgress.objects.create(enrollment=enrollment, lesson=_lessons(course)[0])

    response = trainer_client.get(_course_url(course))

    assert response.context["progress"].done == 0
    assert ">Start<" in response.text
    assert "Leave this course" not in response.text


@pytest.mark.parametrize(
    "who",
    ["learner", "hr_officer", "other_trainer", "former_trainer"],
)
def test_only_the_courses_trainers_and_administrators_preview(client, course, trainer, who):
    lesson = _lessons(course)[0]
    if who == "learner":
        person = UserFactory()
        EnrollmentFactory(course=course, user=person)
    elif who == "hr_officer":
        person = privileged(Role.HR_OFFICER)
    elif who == "other_trainer":
        person = privileged(Role.TRAINER)
    else:  # still listed on the course, but no longer a trainer
        person = privileged(Role.HR_OFFICER)
        course.trainers.add(person)
    client.force_login(person)

    for url in (_course_url(course), _lesson_url(course, lesson)):
        assert client.get(url).status_code == 404
        assert client.post(url).status_code in {404, 405}


def test_administrators_preview_any_course(client, course):
    client.force_login(privileged(Role.ADMINISTRATOR))

    assert client.get(_course_url(course)).status_code == 200
    assert client.get(_lesson_url(course, _lessons(course)[0])).status_code == 200


def test_a_lesson_of_another_course_or_a_wrong_id_is_404(trainer_client, trainer, course):
    other = course_with_lessons(trainers=[trainer])
    stranger = _lessons(other)[0]

    assert trainer_client.get(_lesson_url(course, stranger)).status_code == 404
    missing = reverse("teaching:lesson_learner_preview", args=[course.pk, 999999])
    assert trainer_client.get(missing).status_code == 404
    assert (
        trainer_client.get(reverse("teaching:course_learner_preview", args=[999999])).status_code
        == 404
    )


def test_the_workspace_links_the_preview_from_the_course_and_each_lesson(trainer_client, course):
    response = trainer_client.get(reverse("teaching:course", args=[course.pk]))

    assert _course_url(course) in response.text
    for lesson in _lessons(course):
        assert _lesson_url(course, lesson) in response.text


def test_the_query_counts_do_not_grow_with_the_course(
    trainer_client, course, django_assert_num_queries
):
    positions = iter(range(10, 1000))
    first = _lessons(course)[0]

    def grow(n):
        for _ in range(n):
            module = ModuleFactory(course=course, position=next(positions))
            LessonFactory(module=module, position=1)
            LessonFactory(module=module, position=2, required=False)
            QuizFactory(course=course, module=module)

    for url in (_course_url(course), _lesson_url(course, first)):
        grow(3)
        at_few = count_queries(trainer_client, url)
        grow(20)
        assert_query_count(trainer_client, django_assert_num_queries, url, at_few)
