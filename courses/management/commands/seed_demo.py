"""``manage.py seed_demo``: an organisation, people, courses and enrolments to try the LMS with.

Rows are looked up by their natural keys (unit code, e-mail, category and course slug) and
created only when missing. A row that already exists is left exactly as it is, so a second run
writes nothing, a password someone changed stays changed, and what was done while trying the
demo survives the next ``make run``. To start over, delete the database.
"""

import datetime
from collections import Counter

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts import services as account_services
from accounts.models import OrgUnit, User
from courses import demo_content
from courses.models import (
    Category,
    Course,
    CourseStatus,
    Enrollment,
    EnrollmentSource,
    Lesson,
    Module,
)
from courses.services import (
    EnrollmentError,
    course_set_status,
    enrollment_create,
    lesson_complete,
)

# Shared by every demo account and printed at the end of each run, which is why the command
# refuses to run against a production database.
DEMO_PASSWORD = "demo-lms-2026"  # noqa: S105


class Command(BaseCommand):
    help = (
        "Fill the database with a demo organisation, one account per role, learners, courses "
        "and enrolments. Safe to run again: existing rows are left untouched."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even when PRODUCTION is on. The demo accounts share a published password.",
        )

    def handle(self, *args, allow_production: bool = False, **options):
        """Refuse production, then seed everything in one transaction and print the sign-ins."""
        if settings.PRODUCTION and not allow_production:
            raise CommandError(
                "Refusing to load demo data: this is a production deployment "
                "(DJANGO_ENV=production). The demo accounts share a password printed in clear "
                "text. Pass --allow-production if you really mean it."
            )
        if settings.PRODUCTION:
            self.stderr.write(self.style.WARNING("Loading demo data into a PRODUCTION database."))

        self.created = Counter()
        with transaction.atomic():
            units = self.seed_org_units()
            people = self.seed_people(units)
            categories = self.seed_categories()
            courses = self.seed_courses(categories, trainer=people[demo_content.TRAINER.email])
            self.seed_enrolments(people, courses, assigner=people[demo_content.HR_OFFICER.email])

        self.write_summary()
        self.write_sign_ins()

    def seed_org_units(self) -> dict[str, OrgUnit]:
        """The ministry and partner agency trees, keyed by unit code."""
        codes = [spec.code for spec in demo_content.ORG_UNITS]
        units = {unit.code: unit for unit in OrgUnit.objects.filter(code__in=codes)}
        for spec in demo_content.ORG_UNITS:
            if spec.code in units:
                continue
            parent = units[spec.parent_code] if spec.parent_code else None
            units[spec.code] = account_services.org_unit_create(
                name=spec.name, code=spec.code, parent=parent
            )
            self.created["organisation units"] += 1
        return units

    def seed_people(self, units: dict[str, OrgUnit]) -> dict[str, User]:
        """One account per role plus the learners, keyed by e-mail, all with DEMO_PASSWORD."""
        emails = [spec.email for spec in demo_content.PEOPLE]
        people = {user.email: user for user in User.objects.filter(email__in=emails)}
        for spec in demo_content.PEOPLE:
            if spec.email in people:
                continue
            people[spec.email] = account_services.user_create(
                email=spec.email,
                full_name=spec.full_name,
                password=DEMO_PASSWORD,
                org_unit=units[spec.unit_code],
                roles=spec.roles,
                preferred_language=spec.language,
                employee_number=spec.employee_number,
                email_verified=True,
            )
            self.created["people"] += 1
        return people

    def seed_categories(self) -> dict[str, Category]:
        """Catalogue categories, keyed by slug."""
        categories = {}
        for spec in demo_content.CATEGORIES:
            category, created = Category.objects.get_or_create(
                slug=spec.slug, defaults={"name": spec.name}
            )
            categories[spec.slug] = category
            if created:
                self.created["categories"] += 1
        return categories

    def seed_courses(self, categories: dict[str, Category], trainer: User) -> dict[str, Course]:
        """Every demo course, keyed by slug; a course that exists keeps its current content."""
        slugs = [spec.slug for spec in demo_content.COURSES]
        courses = {course.slug: course for course in Course.objects.filter(slug__in=slugs)}
        for spec in demo_content.COURSES:
            if spec.slug not in courses:
                courses[spec.slug] = self.create_course(
                    spec, category=categories[spec.category_slug], trainer=trainer
                )
        return courses

    def create_course(
        self, spec: demo_content.DemoCourse, *, category: Category, trainer: User
    ) -> Course:
        """Build a course with its modules and lessons, then publish it unless it is a draft."""
        course = Course(
            slug=spec.slug,
            title=spec.title,
            summary=spec.summary,
            description=spec.description,
            category=category,
            language=spec.language,
            estimated_hours=spec.estimated_hours,
            self_enrollment=spec.self_enrollment,
        )
        # There is no authoring service yet, so the model's own validation stands in for the
        # form's: SQLite would store a too-long title and no form ever sees a bad video host.
        course.full_clean()
        course.save()
        course.trainers.add(trainer)
        self.created["courses"] += 1
        for module_position, module_spec in enumerate(spec.modules, start=1):
            module = Module(course=course, title=module_spec.title, position=module_position)
            module.full_clean()
            module.save()
            self.created["modules"] += 1
            for lesson_position, lesson_spec in enumerate(module_spec.lessons, start=1):
                lesson = Lesson(
                    module=module,
                    title=lesson_spec.title,
                    position=lesson_position,
                    body=lesson_spec.body,
                    video_url=lesson_spec.video_url,
                    estimated_minutes=lesson_spec.minutes,
                    required=lesson_spec.required,
                )
                lesson.full_clean()
                lesson.save()
                self.created["lessons"] += 1
        if spec.published:
            course_set_status(course=course, status=CourseStatus.PUBLISHED)
        return course

    def seed_enrolments(
        self, people: dict[str, User], courses: dict[str, Course], *, assigner: User
    ) -> None:
        """Enrol learners and record their progress through the course services.

        An enrolment that exists is someone's learning history and is not touched again: its
        due date stays the one computed on the first run, and its progress is what the learner
        made of it since.
        """
        today = timezone.localdate()
        for spec in demo_content.ENROLMENTS:
            learner, course = people[spec.email], courses[spec.course_slug]
            if Enrollment.objects.filter(user=learner, course=course).exists():
                continue
            try:
                if spec.assigned:
                    due_date = (
                        today + datetime.timedelta(days=spec.due_in_days)
                        if spec.due_in_days is not None
                        else None
                    )
                    enrollment = enrollment_create(
                        user=learner,
                        course=course,
                        source=EnrollmentSource.ASSIGNED,
                        assigned_by=assigner,
                        due_date=due_date,
                    )
                else:
                    enrollment = enrollment_create(user=learner, course=course)
            except EnrollmentError as error:
                # Someone unpublished the course while trying the demo; the rest still seeds.
                self.stderr.write(
                    self.style.WARNING(f"Not enrolling {learner.email} in {course.slug}: {error}")
                )
                continue
            self.created["enrolments"] += 1
            required = Lesson.objects.filter(course=course, required=True)
            done = required if spec.complete else required[: spec.lessons_done]
            for lesson in done:
                lesson_complete(enrollment=enrollment, lesson=lesson)
                self.created["lessons done"] += 1

    def write_summary(self) -> None:
        """One line saying what this run added, or that there was nothing to add."""
        if not self.created:
            self.stdout.write("Demo data already present; nothing was changed.")
            return
        added = ", ".join(f"{count} {what}" for what, count in self.created.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data added: {added}."))

    def write_sign_ins(self) -> None:
        """The table of demo accounts, so that nobody has to look the password up."""
        rows = [
            (str(spec.roles[0].label), spec.email, DEMO_PASSWORD)
            for spec in demo_content.ROLE_ACCOUNTS
        ]
        header = ("Role", "Email", "Password")
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

        def line(cells) -> str:
            padded = (cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
            return ("  " + "  ".join(padded)).rstrip()

        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Demo sign-ins"))
        self.stdout.write(line(header))
        self.stdout.write(line("-" * width for width in widths))
        for row in rows:
            self.stdout.write(line(row))
        example = demo_content.LEARNERS[0].email
        self.stdout.write(
            f"\n  {len(demo_content.LEARNERS)} more learners (such as {example}) use the same "
            "password.\n"
            "  Passwords changed since the first run stay changed.\n"
        )
        self.stdout.write(
            "Two-factor authentication is off under `make run`, which sets LMS_REQUIRE_MFA=0.\n"
            "Anywhere else it is on by default: the trainer, HR officer and administrator set up\n"
            "an authenticator app at their first sign-in."
        )
