"""The learner's journey with the keyboard alone: Tab, Shift+Tab, Enter and Space, no clicks.

After every key press the focused element must show a focus indicator the eye can find (an
outline or a box shadow in its computed style, on an element on screen).
"""

import re

import pytest
from playwright.sync_api import expect

from courses.models import Enrollment, EnrollmentStatus, LessonProgress
from quizzes.models import QuestionKind
from tests.factories import PASSWORD, CourseFactory, LessonFactory, ModuleFactory, UserFactory
from tests.quizzes.factories import ChoiceFactory, QuestionFactory, QuizFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# How the focused element looks: enough to tell a visible focus indicator from none.
FOCUS_STYLE = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return {
        element: el.outerHTML.slice(0, 120),
        outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
        shadow: style.boxShadow !== 'none',
        onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
            && box.top < innerHeight && box.left < innerWidth,
    };
}"""


def assert_focus_visible(page) -> None:
    focus = page.evaluate(FOCUS_STYLE)
    assert focus is not None, "the key press left no element focused"
    assert focus["outline"] or focus["shadow"], f"no visible focus indicator on {focus['element']}"
    assert focus["onScreen"], f"the focused element is off screen: {focus['element']}"


def press_until_focused(page, target, key: str = "Tab", limit: int = 60) -> None:
    """Press ``key`` until ``target`` has the focus, checking the focus indicator at each stop."""
    target.wait_for()
    for _ in range(limit):
        page.keyboard.press(key)
        assert_focus_visible(page)
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{limit} presses of {key} never reached {target}")


def press(page, key: str) -> None:
    page.keyboard.press(key)


def password_course():
    course = CourseFactory(title="Password hygiene", slug="passwords")
    module = ModuleFactory(course=course, position=1, title="Strong passwords")
    lesson = LessonFactory(module=module, position=1, title="Passphrases")
    quiz = QuizFactory(course=course, module=module, title="Passwords check", pass_mark=50)
    length = QuestionFactory(
        quiz=quiz, position=1, text="How long should a passphrase be at least?"
    )
    for position, (text, is_correct) in enumerate(
        [("12 characters", True), ("6 characters", False)], start=1
    ):
        ChoiceFactory(question=length, text=text, is_correct=is_correct, position=position)
    QuestionFactory(
        quiz=quiz,
        position=2,
        kind=QuestionKind.SHORT_TEXT,
        text="Which kind of password lasts longer: a passphrase or a short one?",
        accepted_answers=["passphrase", "a passphrase"],
    )
    return course, lesson, quiz


def test_learner_signs_in_enrols_reads_and_passes_a_quiz_with_the_keyboard_only(page):
    learner = UserFactory(email="ana@example.gov", full_name="Ана Марковић")
    course, lesson, quiz = password_course()

    # Sign in: Tab into the form, Shift+Tab back to check the address, Enter to send.
    page.goto("/accounts/login/")
    email = page.get_by_label("Email")
    press_until_focused(page, email)
    page.keyboard.type(learner.email)
    press(page, "Tab")
    assert_focus_visible(page)
    page.keyboard.type(PASSWORD)
    press_until_focused(page, email, key="Shift+Tab")
    expect(email).to_have_value(learner.email)
    press_until_focused(page, page.get_by_role("button", name="Sign In"))
    press(page, "Enter")
    expect(page.get_by_role("heading", name="My learning")).to_be_visible()

    # The skip link comes first and takes the focus past the header.
    press(page, "Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    assert_focus_visible(page)
    press_until_focused(page, page.get_by_role("link", name="Catalogue", exact=True))
    press(page, "Enter")
    expect(page.get_by_role("heading", name="Course catalogue")).to_be_visible()

    press_until_focused(page, page.get_by_role("link", name="Password hygiene"))
    press(page, "Enter")
    expect(page.get_by_role("heading", name="Password hygiene")).to_be_visible()

    # Enrol with Space, as a keyboard user presses a button.
    press_until_focused(page, page.get_by_role("button", name="Enrol"))
    press(page, " ")
    expect(page.get_by_text("You are enrolled")).to_be_visible()

    contents = page.locator("section[aria-labelledby=contents-heading]")
    press_until_focused(page, contents.get_by_role("link", name="Passphrases"))
    press(page, "Enter")
    expect(page.get_by_role("heading", name="Passphrases")).to_be_visible()
    expect(page.locator(".lesson-body")).to_contain_text("carefully")

    press_until_focused(page, page.get_by_role("button", name="Mark as done"))
    press(page, "Enter")
    expect(page.get_by_text("You have finished this lesson.")).to_be_visible()

    press_until_focused(page, page.get_by_role("link", name="Password hygiene"))
    press(page, "Enter")
    press_until_focused(page, contents.get_by_role("link", name="Passwords check"))
    press(page, "Enter")
    press_until_focused(page, page.get_by_role("button", name="Start the quiz"))
    press(page, "Enter")

    # Answer: Tab reaches the first choice of the group, Space picks it; then type the answer.
    first_choice = page.get_by_label("12 characters")
    press_until_focused(page, first_choice)
    press(page, " ")
    expect(first_choice).to_be_checked()
    press_until_focused(page, page.get_by_label("Your answer", exact=True))
    page.keyboard.type("a passphrase")
    press_until_focused(page, page.get_by_role("button", name="Submit answers"))
    press(page, "Enter")

    expect(page.get_by_test_id("verdict")).to_have_text("Passed")
    expect(page.get_by_test_id("score")).to_have_text("2.00 of 2.00 points (100.00%)")
    enrollment = Enrollment.objects.get(user=learner, course=course)
    assert LessonProgress.objects.filter(enrollment=enrollment, lesson=lesson).exists()
    assert enrollment.status == EnrollmentStatus.COMPLETED
    assert quiz.attempts.get().passed is True


# The colours of the focus indicator and of what lies behind the focused element.
FOCUS_COLOURS = """el => {
    let behind = el.parentElement;
    while (behind && getComputedStyle(behind).backgroundColor === 'rgba(0, 0, 0, 0)') {
        behind = behind.parentElement;
    }
    const style = getComputedStyle(el);
    return {
        outline: style.outlineColor,
        shadow: style.boxShadow === 'none' ? null : style.boxShadow,
        behind: getComputedStyle(behind || document.documentElement).backgroundColor,
    };
}"""


def luminance(css_colour: str) -> float:
    red, green, blue = (int(part) for part in re.findall(r"\d+", css_colour)[:3])

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_focus_indicator_stands_out_on_the_header_the_page_and_a_card(page):
    """WCAG 1.4.11: some part of the indicator has 3:1 against what surrounds the element."""
    CourseFactory(title="Password hygiene", slug="passwords")
    page.goto("/courses/")
    targets = {
        "header link": page.get_by_role("link", name="Sign in"),
        "button on the page": page.get_by_role("button", name="Find courses"),
        "link in a white card": page.get_by_role("link", name="Password hygiene"),
    }
    for where, target in targets.items():
        press_until_focused(page, target)
        colours = target.evaluate(FOCUS_COLOURS)
        indicator = [colours["outline"]] + ([colours["shadow"]] if colours["shadow"] else [])
        best = max(contrast(colour, colours["behind"]) for colour in indicator)
        assert best >= 3, f"focus on the {where}: {best:.2f}:1 against {colours['behind']}"
