import pytest
from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction

from accounts.models import User
from accounts.permissions import is_administrator, user_roles
from accounts.roles import Role
from accounts.services import user_create, user_set_roles
from tests.factories import OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("full_name", ["Ђорђе Љубић", "Đorđe Ljubić", "오현목"])
def test_user_create_stores_the_name_as_typed(full_name):
    user = user_create(email="person@example.gov", full_name=full_name)

    assert User.objects.get(pk=user.pk).full_name == full_name
    assert str(user) == full_name


def test_user_create_lowercases_the_email_address():
    user = user_create(email="Djordje.Ljubic@Uprava.GOV.rs", full_name="Ђорђе Љубић")

    assert User.objects.get(pk=user.pk).email == "djordje.ljubic@uprava.gov.rs"


def test_user_create_makes_a_learner_by_default():
    user = user_create(email="learner@example.gov", full_name="오현목")

    assert set(user.groups.values_list("name", flat=True)) == {Role.LEARNER}
    assert not user.is_staff
    assert not user.is_superuser


def test_user_create_sets_the_given_roles():
    user = user_create(
        email="officer@example.gov",
        full_name="Ђорђе Љубић",
        roles=[Role.TRAINER, Role.HR_OFFICER],
    )

    assert set(user.groups.values_list("name", flat=True)) == {Role.TRAINER, Role.HR_OFFICER}
    assert not user.is_staff


def test_user_create_records_a_verified_address_only_when_asked():
    verified = user_create(email="a@example.gov", full_name="A", email_verified=True)
    unverified = user_create(email="b@example.gov", full_name="B")

    assert EmailAddress.objects.filter(user=verified, verified=True, primary=True).count() == 1
    assert not EmailAddress.objects.filter(user=unverified).exists()


def test_user_create_sets_the_organisation_from_the_unit():
    ministry = OrgUnitFactory()
    department = OrgUnitFactory(parent=OrgUnitFactory(parent=ministry))

    user = user_create(email="p@example.gov", full_name="P", org_unit=department)

    assert User.objects.get(pk=user.pk).organisation_id == ministry.pk


def test_the_same_employee_number_may_be_used_in_two_organisations():
    first = user_create(
        email="a@example.gov", full_name="A", org_unit=OrgUnitFactory(), employee_number="1042"
    )
    second = user_create(
        email="b@example.gov", full_name="B", org_unit=OrgUnitFactory(), employee_number="1042"
    )

    assert first.organisation_id != second.organisation_id
    assert User.objects.filter(employee_number="1042").count() == 2


def test_an_employee_number_is_unique_within_one_organisation():
    ministry = OrgUnitFactory()
    sector = OrgUnitFactory(parent=ministry)
    department = OrgUnitFactory(parent=sector)
    user_create(email="a@example.gov", full_name="A", org_unit=sector, employee_number="1042")

    with pytest.raises(IntegrityError), transaction.atomic():
        user_create(
            email="b@example.gov", full_name="B", org_unit=department, employee_number="1042"
        )

    assert not User.objects.filter(email="b@example.gov").exists()


def test_blank_employee_numbers_may_repeat_within_an_organisation():
    ministry = OrgUnitFactory()

    user_create(email="a@example.gov", full_name="A", org_unit=ministry)
    user_create(email="b@example.gov", full_name="B", org_unit=ministry)

    assert User.objects.filter(organisation=ministry, employee_number="").count() == 2


def test_user_set_roles_administrator_opens_the_admin_and_removing_it_closes_it():
    user = UserFactory(roles=[Role.LEARNER])
    assert not is_administrator(user)

    user_set_roles(user=user, roles=[Role.ADMINISTRATOR])

    stored = User.objects.get(pk=user.pk)
    assert stored.is_staff
    assert stored.is_superuser
    assert is_administrator(user)  # the cached roles of this object were refreshed

    user_set_roles(user=user, roles=[Role.LEARNER])

    stored = User.objects.get(pk=user.pk)
    assert not stored.is_staff
    assert not stored.is_superuser
    assert not is_administrator(user)
    assert user_roles(stored) == {Role.LEARNER}


def test_user_set_roles_replaces_the_previous_roles():
    user = UserFactory(roles=[Role.LEARNER, Role.TRAINER])

    user_set_roles(user=user, roles=[Role.HR_OFFICER])

    assert set(user.groups.values_list("name", flat=True)) == {Role.HR_OFFICER}
    assert not User.objects.get(pk=user.pk).is_staff
