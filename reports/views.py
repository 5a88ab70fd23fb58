from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from courses.cache import catalogue_version
from courses.selectors import counted_lesson_totals
from lms import boundary
from lms.fragments import Fragment

from . import charts, exports, permissions, selectors, services
from .forms import (
    AssignConfirmForm,
    AssignForm,
    DashboardForm,
    ReportFilterForm,
    filters_markup,
    unfiltered_filters_markup,
)
from .rows import rows_html

PAGE_SIZE = 50

# Everything of the report page above its rows, for the same filters, query, count and language
# (the page every visit starts from is the same for an officer until the data changes).
_REPORT_HEAD = Fragment("reports/_completion_head.html")


def _require_reports(user) -> None:
    # Learners get 404 on every HR address, as for anything else they may not see.
    if not permissions.can_open_reports(user):
        raise Http404


def _filter_form(request) -> ReportFilterForm:
    form = ReportFilterForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid() and form.has_scope_error():
        raise Http404
    return form


def _filters(form: ReportFilterForm) -> selectors.ReportFilters:
    if form.is_bound and form.is_valid():
        return form.filters()
    return selectors.ReportFilters()


@login_required
@require_GET
def dashboard(request):
    _require_reports(request.user)
    form = DashboardForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        raise Http404
    course = form.cleaned_data["course"] if form.is_bound else None
    units = selectors.unit_completion(actor=request.user, course=course)
    weeks = selectors.completions_per_week(actor=request.user, course=course)
    rate_chart = charts.horizontal_chart(
        [(unit.name, unit.rate, f"{unit.rate}%") for unit in units], maximum=100
    )
    overdue_chart = charts.horizontal_chart(
        [(unit.name, unit.overdue, str(unit.overdue)) for unit in units],
        maximum=max((unit.overdue for unit in units), default=0),
    )
    week_chart = charts.column_chart(
        [(formats.date_format(week.week, "SHORT_DATE_FORMAT"), week.completed) for week in weeks]
    )
    return render(
        request,
        "reports/dashboard.html",
        {
            "form": form,
            "course": course,
            "units": units,
            "weeks": weeks,
            "rate_chart": rate_chart,
            "overdue_chart": overdue_chart,
            "week_chart": week_chart,
            "can_assign": permissions.can_assign(request.user),
        },
    )


@login_required
@require_GET
def completion_report(request):
    _require_reports(request.user)
    tree_version = None
    if request.GET:
        form = _filter_form(request)
        filters, filters_html = _filters(form), filters_markup(form)
        catalogue = catalogue_version()
    else:
        # Nothing filtered: the fields as this reader always sees them there, kept.
        filters = selectors.ReportFilters()
        filters_html, catalogue, tree_version = unfiltered_filters_markup(request.user)
    page = selectors.completion_page(
        actor=request.user,
        filters=filters,
        number=boundary.parse_id(request.GET.get("page")) or 1,
        per_page=PAGE_SIZE,
        tree_version=tree_version,
    )
    rows = page.object_list
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    for key in ("sort", "desc"):
        sort_query.pop(key, None)
    # The header's link to the person pages and to assigning follow the same rule
    # (show_reports_link).
    can_assign = permissions.can_assign(request.user)
    query = query.urlencode()
    head_html = _REPORT_HEAD.render(
        filters_html=filters_html,
        query=query,
        sort_query=sort_query.urlencode(),
        count=page.paginator.count,
        show_reports_link=can_assign,
    )
    return render(
        request,
        "reports/completion.html",
        {
            "head_html": head_html,
            "page": page,
            "rows": rows,
            "rows_html": rows_html(
                rows, totals=counted_lesson_totals(version=catalogue), link_people=can_assign
            ),
            "query": query,
        },
    )


@login_required
@require_GET
def completion_export(request, fmt):
    _require_reports(request.user)
    if fmt not in exports.FORMATS:
        raise Http404
    form = _filter_form(request)
    if form.is_bound and not form.is_valid():
        messages.error(request, _("Correct the filters before exporting."))
        return redirect(f"{request.path.rsplit('/export/', 1)[0]}/?{request.GET.urlencode()}")
    filters = _filters(form)
    rows = selectors.completion_rows(actor=request.user, filters=filters)
    count = rows.count()
    export = services.report_export_request(
        actor=request.user, filters=filters, fmt=fmt, rows=count
    )
    if export.job is not None:
        messages.info(
            request,
            _("The export is large, so it is being prepared; this page shows its progress."),
        )
        return redirect("jobs:detail", public_id=export.job.public_id)
    filename = exports.export_filename(fmt)
    header, names = exports.headers(), exports.labels()
    if fmt == "csv":
        response = StreamingHttpResponse(
            (
                chunk.encode("utf-8")
                for chunk in exports.csv_chunks(
                    exports.export_values(rows, streaming=True), header=header, names=names
                )
            ),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    content = exports.build_export(rows, fmt="xlsx")
    response = FileResponse(
        content.file,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return response


@login_required
@require_GET
def person_detail(request, pk):
    person = get_object_or_404(User.objects.select_related("org_unit"), pk=pk)
    if not permissions.can_view_person_report(request.user, person):
        raise Http404
    enrollments = selectors.person_enrollments(actor=request.user, person=person)
    return render(
        request,
        "reports/person_detail.html",
        {
            "person": person,
            "enrollments": [(row, selectors.row_progress(row)) for row in enrollments],
            "attempts": selectors.person_attempts(person=person),
            "certificates": selectors.person_certificates(person=person),
            "statuses": selectors.ReportStatus.labels,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assign(request):
    if not permissions.can_assign(request.user):
        raise Http404
    if request.method == "POST" and request.POST.get("action") == "confirm":
        return _assign_confirm(request)
    form = AssignForm(request.POST or None, request.FILES or None, user=request.user)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unmatched = []
        try:
            if data["source"] == AssignForm.SOURCE_PEOPLE:
                people = list(data["people"])
            elif data["source"] == AssignForm.SOURCE_UNIT:
                people = services.assignment_people_from_unit(
                    actor=request.user, unit=data["unit"], include_subunits=data["include_subunits"]
                )
            else:
                people, unmatched = services.assignment_people_from_csv(
                    actor=request.user, upload=data["csv_file"].read(services.MAX_CSV_BYTES + 1)
                )
        except services.AssignmentError as error:
            form.add_error("csv_file", str(error))
        else:
            preview = services.assignment_preview(
                actor=request.user, course=data["course"], people=people, unmatched=unmatched
            )
    return render(
        request,
        "reports/assign.html",
        {"form": form, "preview": preview, "today": timezone.localdate()},
    )


def _assign_confirm(request):
    form = AssignConfirmForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("The assignment could not be read; please start again."))
        return redirect("reports:assign")
    data = form.cleaned_data
    try:
        result = services.enrollment_assign(
            actor=request.user,
            people=list(data["people"]),
            course=data["course"],
            due_date=data["due_date"],
        )
    except services.AssignmentError as error:
        messages.error(request, str(error))
        return redirect("reports:assign")
    messages.success(
        request,
        _(
            "The assignment is saved. Enrolled now: %(created)d. Already enrolled, "
            "given the new due date: %(updated)d."
        )
        % {"created": result.created, "updated": result.updated},
    )
    return redirect(f"{_report_url()}?course={data['course'].pk}")


def _report_url() -> str:
    from django.urls import reverse

    return reverse("reports:completion")
