"""The role × URL matrix: what every kind of visitor gets from every URL of the project.

``MATRIX`` has one entry per URL name (the route for a pattern without a name). The test walks
the URL resolver, so a pattern that is not in the table fails ``test_every_url_is_in_the_matrix``;
a new page joins by adding one dict. Each entry gives:

- ``kwargs``: a function of the shared ``World`` returning the URL's arguments;
- ``GET`` and ``POST``: the expected answer per visitor (see ``answers``);
- optionally ``post``: a function of the ``World`` returning the POST body (default empty);
- optionally ``mfa_exempt``: the page opens for a privileged person who has not set up MFA;
- optionally ``private``: the page shows one person's data or a course's internals, so the
  visitors outside its scope (``OUTSIDE``) may never get a 200 from it.

A page about a new kind of object (a certificate, a report) adds that object to ``World`` and to
the ``world`` fixture, built for the learner in the course, so every visitor meets it.

Expected answers: a status code (200, 403, 404, 405), ``LOGIN`` (a redirect to the sign-in page)
or ``to("url:name")`` (a redirect to that page). A 500 is never expected.

Third-party URLs (the Django admin and allauth, mounted at ``admin/`` and ``accounts/``) are
covered by a prefix rule with representative checks in ``THIRD_PARTY_CHECKS``; a project view
mounted under those prefixes is still a project URL and needs its own row. The test runs with
MFA required (the default) and every privileged visitor has a TOTP authenticator.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from accounts.models import User
from accounts.roles import Role
from certificates import bulk as certificate_bulk
from certificates import services as certificate_services
from certificates.models import Certificate, CertificateTemplate
from courses.models import Attachment, Course, Enrollment, Lesson
from jobs import services as job_services
from jobs.models import BackgroundJob
from notifications import services as notification_services
from notifications.kinds import Kind
from notifications.tokens import make_token
from quizzes import services as quiz_services
from quizzes.models import Attempt, Quiz
from reports import services as report_services
from reports.selectors import ReportFilters
from tests.factories import OrgUnitFactory, UserFactory, course_with_lessons, give_totp
from tests.quizzes.factories import choice_question

pytestmark = pytest.mark.django_db

VISITORS = (
    "anonymous",
    "learner",
    "other_learner",
    "trainer",
    "other_trainer",
    "hr_in",
    "hr_out",
    "admin",
)
# Visitors outside the scope of the learner's data and of the course's internals.
OUTSIDE = ("other_learner", "other_trainer", "hr_out")
PROJECT_PACKAGES = (
    "lms",
    "accounts",
    "audit",
    "courses",
    "quizzes",
    "certificates",
    "notifications",
    "reports",
    "teaching",
)
THIRD_PARTY_PREFIXES = ("admin/", "accounts/")

LOGIN = "sign-in"


@dataclass(frozen=True)
class to:  # reads as "redirect to" in the table
    url_name: str


def answers(default, **overrides):
    """One expected answer for every visitor, with exceptions by visitor name."""
    unknown = set(overrides) - set(VISITORS)
    assert not unknown, f"unknown visitors {unknown}"
    return {visitor: overrides.get(visitor, default) for visitor in VISITORS}


def signed_in(default, **overrides):
    return answers(default, **{"anonymous": LOGIN, **overrides})


# The learner's own pages: the learner, HR whose subtree holds the learner, administrators.
def own_data(default=200, **overrides):
    return signed_in(
        404, learner=default, hr_in=default, trainer=default, admin=default, **overrides
    )


# Pages a reader of the course's lessons opens; others are sent to the course page.
def course_reader(default=200):
    return signed_in(to("courses:detail"), learner=default, trainer=default, admin=default)


# The learner's attempt: only the learner.
def attempt_owner(default=200):
    return signed_in(404, learner=default)


# The HR report pages: everyone but learners, each within their own scope.
def reports_reader(default=200):
    return signed_in(
        404,
        trainer=default,
        other_trainer=default,
        hr_in=default,
        hr_out=default,
        admin=default,
    )


# The course's internals: its trainer and administrators.
def course_staff(default=200):
    return signed_in(404, trainer=default, admin=default)


def _course(w):
    return {"slug": w.course.slug}


def _lesson(w):
    return {"slug": w.course.slug, "lesson_id": w.lesson.pk}


def _quiz(w, quiz):
    return {"slug": w.course.slug, "quiz_id": quiz.pk}


def _open_attempt(w):
    return {**_quiz(w, w.open_quiz), "attempt_id": w.open_attempt.pk}


def _done_attempt(w):
    return {**_quiz(w, w.done_quiz), "attempt_id": w.done_attempt.pk}


def _no_kwargs(w):
    return {}


def _certificate(w):
    return {"pk": w.certificate.pk}


def _job(w):
    return {"public_id": w.job.public_id}


def _course_pk(w):
    return {"pk": w.course.pk}


def _module_pk(w):
    return {"pk": w.lesson.module_id}


def _lesson_pk(w):
    return {"pk": w.lesson.pk}


def _quiz_pk(w):
    return {"pk": w.done_quiz.pk}


def _question_pk(w):
    return {"pk": w.open_quiz.questions.order_by("pk").first().pk}


MATRIX = {
    "/": {
        "kwargs": _no_kwargs,
        "GET": answers(to("courses:catalogue")),
        "POST": answers(to("courses:catalogue")),
    },
    "healthz": {
        "kwargs": _no_kwargs,
        "GET": answers(200),
        "POST": answers(405),
        "mfa_exempt": True,
    },
    "set_language": {
        "kwargs": _no_kwargs,
        "GET": answers(405),
        "POST": answers(to("courses:catalogue")),
        "post": lambda w: {"language": "sr", "next": reverse("courses:catalogue")},
        "mfa_exempt": True,
    },
    "profile": {
        "kwargs": _no_kwargs,
        "GET": signed_in(200),
        "POST": signed_in(to("profile")),
        "post": lambda w: {"full_name": "Ана Анић", "preferred_language": "sr"},
    },
    "personal_data_download": {
        "kwargs": _no_kwargs,
        "GET": signed_in(405),
        "POST": signed_in(200),
    },
    "courses:catalogue": {
        "kwargs": _no_kwargs,
        "GET": answers(200),
        "POST": answers(200),
    },
    "courses:my_learning": {
        "kwargs": _no_kwargs,
        "GET": signed_in(200),
        "POST": signed_in(200),
    },
    "courses:enrollment": {
        "kwargs": lambda w: {"pk": w.enrollment.pk},
        "GET": own_data(),
        "POST": own_data(),
        "private": True,
    },
    "courses:attachment": {
        "kwargs": lambda w: {"pk": w.attachment.pk},
        "GET": signed_in(404, learner=200, trainer=200, admin=200),
        "POST": signed_in(404, learner=200, trainer=200, admin=200),
        "private": True,
    },
    "courses:detail": {
        "kwargs": _course,
        "GET": answers(200),
        "POST": answers(200),
    },
    "courses:cover": {
        "kwargs": _course,
        "GET": answers(200),
        "POST": answers(405),
    },
    "courses:enrol": {
        "kwargs": _course,
        "GET": signed_in(405),
        "POST": signed_in(to("courses:detail")),
    },
    "courses:leave": {
        "kwargs": _course,
        "GET": signed_in(405),
        "POST": signed_in(404, learner=to("courses:detail")),
    },
    "courses:lesson": {
        "kwargs": _lesson,
        "GET": course_reader(),
        "POST": course_reader(),
        "private": True,
    },
    "courses:lesson_done": {
        "kwargs": _lesson,
        "GET": signed_in(405),
        "POST": signed_in(to("courses:detail"), learner=to("courses:lesson")),
        "private": True,
    },
    "quizzes:detail": {
        "kwargs": lambda w: _quiz(w, w.open_quiz),
        "GET": course_reader(),
        "POST": course_reader(),
        "private": True,
    },
    "quizzes:start": {
        "kwargs": lambda w: _quiz(w, w.open_quiz),
        "GET": signed_in(405),
        "POST": attempt_owner(to("quizzes:attempt")),
        "private": True,
    },
    "quizzes:attempt": {
        "kwargs": _open_attempt,
        "GET": attempt_owner(),
        "POST": attempt_owner(to("quizzes:attempt")),
        "private": True,
    },
    "quizzes:result": {
        "kwargs": _done_attempt,
        "GET": attempt_owner(),
        "POST": attempt_owner(),
        "private": True,
    },
    "quizzes:report": {
        "kwargs": lambda w: _quiz(w, w.done_quiz),
        "GET": course_staff(),
        "POST": course_staff(),
        "private": True,
    },
    "quizzes:override": {
        "kwargs": _done_attempt,
        "GET": signed_in(405),
        "POST": course_staff(to("quizzes:review")),
        "post": lambda w: {"score": "1", "reason": "Marked by hand"},
        "private": True,
    },
    "quizzes:review": {
        "kwargs": _done_attempt,
        "GET": course_staff(),
        "POST": course_staff(),
        "private": True,
    },
    "certificates:mine": {
        "kwargs": _no_kwargs,
        "GET": signed_in(200),
        "POST": signed_in(200),
    },
    "certificates:detail": {
        "kwargs": _certificate,
        "GET": own_data(),
        "POST": own_data(),
        "private": True,
    },
    "certificates:download": {
        "kwargs": _certificate,
        "GET": own_data(),
        "POST": own_data(),
        "private": True,
    },
    "certificates:revoke": {
        "kwargs": _certificate,
        "GET": signed_in(405),
        "POST": signed_in(404, admin=to("certificates:detail")),
        "post": lambda w: {"reason": "Issued by mistake"},
        "private": True,
    },
    "certificates:reissue": {
        "kwargs": _certificate,
        "GET": signed_in(405),
        "POST": signed_in(404, admin=to("certificates:detail")),
        "private": True,
    },
    "certificates:course": {
        "kwargs": _course,
        # HR officers list the certificates of their own subtree; choosing the template (the
        # POST) is for the course's trainers and administrators.
        "GET": signed_in(404, trainer=200, hr_in=200, hr_out=200, admin=200),
        "POST": signed_in(404, trainer=200, admin=200),
    },
    "certificates:course_zip": {
        "kwargs": _course,
        "GET": signed_in(405),
        "POST": signed_in(
            404,
            trainer=to("jobs:detail"),
            hr_in=to("jobs:detail"),
            hr_out=to("jobs:detail"),
            admin=to("jobs:detail"),
        ),
    },
    "certificates:course_rerender": {
        "kwargs": _course,
        "GET": signed_in(405),
        "POST": signed_in(404, admin=to("jobs:detail")),
    },
    "certificates:template_preview": {
        "kwargs": lambda w: {"pk": w.template.pk},
        "GET": signed_in(404, trainer=200, other_trainer=200, admin=200),
        "POST": signed_in(404, trainer=200, other_trainer=200, admin=200),
    },
    "verify": {
        "kwargs": lambda w: {"code": w.certificate.code},
        "GET": answers(200),
        "POST": answers(200),
    },
    "jobs:detail": {
        "kwargs": _job,
        "GET": signed_in(404, trainer=200, admin=200),
        "POST": signed_in(404, trainer=200, admin=200),
        "private": True,
    },
    "jobs:status": {
        "kwargs": _job,
        "GET": signed_in(404, trainer=200, admin=200),
        "POST": signed_in(404, trainer=200, admin=200),
        "private": True,
    },
    "jobs:download": {
        "kwargs": _job,
        "GET": signed_in(404, trainer=200, admin=200),
        "POST": signed_in(404, trainer=200, admin=200),
        "private": True,
    },
    # HR officers and trainers each see their own scope of the report (trainers: the courses
    # they teach), so the pages open for all of them; learners get 404.
    "reports:dashboard": {
        "kwargs": _no_kwargs,
        "GET": reports_reader(),
        "POST": signed_in(405),
    },
    "reports:completion": {
        "kwargs": _no_kwargs,
        "GET": reports_reader(),
        "POST": signed_in(405),
    },
    "reports:export": {
        "kwargs": lambda w: {"fmt": "csv"},
        "GET": reports_reader(),
        "POST": signed_in(405),
    },
    # Assigning is for HR officers (their own subtree) and administrators, not trainers.
    "reports:assign": {
        "kwargs": _no_kwargs,
        "GET": signed_in(404, hr_in=200, hr_out=200, admin=200),
        "POST": signed_in(404, hr_in=200, hr_out=200, admin=200),
        "post": lambda w: {"action": "preview", "course": w.course.pk, "source": "unit"},
    },
    # The learner's page for HR: the officer whose subtree holds the learner, administrators.
    "reports:person": {
        "kwargs": lambda w: {"pk": w.people["learner"].pk},
        "GET": signed_in(404, hr_in=200, admin=200),
        "POST": signed_in(405),
        "private": True,
    },
    # The admin's Enrollment add page (reports/admin.py, assigning through the HR service):
    # like the rest of the admin, staff only; everyone else is sent to the admin's sign-in.
    # An empty POST is the form again with its errors.
    "admin:courses_enrollment_add": {
        "kwargs": lambda w: {},
        "GET": answers(to("admin:login"), admin=200),
        "POST": answers(to("admin:login"), admin=200),
    },
    "notifications:list": {
        "kwargs": _no_kwargs,
        "GET": signed_in(200),
        "POST": signed_in(405),
    },
    "notifications:mark_read": {
        "kwargs": _no_kwargs,
        "GET": signed_in(405),
        "POST": signed_in(to("notifications:list")),
    },
    "notifications:preferences": {
        "kwargs": _no_kwargs,
        "GET": signed_in(200),
        "POST": signed_in(to("notifications:preferences")),
        "post": lambda w: {"time_zone": ""},
    },
    "notifications:calendar_reset": {
        "kwargs": _no_kwargs,
        "GET": signed_in(405),
        "POST": signed_in(to("notifications:preferences")),
    },
    # The secret address is the only credential (calendar programs cannot sign in).
    "notifications:calendar": {
        "kwargs": lambda w: {"token": w.calendar_token},
        "GET": answers(200),
        "POST": answers(405),
    },
    # The signed token authorises the one change it names (RFC 8058 one-click, no sign-in).
    "notifications:unsubscribe": {
        "kwargs": lambda w: {"token": w.unsubscribe_token},
        "GET": answers(200),
        "POST": answers(200),
    },
    # The trainer's workspace: trainers (their own courses) and administrators; everybody else
    # gets 404, crafted POSTs included. Each request is rolled back, so deleting and moving
    # here leave the world as it was.
    "teaching:home": {
        "kwargs": _no_kwargs,
        "GET": signed_in(404, trainer=200, other_trainer=200, admin=200),
        "POST": signed_in(405),
    },
    "teaching:course_create": {
        "kwargs": _no_kwargs,
        "GET": signed_in(404, trainer=200, other_trainer=200, admin=200),
        # An empty form comes back with its field errors.
        "POST": signed_in(404, trainer=200, other_trainer=200, admin=200),
    },
    "teaching:markdown_preview": {
        "kwargs": _no_kwargs,
        "GET": signed_in(405),
        "POST": signed_in(404, trainer=200, other_trainer=200, admin=200),
        "post": lambda w: {"body": "**Preview**"},
    },
    "teaching:course": {
        "kwargs": _course_pk,
        "GET": course_staff(),
        "POST": signed_in(405),
        "private": True,
    },
    # The learner's pages as the course's trainers preview them; nothing is recorded.
    "teaching:course_learner_preview": {
        "kwargs": _course_pk,
        "GET": course_staff(),
        "POST": signed_in(405),
        "private": True,
    },
    "teaching:lesson_learner_preview": {
        "kwargs": lambda w: {"pk": w.course.pk, "lesson_id": w.lesson.pk},
        "GET": course_staff(),
        "POST": signed_in(405),
        "private": True,
    },
    "teaching:course_edit": {
        "kwargs": _course_pk,
        "GET": course_staff(),
        "POST": course_staff(),
        "private": True,
    },
    "teaching:course_publish": {
        "kwargs": _course_pk,
        "GET": course_staff(),
        "POST": course_staff(to("teaching:course")),
        "private": True,
    },
    "teaching:course_archive": {
        "kwargs": _course_pk,
        "GET": course_staff(),
        "POST": course_staff(to("teaching:course")),
        "private": True,
    },
    "teaching:course_trainers": {
        "kwargs": _course_pk,
        "GET": course_staff(),
        # An empty form names no trainer: a field error.
        "POST": course_staff(),
        "private": True,
    },
    "teaching:course_duplicate": {
        "kwargs": _course_pk,
        "GET": course_staff(),
        # An empty form comes back with its field errors.
        "POST": course_staff(),
        "private": True,
    },
    "teaching:module_create": {
        "kwargs": _course_pk,
        "GET": course_staff(),
        "POST": course_staff(),
        "private": True,
    },
    "teaching:module_edit": {
        "kwargs": _module_pk,
        "GET": course_staff(),
        "POST": course_staff(),
        "private": True,
    },
    "teaching:module_delete": {
        "kwargs": _module_pk,
        "GET": course_staff(),
        "POST": course_staff(to("teaching:course")),
        "private": True,
    },
    "teaching:module_move": {
        "kwargs": _module_pk,
        "GET": signed_in(405),
        "POST": course_staff(to("teaching:course")),
        "post": lambda w: {"direction": "down"},
        "private": True,
    },
    "teaching:module_order": {
        "kwargs": _course_pk,
        "GET": signed_in(405),
        "POST": course_staff(to("teaching:course")),
        "post": lambda w: {"order": ",".join(str(m.pk) for m in w.course.modules.all()[::-1])},
        "private": True,
    },
    "teaching:lesson_order": {
        "kwargs": _module_pk,
        "GET": signed_in(405),
        "POST": course_staff(to("teaching:course")),
        "post": lambda w: {
            "order": ",".join(str(x.pk) for x in w.lesson.module.lessons.all()[::-1])
        },
        "private": True,
    },
    "teaching:lesson_create": {
        "kwargs": _module_pk,
        "GET": course_staff(),
        "POST": course_staff(),
        "private": True,
    },
    "teaching:lesson_edit": {
        "kwargs": _lesson_pk,
        "GET": course_staff(),
        "POST": course_staff(),
        "private": True,
    },
    "teaching:lesson_delete": {
        "kwargs": _lesson_pk,
        "GET": course_staff(),
        "POST": course_staff(to("teaching:course")),
        "private": True,
    },
    "teaching:lesson_move": {
        "kwargs": _lesson_pk,
        "GET": signed_in(405),
        "POST": course_staff(to("teaching:course")),
        "post": lambda w: {"direction": "down"},
        "private": True,
    },
    # Archiving has a confirmation page; restoring is a button on the course outline.
    "teaching:lesson_archive": {
        "kwargs": _lesson_pk,
        "GET": course_staff(),
        "POST": course_staff(to("teaching:course")),
        "private": True,
    },
    "teaching:lesson_restore": {
        "kwargs": _lesson_pk,
        "GET": signed_in(405),
        "POST": course_staff(to("teaching:course")),
        "private": True,
    },
    "teaching:attachment_create": {
        "kwargs": _lesson_pk,
        "GET": course_staff(),
        "POST": course_staff(),
        "private": True,
    },
    "teaching:attachment_delete": {
        "kwargs": lambda w: {"pk": w.attachment.pk},
        "GET": signed_in(405),
        "POST": course_staff(to("teaching:lesson_edit")),
        "private": True,
    },
    "teaching:quiz_create": {
        "kwargs": _course_pk,
        "GET": course_staff(),
        "POST": course_staff(),
        "private": True,
    },
    "teaching:quiz": {
        "kwargs": _quiz_pk,
        "GET": course_staff(),
        "POST": signed_in(405),
        "private": True,
    },
    "teaching:quiz_edit": {
        "kwargs": _quiz_pk,
        "GET": course_staff(),
        "POST": course_staff(),
        "private": True,
    },
    "teaching:quiz_regrade": {
        "kwargs": _quiz_pk,
        "GET": course_staff(),
        "POST": course_staff(to("jobs:detail")),
        "private": True,
    },
    "teaching:quiz_preview": {
        "kwargs": _quiz_pk,
        "GET": course_staff(),
        "POST": course_staff(),
        "private": True,
    },
    "teaching:quiz_import": {
        "kwargs": _quiz_pk,
        "GET": course_staff(),
        "POST": course_staff(to("teaching:quiz")),
        "post": lambda w: {"action": "import", "text": "Q?\nA. Yes\nB. No\nANSWER: A\n"},
        "private": True,
    },
    "teaching:question_create": {
        "kwargs": _quiz_pk,
        "GET": course_staff(),
        "POST": course_staff(),
        "private": True,
    },
    "teaching:question_edit": {
        "kwargs": _question_pk,
        "GET": course_staff(),
        "POST": course_staff(),
        "private": True,
    },
    "teaching:question_delete": {
        "kwargs": _question_pk,
        "GET": course_staff(),
        "POST": course_staff(to("teaching:quiz")),
        "private": True,
    },
    "teaching:question_archive": {
        "kwargs": _question_pk,
        "GET": course_staff(),
        "POST": course_staff(to("teaching:quiz")),
        "private": True,
    },
    "teaching:question_restore": {
        "kwargs": _question_pk,
        "GET": signed_in(405),
        "POST": course_staff(to("teaching:quiz")),
        "private": True,
    },
    "teaching:question_order": {
        "kwargs": lambda w: {"pk": w.open_quiz.pk},
        "GET": signed_in(405),
        "POST": course_staff(to("teaching:quiz")),
        "post": lambda w: {
            "order": ",".join(str(pk) for pk in w.open_quiz.questions.values_list("pk", flat=True))
        },
        "private": True,
    },
    "teaching:question_move": {
        "kwargs": _question_pk,
        "GET": signed_in(405),
        "POST": course_staff(to("teaching:quiz")),
        "post": lambda w: {"direction": "down"},
        "private": True,
    },
}

# Representative checks of the third-party prefixes: (method, URL name, kwargs, answers).
# The admin sends everybody but staff to its sign-in page, which answers 403 to people who are
# signed in but not staff;
# allauth's pages follow their own rules, which the MFA and sign-in tests cover in depth.
ADMIN_LOGIN = "admin:login"
THIRD_PARTY_CHECKS = [
    ("GET", "admin:index", {}, answers(to(ADMIN_LOGIN), admin=200)),
    ("GET", "admin:accounts_user_changelist", {}, answers(to(ADMIN_LOGIN), admin=200)),
    ("GET", "admin:audit_auditevent_changelist", {}, answers(to(ADMIN_LOGIN), admin=200)),
    ("POST", "admin:accounts_user_changelist", {}, answers(to(ADMIN_LOGIN), admin=200)),
    # The admin's sign-in goes through allauth: people who are not staff get 403 there.
    ("GET", "admin:login", {}, signed_in(403, admin=to("admin:index"))),
    ("GET", "account_login", {}, answers(to("courses:my_learning"), anonymous=200)),
    ("GET", "account_email", {}, signed_in(200)),
    ("GET", "account_change_password", {}, signed_in(200)),
    ("GET", "mfa_index", {}, signed_in(200)),
]


# The job pages again, for a report export job (the rows above use the trainer's ZIP job): the
# officer who asked for it and administrators, never the officer of the sibling unit.
def _report_job_answers():
    return signed_in(404, hr_in=200, admin=200)


REPORT_JOB_CHECKS = [
    (method, name, _report_job_answers())
    for name in ("jobs:detail", "jobs:status", "jobs:download")
    for method in ("GET", "POST")
]


@dataclass
class World:
    people: dict[str, User | None]
    course: Course
    lesson: Lesson
    enrollment: Enrollment
    attachment: Attachment
    open_quiz: Quiz
    open_attempt: Attempt
    done_quiz: Quiz
    done_attempt: Attempt
    certificate: Certificate
    template: CertificateTemplate
    job: BackgroundJob
    report_job: BackgroundJob
    calendar_token: str
    unsubscribe_token: str


@pytest.fixture
def world(settings) -> World:
    settings.LMS_REQUIRE_MFA_FOR_PRIVILEGED = True
    ministry = OrgUnitFactory(name="Ministry")
    sector_a = OrgUnitFactory(name="Sector A", parent=ministry)
    sector_b = OrgUnitFactory(name="Sector B", parent=ministry)
    people = {
        "anonymous": None,
        "learner": UserFactory(org_unit=sector_a),
        "other_learner": UserFactory(org_unit=sector_b),
        "trainer": UserFactory(roles=[Role.TRAINER]),
        "other_trainer": UserFactory(roles=[Role.TRAINER]),
        "hr_in": UserFactory(roles=[Role.HR_OFFICER], org_unit=ministry),
        "hr_out": UserFactory(roles=[Role.HR_OFFICER], org_unit=sector_b),
        "admin": UserFactory(roles=[Role.ADMINISTRATOR]),
    }
    for name in ("trainer", "other_trainer", "hr_in", "hr_out", "admin"):
        give_totp(people[name])
    course = course_with_lessons(trainers=[people["trainer"]])
    course_with_lessons(trainers=[people["other_trainer"]])
    lesson = Lesson.objects.filter(course=course).order_by("module__position", "position")[0]
    attachment = Attachment.objects.create(
        lesson=lesson, title="Notes", file=SimpleUploadedFile("notes.txt", b"notes")
    )
    # A cover image, so its address answers where the course is visible.
    course.cover_image = SimpleUploadedFile("cover.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    course.save(update_fields=["cover_image"])
    enrollment = Enrollment.objects.create(user=people["learner"], course=course)
    open_quiz = Quiz.objects.create(course=course, title="Open", position=1, shuffle_choices=False)
    choice_question(open_quiz)
    done_quiz = Quiz.objects.create(course=course, title="Done", position=2, shuffle_choices=False)
    choice_question(done_quiz)
    open_attempt = quiz_services.attempt_start(enrollment=enrollment, quiz=open_quiz)
    done_attempt = quiz_services.attempt_start(enrollment=enrollment, quiz=done_quiz)
    done_attempt, _saved = quiz_services.attempt_submit(attempt=done_attempt, data={})
    # The learner's certificate of an earlier course, issued; a ZIP job the trainer asked for.
    earlier = course_with_lessons(trainers=[people["trainer"]])
    earlier_enrollment = Enrollment.objects.create(user=people["learner"], course=earlier)
    pending = certificate_services.certificate_create_pending(enrollment=earlier_enrollment)
    certificate = certificate_services.certificate_issue(certificate_id=pending.pk)
    template = CertificateTemplate.objects.create(name="Matrix", is_default=False)
    job = certificate_bulk.certificates_request_zip(course=course, requester=people["trainer"])
    job_services.job_finish(job=job, result=("certificates.zip", b"PK\x05\x06" + b"\0" * 18))
    # A large report export hr_in asked for, built: only hr_in and administrators open it.
    report_export = report_services.report_export_request(
        actor=people["hr_in"], filters=ReportFilters(), fmt="csv", rows=10**9
    )
    report_job = report_export.job
    job_services.job_finish(job=report_job, result=("report.csv", b"\xef\xbb\xbfName\r\n"))
    calendar_token = notification_services.calendar_feed_for(user=people["learner"]).token
    unsubscribe_token = make_token(user_id=people["learner"].pk, kinds=[Kind.INACTIVITY])
    return World(
        people=people,
        course=course,
        lesson=lesson,
        enrollment=enrollment,
        attachment=attachment,
        open_quiz=open_quiz,
        open_attempt=open_attempt,
        done_quiz=done_quiz,
        done_attempt=done_attempt,
        certificate=certificate,
        template=template,
        job=job,
        report_job=report_job,
        calendar_token=calendar_token,
        unsubscribe_token=unsubscribe_token,
    )


def _patterns(patterns=None, prefix="", namespace=None, source=None):
    """(route, name, callback module, include source) for every pattern, depth first."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            child_namespace = ":".join(n for n in (namespace, pattern.namespace) if n) or None
            child_source = source
            if source is None:
                name = pattern.urlconf_name
                child_source = (
                    pattern.app_name
                    or getattr(name, "__name__", None)
                    or (name if isinstance(name, str) else None)
                )
            yield from _patterns(
                pattern.url_patterns, prefix + str(pattern.pattern), child_namespace, child_source
            )
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            module = getattr(pattern.callback, "__module__", "") or ""
            yield prefix + str(pattern.pattern), name, module, source


