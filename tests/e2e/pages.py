"""Every page the browser tier checks for accessibility, in one table.

A new page a learner, trainer, HR officer or visitor can reach goes into ``PAGES`` (with the
data it needs added to ``build_site``): ``test_accessibility.py`` then runs axe's WCAG 2.1 A
and AA rules on it in every language of the site.
"""

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from accounts.models import OrgUnit, User
from accounts.roles import Role
from certificates import bulk as certificate_bulk
from certificates import services as certificate_services
from certificates.models import Certificate
from courses import authoring as course_authoring
from courses import services as course_services
from courses.models import Course, Enrollment, EnrollmentSource, Lesson
from jobs import services as job_services
from jobs.models import BackgroundJob
from quizzes import authoring as quiz_authoring
from quizzes import services as quiz_services
from quizzes.models import Attempt, Quiz, ReviewPolicy
from reports import exports as report_exports
from reports.selectors import ReportFilters
from tests.factories import (
    PASSWORD,
    CategoryFactory,
    CourseFactory,
    LessonFactory,
    ModuleFactory,
    OrgUnitFactory,
    UserFactory,
    give_totp,
)
from tests.quizzes.factories import quiz_with_every_kind, wrong_answers

# The languages of the site, as <html lang> states them.
LANGUAGES = ("en", "sr", "sr-latn", "ko")

VISITOR = None
LEARNER = Role.LEARNER
TRAINER = Role.TRAINER
HR_OFFICER = Role.HR_OFFICER


@dataclass
class Site:
    """What the checked pages show: one learner part-way through a course with a quiz, its
    trainer, and an HR officer of the unit above the learner's."""

    unit: OrgUnit
    learner: User
    trainer: User
    hr_officer: User
    course: Course
    lessons: list[Lesson]
    enrollment: Enrollment
    quiz: Quiz
    submitted: Attempt
    open_attempt: Attempt
    certificate: Certificate
    job: BackgroundJob

    def user_for(self, role: Role) -> User:
        return {LEARNER: self.learner, TRAINER: self.trainer, HR_OFFICER: self.hr_officer}[role]


@dataclass(frozen=True)
class Page:
    name: str
    role: Role | None  # who opens it; None for a visitor
    path: Callable[[Site], str]
    status: int = 200
    # A project URLconf that adds a test-only route (for a page no route reaches today).
    urlconf: str | None = None
    # Steps taken on the page before the check, for a state such as a form showing its errors.
    # They find fields by name, not by label, so they work in every language.
    then: Callable[[object, Site], None] | None = None


def _submit(page, fields: dict[str, str], *, errors: bool = True) -> None:
    """Fill the named fields, send the form with Enter in the last one and wait for the errors
    the page must then show (or make sure it shows none)."""
    for name, value in fields.items():
        page.locator(f"main [name={name}]").fill(value)
    with page.expect_navigation():
        page.locator(f"main [name={name}]").press("Enter")
    expect(page.locator("main .errorlist")).to_have_count(1 if errors else 0)


def _confirm_password(page, site: Site) -> None:
    _submit(page, {"password": PASSWORD}, errors=False)
    expect(page.locator("main [name=code]")).to_be_visible()


def _without_csrf_cookie(page, site: Site) -> None:
    """Send the sign-in form after the CSRF cookie is gone (blocked or cleared cookies)."""
    page.context.clear_cookies(name="csrftoken")
    page.locator("main [name=login]").fill(site.learner.email)
    page.locator("main [name=password]").fill(PASSWORD)
    with page.expect_response(lambda r: r.request.method == "POST") as sent:
        page.locator("main [name=password]").press("Enter")
    assert sent.value.status == 403
    expect(page.locator("main h1")).to_be_visible()


def _wrong_password(page, site: Site) -> None:
    _submit(page, {"login": site.learner.email, "password": "not-the-password-1"})


def _mismatched_passwords(page, site: Site) -> None:
    _submit(
        page,
        {
            "email": "new.person@example.gov",
            "full_name": "Нова Особа",
            "password1": "first-Passphrase-42",
            "password2": "second-Passphrase-42",
        },
    )


def _blank_name(page, site: Site) -> None:
    _submit(page, {"full_name": "   "})


def _number_that_is_not(page, site: Site) -> None:
    numeric = site.quiz.questions.get(kind="numeric")
    _submit(page, {f"q-{numeric.pk}": "about three"})


def _unsubscribe_url(site: Site) -> str:
    from notifications.tokens import make_token

    token = make_token(user_id=site.learner.pk, kinds=["inactivity"])
    return reverse("notifications:unsubscribe", args=[token])


