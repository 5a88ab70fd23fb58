"""A person downloads everything held about them; an administrator erases a person for good."""

import json

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.models import User
from accounts.personal_data import registered_sections
from accounts.roles import Role
from audit.models import AuditEvent
from audit.selectors import audit_chain_verify
from courses import services as course_services
from courses.models import Enrollment, EnrollmentStatus, Lesson
from quizzes import services as quiz_services
from quizzes.models import Attempt, ReviewPolicy
from tests.factories import (
    PASSWORD,
    OrgUnitFactory,
    UserFactory,
    course_with_lessons,
    give_totp,
)
from tests.quizzes.factories import QuizFactory, choice_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    unit = OrgUnitFactory(name="Сектор за дигитализацију", code="digital")
    return UserFactory(email="jelena@example.gov", full_name="Јелена Јовановић", org_unit=unit)


@pytest.fixture
def record(person):
    """A completed course with a passed quiz, and an attempt at a second quiz still open."""
    course = course_with_lessons(lessons_per_module=1, modules=1, title="Е-управа")
    enrollment = course_services.enrollment_create(user=person, course=course)
    quiz = QuizFactory(course=course, title="Провера", review_policy=ReviewPolicy.RESPONSES)
    question = choice_question(quiz, text="Који закон?")
    right = question.choices.get(is_correct=True)
    attempt = quiz_services.attempt_start(enrollment=enrollment, quiz=quiz)
    quiz_services.attempt_submit(attempt=attempt, data={f"q-{question.pk}": [str(right.pk)]})
    for lesson in Lesson.objects.filter(course=course):
        course_services.lesson_complete(enrollment=enrollment, lesson=lesson)
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.COMPLETED
    return {"course": course, "enrollment": enrollment, "right": right, "question": question}


@pytest.fixture
def admin_user():
    admin = UserFactory(email="admin@example.gov", roles=[Role.ADMINISTRATOR])
    give_totp(admin)
    return admin


