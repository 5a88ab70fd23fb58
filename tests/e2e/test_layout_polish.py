"""Layout fixes checked in the real browser: quiz headings inside their boxes, the sign-in
checkbox beside its label, space above the footer, Korean line breaking, admin lists at 1280 px."""

import pytest

from accounts.roles import Role
from quizzes import services as quiz_services
from tests.e2e.conftest import sign_in
from tests.factories import (
    PASSWORD,
    CourseFactory,
    EnrollmentFactory,
    UserFactory,
    course_with_lessons,
)
from tests.quizzes.factories import quiz_with_every_kind

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def footer_gap(page, selector: str) -> float:
    last = box(page, selector)
    footer = box(page, ".site-footer")
    return footer["y"] - (last["y"] + last["height"])


def test_remember_me_checkbox_sits_at_the_start_of_the_column_beside_its_label(page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/accounts/login/")
    checkbox = box(page, "input[type=checkbox][name=remember]")
    email = box(page, "input[name=login]")
    label = box(page, "label[for=id_remember]")
    assert abs(checkbox["x"] - email["x"]) <= 2
    assert label["x"] > checkbox["x"]
    # On one line: the label's vertical middle lies within the checkbox.
    middle = label["y"] + label["height"] / 2
    assert checkbox["y"] <= middle <= checkbox["y"] + checkbox["height"]


def test_quiz_question_heading_is_inside_its_box_and_the_form_clears_the_footer(page):
    learner = UserFactory(email="ana@example.gov")
    course = CourseFactory(slug="egov")
    enrollment = EnrollmentFactory(user=learner, course=course)
    quiz = quiz_with_every_kind(course)
    attempt = quiz_services.attempt_start(enrollment=enrollment, quiz=quiz)
    sign_in(page, learner.email, PASSWORD)
    page.goto(f"/courses/egov/quizzes/{quiz.pk}/attempts/{attempt.pk}/")
    fieldsets = page.locator("fieldset.question")
    assert fieldsets.count() == 5
    for index in range(fieldsets.count()):
        fieldset = fieldsets.nth(index).bounding_box()
        legend = fieldsets.nth(index).locator("legend").bounding_box()
        assert legend["y"] >= fieldset["y"] + 1, "the heading straddles the box's top border"
        assert legend["x"] >= fieldset["x"] + 1
    assert footer_gap(page, ".quiz-form") >= 16


def test_lesson_box_keeps_its_distance_from_the_footer(page):
    learner = UserFactory(email="ana@example.gov")
    course = course_with_lessons(lessons_per_module=1, modules=1, slug="infosec")
    EnrollmentFactory(user=learner, course=course)
    sign_in(page, learner.email, PASSWORD)
    page.goto(f"/courses/infosec/lessons/{course.lessons.get().pk}/")
    assert footer_gap(page, ".lesson") >= 16


def test_korean_pages_break_lines_between_words(page):
    course_with_lessons(title="전자정부 서비스 기초", language="ko", slug="egov-ko")
    page.goto("/courses/")
    page.locator("#language-select").select_option("ko")
    page.locator(".language-form button").click()
    assert page.locator("html").get_attribute("lang") == "ko"
    assert page.evaluate("getComputedStyle(document.body).wordBreak") == "keep-all"
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert font.startswith('"Malgun Gothic", "Apple SD Gothic Neo", "Noto Sans CJK KR"')


@pytest.mark.parametrize("changelist", ["/admin/courses/enrollment/", "/admin/accounts/user/"])
def test_admin_lists_fit_a_1280_px_screen(page, changelist, settings):
    settings.LMS_REQUIRE_MFA_FOR_PRIVILEGED = False
    admin = UserFactory(email="admin@example.gov", roles=[Role.ADMINISTRATOR], is_staff=True)
    for n in range(3):
        person = UserFactory(
            full_name=f"Александра Константиновић-Петровић {n}",
            email=f"aleksandra.konstantinovic.petrovic.{n}@ministarstvo.example.gov.rs",
        )
        course = CourseFactory(title=f"Основи информационе безбедности за државне службенике {n}")
        EnrollmentFactory(user=person, course=course)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, admin.email, PASSWORD)
    page.goto(changelist)
    assert page.url.endswith(changelist), page.url
    widths = page.evaluate(
        """() => ({table: document.querySelector('#result_list').scrollWidth,
                   room: document.querySelector('#changelist-form .results').clientWidth,
                   columns: [...document.querySelectorAll('#result_list tbody tr:first-child > *')]
                     .map(cell => cell.className + ' ' + cell.offsetWidth)})"""
    )
    assert widths["table"] <= widths["room"], widths