def _quiz_url(name: str, site: Site, **kwargs) -> str:
    return reverse(f"quizzes:{name}", args=[site.course.slug, site.quiz.pk, *kwargs.values()])


def _reports_url(name: str, query: str = "", *args) -> str:
    return reverse(f"reports:{name}", args=args) + query


def _assign_preview(page, site: Site) -> None:
    """Assign the course to the whole unit and wait for the preview of who will be enrolled."""
    page.locator("main [name=course]").select_option(str(site.course.pk))
    page.locator("main [name=source][value=unit]").check()
    page.locator("main [name=unit]").select_option(str(site.unit.pk))
    with page.expect_navigation():
        page.locator("main button[name=action][value=preview]").click()
    expect(page.locator("main #preview-heading")).to_be_visible()


def _report_job_url(site: Site, *, done: bool) -> str:
    """A large export of the report the HR officer asked for, part-way through or built. The
    job row is made here without queueing it, so no worker changes it under the check."""
    job = BackgroundJob.objects.create(
        kind=report_exports.EXPORT_KIND,
        requester=site.hr_officer,
        params={"format": "csv", "filters": ReportFilters().as_params()},
    )
    job_services.job_start(job=job, total=12000)
    job_services.job_advance(job=job, by=4500)
    if done:
        job_services.job_advance(job=job, by=7500)
        job_services.job_finish(job=job, result=("report.csv", "\ufeffName\r\n".encode()))
    return reverse("jobs:detail", args=[job.public_id])


def _teach_url(name: str, *args) -> str:
    return reverse(f"teaching:{name}", args=args)


def _bad_slug(page, site: Site) -> None:
    """A new course whose address is not a slug: one field error, at the slug."""
    page.locator("main [name=title]").fill("Нови курс")
    page.locator("main [name=language]").select_option("sr")
    _submit(page, {"slug": "not a slug!"})


def _lesson_preview(page, site: Site) -> None:
    with page.expect_navigation():
        page.locator("main button[name=preview]").click()
    expect(page.locator("main #preview-heading")).to_be_visible()


def _bad_question(page, site: Site) -> None:
    """A numeric question without its value: one field error, at the value."""
    page.locator("main [name=kind]").select_option("numeric")
    _submit(page, {"text": "Колико?", "numeric_answer": ""})


def _aiken_preview(page, site: Site) -> None:
    page.locator("main [name=text]").fill(
        "Који потпис је квалификован?\nA. Напредни\nB. Квалификовани\nANSWER: B\n\n"
        "No answer line\nA. Yes\nB. No\n"
    )
    with page.expect_navigation():
        page.locator("main button[name=action][value=preview]").click()
    expect(page.locator("main #preview-heading")).to_be_visible()


def _gift_preview(page, site: Site) -> None:
    """GIFT with a missing word, a range, several numeric answers (a note) and an essay."""
    page.locator("main [name=format]").select_option("gift")
    page.locator("main [name=text]").fill(
        "Потпис {~напредни =квалификовани} важи као својеручни.\n\n"
        "Колико чланова има комисија? {#3..7}\n\n"
        "Када је рођен Вук? {#=%50%1786:2 =1787:0}\n\n"
        "Напишите есеј. {}\n"
    )
    with page.expect_navigation():
        page.locator("main button[name=action][value=preview]").click()
    expect(page.locator("main #preview-heading")).to_be_visible()


def _preview_checked(page, site: Site) -> None:
    with page.expect_navigation():
        page.locator("main .quiz-actions button").click()
    expect(page.locator("main #result-heading")).to_be_visible()


