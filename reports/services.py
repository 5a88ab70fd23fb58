"""Writes of the HR pages: assigning training and recording exports. Every action checks the
actor's scope here, so the page, the admin and any later API share one rule."""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from courses.models import Course, Enrollment, EnrollmentSource, EnrollmentStatus
from courses.services import EnrollmentError, enrollment_create
from jobs import services as job_services
from jobs.models import BackgroundJob

from . import exports, permissions
from .selectors import ReportFilters

MAX_CSV_BYTES = 1024 * 1024
MAX_CSV_ROWS = 10000
CSV_HEADER_WORDS = {"email", "e-mail", "employee_number", "employee number", "identifier"}


class AssignmentError(Exception):
    """The assignment was refused as a whole; the message is for the person who asked."""


@dataclass(frozen=True)
class UnmatchedRow:
    line: int
    value: str
    reason: str


@dataclass
class AssignmentPreview:
    to_enrol: list[User] = field(default_factory=list)
    already: list[tuple[User, Enrollment]] = field(default_factory=list)
    unmatched: list[UnmatchedRow] = field(default_factory=list)

    @property
    def person_ids(self) -> list[int]:
        return [person.pk for person in self.to_enrol]


@dataclass(frozen=True)
class AssignmentResult:
    created: int
    updated: int


def _current_enrollments(*, course: Course, people: list[User]) -> dict[int, Enrollment]:
    current = {}
    for enrollment in Enrollment.objects.filter(course=course, user__in=people).order_by(
        "user_id", "cycle"
    ):
        current[enrollment.user_id] = enrollment
    return current


def assignment_preview(
    *, actor: User, course: Course, people: list[User], unmatched: list[UnmatchedRow] = ()
) -> AssignmentPreview:
    """Split the chosen people into those the assignment will enrol and those already enrolled
    (in progress or completed) in the course's current cycle."""
    preview = AssignmentPreview(unmatched=list(unmatched))
    current = _current_enrollments(course=course, people=people)
    for person in people:
        enrollment = current.get(person.pk)
        if enrollment is not None and enrollment.status != EnrollmentStatus.WITHDRAWN:
            preview.already.append((person, enrollment))
        else:
            preview.to_enrol.append(person)
    return preview


def assignment_people_from_unit(*, actor: User, unit, include_subunits: bool) -> list[User]:
    """The active people of ``unit`` (and its sub-units) within ``actor``'s scope."""
    people = permissions.assignable_people(actor)
    if include_subunits:
        people = people.filter(org_unit__path__startswith=unit.path)
    else:
        people = people.filter(org_unit=unit)
    return list(people.select_related("org_unit").order_by("full_name", "email"))


def assignment_people_from_csv(
    *, actor: User, upload: bytes
) -> tuple[list[User], list[UnmatchedRow]]:
    """Read a CSV whose first column holds an email address or an employee number per row.
    People outside ``actor``'s scope are reported exactly like unknown ones, so the file cannot
    be used to learn who exists elsewhere."""
    if len(upload) > MAX_CSV_BYTES:
        raise AssignmentError(_("The file is larger than 1 MB."))
    try:
        text = upload.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AssignmentError(_("The file is not UTF-8 text.")) from None
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    lines = []
    # Universal newlines: a file saved with bare carriage returns reads as rows too.
    rows = csv.reader(io.StringIO(text, newline=None), dialect)
    try:
        for line_number, row in enumerate(rows, start=1):
            value = row[0].strip() if row else ""
            if not value:
                continue
            if line_number == 1 and value.lower() in CSV_HEADER_WORDS:
                continue
            lines.append((line_number, value))
            if len(lines) > MAX_CSV_ROWS:
                raise AssignmentError(_("The file has more than 10,000 rows."))
    except csv.Error:
        # A field over the csv module's size limit, say.
        raise AssignmentError(_("The file could not be read as CSV.")) from None
    emails = {value.lower() for _line, value in lines if "@" in value}
    numbers = {value for _line, value in lines if "@" not in value}
    in_scope = permissions.assignable_people(actor).filter(
        Q(email__in=emails) | Q(employee_number__in=numbers)
    )
    by_email, by_number = {}, {}
    for person in in_scope.select_related("org_unit"):
        by_email[person.email.lower()] = person
        if person.employee_number:
            by_number.setdefault(person.employee_number, []).append(person)
    people, seen, unmatched = [], set(), []
    for line_number, value in lines:
        if "@" in value:
            person = by_email.get(value.lower())
        else:
            candidates = by_number.get(value, [])
            if len(candidates) > 1:
                unmatched.append(
                    UnmatchedRow(
                        line_number,
                        value,
                        _("This employee number belongs to more than one person; use the email."),
                    )
                )
                continue
            person = candidates[0] if candidates else None
        if person is None:
            unmatched.append(
                UnmatchedRow(
                    line_number,
                    value,
                    _("No active person in your units has this email or employee number."),
                )
            )
        elif person.pk in seen:
            unmatched.append(UnmatchedRow(line_number, value, _("Listed twice in the file.")))
        else:
            seen.add(person.pk)
            people.append(person)
    return people, unmatched


