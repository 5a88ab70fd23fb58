from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courses.models import Course, Enrollment, Module


class GradingPolicy(models.TextChoices):
    HIGHEST = "highest", _("Highest attempt counts")
    LAST = "last", _("Last attempt counts")


class ReviewPolicy(models.TextChoices):
    SCORE = "score", _("Score only")
    RESPONSES = "responses", _("Score and which answers were right")
    FULL = "full", _("Full review with correct answers and explanations")


class Quiz(models.Model):
    """A knowledge check in a module, or the course's final exam when it has no module."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="quizzes"
    )
    module = models.ForeignKey(
        Module,
        verbose_name=_("module"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="quizzes",
        help_text=_("Leave empty for the course's final exam."),
    )
    title = models.CharField(_("title"), max_length=200)
    instructions = models.TextField(_("instructions"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=70, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    attempt_limit = models.PositiveSmallIntegerField(
        _("attempt limit"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for unlimited attempts."),
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for no time limit."),
    )
    grading_policy = models.CharField(
        _("attempt that counts"),
        max_length=10,
        choices=GradingPolicy.choices,
        default=GradingPolicy.HIGHEST,
    )
    questions_per_attempt = models.PositiveSmallIntegerField(
        _("questions per attempt"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Draw this many questions at random from the pool; empty means all."),
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=False)
    shuffle_choices = models.BooleanField(_("shuffle choices"), default=True)
    review_policy = models.CharField(
        _("after submitting, learners see"),
        max_length=10,
        choices=ReviewPolicy.choices,
        default=ReviewPolicy.RESPONSES,
    )
    required_for_completion = models.BooleanField(_("passing is required"), default=True)

    class Meta:
        ordering = ["course", "module__position", "position", "pk"]
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        constraints = [
            models.CheckConstraint(condition=Q(pass_mark__lte=100), name="quiz_pass_mark_percent"),
            models.CheckConstraint(
                condition=Q(attempt_limit__isnull=True) | Q(attempt_limit__gte=1),
                name="quiz_attempt_limit_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if self.module_id is not None:
            self.course_id = self.module.course_id
        super().save(*args, **kwargs)

    @property
    def is_final_exam(self) -> bool:
        return self.module_id is None


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True or false")
    SHORT_TEXT = "short_text", _("Short text")
    NUMERIC = "numeric", _("Numeric")


CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE})


class PartialCredit(models.TextChoices):
    ALL_OR_NOTHING = "all", _("All or nothing")
    PROPORTIONAL = "proportional", _("Proportional, wrong choices subtract")


class Question(models.Model):
    quiz = models.ForeignKey(
        Quiz, verbose_name=_("quiz"), on_delete=models.CASCADE, related_name="questions"
    )
    kind = models.CharField(_("type"), max_length=12, choices=QuestionKind.choices)
    text = models.TextField(_("question"))
    position = models.PositiveIntegerField(_("position"), default=0)
    points = models.DecimalField(
        _("points"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    explanation = models.TextField(_("explanation"), blank=True)
    partial_credit = models.CharField(
        _("partial credit"),
        max_length=12,
        choices=PartialCredit.choices,
        default=PartialCredit.ALL_OR_NOTHING,
        help_text=_("For multiple-choice questions."),
    )
    accepted_answers = models.JSONField(
        _("accepted answers"),
        default=list,
        blank=True,
        help_text=_("For short-text questions: a list of accepted answers."),
    )
    numeric_answer = models.DecimalField(
        _("correct value"), max_digits=18, decimal_places=6, null=True, blank=True
    )
    numeric_tolerance = models.DecimalField(
        _("tolerance"),
        max_digits=18,
        decimal_places=6,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    # Set by quizzes.authoring.question_archive: no new attempt draws it and learners' question
    # counts leave it out; attempts that drew it keep it, graded, regraded and reviewed with it.
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["quiz", "position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.CheckConstraint(condition=Q(points__gt=0), name="question_points_positive"),
            models.CheckConstraint(
                condition=Q(numeric_tolerance__gte=0), name="question_tolerance_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def has_choices(self) -> bool:
        return self.kind in CHOICE_KINDS

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Choice(models.Model):
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices"
    )
    text = models.CharField(_("text"), max_length=500)
    is_correct = models.BooleanField(_("correct"), default=False)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["question", "position", "pk"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self) -> str:
        return self.text


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    EXPIRED = "expired", _("Closed at the time limit")


class Attempt(models.Model):
    """One sitting of a quiz. The drawn questions and the order of their choices are frozen
    here when the attempt starts, so a reload shows the same paper."""

    quiz = models.ForeignKey(
        Quiz, verbose_name=_("quiz"), on_delete=models.CASCADE, related_name="attempts"
    )
    enrollment = models.ForeignKey(
        Enrollment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="attempts"
    )
    number = models.PositiveSmallIntegerField(_("attempt number"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AttemptStatus.choices,
        default=AttemptStatus.IN_PROGRESS,
    )
    started_at = models.DateTimeField(_("started at"))
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    question_ids = models.JSONField(default=list)
    # {question id (as text, JSON keys are strings): [choice ids in the order shown]}
    choice_order = models.JSONField(default=dict)
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2, null=True)
    max_score = models.DecimalField(_("maximum score"), max_digits=8, decimal_places=2, null=True)
    percent = models.DecimalField(_("percent"), max_digits=5, decimal_places=2, null=True)
    passed = models.BooleanField(_("passed"), null=True)
    # A trainer's override of the computed grade (quizzes.services.attempt_override_grade);
    # regrading keeps it.
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("grade overridden by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    overridden_at = models.DateTimeField(_("grade overridden at"), null=True, blank=True)
    override_reason = models.CharField(_("reason for the override"), max_length=500, blank=True)

    class Meta:
        ordering = ["quiz", "enrollment", "number"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "enrollment", "number"], name="unique_attempt_number"
            ),
            models.UniqueConstraint(
                fields=["quiz", "enrollment"],
                condition=Q(status="in_progress"),
                name="one_open_attempt_per_quiz",
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return f"{self.quiz} #{self.number} ({self.enrollment.user})"

    @property
    def is_open(self) -> bool:
        return self.status == AttemptStatus.IN_PROGRESS

    def deadline_passed(self, now) -> bool:
        return self.deadline is not None and now >= self.deadline


class Answer(models.Model):
    # No index of its own: the unique constraint's index starts with the attempt, and a submit
    # writes fifty answers, each one index entry fewer.
    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="answers", db_index=False
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choice_ids = models.JSONField(default=list, blank=True)
    text = models.CharField(max_length=500, blank=True)
    number = models.DecimalField(max_digits=18, decimal_places=6, null=True, blank=True)
    saved_at = models.DateTimeField()
    points = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    correct = models.BooleanField(null=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.attempt} — {self.question}"