PAGES = (
    Page("catalogue", VISITOR, lambda s: reverse("courses:catalogue")),
    Page("catalogue-search", VISITOR, lambda s: reverse("courses:catalogue") + "?q=security"),
    Page("catalogue-no-match", VISITOR, lambda s: reverse("courses:catalogue") + "?q=zzzqqq"),
    Page("course-visitor", VISITOR, lambda s: reverse("courses:detail", args=[s.course.slug])),
    Page("course-enrolled", LEARNER, lambda s: reverse("courses:detail", args=[s.course.slug])),
    Page(
        "lesson",
        LEARNER,
        lambda s: reverse("courses:lesson", args=[s.course.slug, s.lessons[1].pk]),
    ),
    Page("quiz-start", LEARNER, lambda s: _quiz_url("detail", s)),
    Page("quiz-attempt", LEARNER, lambda s: _quiz_url("attempt", s, a=s.open_attempt.pk)),
    Page(
        "quiz-attempt-errors",
        LEARNER,
        lambda s: _quiz_url("attempt", s, a=s.open_attempt.pk),
        then=_number_that_is_not,
    ),
    Page("quiz-result-review", LEARNER, lambda s: _quiz_url("result", s, a=s.submitted.pk)),
    Page("my-learning", LEARNER, lambda s: reverse("courses:my_learning")),
    Page("profile", LEARNER, lambda s: reverse("profile")),
    Page("profile-errors", LEARNER, lambda s: reverse("profile"), then=_blank_name),
    Page("password-change", LEARNER, lambda s: reverse("account_change_password")),
    Page("email-addresses", LEARNER, lambda s: reverse("account_email")),
    Page("two-factor", LEARNER, lambda s: reverse("mfa_index")),
    # Setting up an authenticator asks for the password again first.
    Page("reauthenticate", LEARNER, lambda s: reverse("mfa_activate_totp")),
    Page(
        "two-factor-activate",
        LEARNER,
        lambda s: reverse("mfa_activate_totp"),
        then=_confirm_password,
    ),
    Page("sign-in", VISITOR, lambda s: reverse("account_login")),
    Page("sign-in-errors", VISITOR, lambda s: reverse("account_login"), then=_wrong_password),
    Page("sign-up", VISITOR, lambda s: reverse("account_signup")),
    Page(
        "sign-up-errors", VISITOR, lambda s: reverse("account_signup"), then=_mismatched_passwords
    ),
    Page("password-reset", VISITOR, lambda s: reverse("account_reset_password")),
    Page("password-reset-sent", VISITOR, lambda s: reverse("account_reset_password_done")),
    Page("quiz-report", TRAINER, lambda s: _quiz_url("report", s)),
    Page("attempt-review-trainer", TRAINER, lambda s: _quiz_url("review", s, a=s.submitted.pk)),
    Page("my-learning-trainer", TRAINER, lambda s: reverse("courses:my_learning")),
    Page(
        "enrolment-hr",
        HR_OFFICER,
        lambda s: reverse("courses:enrollment", args=[s.enrollment.pk]),
    ),
    Page("reports-dashboard", HR_OFFICER, lambda s: _reports_url("dashboard")),
    Page(
        "reports-dashboard-course",
        HR_OFFICER,
        lambda s: _reports_url("dashboard", f"?course={s.course.pk}"),
    ),
    Page("reports-completion", HR_OFFICER, lambda s: _reports_url("completion")),
    Page(
        "reports-completion-filtered",
        HR_OFFICER,
        lambda s: _reports_url("completion", f"?unit={s.unit.pk}&include_subunits=on&q=Ана"),
    ),
    Page("reports-assign", HR_OFFICER, lambda s: _reports_url("assign")),
    Page(
        "reports-assign-preview",
        HR_OFFICER,
        lambda s: _reports_url("assign"),
        then=_assign_preview,
    ),
    Page(
        "reports-person",
        HR_OFFICER,
        lambda s: _reports_url("person", "", s.learner.pk),
    ),
    Page("reports-completion-trainer", TRAINER, lambda s: _reports_url("completion")),
    Page("reports-job-running", HR_OFFICER, lambda s: _report_job_url(s, done=False)),
    Page("reports-job-done", HR_OFFICER, lambda s: _report_job_url(s, done=True)),
    Page("error-403-csrf", VISITOR, lambda s: reverse("account_login"), then=_without_csrf_cookie),
    Page("error-404", VISITOR, lambda s: "/courses/no-such-course/", status=404),
    # The learner's assignment above was confirmed: the list has an unread entry.
    Page("notifications", LEARNER, lambda s: reverse("notifications:list")),
    Page("notification-settings", LEARNER, lambda s: reverse("notifications:preferences")),
    Page("unsubscribe", VISITOR, lambda s: _unsubscribe_url(s)),
    Page("unsubscribe-invalid", VISITOR, lambda s: "/notifications/unsubscribe/x/", status=400),
    Page("my-certificates", LEARNER, lambda s: reverse("certificates:mine")),
    Page("certificate", LEARNER, lambda s: reverse("certificates:detail", args=[s.certificate.pk])),
    Page("verify-valid", VISITOR, lambda s: reverse("verify", args=[s.certificate.code])),
    Page("verify-not-found", VISITOR, lambda s: reverse("verify", args=["ABCDEFGH"]), status=404),
    Page(
        "course-certificates-trainer",
        TRAINER,
        lambda s: reverse("certificates:course", args=[s.certificate.enrollment.course.slug]),
    ),
    Page("job", TRAINER, lambda s: reverse("jobs:detail", args=[s.job.public_id])),
    Page("teach-home", TRAINER, lambda s: _teach_url("home")),
    Page("teach-course", TRAINER, lambda s: _teach_url("course", s.course.pk)),
    Page("teach-course-new", TRAINER, lambda s: _teach_url("course_create")),
    Page("teach-course-new-errors", TRAINER, lambda s: _teach_url("course_create"), then=_bad_slug),
    Page("teach-course-edit", TRAINER, lambda s: _teach_url("course_edit", s.course.pk)),
    Page("teach-course-trainers", TRAINER, lambda s: _teach_url("course_trainers", s.course.pk)),
    Page("teach-course-duplicate", TRAINER, lambda s: _teach_url("course_duplicate", s.course.pk)),
    Page("teach-course-archive", TRAINER, lambda s: _teach_url("course_archive", s.course.pk)),
    Page("teach-module-new", TRAINER, lambda s: _teach_url("module_create", s.course.pk)),
    Page("teach-lesson-edit", TRAINER, lambda s: _teach_url("lesson_edit", s.lessons[0].pk)),
    Page(
        "teach-lesson-preview",
        TRAINER,
        lambda s: _teach_url("lesson_edit", s.lessons[0].pk),
        then=_lesson_preview,
    ),
    Page("teach-lesson-delete", TRAINER, lambda s: _teach_url("lesson_delete", s.lessons[1].pk)),
    # A lesson in a learner's record: the delete page offers archiving instead.
    Page(
        "teach-lesson-delete-in-use",
        TRAINER,
        lambda s: _teach_url("lesson_delete", s.lessons[0].pk),
    ),
    Page("teach-lesson-archive", TRAINER, lambda s: _teach_url("lesson_archive", s.lessons[0].pk)),
    Page(
        "teach-attachment-new", TRAINER, lambda s: _teach_url("attachment_create", s.lessons[0].pk)
    ),
    Page(
        "teach-course-learner-preview",
        TRAINER,
        lambda s: _teach_url("course_learner_preview", s.course.pk),
    ),
    Page(
        "teach-lesson-learner-preview",
        TRAINER,
        lambda s: _teach_url("lesson_learner_preview", s.course.pk, s.lessons[0].pk),
    ),
    Page("teach-quiz", TRAINER, lambda s: _teach_url("quiz", s.quiz.pk)),
    Page("teach-quiz-preview", TRAINER, lambda s: _teach_url("quiz_preview", s.quiz.pk)),
    Page(
        "teach-quiz-preview-checked",
        TRAINER,
        lambda s: _teach_url("quiz_preview", s.quiz.pk),
        then=_preview_checked,
    ),
    Page("teach-quiz-regrade", TRAINER, lambda s: _teach_url("quiz_regrade", s.quiz.pk)),
    Page("teach-quiz-edit", TRAINER, lambda s: _teach_url("quiz_edit", s.quiz.pk)),
    Page("teach-quiz-new", TRAINER, lambda s: _teach_url("quiz_create", s.course.pk)),
    Page(
        "teach-question-edit",
        TRAINER,
        lambda s: _teach_url("question_edit", s.quiz.questions.order_by("position")[0].pk),
    ),
    Page(
        "teach-question-delete-in-use",
        TRAINER,
        lambda s: _teach_url("question_delete", s.quiz.questions.order_by("position")[0].pk),
    ),
    Page(
        "teach-question-archive",
        TRAINER,
        lambda s: _teach_url("question_archive", s.quiz.questions.order_by("position")[0].pk),
    ),
    Page(
        "teach-question-new-errors",
        TRAINER,
        lambda s: _teach_url("question_create", s.quiz.pk),
        then=_bad_question,
    ),
    Page("teach-quiz-import", TRAINER, lambda s: _teach_url("quiz_import", s.quiz.pk)),
    Page(
        "teach-quiz-import-preview",
        TRAINER,
        lambda s: _teach_url("quiz_import", s.quiz.pk),
        then=_aiken_preview,
    ),
    Page(
        "teach-quiz-import-gift-preview",
        TRAINER,
        lambda s: _teach_url("quiz_import", s.quiz.pk),
        then=_gift_preview,
    ),
    Page(
        "error-405",
        LEARNER,
        lambda s: reverse("courses:enrol", args=[s.course.slug]),
        status=405,
    ),
    Page(
        "error-403",
        LEARNER,
        lambda s: "/test-only/forbidden/",
        status=403,
        urlconf="tests.e2e.urls",
    ),
)


