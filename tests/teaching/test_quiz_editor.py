"""The workspace's quiz editor: quiz rules, questions of every kind with their choices, order,
deletion refused once answered, and the Aiken import with its preview."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from courses.models import CourseStatus
from quizzes import services as quiz_services
from quizzes.models import Question, QuestionKind, Quiz
from tests.factories import EnrollmentFactory, course_with_lessons
from tests.quizzes.factories import QuizFactory, choice_question

pytestmark = pytest.mark.django_db

AIKEN = """Који потпис закон изједначава са својеручним?
A. Напредни
B. Квалификовани
ANSWER: B

This one has no answer line
A. Yes
B. No

What does a time stamp prove?
A. When a document existed
B. Who wrote it
ANSWER: A
"""


def quiz_data(**overrides):
    data = {
        "title": "Завршни тест",
        "module": "",
        "instructions": "",
        "pass_mark": "70",
        "attempt_limit": "",
        "time_limit_minutes": "",
        "questions_per_attempt": "",
        "grading_policy": "highest",
        "shuffle_choices": "on",
        "review_policy": "responses",
        "required_for_completion": "on",
    }
    return {**data, **overrides}


def question_data(kind="single", **overrides):
    data = {
        "kind": kind,
        "text": "Питање?",
        "points": "1",
        "explanation": "",
        "partial_credit": "all",
        "accepted_answers": "",
        "numeric_answer": "",
        "numeric_tolerance": "0",
    }
    return {**data, **overrides}


@pytest.fixture
def course(trainer):
    return course_with_lessons(trainers=[trainer], status=CourseStatus.DRAFT)


def test_a_quiz_is_created_as_the_final_exam_or_in_a_module(trainer_client, course):
    module = course.modules.first()

    trainer_client.post(reverse("teaching:quiz_create", args=[course.pk]), quiz_data())
    trainer_client.post(
        reverse("teaching:quiz_create", args=[course.pk]),
        quiz_data(title="Провера знања", module=module.pk),
    )

    final, check = Quiz.objects.filter(course=course).order_by("pk")
    assert final.is_final_exam and check.module == module
    page = trainer_client.get(reverse("teaching:course", args=[course.pk]))
    assert reverse("teaching:quiz", args=[final.pk]) in page.text


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"pass_mark": "140"}, "pass_mark"),
        ({"time_limit_minutes": "-5"}, "time_limit_minutes"),
        ({"attempt_limit": "0"}, "attempt_limit"),
        ({"title": ""}, "title"),
        ({"module": "999999"}, "module"),
    ],
)
def test_bad_quiz_rules_are_field_errors(trainer_client, course, overrides, field):
    response = trainer_client.post(
        reverse("teaching:quiz_create", args=[course.pk]), quiz_data(**overrides)
    )

    assert field in response.context["form"].errors
    assert not Quiz.objects.exists()


def test_a_module_of_another_course_is_not_offered(trainer_client, course):
    other_module = course_with_lessons().modules.first()

    response = trainer_client.post(
        reverse("teaching:quiz_create", args=[course.pk]), quiz_data(module=other_module.pk)
    )

    assert "module" in response.context["form"].errors


def test_questions_of_each_kind_are_added_with_what_they_need(trainer_client, course):
    quiz = QuizFactory(course=course)
    url = reverse("teaching:question_create", args=[quiz.pk])

    trainer_client.post(
        url,
        question_data(
            "multiple",
            choice_0_text="Квалификовани",
            choice_0_correct="on",
            choice_1_text="Напредни",
            choice_1_correct="on",
            choice_2_text="Скенирани",
        ),
    )
    trainer_client.post(url, question_data("short_text", accepted_answers="Ђорђе\nDjordje\n"))
    trainer_client.post(url, question_data("numeric", numeric_answer="3.5"))

    multiple, short, numeric = quiz.questions.order_by("position")
    assert [(c.text, c.is_correct) for c in multiple.choices.order_by("position")] == [
        ("Квалификовани", True),
        ("Напредни", True),
        ("Скенирани", False),
    ]
    assert short.accepted_answers == ["Ђорђе", "Djordje"]
    assert numeric.numeric_answer == Decimal("3.5")


@pytest.mark.parametrize(
    ("data", "where"),
    [
        (question_data("single", choice_0_text="Only one", choice_0_correct="on"), "choice_0_text"),
        (question_data("short_text"), "accepted_answers"),
        (question_data("numeric"), "numeric_answer"),
        (question_data("single", points="0", choice_0_text="a", choice_1_text="b"), "points"),
        (
            question_data("single", choice_0_text="a", choice_1_text="b"),
            "__all__",  # no correct choice
        ),
        (
            question_data(
                "true_false",
                choice_0_text="True",
                choice_0_correct="on",
                choice_1_text="False",
                choice_1_correct="on",
            ),
            "__all__",
        ),
    ],
)
def test_an_incomplete_question_is_refused_at_its_field(trainer_client, course, data, where):
    quiz = QuizFactory(course=course)

    response = trainer_client.post(reverse("teaching:question_create", args=[quiz.pk]), data)

    assert response.status_code == 200
    assert where in response.context["form"].errors
    assert not Question.objects.exists()


def test_editing_a_question_changes_adds_and_removes_choices(trainer_client, course):
    quiz = QuizFactory(course=course)
    question = choice_question(quiz, correct=(True, False, False))
    _first, _second, third = question.choices.order_by("position")

    response = trainer_client.post(
        reverse("teaching:question_edit", args=[question.pk]),
        question_data(
            "single",
            text="Reworded?",
            choice_0_text="First, reworded",
            choice_0_correct="on",
            choice_1_text="",
            choice_2_text=third.text,
            choice_3_text="A new one",
        ),
    )

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.text == "Reworded?"
    assert list(question.choices.order_by("position").values_list("text", flat=True)) == [
        "First, reworded",
        third.text,
        "A new one",
    ]


def test_an_answered_question_keeps_its_choices_and_is_not_deleted(trainer_client, course):
    course.status = CourseStatus.PUBLISHED
    course.save()
    quiz = QuizFactory(course=course)
    question = choice_question(quiz)
    attempt = quiz_services.attempt_start(enrollment=EnrollmentFactory(course=course), quiz=quiz)
    quiz_services.attempt_submit(attempt=attempt, data={})
    first, _second, third = question.choices.order_by("position")

    response = trainer_client.post(
        reverse("teaching:question_edit", args=[question.pk]),
        question_data(
            "single",
            choice_0_text=first.text,
            choice_0_correct="on",
            choice_1_text="",
            choice_2_text=third.text,
        ),
    )
    assert "cannot be removed" in response.text
    assert question.choices.count() == 3

    response = trainer_client.post(
        reverse("teaching:question_delete", args=[question.pk]), follow=True
    )
    assert Question.objects.filter(pk=question.pk).exists()
    assert "cannot be deleted" in response.text


def test_questions_move(trainer_client, course):
    quiz = QuizFactory(course=course)
    first, second = choice_question(quiz), choice_question(quiz)

    trainer_client.post(reverse("teaching:question_move", args=[second.pk]), {"direction": "up"})

    assert list(quiz.questions.values_list("pk", flat=True)) == [second.pk, first.pk]


def test_aiken_preview_lists_failures_then_imports_the_readable_questions(
    trainer_client, trainer, course
):
    quiz = QuizFactory(course=course)
    url = reverse("teaching:quiz_import", args=[quiz.pk])

    preview = trainer_client.post(
        url, {"action": "preview", "file": SimpleUploadedFile("q.txt", AIKEN.encode())}
    )

    assert preview.status_code == 200
    result = preview.context["result"]
    assert len(result.questions) == 2
    [problem] = result.problems
    assert problem.line == 6 and "ANSWER" in problem.reason
    assert "ANSWER: line is missing" in preview.text
    assert not quiz.questions.exists()

    response = trainer_client.post(url, {"action": "import", "text": AIKEN})

    assert response.status_code == 302
    first, _second = quiz.questions.order_by("position")
    assert first.kind == QuestionKind.SINGLE
    assert first.choices.get(is_correct=True).text == "Квалификовани"
    assert AuditEvent.objects.get(action="quiz.import_questions").data == {"questions": 2}


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("q.txt", "Питање?\nA. a\nB. b\nANSWER: A".encode("cp1251")),
        None,
    ],
)
def test_aiken_import_refuses_files_it_cannot_read(trainer_client, course, upload):
    quiz = QuizFactory(course=course)
    data = {"action": "import", "text": ""}
    if upload is not None:
        data["file"] = upload

    response = trainer_client.post(reverse("teaching:quiz_import", args=[quiz.pk]), data)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not quiz.questions.exists()


CSV = (
    "kind,question,choices,answer,points\n"
    "multiple,Which are electronic?,Advanced|Qualified|Paper,1|2,2\n"
    "numeric,How many days?,,30,\n"
    "essay,Write about it.,,,\n"
)


def test_csv_import_previews_then_imports_every_kind(trainer_client, course):
    quiz = QuizFactory(course=course)
    url = reverse("teaching:quiz_import", args=[quiz.pk])

    preview = trainer_client.post(url, {"format": "csv", "action": "preview", "text": CSV})
    assert len(preview.context["result"].questions) == 2
    [problem] = preview.context["result"].problems
    assert problem.line == 4 and "Unknown kind" in problem.reason

    trainer_client.post(url, {"format": "csv", "action": "import", "text": CSV})

    multiple, numeric = quiz.questions.order_by("position")
    assert multiple.kind == QuestionKind.MULTIPLE and multiple.points == Decimal(2)
    assert multiple.choices.filter(is_correct=True).count() == 2
    assert numeric.numeric_answer == Decimal(30)


def test_a_csv_with_broken_quoting_or_too_many_rows_is_a_field_error(trainer_client, course):
    quiz = QuizFactory(course=course)
    url = reverse("teaching:quiz_import", args=[quiz.pk])
    huge = "kind,question,choices,answer\n" + "single,Q?,A|B,1\n" * 50_000

    for text in ('kind,question\nsingle,"broken\nnumeric,"x"y\n', huge):
        response = trainer_client.post(url, {"format": "csv", "action": "import", "text": text})
        assert response.status_code == 200
        assert "text" in response.context["form"].errors

    assert not quiz.questions.exists()


def test_true_or_false_choices_from_csv_are_in_the_courses_language(trainer_client, course):
    course.language = "sr"
    course.save()
    quiz = QuizFactory(course=course)
    text = "kind,question,answer\ntrue_false,Печат времена доказује време.,true\n"

    trainer_client.post(
        reverse("teaching:quiz_import", args=[quiz.pk]),
        {"format": "csv", "action": "import", "text": text},
    )

    assert list(quiz.questions.get().choices.values_list("text", "is_correct")) == [
        ("Тачно", True),
        ("Нетачно", False),
    ]


GIFT = """::One:: Који потпис важи као својеручни? {~Напредни =Квалификовани ~Скенирани}