def _is_project(module: str) -> bool:
    return module.split(".")[0] in PROJECT_PACKAGES


def _is_third_party(route, module, source) -> bool:
    """Patterns from the admin site and allauth's URL module, unless a project view sits there."""
    return (
        route.startswith(THIRD_PARTY_PREFIXES)
        and source in {"admin", "allauth.urls"}
        and not _is_project(module)
    )


def _project_keys() -> set[str]:
    return {
        name or f"/{route}"
        for route, name, module, source in _patterns()
        if not _is_third_party(route, module, source)
    }


def _url(key: str, world: World) -> str:
    if key.startswith("/"):
        return key
    return reverse(key, kwargs=MATRIX[key]["kwargs"](world))


def _client_for(world: World, visitor: str) -> Client:
    client = Client()
    person = world.people[visitor]
    if person is not None:
        client.force_login(person)
    return client


def _answer(response):
    """The response as the table writes it."""
    if response.status_code != 302:
        return response.status_code
    location = urlsplit(response["Location"]).path
    if location == reverse("account_login"):
        return LOGIN
    match = resolve(location)
    return to(match.view_name)


def _request(world: World, visitor: str, method: str, url: str, data: dict):
    """One request whose effects are rolled back, so every visitor meets the same world."""
    savepoint = transaction.savepoint()
    try:
        client = _client_for(world, visitor)
        send = client.get if method == "GET" else client.post
        try:
            return _answer(send(url, data))
        except Exception as exc:  # a crash is the finding, reported as a 500
            return f"500 ({type(exc).__name__}: {exc})"
    finally:
        transaction.savepoint_rollback(savepoint)