def enrollment_assign(
    *,
    actor: User,
    people: list[User],
    course: Course,
    due_date: datetime.date | None,
) -> AssignmentResult:
    """Assign ``course``, due by ``due_date``, to ``people``; all or nothing.

    Every person must lie in ``actor``'s scope (an HR officer's unit subtree), or nothing is
    assigned. New enrollments are created through ``courses.services.enrollment_create`` with
    the ASSIGNED source, so the assignment listeners (the enrolment email) run for each; a
    person already in progress keeps their progress and gets the new due date. People who
    completed the current cycle are left as they are. ``enrollment_create`` records each
    person's assignment in the audit log (``enrollment.assign``); one more event
    (``enrollment.assign_batch``) records the batch as the officer confirmed it, with the
    counts and the people left alone.
    """
    if not permissions.can_assign(actor):
        raise AssignmentError(_("You may not assign training."))
    if not permissions.assignable_courses(actor).filter(pk=course.pk).exists():
        raise AssignmentError(_("This course is not open for enrolment."))
    if due_date is not None and due_date < timezone.localdate():
        raise AssignmentError(_("The due date is in the past."))
    ids = {person.pk for person in people}
    if not ids:
        raise AssignmentError(_("Choose at least one person."))
    allowed = set(
        permissions.assignable_people(actor).filter(pk__in=ids).values_list("pk", flat=True)
    )
    if allowed != ids:
        raise AssignmentError(_("Some of the chosen people are outside your units."))
    created = updated = 0
    with transaction.atomic():
        current = _current_enrollments(course=course, people=list(people))
        assigned, left_alone = [], []
        for person in sorted(people, key=lambda p: p.pk):
            before = current.get(person.pk)
            if before is not None and before.status == EnrollmentStatus.COMPLETED:
                left_alone.append(person.pk)
                continue
            try:
                enrollment_create(
                    user=person,
                    course=course,
                    source=EnrollmentSource.ASSIGNED,
                    assigned_by=actor,
                    due_date=due_date,
                )
            except EnrollmentError as error:
                raise AssignmentError(str(error)) from error
            if before is None:
                created += 1
            else:
                updated += 1
            assigned.append(person.pk)
        audit_record(
            actor=actor,
            action="enrollment.assign_batch",
            target=course,
            data={
                "people": assigned,
                "completed_left_alone": left_alone,
                "due_date": due_date.isoformat() if due_date else None,
                "created": created,
                "updated": updated,
            },
        )
    return AssignmentResult(created=created, updated=updated)


@dataclass(frozen=True)
class ExportRequest:
    fmt: str
    job: BackgroundJob | None
    rows: int


def report_export_request(
    *, actor: User, filters: ReportFilters, fmt: str, rows: int
) -> ExportRequest:
    """Record an export of ``rows`` report rows in ``fmt``; above the threshold queue a
    background job for it (the caller streams the smaller ones). Audited either way."""
    if fmt not in exports.FORMATS:
        raise ValueError(fmt)
    if not permissions.can_open_reports(actor):
        raise PermissionError("not allowed")
    with transaction.atomic():
        job = None
        if rows > exports.async_threshold():
            job = job_services.job_create(
                kind=exports.EXPORT_KIND,
                requester=actor,
                params={"format": fmt, "filters": filters.as_params()},
            )
        audit_record(
            actor=actor,
            action="report.export",
            target=job if job is not None else actor,
            data={"format": fmt, "rows": rows, "filters": filters.as_params()},
        )
    return ExportRequest(fmt=fmt, job=job, rows=rows)
