"""Certificate pages: who sees what, downloads, public verification, revocation through the
page, template choice, preview, bulk jobs, and query counts that do not grow."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.roles import Role
from certificates import services
from certificates.models import Certificate, CertificateStatus, CertificateTemplate
from jobs.models import BackgroundJob, JobStatus
from tests.certificates.helpers import complete_course, decode_qr, pdf_text
from tests.factories import OrgUnitFactory, UserFactory, course_with_lessons, give_totp
from tests.query_counts import assert_query_count

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def privileged(role, **kwargs):
    """A trainer, HR officer or administrator with the authenticator app the site requires."""
    user = UserFactory(roles=(role,), **kwargs)
    give_totp(user)
    return user


def issued(**kwargs) -> Certificate:
    enrollment = complete_course(**kwargs)
    certificate = Certificate.objects.get(enrollment=enrollment)
    return services.certificate_issue(certificate_id=certificate.pk)


def test_holder_downloads_a_pdf_with_a_readable_file_name(client):
    certificate = issued()
    client.force_login(certificate.enrollment.user)
    response = client.get(reverse("certificates:download", args=[certificate.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    slug = certificate.enrollment.course.slug
    assert f'filename="{certificate.serial}-{slug}.pdf"' in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF") and "Бранко Ружић" in pdf_text(content)


def test_my_learning_and_the_course_page_link_to_the_pdf(client):
    certificate = issued()
    client.force_login(certificate.enrollment.user)
    url = reverse("certificates:download", args=[certificate.pk])
    assert url in client.get(reverse("courses:my_learning")).content.decode()
    course_page = reverse("courses:detail", args=[certificate.enrollment.course.slug])
    assert url in client.get(course_page).content.decode()


def test_pending_certificate_shows_as_being_prepared(client):
    enrollment = complete_course()
    certificate = Certificate.objects.get(enrollment=enrollment)
    client.force_login(enrollment.user)
    page = client.get(reverse("certificates:detail", args=[certificate.pk])).content.decode()
    assert "being prepared" in page
    assert reverse("certificates:download", args=[certificate.pk]) not in page
    response = client.get(reverse("certificates:download", args=[certificate.pk]))
    assert response.status_code == 404


def test_others_get_404_and_hr_sees_only_their_subtree(client):
    parent = OrgUnitFactory()
    child = OrgUnitFactory(parent=parent)
    sibling = OrgUnitFactory()
    certificate = issued(user=UserFactory(full_name="오현목", org_unit=child))
    urls = [
        reverse("certificates:detail", args=[certificate.pk]),
        reverse("certificates:download", args=[certificate.pk]),
    ]
    outsiders = [
        UserFactory(),
        privileged(Role.HR_OFFICER, org_unit=sibling),
        privileged(Role.TRAINER),
    ]
    for outsider in outsiders:
        client.force_login(outsider)
        assert {client.get(url).status_code for url in urls} == {404}
    client.force_login(privileged(Role.HR_OFFICER, org_unit=parent))
    assert {client.get(url).status_code for url in urls} == {200}
    client.logout()
    assert client.get(urls[0]).status_code == 302


def test_unknown_certificate_is_404(client, learner):
    client.force_login(learner)
    assert client.get(reverse("certificates:detail", args=[999999])).status_code == 404
    assert client.get(reverse("certificates:download", args=[999999])).status_code == 404


def test_verification_shows_only_public_facts(client):
    certificate = issued()
    user = certificate.enrollment.user
    response = client.get(reverse("verify", args=[certificate.code]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Valid certificate" in page
    for fact in ["Бранко Ружић", certificate.course_title, certificate.serial]:
        assert fact in page
    assert user.email not in page


def test_qr_leads_to_a_page_that_says_valid_and_then_revoked(client, settings):
    settings.LMS_SITE_URL = "https://lms.example.gov"
    certificate = issued(user=UserFactory(full_name="Đorđe Čačak"))
    with certificate.pdf.open("rb") as handle:
        [url] = decode_qr(handle.read())
    assert url == f"https://lms.example.gov/v/{certificate.code}/"
    path = url.removeprefix("https://lms.example.gov")
    assert "Valid certificate" in client.get(path).content.decode()

    admin = privileged(Role.ADMINISTRATOR)
    client.force_login(admin)
    response = client.post(
        reverse("certificates:revoke", args=[certificate.pk]), {"reason": "Private reason"}
    )
    assert response.status_code == 302
    client.logout()
    page = client.get(path).content.decode()
    assert "was revoked on" in page
    assert "Private reason" not in page


def test_verification_accepts_lower_case_and_unknown_codes_are_not_found(client):
    certificate = issued()
    assert client.get(f"/v/{certificate.code.lower()}/").status_code == 200
    response = client.get("/v/ZZZZZZZZZZZZZZ/")
    assert response.status_code == 404
    assert "Certificate not found" in response.content.decode()
    assert client.get("/v/%3Cscript%3E/").status_code == 404
    grouped = f"{certificate.code[:4]}-{certificate.code[4:9]} {certificate.code[9:]}"
    assert client.get(f"/v/{grouped}/").status_code == 200
    # A NUL byte was a 500 on PostgreSQL (tests/integration/test_hostile_input_postgres.py).
    assert client.get(f"/v/{certificate.code}%00/").status_code == 404


def test_verification_does_the_same_work_for_known_and_unknown_codes(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    certificate = issued()
    counts = []
    for code in [certificate.code, "ZZZZZZZZZZZZZZ", "short"]:
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            client.get(f"/v/{code}/")
        counts.append(len(ctx.captured_queries))
    assert len(set(counts)) == 1, counts


def test_verification_is_rate_limited(client, settings):
    settings.LMS_VERIFY_RATE_LIMIT = 3
    statuses = [client.get("/v/ZZZZZZZZZZZZZZ/").status_code for _ in range(5)]
    assert statuses == [404, 404, 404, 429, 429]


def test_verification_reads_in_every_language(client):
    certificate = issued()
    expected = {
        "en": "Valid certificate",
        "sr": "Сертификат је важећи",
        "sr-latn": "Sertifikat je važeći",
        "ko": "유효한 수료증",
    }
    for language, text in expected.items():
        client.post(reverse("set_language"), {"language": language})
        response = client.get(f"/v/{certificate.code}/")
        page = response.content.decode()
        assert response.status_code == 200
        assert f'lang="{language}"' in page and text in page and "Бранко Ружић" in page


def test_only_administrators_revoke_and_a_blank_reason_re_renders_with_an_error(client):
    certificate = issued()
    url = reverse("certificates:revoke", args=[certificate.pk])
    client.force_login(certificate.enrollment.user)
    assert client.post(url, {"reason": "mine"}).status_code == 404
    client.force_login(privileged(Role.ADMINISTRATOR))
    response = client.post(url, {"reason": "   "})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.ISSUED


def test_administrator_reissues_through_the_page(client):
    certificate = issued()
    client.force_login(privileged(Role.ADMINISTRATOR))
    response = client.post(reverse("certificates:reissue", args=[certificate.pk]))
    replacement = Certificate.objects.exclude(pk=certificate.pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("certificates:detail", args=[replacement.pk])
    client.force_login(certificate.enrollment.user)
    assert client.post(reverse("certificates:reissue", args=[replacement.pk])).status_code == 404


def test_trainer_chooses_a_template_for_their_own_course_only(client):
    trainer = privileged(Role.TRAINER)
    own = course_with_lessons(1, 1, trainers=[trainer])
    other = course_with_lessons(1, 1)
    template = CertificateTemplate.objects.create(name="Ministry", organisation="Ministry")
    client.force_login(trainer)
    url = reverse("certificates:course", args=[own.slug])
    assert client.post(url, {"template": template.pk}).status_code == 302
    assert services.template_for_course(own.pk) == template
    assert client.post(url, {"template": 99999}).status_code == 400
    other_url = reverse("certificates:course", args=[other.slug])
    assert client.post(other_url, {"template": template.pk}).status_code == 404
    assert services.template_for_course(other.pk).is_default


def test_template_preview_prints_the_sample_names(client):
    template = CertificateTemplate.objects.get(is_default=True)
    client.force_login(privileged(Role.ADMINISTRATOR))
    response = client.get(reverse("certificates:template_preview", args=[template.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for name in services.SAMPLE_NAMES:
        assert name in text
    client.force_login(UserFactory())
    assert (
        client.get(reverse("certificates:template_preview", args=[template.pk])).status_code == 404
    )


def test_trainer_downloads_a_zip_through_a_background_job(
    client, django_capture_on_commit_callbacks
):
    import io
    import zipfile

    trainer = privileged(Role.TRAINER)
    course = course_with_lessons(1, 1, trainers=[trainer])
    first = issued(course=course)
    second = issued(course=course, user=UserFactory(full_name="오현목"))
    client.force_login(trainer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("certificates:course_zip", args=[course.slug]))
    job = BackgroundJob.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.public_id])
    assert job.status == JobStatus.DONE and (job.progress, job.total) == (2, 2)
    status = client.get(reverse("jobs:status", args=[job.public_id])).json()
    assert status["percent"] == 100 and status["download_url"]
    download = client.get(status["download_url"])
    names = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).namelist()
    assert sorted(names) == sorted(c.download_filename() for c in (first, second))

    client.force_login(privileged(Role.TRAINER))
    assert client.get(reverse("jobs:detail", args=[job.public_id])).status_code == 404
    assert client.get(status["download_url"]).status_code == 404


def test_hr_zip_holds_only_their_subtree(client, django_capture_on_commit_callbacks):
    import io
    import zipfile

    unit, sibling = OrgUnitFactory(), OrgUnitFactory()
    course = course_with_lessons(1, 1)
    mine = issued(course=course, user=UserFactory(full_name="Ана", org_unit=unit))
    issued(course=course, user=UserFactory(full_name="Ива", org_unit=sibling))
    client.force_login(privileged(Role.HR_OFFICER, org_unit=unit))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("certificates:course_zip", args=[course.slug]))
    job = BackgroundJob.objects.get()
    with job.result.open("rb") as handle:
        assert zipfile.ZipFile(io.BytesIO(handle.read())).namelist() == [mine.download_filename()]


def test_only_administrators_rerender_a_course(client, django_capture_on_commit_callbacks):
    trainer = privileged(Role.TRAINER)
    course = course_with_lessons(1, 1, trainers=[trainer])
    certificate = issued(course=course)
    url = reverse("certificates:course_rerender", args=[course.slug])
    client.force_login(trainer)
    assert client.post(url).status_code == 404
    template = CertificateTemplate.objects.create(name="New look", organisation="Нова служба")
    services.course_set_certificate_template(course=course, template=template, actor=trainer)
    client.force_login(privileged(Role.ADMINISTRATOR))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    job = BackgroundJob.objects.get()
    assert job.status == JobStatus.DONE and job.result_summary == {"rerendered": 1, "failed": 0}
    stored = Certificate.objects.get(pk=certificate.pk)
    with stored.pdf.open("rb") as handle:
        assert "Нова служба" in pdf_text(handle.read())


def test_list_pages_run_a_fixed_number_of_queries(client, django_assert_num_queries):
    admin = privileged(Role.ADMINISTRATOR)
    course = course_with_lessons(1, 1)
    learner = UserFactory(full_name="오현목")
    issued(course=course, user=learner)
    client.force_login(learner)
    mine = reverse("certificates:mine")
    my_learning = reverse("courses:my_learning")
    from tests.query_counts import count_queries

    mine_count = count_queries(client, mine)
    learning_count = count_queries(client, my_learning)
    client.force_login(admin)
    course_url = reverse("certificates:course", args=[course.slug])
    course_count = count_queries(client, course_url)
    for _ in range(4):
        other = course_with_lessons(1, 1)
        issued(course=other, user=learner)
        issued(course=course)
    client.force_login(learner)
    assert_query_count(client, django_assert_num_queries, mine, mine_count)
    assert_query_count(client, django_assert_num_queries, my_learning, learning_count)
    client.force_login(admin)
    assert_query_count(client, django_assert_num_queries, course_url, course_count)


def test_hr_officer_reaches_course_lists_from_the_certificates_page(client):
    unit, sibling = OrgUnitFactory(), OrgUnitFactory()
    seen = course_with_lessons(1, 1, title="Seen course")
    unseen = course_with_lessons(1, 1, title="Unseen course")
    issued(course=seen, user=UserFactory(full_name="Ана", org_unit=unit))
    issued(course=unseen, user=UserFactory(full_name="Ива", org_unit=sibling))
    client.force_login(privileged(Role.HR_OFFICER, org_unit=unit))
    page = client.get(reverse("certificates:mine")).content.decode()
    assert reverse("certificates:course", args=[seen.slug]) in page
    assert reverse("certificates:course", args=[unseen.slug]) not in page
    listing = client.get(reverse("certificates:course", args=[unseen.slug]))
    assert listing.status_code == 200 and "Ива" not in listing.content.decode()


def test_template_images_are_checked_for_type_and_size():
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from certificates.models import IMAGE_MAX_BYTES, validate_template_image

    validate_template_image(SimpleUploadedFile("logo.png", b"x" * 100))
    with pytest.raises(ValidationError):
        validate_template_image(SimpleUploadedFile("logo.svg", b"<svg/>"))
    with pytest.raises(ValidationError):
        validate_template_image(SimpleUploadedFile("logo.png", b"x" * (IMAGE_MAX_BYTES + 1)))


def test_rate_limit_counts_each_client_behind_a_proxy(client, settings):
    settings.LMS_VERIFY_RATE_LIMIT = 2
    settings.LMS_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    first = {"HTTP_X_FORWARDED_FOR": "198.51.100.7, 203.0.113.1"}
    second = {"HTTP_X_FORWARDED_FOR": "203.0.113.2"}
    assert [client.get("/v/ZZZZZZZZZZZZZZ/", **first).status_code for _ in range(3)] == [
        404,
        404,
        429,
    ]
    assert client.get("/v/ZZZZZZZZZZZZZZ/", **second).status_code == 404