def test_every_url_is_in_the_matrix():
    missing = sorted(_project_keys() - set(MATRIX))
    stale = sorted(set(MATRIX) - _project_keys())
    assert not missing, f"URL patterns without a row in MATRIX: {missing}"
    assert not stale, f"MATRIX rows for URL patterns that no longer exist: {stale}"


def test_third_party_urls_sit_under_the_documented_prefixes():
    outside = [
        route
        for route, _name, module, source in _patterns()
        if source in {"admin", "allauth.urls"} and not route.startswith(THIRD_PARTY_PREFIXES)
    ]
    assert not outside


@pytest.mark.parametrize("key", sorted(k for k, row in MATRIX.items() if row.get("private")))
def test_no_url_answers_200_outside_its_scope(key):
    row = MATRIX[key]
    for method in ("GET", "POST"):
        assert all(row[method][v] != 200 for v in OUTSIDE), (key, method)
        assert row[method]["anonymous"] == LOGIN, (key, method)


@pytest.mark.parametrize("key", sorted(MATRIX))
def test_role_url_matrix(world, key):
    row = MATRIX[key]
    url = _url(key, world)
    body = row.get("post", lambda w: {})(world)
    wrong = []
    for method in ("GET", "POST"):
        for visitor in VISITORS:
            got = _request(world, visitor, method, url, body if method == "POST" else {})
            if got != row[method][visitor]:
                wrong.append(
                    f"{method} {url} as {visitor}: expected {row[method][visitor]}, got {got}"
                )
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("key", sorted(MATRIX))
def test_a_privileged_person_without_mfa_is_sent_to_set_it_up(world, key):
    """With MFA required, a trainer without an authenticator reaches no project page but the
    exempt ones."""
    row = MATRIX[key]
    trainer = UserFactory(roles=[Role.TRAINER])
    world.course.trainers.add(trainer)
    client = Client()
    client.force_login(trainer)
    response = client.get(_url(key, world))
    if row.get("mfa_exempt"):
        assert _answer(response) != to("mfa_activate_totp")
    else:
        assert _answer(response) == to("mfa_activate_totp")


@pytest.mark.parametrize(
    ("method", "name", "kwargs", "expected"),
    THIRD_PARTY_CHECKS,
    ids=[f"{m} {n}" for m, n, _k, _e in THIRD_PARTY_CHECKS],
)
def test_third_party_prefixes(world, method, name, kwargs, expected):
    url = reverse(name, kwargs=kwargs)
    wrong = []
    for visitor in VISITORS:
        got = _request(world, visitor, method, url, {})
        if got != expected[visitor]:
            wrong.append(f"{method} {url} as {visitor}: expected {expected[visitor]}, got {got}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("method", "name", "expected"),
    REPORT_JOB_CHECKS,
    ids=[f"{m} {n}" for m, n, _e in REPORT_JOB_CHECKS],
)
def test_report_export_job_opens_for_its_requester_only(world, method, name, expected):
    url = reverse(name, kwargs={"public_id": world.report_job.public_id})
    assert all(expected[v] != 200 for v in OUTSIDE)
    wrong = []
    for visitor in VISITORS:
        got = _request(world, visitor, method, url, {})
        if got != expected[visitor]:
            wrong.append(f"{method} {url} as {visitor}: expected {expected[visitor]}, got {got}")
    assert not wrong, "\n".join(wrong)
