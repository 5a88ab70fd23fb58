import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from accounts.roles import Role
from courses import cache as catalogue_cache
from courses.models import (
    Attachment,
    CourseStatus,
    Enrollment,
    EnrollmentSource,
    EnrollmentStatus,
    LessonProgress,
)
from tests.factories import (
    CategoryFactory,
    CourseFactory,
    EnrollmentFactory,
    OrgUnitFactory,
    UserFactory,
    course_with_lessons,
    give_totp,
)

pytestmark = pytest.mark.django_db


def test_catalogue_lists_published_courses_only(client):
    CourseFactory(title="Cloud security", slug="cloud")
    CourseFactory(title="Secret draft", slug="draft", status=CourseStatus.DRAFT)
    response = client.get(reverse("courses:catalogue"))
    assert response.status_code == 200
    assert "Cloud security" in response.text
    assert "Secret draft" not in response.text


def test_catalogue_search_matches_across_serbian_scripts(client):
    CourseFactory(title="Ђорђе и електронска управа", slug="djordje")
    CourseFactory(title="Spreadsheets", slug="sheets")
    response = client.get(reverse("courses:catalogue"), {"q": "Đorđe"})
    assert "Ђорђе и електронска управа" in response.text
    assert "Spreadsheets" not in response.text


def test_catalogue_filters_by_category_and_language(client):
    CourseFactory(title="Korean course", language="ko", category__slug="egov")
    CourseFactory(title="English course", language="en", category__slug="egov")
    CourseFactory(title="Other category", language="ko", category__slug="security")
    response = client.get(reverse("courses:catalogue"), {"category": "egov", "language": "ko"})
    assert "Korean course" in response.text
    assert "English course" not in response.text
    assert "Other category" not in response.text


@pytest.mark.parametrize("page", ["abc", "-1", "0", "99999", "1.5", "%00"])
def test_catalogue_bad_page_numbers_never_fail(client, settings, page):
    settings.LMS_CATALOGUE_PAGE_SIZE = 2
    for n in range(5):
        CourseFactory(title=f"Course {n}")
    response = client.get(reverse("courses:catalogue"), {"page": page})
    assert response.status_code == 200


def test_catalogue_unknown_filter_values_are_ignored(client):
    CourseFactory(title="Still listed")
    response = client.get(reverse("courses:catalogue"), {"category": "nope", "language": "xx"})
    assert response.status_code == 200
    assert "Still listed" in response.text


def test_catalogue_paginates(client, settings):
    settings.LMS_CATALOGUE_PAGE_SIZE = 2
    for n in range(5):
        CourseFactory(title=f"Paged {n}")
    response = client.get(reverse("courses:catalogue"), {"page": 3})
    assert "Paged 4" in response.text
    assert "Paged 0" not in response.text
    assert "Page 3 of 3" in response.text


def test_course_page_shows_modules_lessons_hours_and_trainers(client):
    trainer = UserFactory(full_name="오현목", roles=[Role.TRAINER])
    course = course_with_lessons(trainers=[trainer], estimated_hours=6)
    response = client.get(reverse("courses:detail", args=[course.slug]))
    assert response.status_code == 200
    for lesson in course.lessons.all():
        assert lesson.title in response.text
    assert "오현목" in response.text
    assert "6.0" in response.text


@pytest.mark.parametrize("slug", ["does-not-exist", "draft"])
def test_unknown_or_draft_course_is_404(client, learner, slug):
    CourseFactory(slug="draft", status=CourseStatus.DRAFT)
    client.force_login(learner)
    assert client.get(reverse("courses:detail", args=[slug])).status_code == 404


def test_draft_course_is_visible_to_its_trainer(client):
    trainer = UserFactory(roles=[Role.TRAINER])
    give_totp(trainer)
    CourseFactory(slug="draft", status=CourseStatus.DRAFT, trainers=[trainer])
    client.force_login(trainer)
    assert client.get(reverse("courses:detail", args=["draft"])).status_code == 200


