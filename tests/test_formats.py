"""Dates, times and numbers as each language writes them (lms/formats/)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import formats, translation

from tests.factories import CourseFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 12, 31)
MOMENT = datetime.datetime(2026, 12, 31, 14, 5, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("language", "date", "moment", "decimal"),
    [
        ("en", "31 Dec 2026", "31 Dec 2026, 14:05", "1.5"),
        ("sr", "31. 12. 2026.", "31. 12. 2026. 14:05", "1,5"),
        ("sr-latn", "31. 12. 2026.", "31. 12. 2026. 14:05", "1,5"),
        ("ko", "2026. 12. 31.", "2026. 12. 31. 14:05", "1.5"),
    ],
)
def test_each_language_writes_dates_times_and_decimals_its_own_way(language, date, moment, decimal):
    with translation.override(language):
        assert formats.date_format(DAY, "DATE_FORMAT") == date
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == date
        assert formats.date_format(MOMENT, "DATETIME_FORMAT") == moment
        assert formats.date_format(MOMENT, "SHORT_DATETIME_FORMAT") == moment
        assert formats.time_format(MOMENT.time(), "TIME_FORMAT") == "14:05"
        assert formats.localize(Decimal("1.5")) == decimal


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "31 Dec 2026"), ("sr", "31. 12. 2026."), ("ko", "2026. 12. 31.")],
)
def test_my_learning_shows_due_dates_in_the_persons_language(
    learner_client, learner, language, expected
):
    learner.preferred_language = language
    learner.save(update_fields=["preferred_language"])
    EnrollmentFactory(user=learner, course=CourseFactory(), due_date=DAY)
    page = learner_client.get(reverse("courses:my_learning")).text
    assert expected in page
    assert "12/31/2026" not in page and "Dec. 31, 2026" not in page


def test_english_input_is_read_day_first(settings):
    with translation.override("en"):
        assert "%d/%m/%Y" in formats.get_format("DATE_INPUT_FORMATS")
        assert "%m/%d/%Y" not in formats.get_format("DATE_INPUT_FORMATS")


def test_course_hours_use_a_decimal_comma_in_serbian(client):
    CourseFactory(title="Records", estimated_hours=Decimal("1.5"))
    client.post(reverse("set_language"), {"language": "sr-latn"})
    assert "1,5" in client.get(reverse("courses:catalogue")).text
