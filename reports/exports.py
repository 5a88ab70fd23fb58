"""CSV and XLSX exports of the completion report: exactly the rows the page shows, with the
same filters. Rows are read with a database cursor and written one at a time, so memory stays
flat however many rows there are. Small exports stream to the browser; large ones are built by
a background job (``jobs``) on the ``reports`` queue."""

import csv
import datetime
import io
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack

import xlsxwriter
from django.conf import settings
from django.core.files import File
from django.db import connections, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from certificates.models import CertificateStatus
from courses.selectors import annotate_lesson_counts
from jobs import services as job_services
from jobs.models import BackgroundJob

from .selectors import (
    REPORT_VALUE_FIELDS,
    ReportFilters,
    ReportStatus,
    completion_rows,
    progress_from,
)

EXPORT_KIND = "reports.export"
FORMATS = ("csv", "xlsx")
CHUNK_SIZE = 2000
PROGRESS_STEP = 1000
# Characters that make a spreadsheet read a cell as a formula (or a DDE command).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

VALUE_FIELDS = (*REPORT_VALUE_FIELDS, "certificate_status")


def async_threshold() -> int:
    """Rows above which an export is built by a background job (setting, default 5,000)."""
    return getattr(settings, "LMS_REPORT_EXPORT_ASYNC_THRESHOLD", 5000)


def headers() -> list[str]:
    return [
        _("Name"),
        _("Email"),
        _("Employee number"),
        _("Unit"),
        _("Course"),
        _("Status"),
        _("Progress (%)"),
        _("Best quiz score (%)"),
        _("Enrolled"),
        _("Due"),
        _("Completed on"),
        _("Certificate serial"),
        _("Certificate status"),
    ]


def labels() -> dict[str, dict[str, str]]:
    """Status names in the active language, resolved once, before any row is written."""
    return {
        "status": {key: str(label) for key, label in ReportStatus.choices},
        "certificate": {key: str(label) for key, label in CertificateStatus.choices},
    }


def neutralise(value):
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe, so it
    is shown as typed and never evaluated. Numbers and dates pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _text(value: str | None) -> str:
    """``neutralise`` for a text column, where the value is known to be text or None."""
    if not value:
        return ""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def _local_date(value: datetime.datetime | None, tz: datetime.tzinfo) -> datetime.date | None:
    if value is None:
        return None
    return value.astimezone(tz).date() if value.tzinfo is not None else value.date()


def export_row(values: dict, names: dict[str, dict[str, str]], tz=None) -> list:
    """One report row as typed cells (text, int, float, date or None), already neutralised.
    Pure: plain values in, plain values out. Dates are in ``tz`` (default: the current time
    zone; an export resolves it once for all its rows).

    Only the columns that hold people's and authors' text are neutralised: the status and
    certificate labels are the application's own, and the rest are numbers and dates."""
    if tz is None:
        tz = timezone.get_current_timezone()
    best = values["best_score"]
    certificate = values["certificate_status"]
    status = values["report_status"]
    return [
        _text(values["user__full_name"] or values["user__email"]),
        _text(values["user__email"]),
        _text(values["user__employee_number"]),
        _text(values["user__org_unit__name"]),
        _text(values["course__title"]),
        names["status"].get(status, status),
        progress_from(
            done=values["required_done"], total=values["required_total"], status=values["status"]
        ).percent,
        float(best) if best is not None else None,
        _local_date(values["enrolled_at"], tz),
        values["due_date"],
        _local_date(values["completed_at"], tz),
        _text(values["certificate_serial"]),
        names["certificate"].get(certificate, "") if certificate else "",
    ]


# Where export_row puts its numbers and dates (every other cell is text).
NUMBER_COLUMNS = (6, 7)
DATE_COLUMNS = (8, 9, 10)


def export_values(rows: QuerySet, *, streaming: bool = False) -> Iterator[dict]:
    """The report rows as plain dicts, read in chunks through a server-side cursor.

    ``streaming`` (a download answered while it is read) holds a transaction open for the
    cursor: outside one, Django declares it WITH HOLD, and PostgreSQL then computes every row
    before sending the first, so the browser would wait for the whole report. A background job
    reads without one, so the progress it writes is seen by the page at once.

    Progress counts are joined once as grouped sets (``courses.selectors.annotate_lesson_counts``)
    rather than counted by two subqueries per row, which took most of a 100,000-row export.
    PostgreSQL's JIT compiler is turned off for the export: compiling the report's subqueries
    cost more than two seconds of a 100,000-row export and saved nothing (bench/README.md)."""
    rows = annotate_lesson_counts(rows)
    connection = connections[rows.db]
    postgres = connection.vendor == "postgresql"
    with ExitStack() as stack:
        if streaming:
            stack.enter_context(transaction.atomic(using=rows.db))
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off" if streaming else "SET jit = off")
            if not streaming:
                stack.callback(_reset_jit, connection)
        yield from rows.values(*VALUE_FIELDS).iterator(chunk_size=CHUNK_SIZE)


