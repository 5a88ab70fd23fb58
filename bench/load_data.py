"""Fill the bench database quickly with bulk_create, then sign the bench learner in.

Run by ``run_bench.py`` in its own process, with the same environment as the server it is about
to start (DATABASE_URL, DJANGO_ENV, DJANGO_SECRET_KEY): the session it creates is signed with
that secret key. Writes what the benchmark needs (URLs, session key) as JSON to the path given.

bulk_create skips ``save()``, so the fields that ``Course.save`` and ``Lesson.save`` derive
(description_html, search_text, body_html, course) are computed here with the app's own helpers.
"""

import argparse
import datetime
import json
import os
import random
import sys
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.roles import Role  # noqa: E402
from courses.models import (  # noqa: E402
    Category,
    Course,
    CourseStatus,
    Enrollment,
    EnrollmentSource,
    EnrollmentStatus,
    Lesson,
    LessonProgress,
    Module,
)
from courses.text import render_markdown, search_form  # noqa: E402

BENCH_EMAIL = "bench.learner@bench.example"
HR_EMAIL = "bench.hr@bench.example"
HR_PEOPLE = 60  # learners in the HR officer's unit: more than the report's 50 a page
BENCH_PASSWORD = "bench-password-not-secret-42"  # the bench signs in by session, never by form
SEARCH_WORD = "procurement"  # in the titles of 1 course in 10: the search benchmark's query

CATEGORIES = [
    "Administration",
    "Data protection",
    "Digital services",
    "Ethics",
    "Finance",
    "Health and safety",
    "Human resources",
    "Languages",
    "Leadership",
    "Legal drafting",
    "Project management",
    "Public procurement",
]
TOPICS = [
    "records management",
    "citizen services",
    "budget planning",
    "open data",
    "risk assessment",
    "document drafting",
    "team leadership",
    "information security",
    "customer care",
    "change management",
    "Управљање документима",
    "Јавне набавке и уговори",
    "Zaštita podataka o ličnosti",
    "Đački i stručni programi",
    "공공 서비스 디자인",
]
LEVELS = ["Introduction to", "Foundations of", "Advanced", "Practical", "Essentials of"]
FIRST_NAMES = [
    "Ana",
    "Marko",
    "Јелена",
    "Ђорђе",
    "Milica",
    "Nikola",
    "Ivana",
    "민준",
    "서연",
    "Stefan",
]
LAST_NAMES = ["Petrović", "Јовановић", "Nikolić", "Љубић", "Đorđević", "Kim", "Lee", "Marković"]
WORDS = [
    "the",
    "public",
    "service",
    "delivers",
    "clear",
    "records",
    "on",
    "time",
    "while",
    "every",
    "officer",
    "keeps",
    "citizens",
    "informed",
    "about",
    "rules",
    "deadlines",
    "forms",
    "fees",
    "and",
    "appeals",
    "under",
    "the",
    "law",
]


def paragraph(rng: random.Random, sentences: int) -> str:
    out = []
    for _ in range(sentences):
        words = rng.choices(WORDS, k=rng.randint(8, 18))
        out.append(" ".join(words).capitalize() + ".")
    return " ".join(out)


def course_description(rng: random.Random, title: str) -> str:
    return (
        f"## About {title}\n\n{paragraph(rng, 4)}\n\n"
        f"### You will learn\n\n"
        + "\n".join(f"- {paragraph(rng, 1)}" for _ in range(4))
        + f"\n\n{paragraph(rng, 3)} See the **handbook** and the *guidance notes*.\n"
    )


def lesson_body(rng: random.Random, title: str) -> str:
    """Roughly 500 words of Markdown: headings, lists, a table, a link and a code block."""
    return (
        f"# {title}\n\n{paragraph(rng, 5)}\n\n## Key points\n\n"
        + "\n".join(f"{i}. {paragraph(rng, 1)}" for i in range(1, 6))
        + f"\n\n{paragraph(rng, 6)}\n\n"
        "| Step | Owner | Deadline |\n| --- | --- | --- |\n"
        "| Receive request | Front office | Same day |\n"
        "| Check documents | Case officer | 3 days |\n"
        "| Decide | Head of unit | 15 days |\n\n"
        f"> {paragraph(rng, 2)}\n\n"
        "```\nrecord = register(request)\nassign(record, officer)\n```\n\n"
        f"{paragraph(rng, 5)} Read the [official guidance](https://example.gov/guidance).\n"
    )


def chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def load(args) -> dict:
    rng = random.Random(args.seed)
    started = time.monotonic()
    now = timezone.now()
    languages = [code for code, _name in settings.LANGUAGES]
    groups = {g.name: g for g in Group.objects.all()}
    password_hash = make_password(BENCH_PASSWORD)  # hashed once, shared by every user

    categories = Category.objects.bulk_create(
        Category(name=name, slug=name.lower().replace(" ", "-")) for name in CATEGORIES
    )

    # Role groups are written below straight into the through table, which skips
    # accounts.services.user_set_roles; keep the user's denormalised role flag where it exists.
    field_names = {f.name for f in User._meta.concrete_fields}
    trainer_flags = {"has_privileged_role": True} if "has_privileged_role" in field_names else {}
    trainers = User.objects.bulk_create(
        User(
            email=f"trainer{i}@bench.example",
            full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            password=password_hash,
            **trainer_flags,
        )
        for i in range(args.trainers)
    )
    learners = User.objects.bulk_create(
        (
            User(
                email=f"learner{i}@bench.example",
                full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                preferred_language=rng.choice(languages),
                password=password_hash,
            )
            for i in range(args.learners)
        ),
        batch_size=2000,
    )
    bench_user = User.objects.create(
        email=BENCH_EMAIL, full_name="Bench Learner", password=password_hash
    )
    everyone = [*trainers, *learners, bench_user]
    EmailAddress.objects.bulk_create(
        (EmailAddress(user=u, email=u.email, primary=True, verified=True) for u in everyone),
        batch_size=2000,
    )
    membership = User.groups.through
    membership.objects.bulk_create(
        [membership(user=u, group=groups[Role.TRAINER]) for u in trainers]
        + [membership(user=u, group=groups[Role.LEARNER]) for u in [*learners, bench_user]],
        batch_size=5000,
    )

    courses = []
    for i in range(args.courses):
        topic = TOPICS[i % len(TOPICS)]
        title = f"{LEVELS[i % len(LEVELS)]} {topic} {i + 1}"
        if i % 10 == 0:
            title += f" for {SEARCH_WORD} officers"
        summary = paragraph(rng, 1)[:300]
        description = course_description(rng, title)
        courses.append(
            Course(
                slug=f"bench-course-{i + 1:03d}",
                title=title,
                summary=summary,
                description=description,
                description_html=render_markdown(description),
                search_text=search_form(f"{title} {summary} {description}"),
                category=categories[i % len(categories)],
                language=languages[i % len(languages)],
                estimated_hours=rng.randint(2, 40),
                status=CourseStatus.PUBLISHED,
                self_enrollment=i % 7 != 0,
                published_at=now - datetime.timedelta(days=i),
            )
        )
    courses = Course.objects.bulk_create(courses)
    course_trainers = Course.trainers.through
    course_trainers.objects.bulk_create(
        course_trainers(course=c, user=t)
        for c in courses
        for t in rng.sample(trainers, k=min(2, len(trainers)))
    )

    modules_per_course = args.modules_per_course
    lessons_per_module = max(1, args.lessons // (args.courses * modules_per_course))
    modules = Module.objects.bulk_create(
        Module(course=c, title=f"Module {m + 1}: {paragraph(rng, 1)[:60]}", position=m + 1)
        for c in courses
        for m in range(modules_per_course)
    )
    lessons = []
    for module in modules:
        for p in range(lessons_per_module):
            title = f"Lesson {module.position}.{p + 1}: {' '.join(rng.choices(WORDS, k=4))}"
            body = lesson_body(rng, title)
            lessons.append(
                Lesson(
                    module=module,
                    course_id=module.course_id,
                    title=title,
                    position=p + 1,
                    body=body,
                    body_html=render_markdown(body),
                    video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ" if p == 0 else "",
                    estimated_minutes=rng.randint(5, 30),
                    required=p != lessons_per_module - 1,
                )
            )
    lessons = Lesson.objects.bulk_create(lessons, batch_size=1000)
    lessons_by_course: dict[int, list[Lesson]] = {}
    for lesson in lessons:
        lessons_by_course.setdefault(lesson.course_id, []).append(lesson)

    # Each learner in args.enrollments / args.learners distinct courses.
    per_learner = args.enrollments // args.learners
    enrollments = []
    for user in learners:
        for course in rng.sample(courses, k=per_learner):
            roll = rng.random()
            if roll < 0.15:
                status, completed_at = EnrollmentStatus.COMPLETED, now
            elif roll < 0.20:
                status, completed_at = EnrollmentStatus.WITHDRAWN, None
            else:
                status, completed_at = EnrollmentStatus.ACTIVE, None
            enrollments.append(
                Enrollment(
                    user=user,
                    course=course,
                    source=EnrollmentSource.ASSIGNED if roll > 0.8 else EnrollmentSource.SELF,
                    status=status,
                    completed_at=completed_at,
                )
            )
    enrollments = Enrollment.objects.bulk_create(enrollments, batch_size=5000)

    course = courses[0]
    bench_enrollment = Enrollment.objects.create(user=bench_user, course=course)

    progress = []
    for enrollment in enrollments[:: args.progress_every]:
        own = lessons_by_course[enrollment.course_id]
        for done in own[: rng.randint(1, len(own))]:
            progress.append(LessonProgress(enrollment=enrollment, lesson=done))
    bench_lessons = lessons_by_course[course.pk]
    progress += [LessonProgress(enrollment=bench_enrollment, lesson=x) for x in bench_lessons[:8]]
    LessonProgress.objects.bulk_create(progress, batch_size=5000)

    return {
        "counts": counts(),
        "seconds": round(time.monotonic() - started, 1),
    }


def load_new_pages() -> None:
    """What the pages of the certificates, reports and notifications issues need: a certificate
    of the bench learner, issued and rendered by the certificates service; an HR officer (with
    TOTP, as production requires) of a unit with ``HR_PEOPLE`` learners and their enrolments;
    30 notifications of the bench learner, 10 unread; TOTP for the first trainer of the bench
    learner's course, whose workspace the bench measures."""
    from allauth.mfa.models import Authenticator

    from accounts.services import org_unit_create, user_set_roles
    from certificates.services import certificate_create_pending, certificate_issue
    from notifications.kinds import Kind
    from notifications.models import LogStatus, NotificationLog

    now = timezone.now()
    bench_user = User.objects.get(email=BENCH_EMAIL)
    second = Course.objects.filter(status=CourseStatus.PUBLISHED).order_by("slug")[1]
    with transaction.atomic():
        done = Enrollment.objects.create(
            user=bench_user, course=second, status=EnrollmentStatus.COMPLETED, completed_at=now
        )
        certificate = certificate_create_pending(enrollment=done)
    certificate_issue(certificate_id=certificate.pk)

    unit = org_unit_create(name="Bench ministry", code="BENCH")
    hr = User.objects.create(email=HR_EMAIL, full_name="Bench HR", org_unit=unit)
    EmailAddress.objects.create(user=hr, email=hr.email, primary=True, verified=True)
    user_set_roles(user=hr, roles=[Role.HR_OFFICER])
    Authenticator.objects.create(user=hr, type=Authenticator.Type.TOTP, data={"secret": "x"})
    people = list(User.objects.filter(email__startswith="learner").order_by("pk")[:HR_PEOPLE])
    User.objects.filter(pk__in=[p.pk for p in people]).update(org_unit=unit)

    Authenticator.objects.create(
        user=_bench_trainer(), type=Authenticator.Type.TOTP, data={"secret": "x"}
    )

    NotificationLog.objects.bulk_create(
        NotificationLog(
            recipient=bench_user,
            kind=Kind.DUE_SOON,
            object_type="courses.enrollment",
            object_id=1_000_000 + n,
            period=f"7d:{n}",
            context={
                "course": f"Bench course {n}",
                "course_slug": second.slug,
                "due_date": (now + datetime.timedelta(days=7)).date().isoformat(),
                "days_left": 7,
            },
            status=LogStatus.SENT,
            sent_at=now,
            read_at=None if n < 10 else now,
        )
        for n in range(30)
    )


def _bench_trainer() -> User:
    """The first trainer (by id) of the bench learner's course."""
    course = Enrollment.objects.get(user__email=BENCH_EMAIL, status=EnrollmentStatus.ACTIVE).course
    return course.trainers.order_by("pk").first()


def counts() -> dict:
    return {
        "categories": Category.objects.count(),
        "published_courses": Course.objects.filter(status=CourseStatus.PUBLISHED).count(),
        "modules": Module.objects.count(),
        "lessons": Lesson.objects.count(),
        "users": User.objects.count(),
        "enrollments": Enrollment.objects.count(),
        "lesson_progress": LessonProgress.objects.count(),
    }


def sign_in_bench_user() -> dict:
    """Fresh sessions for the bench learner, the HR officer and the bench trainer, and the pages
    to measure.

    The lesson is the middle one, in reading order, of the course the learner is enrolled in.
    """
    from certificates.models import Certificate

    user = User.objects.get(email=BENCH_EMAIL)
    enrollment = Enrollment.objects.select_related("course").get(
        user=user, status=EnrollmentStatus.ACTIVE
    )
    lessons = list(
        Lesson.objects.filter(course=enrollment.course).order_by("module__position", "position")
    )
    lesson = lessons[len(lessons) // 2]
    certificate = Certificate.objects.filter(enrollment__user=user).order_by("pk").first()
    return {
        "session_cookie_name": settings.SESSION_COOKIE_NAME,
        "session_key": _session_key(user),
        "hr_session_key": _session_key(User.objects.get(email=HR_EMAIL)),
        "trainer_session_key": _session_key(_bench_trainer()),
        "trainer_course_id": enrollment.course_id,
        "certificate_id": certificate.pk,
        "certificate_code": certificate.code,
        "certificate_serial": certificate.serial,
        "search_word": SEARCH_WORD,
        "course_slug": enrollment.course.slug,
        "lesson_id": lesson.pk,
        "lesson_title": lesson.title,
        "bench_user": user.email,
    }


def _session_key(user: User) -> str:
    # Sign in as the test client does: django.contrib.auth.login on a new session.
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, help="where to write the JSON description")
    parser.add_argument("--courses", type=int, default=200)
    parser.add_argument("--modules-per-course", type=int, default=5)
    parser.add_argument("--lessons", type=int, default=5000)
    parser.add_argument("--learners", type=int, default=5000)
    parser.add_argument("--trainers", type=int, default=40)
    parser.add_argument("--enrollments", type=int, default=50000)
    parser.add_argument(
        "--progress-every", type=int, default=5, help="every Nth enrollment has lesson progress"
    )
    parser.add_argument("--seed", type=int, default=20261128)
    parser.add_argument(
        "--session-only",
        action="store_true",
        help="do not load anything: sign the bench learner in again on the loaded database",
    )
    args = parser.parse_args()
    if args.enrollments // args.learners > args.courses:
        parser.error("more enrollments per learner than there are courses")
    if args.session_only:
        result = {"counts": counts(), "seconds": 0, **sign_in_bench_user()}
    else:
        with transaction.atomic():
            result = load(args)
        load_new_pages()
        result.update(sign_in_bench_user())
        with connection.cursor() as cursor:
            # Statistics and the visibility map as autovacuum leaves them on a running site:
            # without the map an index-only read (the counted lessons' partial index) goes to
            # the table for every row, and whether autovacuum had reached the freshly loaded
            # tables before a run changed the HR report's row query by a third.
            cursor.execute("VACUUM ANALYZE")
    args.output.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(json.dumps(result["counts"]), f"in {result['seconds']} s")


if __name__ == "__main__":
    main()
