"""The report page's rows written in Python (``reports.rows``) are what the row template
wrote: the same cells, escaped alike, dates in the current time zone, in every language."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import engines
from django.utils import translation

from reports import selectors
from reports.rows import rows_html

# The per-row markup the page's template had before the rows were written in Python.
ROW_TEMPLATE = (Path(__file__).parent / "completion_rows_before.html").read_text()

HOSTILE = "<script>\"x\" & 'y'</script>"


class _Obj:
    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)

    def __str__(self):
        return self.full_name or self.email


def _values(n, **overrides):
    base = {
        "pk": n,
        "user_id": 40 + n,
        "course_id": 70 + n,
        "user__full_name": f"{HOSTILE} Ђорђе {n}",
        "user__email": f"p{n}@example.org",
        "user__employee_number": "=1+2" if n % 2 else "",
        "unit_name": "Сектор <A>" if n % 3 else None,
        "course__title": f"Course & {n}",
        "status": "completed" if n % 4 == 0 else "active",
        "report_status": ["completed", "in_progress", "overdue", "not_started"][n % 4],
        "required_total": 3 if n % 5 else 0,
        "required_done": n % 4,
        "best_score": [None, Decimal("84.50"), Decimal("0.49"), Decimal("100.00")][n % 4],
        # 23:30 UTC is the next day in Belgrade (the site's zone) and in Seoul.
        "enrolled_at": datetime.datetime(2026, 3, n + 1, 23, 30, tzinfo=datetime.UTC),
        "due_date": datetime.date(2026, 12, n + 1) if n % 2 else None,
        "completed_at": (
            datetime.datetime(2026, 11, n + 1, 22, 59, tzinfo=datetime.UTC) if n % 4 == 0 else None
        ),
        "certificate_serial": f"LMS-{n}" if n % 4 == 0 else None,
    }
    return {**base, **overrides}


def _as_template_row(values):
    user = _Obj(
        pk=values["user_id"],
        full_name=values["user__full_name"],
        email=values["user__email"],
        employee_number=values["user__employee_number"],
        org_unit=_Obj(name=values["unit_name"], full_name="", email=""),
    )
    row = _Obj(
        user=user,
        course=_Obj(title=values["course__title"]),
        best_score=values["best_score"],
        enrolled_at=values["enrolled_at"],
        due_date=values["due_date"],
        completed_at=values["completed_at"],
        certificate_serial=values["certificate_serial"],
        required_done=values["required_done"],
        required_total=values["required_total"],
        status=values["status"],
    )
    status = selectors.ReportStatus.labels[values["report_status"]]
    return (row, selectors.row_progress(row), status)


@pytest.mark.parametrize("language", ["en", "sr", "sr-latn", "ko"])
@pytest.mark.parametrize("link", [True, False])
def test_rows_are_what_the_template_wrote(language, link):
    values = [_values(n) for n in range(12)]
    template = engines["django"].from_string(ROW_TEMPLATE)
    with translation.override(language):
        expected = template.render(
            {"rows": [_as_template_row(v) for v in values], "show_reports_link": link}
        )
        assert rows_html(values, totals=_totals(values), link_people=link) == expected


def _totals(values):
    # Each course's counted lessons, as courses.selectors.counted_lesson_totals gives them: a
    # course without any is missing.
    return {v["course_id"]: v["required_total"] for v in values if v["required_total"]}


def _cells(html):
    return [cell.strip() for cell in html.split("<td>")[1:]]


def test_cells():
    with translation.override("en"):
        first = _cells(rows_html([_values(0)], totals={}, link_people=False))
        second = _cells(rows_html([_values(1)], totals={}, link_people=True))
    assert first[6].startswith("2 Mar 2026<")  # enrolled: the next day in Belgrade
    assert first[5].startswith("—<") and second[5].startswith("85%<")  # best score
    assert first[7].startswith("—<") and second[7].startswith("2 Dec 2026<")  # due
    assert first[4].startswith("100%<")  # completed
    assert first[1].startswith("—<")  # no unit
    assert second[0].startswith('<a href="/reports/people/41/">')
    html = rows_html([_values(1)], totals={}, link_people=True)
    assert HOSTILE not in html and "&lt;script&gt;&quot;x&quot; &amp; &#x27;y&#x27;" in html
