"""Attachments from the workspace: checked by size, type and content; removed with the file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses.models import Attachment, Lesson
from tests.factories import UserFactory, course_with_lessons

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(trainer):
    return Lesson.objects.filter(course=course_with_lessons(trainers=[trainer])).first()


def test_a_pdf_is_attached_and_listed_on_the_lesson(trainer_client, lesson):
    response = trainer_client.post(
        reverse("teaching:attachment_create", args=[lesson.pk]),
        {"title": "Упутство", "file": SimpleUploadedFile("uputstvo.pdf", b"%PDF-1.7 ...")},
    )

    assert response.status_code == 302
    attachment = Attachment.objects.get(lesson=lesson)
    page = trainer_client.get(reverse("teaching:lesson_edit", args=[lesson.pk]))
    assert reverse("courses:attachment", args=[attachment.pk]) in page.text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.png", b"<html><script>alert(1)</script>", "content is not"),
        ("page.html", b"<p>hi</p>", "cannot be attached"),
    ],
)
def test_a_refused_file_is_a_field_error_and_nothing_is_stored(
    trainer_client, lesson, name, content, message
):
    response = trainer_client.post(
        reverse("teaching:attachment_create", args=[lesson.pk]),
        {"title": "Bad", "file": SimpleUploadedFile(name, content)},
    )

    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert message in response.text
    assert not Attachment.objects.exists()


def test_removing_an_attachment_deletes_its_file(
    trainer_client, lesson, django_capture_on_commit_callbacks
):
    attachment = Attachment.objects.create(
        lesson=lesson, title="Notes", file=SimpleUploadedFile("notes.txt", b"notes")
    )
    storage, name = attachment.file.storage, attachment.file.name

    with django_capture_on_commit_callbacks(execute=True):
        response = trainer_client.post(reverse("teaching:attachment_delete", args=[attachment.pk]))

    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert not storage.exists(name)


def test_outsiders_cannot_attach_or_remove(client, lesson):
    attachment = Attachment.objects.create(
        lesson=lesson, title="Notes", file=SimpleUploadedFile("notes.txt", b"notes")
    )
    client.force_login(UserFactory())

    upload = {"title": "x", "file": SimpleUploadedFile("x.txt", b"x")}
    assert (
        client.post(reverse("teaching:attachment_create", args=[lesson.pk]), upload).status_code
        == 404
    )
    assert (
        client.post(reverse("teaching:attachment_delete", args=[attachment.pk])).status_code == 404
    )
    assert list(Attachment.objects.values_list("pk", flat=True)) == [attachment.pk]
