import factory
from allauth.account.models import EmailAddress

from accounts import services as account_services
from accounts.models import OrgUnit, User
from accounts.roles import Role
from courses.models import (
    Category,
    Course,
    CourseStatus,
    Enrollment,
    EnrollmentSource,
    Lesson,
    LessonProgress,
    Module,
)

PASSWORD = "correct-horse-battery-7"


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    name = factory.Sequence(lambda n: f"Unit {n}")
    code = factory.Sequence(lambda n: f"unit-{n}")
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return account_services.org_unit_create(**kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.gov")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    org_unit = None

    @classmethod
    def _create(cls, model_class, *args, roles=(Role.LEARNER,), **kwargs):
        user = User.objects.create_user(password=PASSWORD, **kwargs)
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
        account_services.user_set_roles(user=user, roles=roles)
        return user


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"course-{n}")
    title = factory.Sequence(lambda n: f"Course {n}")
    description = "A course about **digital** public services."
    category = factory.SubFactory(CategoryFactory)
    language = "en"
    status = CourseStatus.PUBLISHED
    self_enrollment = True

    @factory.post_generation
    def trainers(self, create, extracted, **kwargs):
        if create and extracted:
            self.trainers.set(extracted)


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    course = factory.SubFactory(CourseFactory)
    title = factory.Sequence(lambda n: f"Module {n}")
    position = factory.Sequence(lambda n: n)


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    module = factory.SubFactory(ModuleFactory)
    title = factory.Sequence(lambda n: f"Lesson {n}")
    position = factory.Sequence(lambda n: n)
    body = "Read this **carefully**."
    required = True


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    user = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CourseFactory)
    source = EnrollmentSource.SELF


class LessonProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LessonProgress

    enrollment = factory.SubFactory(EnrollmentFactory)
    lesson = factory.SubFactory(LessonFactory)


def course_with_lessons(lessons_per_module=2, modules=2, **course_kwargs) -> Course:
    """A published course with modules and required lessons, in order."""
    course = CourseFactory(**course_kwargs)
    for m in range(modules):
        module = ModuleFactory(course=course, position=m + 1)
        for n in range(lessons_per_module):
            LessonFactory(module=module, position=n + 1)
    return course


def give_totp(user: User) -> str:
    """Activate an authenticator app for ``user``; returns the TOTP secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def hr_officer(unit: OrgUnit, **kwargs) -> User:
    """An HR officer of ``unit`` with TOTP set up, as production requires of the role."""
    officer = UserFactory(roles=(Role.HR_OFFICER,), org_unit=unit, **kwargs)
    give_totp(officer)
    return officer
