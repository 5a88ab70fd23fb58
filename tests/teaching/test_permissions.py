"""Who may author what: trainers their own courses (and only while they hold the role),
administrators every course; learners, HR officers and other trainers get 404 on every
authoring address, crafted POSTs included, and nothing changes."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.services import user_set_roles
from courses.models import Course, CourseStatus, Lesson, Module
from quizzes.models import Question, Quiz
from teaching import permissions
from tests.factories import OrgUnitFactory, UserFactory, course_with_lessons
from tests.quizzes.factories import QuizFactory, choice_question
from tests.teaching.conftest import privileged

pytestmark = pytest.mark.django_db


def authoring_requests(course, visitor_pk=0):
    module = course.modules.order_by("position").first()
    lesson = module.lessons.order_by("position").first()
    quiz = QuizFactory(course=course)
    question = choice_question(quiz)
    choice_question(quiz)
    # Archived ones, for the crafted restores.
    archived_lesson = module.lessons.order_by("position").last()
    Lesson.objects.filter(pk=archived_lesson.pk).update(archived_at=timezone.now())
    archived_question = choice_question(quiz, archived_at=timezone.now())
    question_order = ",".join(str(pk) for pk in quiz.questions.values_list("pk", flat=True)[::-1])
    module_order = ",".join(str(pk) for pk in course.modules.values_list("pk", flat=True)[::-1])
    lesson_order = ",".join(str(pk) for pk in module.lessons.values_list("pk", flat=True)[::-1])
    aiken = "Q?\nA. Yes\nB. No\nANSWER: A\n"
    posts = [
        (
            "teaching:course_edit",
            course.pk,
            {"title": "Hacked", "slug": "hacked", "language": "en", "estimated_hours": "1"},
        ),
        ("teaching:course_publish", course.pk, {}),
        ("teaching:course_duplicate", course.pk, {"title": "Stolen copy"}),
        ("teaching:course_trainers", course.pk, {"trainers": [visitor_pk]}),
        ("teaching:course_archive", course.pk, {}),
        ("teaching:module_create", course.pk, {"title": "Injected"}),
        ("teaching:module_edit", module.pk, {"title": "Hacked"}),
        ("teaching:module_move", module.pk, {"direction": "down"}),
        ("teaching:module_order", course.pk, {"order": module_order}),
        ("teaching:lesson_order", module.pk, {"order": lesson_order}),
        ("teaching:module_delete", module.pk, {}),
        ("teaching:lesson_create", module.pk, {"title": "Injected", "estimated_minutes": "1"}),
        ("teaching:lesson_edit", lesson.pk, {"title": "Hacked", "estimated_minutes": "1"}),
        ("teaching:lesson_move", lesson.pk, {"direction": "down"}),
        ("teaching:lesson_delete", lesson.pk, {}),
        ("teaching:quiz_create", course.pk, {"title": "Injected", "pass_mark": "50"}),
        ("teaching:quiz_edit", quiz.pk, {"title": "Hacked", "pass_mark": "0"}),
        ("teaching:quiz_import", quiz.pk, {"action": "import", "text": aiken}),
        ("teaching:quiz_preview", quiz.pk, {}),
        ("teaching:quiz_regrade", quiz.pk, {}),
        (
            "teaching:question_create",
            quiz.pk,
            {"kind": "numeric", "text": "?", "numeric_answer": "1", "points": "1"},
        ),
        (
            "teaching:question_edit",
            question.pk,
            {"kind": "numeric", "text": "Hacked", "numeric_answer": "1", "points": "1"},
        ),
        ("teaching:question_move", question.pk, {"direction": "down"}),
        ("teaching:question_order", quiz.pk, {"order": question_order}),
        ("teaching:question_delete", question.pk, {}),
        ("teaching:lesson_archive", lesson.pk, {}),
        ("teaching:lesson_restore", archived_lesson.pk, {}),
        ("teaching:question_archive", question.pk, {}),
        ("teaching:question_restore", archived_question.pk, {}),
    ]
    return [(reverse(name, args=[pk]), data) for name, pk, data in posts]


def snapshot(course):
    return (
        Course.objects.filter(pk=course.pk).values_list("title", "status").get(),
        list(Module.objects.filter(course=course).values_list("pk", "title", "position")),
        list(
            Lesson.objects.filter(course=course).values_list(
                "pk", "title", "position", "archived_at"
            )
        ),
        sorted(course.trainers.values_list("pk", flat=True)),
        list(Quiz.objects.filter(course=course).values_list("pk", "title", "pass_mark")),
        list(
            Question.objects.filter(quiz__course=course).values_list(
                "pk", "text", "position", "archived_at"
            )
        ),
    )


@pytest.mark.parametrize("who", ["learner", "hr", "other_trainer", "former_trainer"])
def test_outsiders_get_404_on_every_authoring_url_and_change_nothing(client, who):
    trainer = privileged(Role.TRAINER)
    course = course_with_lessons(trainers=[trainer], status=CourseStatus.DRAFT)
    visitor = {
        "learner": lambda: UserFactory(),
        "hr": lambda: privileged(Role.HR_OFFICER, org_unit=OrgUnitFactory()),
        "other_trainer": lambda: privileged(Role.TRAINER),
        # Still listed as the course's trainer, but no longer holds the role.
        "former_trainer": lambda: privileged(Role.LEARNER),
    }[who]()
    if who == "former_trainer":
        course.trainers.add(visitor)
    client.force_login(visitor)
    requests = authoring_requests(course, visitor.pk)
    before = snapshot(course)

    for url, data in requests:
        assert client.post(url, data).status_code == 404, url
        if not url.endswith(("/move/", "/order/", "/restore/")):
            assert client.get(url).status_code == 404, url
    assert client.get(reverse("teaching:course", args=[course.pk])).status_code == 404

    assert snapshot(course) == before
    assert not Course.objects.filter(title="Stolen copy").exists()


def test_learners_and_hr_cannot_open_the_workspace_or_create_a_course(client):
    for visitor in (UserFactory(), privileged(Role.HR_OFFICER, org_unit=OrgUnitFactory())):
        client.force_login(visitor)
        assert client.get(reverse("teaching:home")).status_code == 404
        response = client.post(
            reverse("teaching:course_create"),
            {"title": "Sneaky", "language": "en", "estimated_hours": "1"},
        )
        assert response.status_code == 404
    assert not Course.objects.filter(title="Sneaky").exists()


def test_a_co_trainer_and_an_administrator_may_author(client):
    owner, co_trainer = privileged(Role.TRAINER), privileged(Role.TRAINER)
    admin = privileged(Role.ADMINISTRATOR)
    course = course_with_lessons(trainers=[owner, co_trainer])

    for person in (owner, co_trainer, admin):
        assert permissions.can_author_course(person, course)
        client.force_login(person)
        response = client.post(
            reverse("teaching:module_create", args=[course.pk]), {"title": f"By {person.pk}"}
        )
        assert response.status_code == 302


def test_losing_the_trainer_role_ends_authoring(client):
    trainer = privileged(Role.TRAINER)
    course = course_with_lessons(trainers=[trainer])
    assert permissions.can_author_course(trainer, course)

    user_set_roles(user=trainer, roles=[Role.LEARNER])
    trainer.refresh_from_db()

    assert not permissions.can_author_course(trainer, course)
    assert not permissions.can_open_workspace(trainer)


def test_an_administrator_sees_every_course_in_the_workspace(client):
    admin = privileged(Role.ADMINISTRATOR)
    courses = [course_with_lessons(), course_with_lessons()]
    client.force_login(admin)

    response = client.get(reverse("teaching:home"))

    assert {row.course.pk for row in response.context["rows"]} == {c.pk for c in courses}