def test_enrol_and_leave(learner_client, learner):
    course = course_with_lessons()
    response = learner_client.post(reverse("courses:enrol", args=[course.slug]), follow=True)
    assert "You are enrolled" in response.text
    assert Enrollment.objects.get(user=learner, course=course).status == EnrollmentStatus.ACTIVE

    learner_client.post(reverse("courses:leave", args=[course.slug]))
    assert Enrollment.objects.get(user=learner, course=course).status == EnrollmentStatus.WITHDRAWN


def test_enrol_needs_sign_in_and_post(client, learner):
    course = course_with_lessons()
    response = client.post(reverse("courses:enrol", args=[course.slug]))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    client.force_login(learner)
    assert client.get(reverse("courses:enrol", args=[course.slug])).status_code == 405
    assert not Enrollment.objects.exists()


def test_enrol_refused_when_course_is_assigned_only(learner_client, learner):
    course = course_with_lessons(self_enrollment=False)
    response = learner_client.post(reverse("courses:enrol", args=[course.slug]), follow=True)
    assert "cannot be joined directly" in response.text
    assert not Enrollment.objects.filter(user=learner).exists()


def test_assigned_course_cannot_be_left(learner_client, learner):
    course = course_with_lessons()
    EnrollmentFactory(user=learner, course=course, source=EnrollmentSource.ASSIGNED)
    response = learner_client.post(reverse("courses:leave", args=[course.slug]), follow=True)
    assert "cannot be left" in response.text
    assert Enrollment.objects.get(user=learner).status == EnrollmentStatus.ACTIVE


