"""The admin: trainer picker, role filter names, search across scripts, lists that fit."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from courses.models import Course
from tests.factories import CourseFactory, EnrollmentFactory, UserFactory, give_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = UserFactory(email="admin@example.gov", roles=[Role.ADMINISTRATOR])
    give_totp(admin)
    client.force_login(admin)
    return client


def test_trainer_picker_lists_trainers_only(admin_client):
    trainer = UserFactory(full_name="Тијана Тренер", roles=[Role.TRAINER])
    learner = UserFactory(full_name="Lena Learner")
    hr = UserFactory(full_name="Hana HR", roles=[Role.HR_OFFICER])
    response = admin_client.get(reverse("admin:courses_course_add"))
    choices = {user.pk for user in response.context["adminform"].form.fields["trainers"].queryset}
    assert trainer.pk in choices
    assert learner.pk not in choices and hr.pk not in choices


def test_a_former_trainer_stays_on_the_course_until_removed(admin_client):
    former = UserFactory(full_name="Former Trainer", roles=[Role.LEARNER])
    course = CourseFactory()
    course.trainers.add(former)
    response = admin_client.get(reverse("admin:courses_course_change", args=[course.pk]))
    field = response.context["adminform"].form.fields["trainers"]
    assert former in field.queryset
    assert Course.objects.get(pk=course.pk).trainers.count() == 1


def test_role_filter_shows_human_role_names(admin_client):
    response = admin_client.get(reverse("admin:accounts_user_changelist"))
    html = response.text
    assert "HR officer" in html
    assert "?role=hr_officer" in html
    assert ">hr_officer<" not in html


def test_role_filter_narrows_the_list(admin_client):
    UserFactory(email="trainer@example.gov", roles=[Role.TRAINER])
    UserFactory(email="learner@example.gov")
    response = admin_client.get(reverse("admin:accounts_user_changelist"), {"role": "trainer"})
    emails = {user.email for user in response.context["cl"].result_list}
    assert emails == {"trainer@example.gov"}


@pytest.mark.parametrize("query", ["Đorđe", "djordje", "ЂОРЂЕ", "ljubic", "Ђорђе Љубић"])
def test_user_search_matches_across_scripts(admin_client, query):
    UserFactory(full_name="Ђорђе Љубић", email="dj@example.gov")
    UserFactory(full_name="Ana Anić", email="ana@example.gov")
    response = admin_client.get(reverse("admin:accounts_user_changelist"), {"q": query})
    emails = {user.email for user in response.context["cl"].result_list}
    assert emails == {"dj@example.gov"}


def test_user_search_still_finds_by_email(admin_client):
    UserFactory(full_name="Ана", email="ana.petrovic@example.gov")
    response = admin_client.get(reverse("admin:accounts_user_changelist"), {"q": "petrovic@"})
    assert [user.email for user in response.context["cl"].result_list] == [
        "ana.petrovic@example.gov"
    ]


def test_renaming_a_person_updates_what_search_finds(admin_client):
    person = UserFactory(full_name="Marko Marković")
    person.full_name = "Јована Јовић"
    person.save(update_fields=["full_name"])
    response = admin_client.get(reverse("admin:accounts_user_changelist"), {"q": "jovana"})
    assert [user.pk for user in response.context["cl"].result_list] == [person.pk]


def test_lists_load_the_admin_stylesheet_that_keeps_them_within_the_page(admin_client):
    EnrollmentFactory(course=CourseFactory(title="A very long course title " * 6))
    for name in ["admin:courses_enrollment_changelist", "admin:accounts_user_changelist"]:
        html = admin_client.get(reverse(name)).text
        assert "css/admin.css" in html
