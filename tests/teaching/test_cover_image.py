"""A course's cover image: uploaded on the workspace's course form, checked by content and
size, shown in the catalogue and on the course page, served only to who may see the course."""

import io
from html import escape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from courses import authoring
from courses.models import Course, CourseStatus
from teaching.services import course_duplicate
from tests.factories import UserFactory, course_with_lessons
from tests.teaching.test_views import course_data

pytestmark = pytest.mark.django_db


def image(name: str, kind: str = "PNG", size=(32, 18)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 90, 160)).save(buffer, kind)
    return SimpleUploadedFile(name, buffer.getvalue())


def _create(trainer_client, **overrides):
    return trainer_client.post(reverse("teaching:course_create"), course_data(**overrides))


@pytest.mark.parametrize(
    ("name", "kind", "content_type"),
    [
        ("cover.png", "PNG", "image/png"),
        ("cover.JPG", "JPEG", "image/jpeg"),
        ("cover.webp", "WEBP", "image/webp"),
    ],
)
def test_a_cover_is_uploaded_shown_and_served(trainer_client, name, kind, content_type):
    response = _create(trainer_client, cover_image=image(name, kind), cover_alt="Шалтер")

    assert response.status_code == 302
    course = Course.objects.get()
    # The stored name is the site's own, never the uploaded one.
    assert course.cover_image.name.startswith("covers/") and name not in course.cover_image.name
    page = trainer_client.get(reverse("courses:detail", args=[course.slug])).text
    cover_url = reverse("courses:cover", args=[course.slug])
    assert f'src="{cover_url}?v=' in page
    assert 'alt="Шалтер"' in page
    served = trainer_client.get(cover_url)
    assert served.status_code == 200
    assert served["Content-Type"] == content_type
    assert b"".join(served.streaming_content) == course.cover_image.open("rb").read()


def test_the_catalogue_card_shows_the_cover_with_the_title_as_alt(trainer, client):
    course = course_with_lessons(trainers=[trainer], status=CourseStatus.PUBLISHED)
    authoring.course_update(course=course, actor=trainer, data={"cover_image": image("c.png")})

    page = client.get(reverse("courses:catalogue")).text

    assert f'src="{reverse("courses:cover", args=[course.slug])}?v=' in page
    assert f'alt="{escape(course.title)}"' in page
    assert client.get(reverse("courses:cover", args=[course.slug])).status_code == 200


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        # An HTML page named .png: Pillow does not read it as an image.
        (SimpleUploadedFile("cover.png", b"<html><script>alert(1)</script></html>"), "valid"),
        # A real image, but a GIF named .png: the content check refuses it.
        (image("cover.png", "GIF"), "must be a PNG, JPEG or WebP image"),
        # A GIF under its own name: not one of the allowed types.
        (image("cover.gif", "GIF"), "must be a PNG, JPEG or WebP image"),
    ],
)
def test_a_file_that_is_not_an_allowed_image_is_refused_at_the_field(
    trainer_client, upload, message
):
    response = _create(trainer_client, cover_image=upload)

    assert response.status_code == 200
    assert "cover_image" in response.context["form"].errors
    assert message in " ".join(response.context["form"].errors["cover_image"])
    assert not Course.objects.exists()


def test_a_cover_over_the_size_limit_is_refused(trainer_client, settings):
    settings.LMS_COVER_IMAGE_MAX_BYTES = 100
    response = _create(trainer_client, cover_image=image("big.png", size=(400, 400)))

    assert "may be at most 100" in " ".join(response.context["form"].errors["cover_image"])
    assert not Course.objects.exists()


def test_replacing_or_clearing_the_cover_deletes_the_old_file(
    trainer, trainer_client, django_capture_on_commit_callbacks
):
    course = course_with_lessons(trainers=[trainer])
    authoring.course_update(course=course, actor=trainer, data={"cover_image": image("a.png")})
    first = course.cover_image.name
    storage = course.cover_image.storage
    edit = reverse("teaching:course_edit", args=[course.pk])
    fields = {
        "title": course.title,
        "slug": course.slug,
        "language": course.language,
        "estimated_hours": "1",
    }

    with django_capture_on_commit_callbacks(execute=True):
        trainer_client.post(edit, {**fields, "cover_image": image("b.png")})
    course.refresh_from_db()
    assert course.cover_image.name != first
    assert not storage.exists(first) and storage.exists(course.cover_image.name)

    second = course.cover_image.name
    with django_capture_on_commit_callbacks(execute=True):
        trainer_client.post(edit, {**fields, "cover_image-clear": "on"})
    course.refresh_from_db()
    assert not course.cover_image
    assert not storage.exists(second)
    assert trainer_client.get(reverse("courses:cover", args=[course.slug])).status_code == 404


def test_a_draft_cover_is_hidden_from_everyone_but_its_trainers(trainer, client):
    course = course_with_lessons(trainers=[trainer], status=CourseStatus.DRAFT)
    authoring.course_update(course=course, actor=trainer, data={"cover_image": image("a.png")})
    url = reverse("courses:cover", args=[course.slug])

    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(trainer)
    assert client.get(url).status_code == 200


def test_a_duplicate_gets_its_own_copy_of_the_cover(trainer):
    course = course_with_lessons(trainers=[trainer])
    authoring.course_update(
        course=course,
        actor=trainer,
        data={"cover_image": image("a.png"), "cover_alt": "Alt"},
    )

    copy = course_duplicate(course=course, actor=trainer, title="Copy")

    assert copy.cover_image.name != course.cover_image.name
    assert copy.cover_image.open("rb").read() == course.cover_image.open("rb").read()
    assert copy.cover_alt == "Alt"