def test_lesson_requires_enrolment(learner_client):
    course = course_with_lessons()
    lesson = course.lessons.first()
    response = learner_client.get(reverse("courses:lesson", args=[course.slug, lesson.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("courses:detail", args=[course.slug])


def test_lesson_of_another_course_is_404(learner_client, learner):
    course = course_with_lessons()
    other = course_with_lessons()
    EnrollmentFactory(user=learner, course=course)
    foreign = other.lessons.first()
    url = reverse("courses:lesson", args=[course.slug, foreign.pk])
    assert learner_client.get(url).status_code == 404
    done_url = reverse("courses:lesson_done", args=[course.slug, foreign.pk])
    assert learner_client.post(done_url).status_code == 404
    assert not LessonProgress.objects.exists()


def test_lesson_body_is_sanitised_and_video_embedded(learner_client, learner):
    course = course_with_lessons(lessons_per_module=1, modules=1)
    lesson = course.lessons.get()
    lesson.body = (
        "# Phishing\n\n<script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n\n"
        "[click](javascript:alert(1))"
    )
    lesson.video_url = "https://www.youtube.com/watch?v=abcdefghijk"
    lesson.save()
    EnrollmentFactory(user=learner, course=course)
    response = learner_client.get(reverse("courses:lesson", args=[course.slug, lesson.pk]))
    assert "<h1>Phishing</h1>" in response.text
    assert "<script>alert" not in response.text
    assert "onerror" not in response.text
    assert "javascript:" not in response.text
    assert 'src="https://www.youtube-nocookie.com/embed/abcdefghijk"' in response.text


def test_stored_html_written_around_the_service_is_cleaned_on_render(learner_client, learner):
    course = course_with_lessons(lessons_per_module=1, modules=1)
    lesson = course.lessons.get()
    type(lesson).objects.filter(pk=lesson.pk).update(body_html="<p>ok</p><script>bad()</script>")
    EnrollmentFactory(user=learner, course=course)
    response = learner_client.get(reverse("courses:lesson", args=[course.slug, lesson.pk]))
    assert "<p>ok</p>" in response.text
    assert "bad()" not in response.text


def test_mark_done_moves_progress_and_twice_is_harmless(learner_client, learner):
    course = course_with_lessons(lessons_per_module=1, modules=2)
    first, second = course.lessons.order_by("module__position")
    EnrollmentFactory(user=learner, course=course)
    done_url = reverse("courses:lesson_done", args=[course.slug, first.pk])

    response = learner_client.post(done_url, {"next": second.pk})
    assert response["Location"] == reverse("courses:lesson", args=[course.slug, second.pk])
    assert learner_client.post(done_url).status_code == 302
    assert LessonProgress.objects.filter(lesson=first).count() == 1

    page = learner_client.get(reverse("courses:detail", args=[course.slug]))
    assert 'value="50"' in page.text


def test_completing_every_required_lesson_completes_the_course(learner_client, learner):
    course = course_with_lessons(lessons_per_module=1, modules=2)
    EnrollmentFactory(user=learner, course=course)
    for lesson in course.lessons.all():
        response = learner_client.post(
            reverse("courses:lesson_done", args=[course.slug, lesson.pk]), follow=True
        )
    assert "Course completed" in response.text
    enrollment = Enrollment.objects.get(user=learner, course=course)
    assert enrollment.status == EnrollmentStatus.COMPLETED


def test_next_pointing_outside_the_course_is_ignored(learner_client, learner):
    course = course_with_lessons(lessons_per_module=1, modules=1)
    other = course_with_lessons(lessons_per_module=1, modules=1)
    lesson = course.lessons.get()
    EnrollmentFactory(user=learner, course=course)
    response = learner_client.post(
        reverse("courses:lesson_done", args=[course.slug, lesson.pk]),
        {"next": other.lessons.get().pk},
    )
    assert response["Location"] == reverse("courses:lesson", args=[course.slug, lesson.pk])


def test_my_learning_shows_progress_and_due_dates(learner_client, learner):
    course = course_with_lessons(title="Records management")
    EnrollmentFactory(
        user=learner, course=course, source=EnrollmentSource.ASSIGNED, due_date="2030-03-15"
    )
    response = learner_client.get(reverse("courses:my_learning"))
    assert "Records management" in response.text
    assert "Assigned" in response.text
    assert "2030" in response.text
    assert "<progress" in response.text


def test_another_learners_enrollment_is_404(learner_client):
    other = EnrollmentFactory()
    url = reverse("courses:enrollment", args=[other.pk])
    assert learner_client.get(url).status_code == 404
    assert learner_client.get(reverse("courses:enrollment", args=[999999])).status_code == 404


def test_hr_officer_sees_enrollments_in_their_subtree_only(client):
    ministry = OrgUnitFactory()
    sector = OrgUnitFactory(parent=ministry)
    department = OrgUnitFactory(parent=sector)
    sibling = OrgUnitFactory(parent=ministry)
    hr = UserFactory(roles=[Role.HR_OFFICER], org_unit=sector)
    give_totp(hr)
    inside = EnrollmentFactory(user__org_unit=department)
    outside = EnrollmentFactory(user__org_unit=sibling)
    client.force_login(hr)
    assert client.get(reverse("courses:enrollment", args=[inside.pk])).status_code == 200
    assert client.get(reverse("courses:enrollment", args=[outside.pk])).status_code == 404


def test_attachment_download_needs_enrolment(learner_client, learner):
    course = course_with_lessons(lessons_per_module=1, modules=1)
    attachment = Attachment.objects.create(
        lesson=course.lessons.get(),
        title="Checklist",
        file=SimpleUploadedFile("checklist.pdf", b"%PDF-1.4 checklist"),
    )
    url = reverse("courses:attachment", args=[attachment.pk])
    assert learner_client.get(url).status_code == 404
    EnrollmentFactory(user=learner, course=course)
    response = learner_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 checklist"
    assert learner_client.get(reverse("courses:attachment", args=[424242])).status_code == 404


def test_catalogue_is_served_from_cache_until_the_catalogue_changes(
    client, django_assert_max_num_queries
):
    course = CourseFactory(title="Cached course")
    first = client.get(reverse("courses:catalogue"))
    assert '<ul class="course-grid">' in first.text
    # The second view of the same page reads the cache (once) instead of the courses.
    with django_assert_max_num_queries(1):
        again = client.get(reverse("courses:catalogue"))
    assert '<ul class="course-grid">' in again.text
    assert "Cached course" in again.text

    course.title = "Renamed course"
    course.save()
    assert "Renamed course" in client.get(reverse("courses:catalogue")).text


def test_catalogue_cache_is_kept_apart_per_query(client):
    CourseFactory(title="Security basics")
    CourseFactory(title="Records")
    searched = client.get(reverse("courses:catalogue"), {"q": "security"})
    assert "Records" not in searched.text
    everything = client.get(reverse("courses:catalogue"))
    assert "Records" in everything.text


def test_catalogue_cache_is_kept_apart_per_language(client):
    """The page's <html lang> comes from base.html whatever the cache holds, so this looks at
    the cached part: a page cached for English must never be served in Serbian."""
    CourseFactory(title="Records")
    english = client.get(reverse("courses:catalogue"))
    assert "Records" in english.text
    version = catalogue_cache.catalogue_version()
    english_key = catalogue_cache.catalogue_page_key("en", "")
    catalogue_cache.catalogue_store(english_key, version, "<p>cached for English</p>")
    assert "cached for English" in client.get(reverse("courses:catalogue")).text

    client.post(reverse("set_language"), {"language": "sr"})
    in_serbian = client.get(reverse("courses:catalogue"))

    assert '<html lang="sr" dir="ltr">' in in_serbian.text
    assert "cached for English" not in in_serbian.text
    assert "Records" in in_serbian.text


def test_an_anonymous_course_page_is_served_from_cache_until_the_course_changes(
    client, django_assert_max_num_queries
):
    course = course_with_lessons(lessons_per_module=1, modules=1, title="Records management")
    url = reverse("courses:detail", args=[course.slug])
    first = client.get(url)
    assert "<title>Records management" in first.text
    # Again: one read of the shared cache for the version and the rendered content.
    with django_assert_max_num_queries(1):
        again = client.get(url)
    # Equal but for the header's language form, whose token is masked anew on every page.
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", again.text) == token.sub("", first.text)
    assert "Sign in to enrol" in again.text

    lesson = course.lessons.get()
    lesson.title = "Retention schedules"
    lesson.save()
    assert "Retention schedules" in client.get(url).text
    course.title = "Archives management"
    course.save()
    page = client.get(url).text
    assert "<title>Archives management" in page and "Records management" not in page


def test_an_anonymous_course_page_is_cached_per_language(client):
    course = course_with_lessons(lessons_per_module=1, modules=1)
    url = reverse("courses:detail", args=[course.slug])
    assert "Sign in to enrol" in client.get(url).text
    client.post(reverse("set_language"), {"language": "sr"})
    in_serbian = client.get(url).text
    assert "Sign in to enrol" not in in_serbian
    assert "Пријавите се" in in_serbian


def test_signed_in_visitors_never_get_the_anonymous_course_page(client, learner):
    """The cached content is the anonymous one: no enrol form, no progress, no token; a
    signed-in visitor's own page is neither read from nor written to it."""
    course = course_with_lessons(lessons_per_module=1, modules=1)
    url = reverse("courses:detail", args=[course.slug])
    assert "Sign in to enrol" in client.get(url).text
    _version, found = catalogue_cache.catalogue_entries(
        catalogue_cache.anonymous_course_page_key(course.slug, "en")
    )
    [(title, content)] = found.values()
    assert title == course.title and course.title in content
    assert "csrfmiddlewaretoken" not in content

    client.force_login(learner)
    signed_in = client.get(url).text
    assert "Sign in to enrol" not in signed_in
    assert reverse("courses:enrol", args=[course.slug]) in signed_in
    client.post(reverse("courses:enrol", args=[course.slug]))
    assert 'data-testid="next-lesson"' in client.get(url).text

    client.logout()
    again = client.get(url).text
    assert "Sign in to enrol" in again
    assert 'data-testid="next-lesson"' not in again


def test_a_course_an_anonymous_visitor_cannot_see_is_never_cached(client):
    draft = course_with_lessons(lessons_per_module=1, modules=1, status=CourseStatus.DRAFT)
    assert client.get(reverse("courses:detail", args=[draft.slug])).status_code == 404
    assert client.get(reverse("courses:detail", args=["no-such-course"])).status_code == 404
    for slug in (draft.slug, "no-such-course"):
        key = catalogue_cache.anonymous_course_page_key(slug, "en")
        assert cache.get(key) is None

    published = course_with_lessons(lessons_per_module=1, modules=1)
    url = reverse("courses:detail", args=[published.slug])
    assert client.get(url).status_code == 200
    published.status = CourseStatus.DRAFT
    published.save()
    assert client.get(url).status_code == 404


def test_an_encoded_ampersand_cannot_fill_another_querys_cache_entry(client):
    """?category=a%26q%3Dsecurity once filled the entry of ?category=a&q=security."""
    CategoryFactory(slug="a", name="A")
    CourseFactory(title="Security basics", category=None)
    CourseFactory(title="Records", category=None)

    poisoned = client.get(reverse("courses:catalogue"), {"category": "a&q=security"})
    assert "Records" in poisoned.text
    assert "Security basics" in poisoned.text

    honest = client.get(reverse("courses:catalogue"), {"category": "a", "q": "security"})
    assert "Records" not in honest.text
    searched = client.get(reverse("courses:catalogue"), {"q": "security"})
    assert "Records" not in searched.text
    assert "Security basics" in searched.text


def _catalogue_entries() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM lms_cache WHERE cache_key LIKE %s", ["%catalogue:%"])
        return cursor.fetchone()[0]


def test_unknown_parameters_and_values_create_no_cache_entries(client):
    CourseFactory(title="Records")
    client.get(reverse("courses:catalogue"))
    entries = _catalogue_entries()

    for junk in (
        {"utm_source": "x"},
        {"zzz": "1", "page": "1"},
        {"category": "no-such-category"},
        {"language": "xx"},
        {"page": "999"},
        {"page": "²"},
        {"q": "   "},
    ):
        response = client.get(reverse("courses:catalogue"), junk)
        assert response.status_code == 200
        assert "Records" in response.text

    assert _catalogue_entries() == entries


def test_catalogue_pagination_links_carry_only_the_understood_filters(client, settings):
    settings.LMS_CATALOGUE_PAGE_SIZE = 1
    CourseFactory(title="Records one")
    CourseFactory(title="Records two")

    response = client.get(reverse("courses:catalogue"), {"q": " records ", "junk": "<x>"})

    page_links = re.findall(r'href="\?([^"]*)"', response.text)
    assert page_links == ["q=records&amp;page=2"]


def test_catalogue_pages_as_its_links_write_them_need_one_cache_read(
    client, settings, django_assert_max_num_queries
):
    """Each page is stored under the query string of the site's own links, so following them,
    the first page's address included, reads the shared cache once; the same page asked for
    another way (as the filter form submits it, with its empty fields) shows the same courses
    from the same entry."""
    settings.LMS_CATALOGUE_PAGE_SIZE = 1
    for n in range(3):
        CourseFactory(title=f"Records {n}")
    url = reverse("courses:catalogue")
    second = client.get(url, {"q": "records", "page": "2"}).text
    links = dict(
        (rel, href.replace("&amp;", "&"))
        for href, rel in re.findall(r'href="\?([^"]*)" rel="(prev|next)"', second)
    )
    assert links == {"prev": "q=records", "next": "q=records&page=3"}
    for query in links.values():
        client.get(f"{url}?{query}")
    entries = _catalogue_entries()
    for query in ("q=records", "q=records&page=2", "q=records&page=3"):
        with django_assert_max_num_queries(1):
            page = client.get(f"{url}?{query}")
        assert page.status_code == 200
    submitted = client.get(url, {"q": "records", "category": "", "language": ""})
    assert re.findall(r"Records \d", submitted.text) == re.findall(
        r"Records \d", client.get(f"{url}?q=records").text
    )
    assert _catalogue_entries() == entries


def test_lesson_contents_links_open_each_lesson(learner_client, learner):
    course = course_with_lessons(lessons_per_module=2, modules=2)
    EnrollmentFactory(user=learner, course=course)
    first = course.lessons.order_by("module__position", "position").first()
    page = learner_client.get(reverse("courses:lesson", args=[course.slug, first.pk]))
    for lesson in course.lessons.all():
        url = reverse("courses:lesson", args=[course.slug, lesson.pk])
        assert f'href="{url}"' in page.text
        assert learner_client.get(url).status_code == 200


def test_lesson_contents_escape_module_and_lesson_titles(learner_client, learner):
    # The contents list is joined with mark_safe after format_html escaped each item.
    course = course_with_lessons(lessons_per_module=2, modules=1)
    EnrollmentFactory(user=learner, course=course)
    first, second = course.lessons.order_by("position")
    second.title = "<script>alert('lesson')</script>"
    second.save()
    module = first.module
    module.title = '<img src=x onerror="alert(1)">'
    module.save()
    page = learner_client.get(reverse("courses:lesson", args=[course.slug, first.pk])).text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#x27;lesson&#x27;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page


def test_lesson_page_shows_contents_edits_at_once(learner_client, learner):
    course = course_with_lessons(lessons_per_module=2, modules=1)
    EnrollmentFactory(user=learner, course=course)
    first, second = course.lessons.order_by("position")
    url = reverse("courses:lesson", args=[course.slug, first.pk])
    assert second.title in learner_client.get(url).text
    second.title = "Retitled lesson"
    second.save()
    assert "Retitled lesson" in learner_client.get(url).text
    course.status = CourseStatus.DRAFT
    course.save()
    assert learner_client.get(url).status_code == 404


def test_the_cached_lesson_follows_edits_to_its_body_and_attachments(learner_client, learner):
    course = course_with_lessons(lessons_per_module=1, modules=1)
    EnrollmentFactory(user=learner, course=course)
    lesson = course.lessons.get()
    url = reverse("courses:lesson", args=[course.slug, lesson.pk])
    assert learner_client.get(url).status_code == 200
    lesson.body = "Rewritten body"
    lesson.save()
    assert "Rewritten body" in learner_client.get(url).text
    attachment = Attachment.objects.create(
        lesson=lesson, title="Checklist", file=SimpleUploadedFile("c.pdf", b"%PDF-1.4")
    )
    assert "Checklist" in learner_client.get(url).text
    attachment.title = "Renamed checklist"
    attachment.save()
    assert "Renamed checklist" in learner_client.get(url).text
    attachment.delete()
    assert "checklist" not in learner_client.get(url).text.lower()


def test_a_lesson_id_that_does_not_exist_is_404_also_from_the_cache(learner_client, learner):
    course = course_with_lessons(lessons_per_module=1, modules=1)
    EnrollmentFactory(user=learner, course=course)
    url = reverse("courses:lesson", args=[course.slug, 987654])
    assert learner_client.get(url).status_code == 404
    assert learner_client.get(url).status_code == 404


def test_a_cached_lesson_page_runs_only_the_learners_queries(
    learner_client, learner, django_assert_num_queries
):
    """On a cache hit the lesson page reads the user, the enrollment with the learner's
    progress (one query) and the bell's count (and the session); the course and the lesson
    come from the cache."""
    course = course_with_lessons(lessons_per_module=3, modules=2)
    EnrollmentFactory(user=learner, course=course)
    lesson = course.lessons.first()
    url = reverse("courses:lesson", args=[course.slug, lesson.pk])
    learner_client.get(url)
    # With the database cache (no REDIS_URL) the session is a query and the cache one more
    # (the version, course and lesson together); with Redis both come from Redis.
    database_cache = "DatabaseCache" in settings.CACHES["default"]["BACKEND"]
    with django_assert_num_queries(5 if database_cache else 3):
        assert learner_client.get(url).status_code == 200


@pytest.mark.parametrize("next_value", ["²", "٣", "1e3", "-1", "9" * 40, "\x00", " "])
def test_mark_done_with_a_hostile_next_value_stays_on_the_lesson(
    learner_client, learner, next_value
):
    """ "²".isdigit() is true and int("²") raises: this was a 500."""
    course = course_with_lessons(lessons_per_module=2, modules=1)
    EnrollmentFactory(user=learner, course=course)
    lesson = course.lessons.order_by("position").first()

    response = learner_client.post(
        reverse("courses:lesson_done", args=[course.slug, lesson.pk]), {"next": next_value}
    )

    assert response.status_code == 302
    assert response.url == reverse("courses:lesson", args=[course.slug, lesson.pk])
    assert LessonProgress.objects.filter(lesson=lesson).exists()


def test_mark_done_after_withdrawing_records_nothing(learner_client, learner):
    course = course_with_lessons(lessons_per_module=1, modules=1)
    enrollment = EnrollmentFactory(user=learner, course=course)
    lesson = course.lessons.first()
    Enrollment.objects.filter(pk=enrollment.pk).update(status=EnrollmentStatus.WITHDRAWN)

    response = learner_client.post(reverse("courses:lesson_done", args=[course.slug, lesson.pk]))

    assert response.status_code == 302
    assert not LessonProgress.objects.exists()
