"""The workspace's scripts: drag and drop of modules, lessons and questions with the mouse and
the Move buttons from the keyboard, all landing in the database through the services; and the
live lesson preview."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, UserFactory, course_with_lessons
from tests.quizzes.factories import QuizFactory, choice_question

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def trainer_page(page, settings):
    settings.LMS_REQUIRE_MFA_FOR_PRIVILEGED = False
    trainer = UserFactory(email="petar@example.gov", roles=["trainer"])
    course = course_with_lessons(lessons_per_module=2, modules=3, trainers=[trainer])
    # Tall enough that source and target are on screen together: a drag that has to scroll
    # starts from where the mouse was before the scroll.
    page.set_viewport_size({"width": 1280, "height": 2400})
    sign_in(page, trainer.email, PASSWORD)
    page.goto(f"/teach/courses/{course.pk}/")
    return page, course


def test_dragging_a_module_above_the_first_moves_it_there(trainer_page):
    page, course = trainer_page
    first, second, third = course.modules.order_by("position")
    expect(page.locator(".drag-hint")).to_be_visible()

    page.locator(f"#module-{third.pk} > h3").drag_to(
        page.locator(f"#module-{first.pk} > h3"), target_position={"x": 5, "y": 2}
    )

    expect(page.locator("ol.modules > li").first).to_have_attribute("id", f"module-{third.pk}")
    assert list(course.modules.values_list("pk", flat=True)) == [third.pk, first.pk, second.pk]


def test_dragging_a_lesson_within_its_module(trainer_page):
    page, course = trainer_page
    module = course.modules.order_by("position").first()
    upper, lower = module.lessons.order_by("position")

    page.locator(f"#lesson-{lower.pk} > span").first.drag_to(
        page.locator(f"#lesson-{upper.pk} > span").first, target_position={"x": 5, "y": 1}
    )

    expect(page.locator(f"#module-{module.pk} ol.lessons > li").first).to_have_attribute(
        "id", f"lesson-{lower.pk}"
    )
    assert list(module.lessons.values_list("pk", flat=True)) == [lower.pk, upper.pk]


def test_dragging_a_question_above_the_first_moves_it_there(trainer_page):
    page, course = trainer_page
    quiz = QuizFactory(course=course, title="Check yourself")
    first, second, third = (choice_question(quiz, text=f"Question {n}?") for n in (1, 2, 3))
    page.goto(f"/teach/quizzes/{quiz.pk}/")
    expect(page.locator(".drag-hint")).to_be_visible()

    page.locator(f"#question-{third.pk} > span").first.drag_to(
        page.locator(f"#question-{first.pk} > span").first, target_position={"x": 5, "y": 1}
    )

    expect(page.locator("ol.questions > li").first).to_have_attribute("id", f"question-{third.pk}")
    order = list(quiz.questions.order_by("position").values_list("pk", flat=True))
    assert order == [third.pk, first.pk, second.pk]


def test_the_move_buttons_work_from_the_keyboard(trainer_page):
    page, course = trainer_page
    first, second, _third = course.modules.order_by("position")

    button = page.locator(f"#module-{first.pk} button[value=down]").first
    button.focus()
    page.keyboard.press("Enter")

    expect(page.locator("ol.modules > li").first).to_have_attribute("id", f"module-{second.pk}")
    assert list(course.modules.values_list("pk", flat=True))[:2] == [second.pk, first.pk]


def test_the_lesson_preview_follows_the_typing(trainer_page):
    page, course = trainer_page
    lesson = course.modules.order_by("position").first().lessons.order_by("position").first()
    page.goto(f"/teach/lessons/{lesson.pk}/edit/")

    page.locator("main textarea[name=body]").fill("## Увод\n\n**Важно** <script>x()</script>")

    preview = page.locator("#live-preview")
    expect(preview.locator("h2")).to_have_text("Увод")
    expect(preview.locator("strong")).to_have_text("Важно")
    expect(preview.locator("script")).to_have_count(0)
