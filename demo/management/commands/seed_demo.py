"""``manage.py seed_demo``: an organisation, people, courses, quizzes and enrolments to try the
LMS with.

Rows are looked up by their natural keys (unit code, e-mail, category and course slug, a quiz's
course and title) and created only when missing. A row that already exists is left exactly as
it is, so a second run writes nothing, a password someone changed stays changed, and what was
done while trying the demo survives the next ``make run``. To start over, delete the database.

A quiz is looked up on its own, so a database seeded before the demo had quizzes gets them on
the next run; enrolments made back then keep their history and take no quiz.
"""

import datetime
from collections import Counter

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts import services as account_services
from accounts.models import OrgUnit, User
from certificates.models import Certificate, CertificateStatus
from certificates.services import certificate_issue
from courses import authoring as course_authoring
from courses import demo_content
from courses.models import Category, Course, Enrollment, EnrollmentSource, Lesson, Module
from courses.services import EnrollmentError, enrollment_create, lesson_complete
from notifications.models import NotificationLog
from notifications.services import notifications_sweep
from quizzes import authoring as quiz_authoring
from quizzes import demo_content as quiz_content
from quizzes.models import CHOICE_KINDS, Question, QuestionKind, Quiz
from quizzes.services import QuizError, attempt_start, attempt_submit

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
            self.seed_quizzes(courses)
            self.seed_enrolments(people, courses, assigner=people[demo_content.HR_OFFICER.email])
        self.issue_certificates(people)
        if self.created:
            self.seed_notifications()

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
            category, created = course_authoring.category_get_or_create(
                slug=spec.slug, name=spec.name
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
        """Build a course with its modules and lessons through the authoring services, then
        publish it unless it is a draft."""
        course = course_authoring.course_create(
            actor=None,
            slug=spec.slug,
            title=spec.title,
            summary=spec.summary,
            description=spec.description,
            category=category,
            language=spec.language,
            estimated_hours=spec.estimated_hours,
            self_enrollment=spec.self_enrollment,
            trainers=[trainer],
        )
        self.created["courses"] += 1
        for module_spec in spec.modules:
            module = course_authoring.module_create(course=course, title=module_spec.title)
            self.created["modules"] += 1
            for lesson_spec in module_spec.lessons:
                course_authoring.lesson_create(
                    module=module,
                    title=lesson_spec.title,
                    body=lesson_spec.body,
                    video_url=lesson_spec.video_url,
                    estimated_minutes=lesson_spec.minutes,
                    required=lesson_spec.required,
                )
                self.created["lessons"] += 1
        if spec.published:
            course_authoring.course_publish(course=course, actor=None)
        return course

    def seed_quizzes(self, courses: dict[str, Course]) -> None:
        """The demo courses' quizzes. A quiz whose course already has one by that title is left
        as it is, questions and all, even if it was edited since."""
        specs = quiz_content.QUIZZES
        existing = set(
            Quiz.objects.filter(
                course__in=[courses[spec.course_slug] for spec in specs]
            ).values_list("course_id", "title")
        )
        for spec in specs:
            course = courses[spec.course_slug]
            if (course.pk, spec.title) in existing:
                continue
            module = None
            if spec.module_position is not None:
                module = course.modules.filter(position=spec.module_position).first()
                if module is None:
                    self.stderr.write(
                        self.style.WARNING(
                            f"Not adding the quiz {spec.title!r} to {course.slug}: the course "
                            f"has no module at position {spec.module_position}."
                        )
                    )
                    continue
            self.create_quiz(spec, course=course, module=module)

    def create_quiz(
        self, spec: quiz_content.DemoQuiz, *, course: Course, module: Module | None
    ) -> Quiz:
        """Build a quiz with its questions and their choices through the authoring
        services."""
        quiz = quiz_authoring.quiz_create(
            course=course,
            module=module,
            title=spec.title,
            instructions=spec.instructions,
            position=spec.position,
            pass_mark=spec.pass_mark,
            attempt_limit=spec.attempt_limit,
            time_limit_minutes=spec.time_limit_minutes,
            grading_policy=spec.grading_policy,
            questions_per_attempt=spec.questions_per_attempt,
            shuffle_questions=spec.shuffle_questions,
            shuffle_choices=spec.shuffle_choices,
            review_policy=spec.review_policy,
            required_for_completion=spec.required_for_completion,
        )
        self.created["quizzes"] += 1
        for question_spec in spec.questions:
            quiz_authoring.question_create(
                quiz=quiz,
                kind=question_spec.kind,
                text=question_spec.text,
                points=question_spec.points,
                explanation=question_spec.explanation,
                partial_credit=question_spec.partial_credit,
                accepted_answers=list(question_spec.accepted_answers),
                numeric_answer=question_spec.numeric_answer,
                numeric_tolerance=question_spec.numeric_tolerance,
                choices=[(choice.text, choice.correct) for choice in question_spec.choices],
            )
            self.created["questions"] += 1
        return quiz

    def seed_enrolments(
        self, people: dict[str, User], courses: dict[str, Course], *, assigner: User
    ) -> None:
        """Enrol learners and record their progress through the course and quiz services.

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
            if not (spec.complete or spec.quizzes_passed):
                continue
            # Module quizzes in course order, then the final exam; in a course with required
            # quizzes, passing the last of them is what completes the enrolment.
            quizzes = Quiz.objects.filter(course=course, required_for_completion=True).order_by(
                F("module__position").asc(nulls_last=True), "position", "pk"
            )
            for quiz in quizzes if spec.complete else quizzes[: spec.quizzes_passed]:
                self.pass_quiz(enrollment, quiz)

    def issue_certificates(self, people: dict[str, User]) -> None:
        """Issue the demo people's pending certificates now, through the certificate service, so
        the demo shows a PDF at once whether tasks run in-process or on a worker that may not be
        running yet. The queued task finds them issued and does nothing."""
        pending = Certificate.objects.filter(
            status=CertificateStatus.PENDING,
            enrollment__user__in=[person.pk for person in people.values()],
        ).values_list("pk", flat=True)
        for certificate_id in list(pending):
            certificate = certificate_issue(certificate_id=certificate_id)
            if certificate is not None and certificate.status == CertificateStatus.ISSUED:
                self.created["certificates"] += 1

    def seed_notifications(self) -> None:
        """Run the reminder sweep once, as beat would, after new demo rows were added. The
        assignments above were confirmed through the notification service already, so the
        demo learner's bell shows them; the sweep adds the due-soon and overdue reminders of
        the other demo people. Emails go to the console in the embedded set-up."""
        before = NotificationLog.objects.count()
        notifications_sweep()
        self.created["notifications"] += NotificationLog.objects.count() - before

    def pass_quiz(self, enrollment: Enrollment, quiz: Quiz) -> None:
        """Sit ``quiz`` as the learner would, through the quiz services, answering every
        question on the paper drawn for the attempt correctly."""
        try:
            attempt = attempt_start(enrollment=enrollment, quiz=quiz)
            paper = Question.objects.filter(pk__in=attempt.question_ids).prefetch_related("choices")
            answers = {f"q-{question.pk}": correct_answer(question) for question in paper}
            attempt, _saved = attempt_submit(attempt=attempt, data=answers)
        except QuizError as error:
            # Someone changed the quiz while trying the demo; the rest still seeds.
            self.stderr.write(
                self.style.WARNING(
                    f"{enrollment.user.email} could not take {quiz.title!r}: {error}"
                )
            )
            return
        self.created["quiz attempts"] += 1
        if not attempt.passed:
            self.stderr.write(
                self.style.WARNING(
                    f"{enrollment.user.email} did not pass {quiz.title!r} "
                    f"({attempt.percent}%); has the quiz been edited?"
                )
            )

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


def correct_answer(question: Question) -> list[str]:
    """The values a learner would submit for ``question`` to get it right, in the form the
    attempt form posts them: choice ids, the first accepted text, or the correct number."""
    if question.kind in CHOICE_KINDS:
        return [str(choice.pk) for choice in question.choices.all() if choice.is_correct]
    if question.kind == QuestionKind.SHORT_TEXT:
        return [str(question.accepted_answers[0])] if question.accepted_answers else []
    if question.numeric_answer is None:
        return []
    return [format(question.numeric_answer.normalize(), "f")]