def _reset_jit(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute("RESET jit")


def _csv_cells(cells: list) -> list:
    """``export_row``'s cells as CSV text, in place: ISO dates and shortest-form scores. Text,
    whole numbers and empty cells are left for the csv module, which writes them as they are
    (None as nothing)."""
    best = cells[7]
    if best is not None:
        cells[7] = f"{best:g}"
    for column in DATE_COLUMNS:
        value = cells[column]
        if value is not None:
            cells[column] = value.isoformat()
    return cells


def csv_chunks(
    values: Iterable[dict],
    *,
    header: list[str],
    names: dict,
    on_rows: Callable[[int], None] | None = None,
) -> Iterator[str]:
    """UTF-8 CSV text in pieces, starting with a byte-order mark so Excel reads Cyrillic and
    Hangul correctly. ``on_rows`` hears how many rows were written every few rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    yield "\ufeff" + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    tz = timezone.get_current_timezone()
    writerow = writer.writerow
    pending = 0
    for row_values in values:
        writerow(_csv_cells(export_row(row_values, names, tz)))
        pending += 1
        if pending >= PROGRESS_STEP:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            if on_rows:
                on_rows(pending)
            pending = 0
    yield buffer.getvalue()
    if on_rows and pending:
        on_rows(pending)


# Day 0 of the spreadsheet's 1900 date system, as dates after February 1900 count from it.
EXCEL_EPOCH = datetime.date(1899, 12, 30)


def write_xlsx(
    path: str,
    values: Iterable[dict],
    *,
    header: list[str],
    names: dict,
    on_rows: Callable[[int], None] | None = None,
) -> int:
    """Write an XLSX file at ``path`` in constant-memory mode: typed dates and numbers, a frozen
    header row and an autofilter. Text is never turned into formulas, numbers or links.
    Returns the number of rows written."""
    workbook = xlsxwriter.Workbook(
        path,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "tmpdir": tempfile.gettempdir(),
        },
    )
    sheet = workbook.add_worksheet(_("Completion"))
    bold = workbook.add_format({"bold": True})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    widths = [28, 30, 16, 24, 32, 14, 12, 14, 12, 12, 12, 18, 18]
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width)
    for column, title in enumerate(header):
        sheet.write_string(0, column, title, bold)
    sheet.freeze_panes(1, 0)
    tz = timezone.get_current_timezone()
    write_string, write_number = sheet.write_string, sheet.write_number
    text_columns = [
        column
        for column in range(len(header))
        if column not in NUMBER_COLUMNS and column not in DATE_COLUMNS
    ]
    row_number = pending = 0
    for row_values in values:
        row_number += 1
        cells = export_row(row_values, names, tz)
        # The type of each column is known, so each cell goes straight to its writer; an empty
        # cell is not written at all. A date is written as its day number with a date format,
        # which is what write_datetime stores, without its conversion of a datetime per cell.
        for column in text_columns:
            if cells[column]:
                write_string(row_number, column, cells[column])
        for column in NUMBER_COLUMNS:
            if cells[column] is not None:
                write_number(row_number, column, cells[column])
        for column in DATE_COLUMNS:
            if cells[column] is not None:
                write_number(row_number, column, (cells[column] - EXCEL_EPOCH).days, date_format)
        pending += 1
        if on_rows and pending >= PROGRESS_STEP:
            on_rows(pending)
            pending = 0
    sheet.autofilter(0, 0, max(row_number, 1), len(header) - 1)
    workbook.close()
    if on_rows and pending:
        on_rows(pending)
    return row_number


def export_filename(fmt: str) -> str:
    return f"completion-{timezone.localdate().isoformat()}.{fmt}"


def build_export(rows: QuerySet, *, fmt: str, on_rows: Callable[[int], None] | None = None) -> File:
    """The whole export as an open temporary file, rewound (for a background job's result or
    a small XLSX download). It is written to disk row by row and never held in memory; the
    file disappears when it is closed."""
    header, names = headers(), labels()
    if fmt == "csv":
        result = tempfile.TemporaryFile()  # noqa: SIM115 (the caller closes it)
        for chunk in csv_chunks(export_values(rows), header=header, names=names, on_rows=on_rows):
            result.write(chunk.encode("utf-8"))
    else:
        handle, path = tempfile.mkstemp(suffix=".xlsx")
        os.close(handle)
        try:
            write_xlsx(path, export_values(rows), header=header, names=names, on_rows=on_rows)
            result = open(path, "rb")  # noqa: SIM115 (the caller closes it)
        finally:
            # The open handle keeps the data until it is closed.
            os.unlink(path)
    result.seek(0)
    return File(result, name=export_filename(fmt))


def run_export_job(job: BackgroundJob):
    """Runner of ``reports.export`` jobs: the requester's scope is applied again here, so a job
    can never hold rows its requester may not see."""
    requester = job.requester
    with translation.override(requester.preferred_language):
        fmt = job.params.get("format", "csv")
        if fmt not in FORMATS:
            raise ValueError(f"unknown export format {fmt!r}")
        filters = ReportFilters.from_params(job.params.get("filters", {}))
        rows = completion_rows(actor=requester, filters=filters)
        total = rows.count()
        job_services.job_start(job=job, total=total)

        def advance(written: int) -> None:
            # Rows added after the count must not push the progress past the total.
            step = min(written, job.total - job.progress)
            if step > 0:
                job_services.job_advance(job=job, by=step)

        content = build_export(rows, fmt=fmt, on_rows=advance)
    return (export_filename(fmt), content), {"rows": total}
