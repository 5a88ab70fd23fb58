"""Duplicating a course keeps its content, quizzes and settings, never its learners."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from certificates import services as certificate_services
from certificates.models import CertificateTemplate
from courses.models import Attachment, Course, CourseStatus, Enrollment, Lesson
from courses.services import lesson_complete
from quizzes import services as quiz_services
from quizzes.models import Attempt, Quiz
from teaching.services import course_duplicate
from tests.factories import EnrollmentFactory, course_with_lessons
from tests.quizzes.factories import QuizFactory, choice_question

pytestmark = pytest.mark.django_db


def test_the_copy_has_the_content_and_none_of_the_learners(trainer):
    course = course_with_lessons(trainers=[trainer], validity_months=24, self_enrollment=False)
    lesson = Lesson.objects.filter(course=course).first()
    Attachment.objects.create(
        lesson=lesson, title="Notes", file=SimpleUploadedFile("notes.txt", b"notes")
    )
    check = QuizFactory(course=course, module=lesson.module, title="Check", pass_mark=80)
    choice_question(check, correct=(False, True))
    final = QuizFactory(course=course, title="Final")
    choice_question(final)
    enrollment = EnrollmentFactory(course=course)
    lesson_complete(enrollment=enrollment, lesson=lesson)
    quiz_services.attempt_submit(
        attempt=quiz_services.attempt_start(enrollment=enrollment, quiz=final), data={}
    )
    template = CertificateTemplate.objects.create(name="Ministry", is_default=False)
    certificate_services.course_set_certificate_template(
        course=course, template=template, actor=None
    )

    copy = course_duplicate(course=course, actor=trainer, title="Second intake")

    assert copy.status == CourseStatus.DRAFT and copy.slug == "second-intake"
    assert (copy.validity_months, copy.self_enrollment) == (24, False)
    assert list(copy.trainers.all()) == [trainer]
    original = [(m.title, [x.title for x in m.lessons.all()]) for m in course.modules.all()]
    copied = [(m.title, [x.title for x in m.lessons.all()]) for m in copy.modules.all()]
    assert copied == original
    [copied_attachment] = Attachment.objects.filter(lesson__course=copy)
    assert copied_attachment.file.read() == b"notes"
    copied_check = Quiz.objects.get(course=copy, title="Check")
    assert copied_check.pass_mark == 80
    assert copied_check.module.title == check.module.title and copied_check.module.course == copy
    [question] = copied_check.questions.all()
    assert [c.is_correct for c in question.choices.order_by("position")] == [False, True]
    assert not Enrollment.objects.filter(course=copy).exists()
    assert not Attempt.objects.filter(quiz__course=copy).exists()
    assert certificate_services.template_for_course(copy.pk) == template
    assert AuditEvent.objects.get(action="course.duplicate").data == {"from": course.pk}


def test_duplicating_from_the_workspace_needs_a_free_slug(trainer_client, trainer):
    course = course_with_lessons(trainers=[trainer])
    url = reverse("teaching:course_duplicate", args=[course.pk])

    response = trainer_client.post(url, {"title": "Copy", "slug": course.slug})
    assert "slug" in response.context["form"].errors
    assert Course.objects.count() == 1

    response = trainer_client.post(url, {"title": "Copy", "slug": ""})
    copy = Course.objects.exclude(pk=course.pk).get()
    assert response["Location"] == reverse("teaching:course", args=[copy.pk])
