"""Workspace operations that span apps; each goes through the apps' own services."""

from django.core.files.base import ContentFile
from django.db import transaction

from accounts.models import User
from audit.services import audit_record
from certificates import services as certificate_services
from courses import authoring
from courses.completion import live_lessons_filter
from courses.models import Course
from quizzes import authoring as quiz_authoring

_COPIED_QUIZ_FIELDS = [name for name in quiz_authoring.QUIZ_FIELDS if name != "module"]
_COPIED_QUESTION_FIELDS = [
    name for name in quiz_authoring.QUESTION_FIELDS if name not in {"kind", "text"}
]


def _copied_cover(course: Course) -> ContentFile | None:
    """The cover's bytes as a new file, so the copy and the original never share one (replacing
    one course's cover deletes its old file)."""
    if not course.cover_image:
        return None
    try:
        with course.cover_image.open("rb") as stored:
            return ContentFile(stored.read(), name=course.cover_image.name.rsplit("/")[-1])
    except FileNotFoundError:
        return None


def course_duplicate(*, course: Course, actor: User | None, title: str, slug: str = "") -> Course:
    """A new draft copy of ``course`` for a new intake or a language version: its settings,
    trainers, modules, lessons, attachments (the files copied), quizzes with their questions and
    choices, and its certificate template when one was chosen; never its enrolments, progress
    or attempts, nor archived lessons and questions. One transaction; audited on the copy as
    ``course.duplicate``."""
    with transaction.atomic():
        copy = authoring.course_create(
            actor=actor,
            title=title,
            slug=slug,
            summary=course.summary,
            description=course.description,
            category=course.category,
            language=course.language,
            estimated_hours=course.estimated_hours,
            self_enrollment=course.self_enrollment,
            validity_months=course.validity_months,
            due_soon_days=course.due_soon_days,
            inactivity_days=course.inactivity_days,
            cover_image=_copied_cover(course),
            cover_alt=course.cover_alt,
            trainers=list(course.trainers.all()),
        )
        modules = {}
        for module in course.modules.order_by("position", "pk"):
            modules[module.pk] = authoring.module_create(course=copy, title=module.title)
            # Archived lessons and questions are retired content: the copy starts without them.
            lessons = (
                module.lessons.filter(live_lessons_filter())
                .order_by("position", "pk")
                .prefetch_related("attachments")
            )
            for lesson in lessons:
                new_lesson = authoring.lesson_create(
                    module=modules[module.pk],
                    title=lesson.title,
                    body=lesson.body,
                    video_url=lesson.video_url,
                    estimated_minutes=lesson.estimated_minutes,
                    required=lesson.required,
                )
                for attachment in lesson.attachments.all():
                    with attachment.file.open("rb") as stored:
                        content = ContentFile(
                            stored.read(), name=attachment.file.name.rsplit("/")[-1]
                        )
                    authoring.attachment_create(
                        lesson=new_lesson, title=attachment.title, file=content
                    )
        quizzes = course.quizzes.order_by("position", "pk").prefetch_related("questions__choices")
        for quiz in quizzes:
            new_quiz = quiz_authoring.quiz_create(
                course=copy,
                module=modules.get(quiz.module_id),
                title=quiz.title,
                **{name: getattr(quiz, name) for name in _COPIED_QUIZ_FIELDS if name != "title"},
            )
            for question in sorted(quiz.questions.all(), key=lambda q: (q.position, q.pk)):
                if question.is_archived:
                    continue
                # Choices one by one, so a question the admin left incomplete is copied as it
                # is rather than refused.
                new_question = quiz_authoring.question_create(
                    quiz=new_quiz,
                    kind=question.kind,
                    text=question.text,
                    **{name: getattr(question, name) for name in _COPIED_QUESTION_FIELDS},
                )
                for choice in sorted(question.choices.all(), key=lambda c: (c.position, c.pk)):
                    quiz_authoring.choice_create(
                        question=new_question, text=choice.text, is_correct=choice.is_correct
                    )
        template = certificate_services.template_for_course(course.pk)
        if template is not None and not template.is_default:
            certificate_services.course_set_certificate_template(
                course=copy, template=template, actor=actor
            )
        audit_record(actor=actor, action="course.duplicate", target=copy, data={"from": course.pk})
    return copy