Match these. {=a -> 1 =b -> 2}

How many days? {#30:2}
"""


def test_gift_import_previews_then_imports(trainer_client, course):
    quiz = QuizFactory(course=course)
    url = reverse("teaching:quiz_import", args=[quiz.pk])

    preview = trainer_client.post(url, {"format": "gift", "action": "preview", "text": GIFT})
    assert len(preview.context["result"].questions) == 2
    [problem] = preview.context["result"].problems
    assert problem.line == 3 and "Matching" in problem.reason

    trainer_client.post(url, {"format": "gift", "action": "import", "text": GIFT})

    single, numeric = quiz.questions.order_by("position")
    assert single.choices.get(is_correct=True).text == "Квалификовани"
    assert (numeric.numeric_answer, numeric.numeric_tolerance) == (Decimal(30), Decimal(2))


GIFT_MORE = """Moodle costs {~lots of money =nothing ~a small amount} to download.

How many members may the committee have? {#3..7}

When was Vuk born? {#=%50%1786:2 =1787:0 =%100%1788}

Write an essay about signatures. {}

Match {=a -> 1 =b -> 2} these.

How much? {#0.1234567}

How many? {#9..1}
"""


def test_gift_missing_word_ranges_and_several_numeric_answers_are_imported(trainer_client, course):
    quiz = QuizFactory(course=course)
    url = reverse("teaching:quiz_import", args=[quiz.pk])

    preview = trainer_client.post(url, {"format": "gift", "action": "preview", "text": GIFT_MORE})

    assert preview.status_code == 200
    result = preview.context["result"]
    assert len(result.questions) == 3
    # The kept answer of the question with several is named in the preview.
    assert "only the first full-credit one, 1787 ± 0, is imported" in preview.text
    reasons = {problem.line: problem.reason for problem in result.problems}
    assert set(reasons) == {7, 9, 11, 13}
    assert "essay" in reasons[7] and "matching" in reasons[9]
    assert "decimal places" in reasons[11] and "lower end" in reasons[13]

    response = trainer_client.post(url, {"format": "gift", "action": "import", "text": GIFT_MORE})

    assert response.status_code == 302
    gap, ranged, several = quiz.questions.order_by("position")
    assert gap.kind == "single" and gap.text == "Moodle costs _____ to download."
    assert gap.choices.get(is_correct=True).text == "nothing"
    assert (ranged.kind, ranged.numeric_answer, ranged.numeric_tolerance) == (
        "numeric",
        Decimal(5),
        Decimal(2),
    )
    assert (several.numeric_answer, several.numeric_tolerance) == (Decimal(1787), Decimal(0))


def test_a_csv_answer_with_more_decimal_places_than_stored_is_a_row_problem_not_an_error(
    trainer_client, course
):
    quiz = QuizFactory(course=course)
    url = reverse("teaching:quiz_import", args=[quiz.pk])
    text = "kind,question,choices,answer\nnumeric,How much?,,0.1234567\n"

    response = trainer_client.post(url, {"format": "csv", "action": "import", "text": text})

    assert response.status_code in (200, 302)
    assert not quiz.questions.exists()