def _download(client) -> dict:
    response = client.post(reverse("personal_data_download"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    return json.loads(response.content)


def test_every_app_with_personal_data_has_a_section():
    assert {s.key for s in registered_sections()} >= {"profile", "enrollments", "quiz_attempts"}


def test_the_profile_page_offers_the_download(client, person):
    client.force_login(person)
    page = client.get(reverse("profile"))
    assert reverse("personal_data_download") in page.text
    assert "Download my data" in page.text


def test_a_learner_downloads_their_profile_progress_and_answers(client, person, record):
    client.force_login(person)
    data = _download(client)

    assert data["format"] == "lms-personal-data/1"
    profile = data["profile"]
    assert profile["email"] == "jelena@example.gov"
    assert profile["full_name"] == "Јелена Јовановић"
    assert profile["organisation_unit"] == {"name": "Сектор за дигитализацију", "code": "digital"}
    assert profile["roles"] == ["learner"]
    assert profile["email_addresses"] == [
        {"email": "jelena@example.gov", "verified": True, "primary": True}
    ]
    [enrollment] = data["enrollments"]
    assert enrollment["course"]["title"] == "Е-управа"
    assert enrollment["status"] == "completed"
    assert len(enrollment["lessons_completed"]) == 1
    [attempt] = data["quiz_attempts"]
    assert attempt["passed"] is True
    [answer] = attempt["answers"]
    assert answer["question"] == "Који закон?"
    assert answer["choices"] == [record["right"].text]
    assert answer["points"] == "1.00"


def test_the_download_never_holds_secrets_or_the_answer_key(client, person, record):
    give_totp(person)
    client.force_login(person)
    text = json.dumps(_download(client), ensure_ascii=False)
    wrong = record["question"].choices.filter(is_correct=False).first()
    assert wrong.text not in text  # choices not chosen, and which one was right, stay out
    assert "is_correct" not in text
    secret = Authenticator.objects.get(user=person, type="totp").data["secret"]
    assert secret not in text
    assert person.password not in text


def test_another_persons_data_is_never_in_the_download(client, person, record):
    other = UserFactory(email="other@example.gov", full_name="Петар Петровић")
    course_services.enrollment_create(user=other, course=record["course"])
    client.force_login(other)
    text = json.dumps(_download(client), ensure_ascii=False)
    assert "jelena@example.gov" not in text
    assert "Јелена" not in text
    assert json.loads(text)["quiz_attempts"] == []


def test_the_download_is_audited(client, person):
    client.force_login(person)
    _download(client)
    event = AuditEvent.objects.get(action="person.export")
    assert (event.actor_id, event.target_id) == (person.pk, str(person.pk))


def test_the_download_needs_a_post_and_a_signed_in_person(client, person):
    assert client.post(reverse("personal_data_download")).status_code == 302
    client.force_login(person)
    assert client.get(reverse("personal_data_download")).status_code == 405


def _erase_in_admin(client, admin_user, people, *, confirm: bool):
    client.force_login(admin_user)
    data = {"action": "erase_people", "_selected_action": [p.pk for p in people]}
    if confirm:
        data["confirm"] = "yes"
    return client.post(reverse("admin:accounts_user_changelist"), data)


def test_the_admin_asks_before_erasing(client, admin_user, person):
    response = _erase_in_admin(client, admin_user, [person], confirm=False)
    assert response.status_code == 200
    assert "cannot be undone" in response.text
    assert person.email in response.text
    assert User.objects.get(pk=person.pk).erased_at is None


def test_erasure_pseudonymises_and_removes_sign_in_but_keeps_statistics(
    client, admin_user, person, record
):
    SocialAccount.objects.create(user=person, provider="openid_connect", uid="ministry-42")
    give_totp(person)
    learner_client = Client()
    learner_client.force_login(person)
    assert Session.objects.count() == 1
    attempts_before = Attempt.objects.filter(enrollment__user=person).count()

    response = _erase_in_admin(client, admin_user, [person], confirm=True)
    assert response.status_code == 302

    erased = User.objects.get(pk=person.pk)
    assert erased.erased_at is not None
    assert erased.full_name.startswith("erased-")
    assert erased.email == f"{erased.full_name}@erased.invalid"
    assert erased.employee_number == ""
    assert not erased.is_active
    assert not erased.has_usable_password()
    assert not EmailAddress.objects.filter(user=erased).exists()
    assert not SocialAccount.objects.filter(user=erased).exists()
    assert not Authenticator.objects.filter(user=erased).exists()
    # Signed out everywhere: the learner's session is gone.
    assert learner_client.get(reverse("profile")).status_code == 302
    assert not Session.objects.exclude(session_key=client.session.session_key).exists()
    # The training record stays, under the pseudonym.
    enrollment = Enrollment.objects.get(pk=record["enrollment"].pk)
    assert enrollment.user_id == erased.pk
    assert enrollment.status == EnrollmentStatus.COMPLETED
    assert Attempt.objects.filter(enrollment__user=erased).count() == attempts_before
    # Nothing of the old identity is left on the row.
    row = User.objects.filter(pk=person.pk).values().get()
    assert "Јелена" not in str(row) and "jelena" not in str(row)
    # A new account may use the address again.
    assert not User.objects.filter(email="jelena@example.gov").exists()


def test_erasure_is_audited_and_the_log_shows_the_pseudonym(client, admin_user, person):
    services.user_set_roles(user=person, roles=[Role.TRAINER], actor=admin_user)
    services.user_set_roles(user=UserFactory(), roles=[Role.HR_OFFICER], actor=person)
    _erase_in_admin(client, admin_user, [person], confirm=True)

    erased = User.objects.get(pk=person.pk)
    event = AuditEvent.objects.get(action="person.erase")
    assert event.actor == admin_user
    assert event.target_id == str(person.pk)
    acted = AuditEvent.objects.filter(actor=erased).exclude(action="person.erase")
    assert acted.exists()
    assert all(str(e.actor) == erased.full_name for e in acted)
    assert "Јелена" not in json.dumps(list(AuditEvent.objects.values("data")), default=str)
    # Erasure rewrites no audit event, so the chain still holds.
    assert audit_chain_verify().problem is None


def test_erasure_cannot_be_repeated_or_undone(client, admin_user, person):
    services.user_erase(actor=admin_user, user=person)
    with pytest.raises(services.ErasureError, match="already been erased"):
        services.user_erase(actor=admin_user, user=User.objects.get(pk=person.pk))
    assert AuditEvent.objects.filter(action="person.erase").count() == 1
    # The old identity cannot sign in again.
    assert not Client().login(email="jelena@example.gov", password=PASSWORD)


def test_an_administrator_cannot_erase_themselves(admin_user):
    with pytest.raises(services.ErasureError, match="your own account"):
        services.user_erase(actor=admin_user, user=admin_user)
    assert User.objects.get(pk=admin_user.pk).erased_at is None


def test_one_refusal_in_the_admin_does_not_stop_the_others(client, admin_user, person):
    other = UserFactory()
    response = _erase_in_admin(client, admin_user, [admin_user, person, other], confirm=True)
    assert response.status_code == 302
    assert User.objects.get(pk=admin_user.pk).erased_at is None
    assert User.objects.filter(pk__in=[person.pk, other.pk], erased_at__isnull=False).count() == 2


def test_an_erased_person_can_be_exported_without_their_identity(admin_user, person, record):
    services.user_erase(actor=admin_user, user=person)
    data = services.personal_data_export(user=User.objects.get(pk=person.pk))
    assert "Јелена" not in json.dumps(data, ensure_ascii=False)
    assert data["enrollments"][0]["status"] == "completed"


def test_the_download_runs_the_same_queries_however_much_data(person):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add_course():
        course = course_with_lessons(lessons_per_module=2, modules=1)
        enrollment = course_services.enrollment_create(user=person, course=course)
        quiz = QuizFactory(course=course)
        choice_question(quiz)
        choice_question(quiz)
        attempt = quiz_services.attempt_start(enrollment=enrollment, quiz=quiz)
        quiz_services.attempt_submit(attempt=attempt, data={})
        for lesson in Lesson.objects.filter(course=course):
            course_services.lesson_complete(enrollment=enrollment, lesson=lesson)

    def queries():
        fresh = User.objects.get(pk=person.pk)
        with CaptureQueriesContext(connection) as ctx:
            services.personal_data_export(user=fresh)
        return len(ctx.captured_queries)

    add_course()
    few = queries()
    for _ in range(4):
        add_course()
    assert queries() == few


def test_each_registered_erase_step_runs_inside_the_erasure(monkeypatch, admin_user, person):
    """An app that holds personal data beyond statistics erases it through the registry."""
    from accounts import personal_data

    seen = []

    def erase(user):
        seen.append((user.pk, user.erased_at is not None))

    monkeypatch.setitem(
        personal_data._sections,
        "notes",
        personal_data.PersonalDataSection(key="notes", export=lambda user: [], erase=erase),
    )
    services.user_erase(actor=admin_user, user=person)
    assert seen == [(person.pk, True)]
    event = AuditEvent.objects.get(action="person.erase")
    assert event.data["sections"] == ["notes"]


def test_a_failing_erase_step_leaves_the_person_untouched(monkeypatch, admin_user, person):
    from accounts import personal_data

    def erase(user):
        raise RuntimeError("storage unavailable")

    monkeypatch.setitem(
        personal_data._sections,
        "files",
        personal_data.PersonalDataSection(key="files", export=lambda user: [], erase=erase),
    )
    with pytest.raises(RuntimeError):
        services.user_erase(actor=admin_user, user=person)
    kept = User.objects.get(pk=person.pk)
    assert (kept.email, kept.erased_at) == ("jelena@example.gov", None)
    assert EmailAddress.objects.filter(user=kept).exists()
    assert not AuditEvent.objects.filter(action="person.erase").exists()


def test_one_failure_in_the_admin_batch_is_reported_and_the_others_are_erased(
    monkeypatch, client, admin_user, person, caplog
):
    from accounts import personal_data

    def erase(user):
        if user.pk == person.pk:
            raise RuntimeError("storage unavailable")

    monkeypatch.setitem(
        personal_data._sections,
        "files",
        personal_data.PersonalDataSection(key="files", export=lambda user: [], erase=erase),
    )
    other = UserFactory()
    response = _erase_in_admin(client, admin_user, [person, other], confirm=True)
    assert response.status_code == 302
    assert User.objects.get(pk=person.pk).erased_at is None
    assert User.objects.get(pk=other.pk).erased_at is not None
    assert "Erasing user" in caplog.text
    page = client.get(response["Location"])
    assert "could not be erased; nothing was changed" in page.text
