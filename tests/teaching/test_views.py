"""The trainer's workspace: create and edit a course, publish and archive it after a
confirmation, and build its modules and lessons, with field errors for bad input and the
refusals that protect learners' records."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from courses.models import Course, CourseStatus, Lesson, Module
from courses.services import lesson_complete
from tests.factories import CategoryFactory, CourseFactory, EnrollmentFactory, course_with_lessons
from tests.quizzes.factories import QuizFactory

pytestmark = pytest.mark.django_db


def course_data(**overrides):
    data = {
        "title": "Електронска управа",
        "slug": "",
        "summary": "Кратак преглед",
        "description": "# Увод\n\nТекст",
        "category": "",
        "language": "sr",
        "estimated_hours": "3",
        "self_enrollment": "on",
        "validity_months": "",
    }
    return {**data, **overrides}


def test_the_header_links_trainers_to_the_workspace(trainer_client):
    url = reverse("teaching:home")
    assert f'href="{url}"' in trainer_client.get(reverse("courses:catalogue")).text


def test_learners_see_no_workspace_link(learner_client):
    assert reverse("teaching:home") not in learner_client.get(reverse("courses:catalogue")).text


def test_my_courses_lists_the_trainers_courses_with_learners_and_completion(
    trainer_client, trainer
):
    mine = course_with_lessons(lessons_per_module=1, modules=1, trainers=[trainer])
    others = course_with_lessons(title="Someone else's course")
    done = EnrollmentFactory(course=mine)
    EnrollmentFactory(course=mine)
    lesson_complete(enrollment=done, lesson=mine.lessons.get())
    quiz = QuizFactory(course=mine, title="Final test")

    response = trainer_client.get(reverse("teaching:home"))

    assert response.status_code == 200
    [row] = response.context["rows"]
    assert row.course == mine and row.learners == 2 and row.completion_rate == 50
    assert others.title not in response.text
    assert reverse("quizzes:report", args=[mine.slug, quiz.pk]) in response.text


def test_creating_a_course_makes_a_draft_the_trainer_teaches(trainer_client, trainer):
    category = CategoryFactory()

    response = trainer_client.post(
        reverse("teaching:course_create"), course_data(category=category.pk)
    )

    course = Course.objects.get(title="Електронска управа")
    assert response.status_code == 302
    assert response["Location"] == reverse("teaching:course", args=[course.pk])
    assert course.slug == "elektronska-uprava"
    assert course.status == CourseStatus.DRAFT
    assert list(course.trainers.all()) == [trainer]
    assert "<h1>Увод</h1>" in course.description_html


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"slug": "taken"}, "slug"),
        ({"slug": "не ascii"}, "slug"),
        ({"estimated_hours": "-1"}, "estimated_hours"),
        ({"language": "xx"}, "language"),
        ({"title": "x" * 201}, "title"),
        ({"title": "Bad\x00title"}, "title"),
        ({"validity_months": "-5"}, "validity_months"),
    ],
)
def test_bad_course_input_gives_a_field_error_and_saves_nothing(trainer_client, overrides, field):
    CourseFactory(slug="taken")

    response = trainer_client.post(reverse("teaching:course_create"), course_data(**overrides))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'aria-invalid="true"' in response.text
    assert Course.objects.count() == 1


def test_editing_a_course_saves_and_audits_what_changed(trainer_client, trainer):
    course = course_with_lessons(trainers=[trainer], status=CourseStatus.DRAFT)

    response = trainer_client.post(
        reverse("teaching:course_edit", args=[course.pk]),
        course_data(title="New title", slug=course.slug, language="en", validity_months="12"),
    )

    assert response.status_code == 302
    course.refresh_from_db()
    assert course.title == "New title" and course.validity_months == 12
    event = AuditEvent.objects.get(action="course.update")
    assert event.actor == trainer and "title" in event.data["fields"]


def test_editing_to_a_taken_slug_is_a_field_error(trainer_client, trainer):
    course = course_with_lessons(trainers=[trainer])
    other = CourseFactory()

    response = trainer_client.post(
        reverse("teaching:course_edit", args=[course.pk]), course_data(slug=other.slug)
    )

    assert "slug" in response.context["form"].errors
    course.refresh_from_db()
    assert course.title != "Електронска управа"


def test_publishing_asks_first_then_sets_published_at(trainer_client, trainer):
    course = course_with_lessons(trainers=[trainer], status=CourseStatus.DRAFT)
    url = reverse("teaching:course_publish", args=[course.pk])

    assert trainer_client.get(url).status_code == 200
    course.refresh_from_db()
    assert course.status == CourseStatus.DRAFT

    assert trainer_client.post(url).status_code == 302
    course.refresh_from_db()
    assert course.status == CourseStatus.PUBLISHED and course.published_at is not None

    trainer_client.post(reverse("teaching:course_archive", args=[course.pk]))
    course.refresh_from_db()
    assert course.status == CourseStatus.ARCHIVED


def test_an_empty_course_is_not_published(trainer_client, trainer):
    course = CourseFactory(trainers=[trainer], status=CourseStatus.DRAFT)

    response = trainer_client.post(
        reverse("teaching:course_publish", args=[course.pk]), follow=True
    )

    course.refresh_from_db()
    assert course.status == CourseStatus.DRAFT
    assert "at least one lesson" in response.text


def test_modules_and_lessons_are_added_moved_and_deleted(trainer_client, trainer):
    course = CourseFactory(trainers=[trainer], status=CourseStatus.DRAFT)
    for title in ("Први", "Други"):
        trainer_client.post(reverse("teaching:module_create", args=[course.pk]), {"title": title})
    first, second = course.modules.order_by("position")
    for title in ("А", "Б"):
        response = trainer_client.post(
            reverse("teaching:lesson_create", args=[first.pk]),
            {
                "title": title,
                "body": "**текст**",
                "video_url": "",
                "estimated_minutes": "5",
                "required": "on",
            },
        )
        assert response.status_code == 302
    a, b = first.lessons.order_by("position")

    trainer_client.post(reverse("teaching:module_move", args=[second.pk]), {"direction": "up"})
    trainer_client.post(reverse("teaching:lesson_move", args=[b.pk]), {"direction": "up"})

    assert list(course.modules.values_list("title", flat=True)) == ["Други", "Први"]
    assert list(first.lessons.values_list("title", flat=True)) == ["Б", "А"]
    page = trainer_client.get(reverse("teaching:course", args=[course.pk]))
    assert "Move up" in page.text and "Move down" in page.text

    trainer_client.post(reverse("teaching:lesson_delete", args=[a.pk]))
    trainer_client.post(reverse("teaching:module_delete", args=[second.pk]))

    assert list(first.lessons.values_list("title", "position")) == [("Б", 1)]
    assert list(course.modules.values_list("title", "position")) == [("Први", 1)]


def test_a_move_past_the_end_or_without_a_direction_changes_nothing(trainer_client, trainer):
    course = course_with_lessons(trainers=[trainer], modules=2)
    first, second = course.modules.order_by("position")

    for direction in ("up", "sideways", ""):
        response = trainer_client.post(
            reverse("teaching:module_move", args=[first.pk]), {"direction": direction}
        )
        assert response.status_code == 302

    assert list(course.modules.values_list("pk", flat=True)) == [first.pk, second.pk]


def test_lesson_preview_renders_through_the_sanitiser_and_saves_nothing(trainer_client, trainer):
    module = course_with_lessons(trainers=[trainer]).modules.first()
    count = Lesson.objects.count()

    response = trainer_client.post(
        reverse("teaching:lesson_create", args=[module.pk]),
        {
            "title": "Нова",
            "body": "**Јасно** <iframe src=javascript:alert(1)></iframe>",
            "video_url": "",
            "estimated_minutes": "5",
            "preview": "1",
        },
    )

    assert response.status_code == 200
    preview = response.text.split('id="preview-heading"')[1].split("</section>")[0]
    assert "<strong>Јасно</strong>" in preview
    assert "iframe" not in preview and "javascript" not in preview
    assert Lesson.objects.count() == count


def test_a_video_from_another_host_is_a_field_error(trainer_client, trainer):
    module = course_with_lessons(trainers=[trainer]).modules.first()

    response = trainer_client.post(
        reverse("teaching:lesson_create", args=[module.pk]),
        {
            "title": "Видео",
            "body": "",
            "video_url": "https://evil.example/v/1",
            "estimated_minutes": "5",
        },
    )

    assert "video_url" in response.context["form"].errors
    assert not module.lessons.filter(title="Видео").exists()


def test_editing_a_lesson_to_optional_is_saved(trainer_client, trainer):
    course = course_with_lessons(trainers=[trainer])
    lesson = Lesson.objects.filter(course=course).first()

    response = trainer_client.post(
        reverse("teaching:lesson_edit", args=[lesson.pk]),
        {"title": "Renamed", "body": lesson.body, "video_url": "", "estimated_minutes": "7"},
    )

    assert response.status_code == 302
    lesson.refresh_from_db()
    assert (lesson.title, lesson.required, lesson.estimated_minutes) == ("Renamed", False, 7)


def test_a_lesson_with_progress_is_not_deleted_and_the_reason_is_shown(trainer_client, trainer):
    course = course_with_lessons(trainers=[trainer])
    lesson = Lesson.objects.filter(course=course).first()
    lesson_complete(enrollment=EnrollmentFactory(course=course), lesson=lesson)

    response = trainer_client.post(reverse("teaching:lesson_delete", args=[lesson.pk]), follow=True)

    assert Lesson.objects.filter(pk=lesson.pk).exists()
    assert "Archive it instead" in response.text
    response = trainer_client.post(
        reverse("teaching:module_delete", args=[lesson.module_id]), follow=True
    )
    assert Module.objects.filter(pk=lesson.module_id).exists()
    assert "cannot be deleted" in response.text


def test_the_live_preview_renders_through_the_sanitiser(trainer_client):
    response = trainer_client.post(
        reverse("teaching:markdown_preview"),
        {"body": "**Јасно** <script>alert(1)</script><iframe src=javascript:alert(1)>"},
    )

    assert response.status_code == 200
    assert "<strong>Јасно</strong>" in response.text
    assert "script" not in response.text and "iframe" not in response.text
    bad = trainer_client.post(reverse("teaching:markdown_preview"), {"body": "a\x00b"})
    assert bad.status_code == 400


def test_the_live_preview_is_for_the_workspace_only(learner_client):
    response = learner_client.post(reverse("teaching:markdown_preview"), {"body": "**x**"})

    assert response.status_code == 404


def test_the_certificate_template_is_chosen_on_the_course_form(trainer_client, trainer):
    from certificates import services as certificate_services
    from certificates.models import CertificateTemplate

    template = CertificateTemplate.objects.create(name="Ministry", is_default=False)

    trainer_client.post(
        reverse("teaching:course_create"), course_data(certificate_template=template.pk)
    )
    course = Course.objects.get(title="Електронска управа")
    assert certificate_services.template_for_course(course.pk) == template
    page = trainer_client.get(reverse("teaching:course_edit", args=[course.pk]))
    assert page.context["form"]["certificate_template"].value() == template.pk

    trainer_client.post(
        reverse("teaching:course_edit", args=[course.pk]),
        course_data(slug=course.slug, certificate_template=""),
    )
    assert certificate_services.template_for_course(course.pk) != template
    assert AuditEvent.objects.filter(action="certificate.template_choose").count() == 2


def test_a_failed_course_save_leaves_the_template_unchosen(trainer_client, trainer):
    from certificates.models import CertificateTemplate, CourseCertificateSettings

    template = CertificateTemplate.objects.create(name="Ministry", is_default=False)
    CourseFactory(slug="taken")

    response = trainer_client.post(
        reverse("teaching:course_create"),
        course_data(slug="taken", certificate_template=template.pk),
    )

    assert "slug" in response.context["form"].errors
    assert not CourseCertificateSettings.objects.exists()