def build_site() -> Site:
    unit = OrgUnitFactory(name="Ministry of Public Administration", code="mpa")
    department = OrgUnitFactory(name="Digital Services Department", code="dsd", parent=unit)
    learner = UserFactory(email="ana@example.gov", full_name="Ана Марковић", org_unit=department)
    trainer = UserFactory(email="trainer@example.gov", full_name="Petar Jović", roles=[TRAINER])
    hr_officer = UserFactory(
        email="hr@example.gov", full_name="Jelena Ilić", org_unit=unit, roles=[HR_OFFICER]
    )
    # Privileged roles sign in with a second factor; their sessions here are already past it.
    give_totp(trainer)
    give_totp(hr_officer)

    category = CategoryFactory(name="Information security", slug="security")
    course = CourseFactory(
        title="Information security basics",
        slug="infosec",
        category=category,
        summary="Passwords, phishing and safe handling of documents.",
        description="## What you learn\n\nHow to spot **phishing** and keep data safe.",
        estimated_hours=Decimal(4),
        trainers=[trainer],
        cover_alt="A padlock on a laptop keyboard",
    )
    # A cover image, shown on the catalogue card and the course page.
    cover = io.BytesIO()
    Image.new("RGB", (64, 36), (20, 70, 130)).save(cover, "PNG")
    course.cover_image.save("cover.png", ContentFile(cover.getvalue()))
    CourseFactory(
        title="정보 보안 기초",
        slug="infosec-ko",
        language="ko",
        category=category,
        trainers=[trainer],
    )
    CourseFactory(title="Public procurement", slug="procurement")
    lessons = []
    for position, title in enumerate(["Passwords", "Phishing"], start=1):
        module = ModuleFactory(course=course, position=position, title=f"Module {position}")
        lessons.append(
            LessonFactory(
                module=module,
                position=1,
                title=title,
                body=(
                    "## Why it matters\n\nRead this **carefully**, then see the "
                    "[guidance](https://www.example.gov/guidance).\n\n"
                    "| Rule | Example |\n| --- | --- |\n| Length | 12 characters |\n\n"
                    "> A long passphrase beats a short complex password."
                ),
            )
        )
    LessonFactory(module=lessons[1].module, position=2, title="Reporting", required=False)
    # An archived lesson: gone from the learner's pages, marked with Restore in the workspace.
    course_authoring.lesson_archive(
        lesson=LessonFactory(module=lessons[0].module, position=2, title="Old password rules"),
        actor=trainer,
    )

    enrollment = course_services.enrollment_create(
        user=learner,
        course=course,
        source=EnrollmentSource.ASSIGNED,
        assigned_by=hr_officer,
        due_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    course_services.lesson_complete(enrollment=enrollment, lesson=lessons[0])

    quiz = quiz_with_every_kind(
        course,
        title="Information security exam",
        instructions="Answer every question; the exam is timed.",
        time_limit_minutes=20,
        review_policy=ReviewPolicy.FULL,
    )
    first = quiz_services.attempt_start(enrollment=enrollment, quiz=quiz)
    answers = wrong_answers(quiz)
    # One right answer among the wrong ones, so the review shows both kinds.
    first_question = quiz.questions.order_by("position").first()
    answers[f"q-{first_question.pk}"] = [
        str(first_question.choices.filter(is_correct=True).get().pk)
    ]
    submitted, _saved = quiz_services.attempt_submit(attempt=first, data=answers)
    open_attempt = quiz_services.attempt_start(enrollment=enrollment, quiz=quiz)
    # Archived after both attempts drew it: the review still shows it, the quiz page marks it.
    quiz_authoring.question_archive(
        question=quiz.questions.order_by("position").last(), actor=trainer
    )

    # A finished course with its certificate issued, and the trainer's ZIP of its certificates.
    done_course = CourseFactory(
        title="Digital documents", slug="documents", trainers=[trainer], self_enrollment=True
    )
    done_lesson = LessonFactory(
        module=ModuleFactory(course=done_course, position=1), position=1, title="Signatures"
    )
    done = course_services.enrollment_create(user=learner, course=done_course)
    course_services.lesson_complete(enrollment=done, lesson=done_lesson)
    pending = Certificate.objects.get(enrollment=done)
    certificate_services.certificate_issue(certificate_id=pending.pk)
    certificate = Certificate.objects.get(pk=pending.pk)
    job = certificate_bulk.certificates_request_zip(course=done_course, requester=trainer)
    return Site(
        unit=unit,
        learner=learner,
        trainer=trainer,
        hr_officer=hr_officer,
        course=course,
        lessons=lessons,
        enrollment=enrollment,
        quiz=quiz,
        submitted=submitted,
        open_attempt=open_attempt,
        certificate=certificate,
        job=job,
    )
