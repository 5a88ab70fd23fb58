"""In the browser: a learner downloads their data; an administrator erases a person."""

import json
import re

import pyotp
import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from audit.models import AuditEvent
from courses import services as course_services
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, UserFactory, course_with_lessons, give_totp

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_learner_downloads_their_data_from_the_profile(page, tmp_path):
    learner = UserFactory(email="milica@example.gov", full_name="Милица Милић")
    course = course_with_lessons(title="Дигитална писменост")
    course_services.enrollment_create(user=learner, course=course)

    sign_in(page, learner.email, PASSWORD)
    page.goto("/profile/")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download my data").click()
    download = download_info.value
    assert re.fullmatch(r"my-data-\d{4}-\d{2}-\d{2}\.json", download.suggested_filename)
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["profile"]["full_name"] == "Милица Милић"
    assert data["enrollments"][0]["course"]["title"] == "Дигитална писменост"


def test_an_administrator_erases_a_person_after_confirming(page, settings):
    settings.LMS_REQUIRE_MFA_FOR_PRIVILEGED = True
    admin = UserFactory(email="admin@example.gov", roles=[Role.ADMINISTRATOR])
    secret = give_totp(admin)
    person = UserFactory(email="stefan@example.gov", full_name="Стефан Стефановић")

    sign_in(page, admin.email, PASSWORD)
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Sign In").click()
    page.goto("/admin/accounts/user/")
    page.get_by_role("row", name=re.compile("stefan@example.gov")).get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option("erase_people")
    page.get_by_role("button", name="Go").click()

    expect(page.get_by_text("This cannot be undone.")).to_be_visible()
    assert User.objects.get(pk=person.pk).erased_at is None
    page.get_by_role("button", name="Yes, erase them").click()

    expect(page.get_by_text("Erased 1 person.")).to_be_visible()
    erased = User.objects.get(pk=person.pk)
    assert erased.erased_at is not None
    assert erased.email.endswith("@erased.invalid")
    assert AuditEvent.objects.filter(action="person.erase", target_id=str(person.pk)).exists()
