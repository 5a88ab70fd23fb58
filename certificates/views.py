import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import is_privileged
from courses.models import Course

from . import bulk, permissions, selectors, services
from .forms import RevokeForm, TemplateChoiceForm
from .models import CertificateStatus, CertificateTemplate


def _certificate_or_404(request, pk):
    certificate = selectors.certificate_by_pk(pk=pk)
    if certificate is None or not permissions.can_view_certificate(request.user, certificate):
        raise Http404
    return certificate


@login_required
def my_certificates(request):
    page = Paginator(selectors.my_certificates(user=request.user), 25).get_page(
        request.GET.get("page")
    )
    courses = None
    if is_privileged(request.user):
        courses = list(
            selectors.courses_with_certificates_for(user=request.user)
            .only("slug", "title", "language")
            .order_by("title")[:200]
        )
    return render(request, "certificates/my_certificates.html", {"page": page, "courses": courses})


@login_required
def certificate_detail(request, pk):
    certificate = _certificate_or_404(request, pk)
    return render(
        request,
        "certificates/certificate_detail.html",
        {
            "certificate": certificate,
            "history": list(selectors.certificate_history(certificate=certificate))
            if certificate.serial
            else [],
            "revoke_form": RevokeForm()
            if permissions.can_revoke_certificate(request.user)
            else None,
            "can_reissue": permissions.can_reissue_certificate(request.user)
            and certificate.status in {CertificateStatus.ISSUED, CertificateStatus.FAILED},
        },
    )


@login_required
def certificate_download(request, pk):
    certificate = _certificate_or_404(request, pk)
    if not certificate.pdf:
        raise Http404
    try:
        handle = certificate.pdf.open("rb")
    except OSError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=certificate.download_filename(),
        content_type="application/pdf",
    )


@login_required
@require_POST
def certificate_revoke(request, pk):
    certificate = _certificate_or_404(request, pk)
    if not permissions.can_revoke_certificate(request.user):
        raise Http404
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.certificate_revoke(
                certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except services.CertificateError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The certificate is revoked."))
            return redirect("certificates:detail", pk=certificate.pk)
    return render(
        request,
        "certificates/certificate_detail.html",
        {
            "certificate": certificate,
            "history": list(selectors.certificate_history(certificate=certificate)),
            "revoke_form": form,
            "can_reissue": False,
        },
        status=400,
    )


@login_required
@require_POST
def certificate_reissue(request, pk):
    certificate = _certificate_or_404(request, pk)
    if not permissions.can_reissue_certificate(request.user):
        raise Http404
    try:
        replacement = services.certificate_reissue(certificate=certificate, actor=request.user)
    except services.CertificateError as error:
        messages.error(request, str(error))
        return redirect("certificates:detail", pk=certificate.pk)
    messages.success(request, _("The certificate is being issued again."))
    return redirect("certificates:detail", pk=replacement.pk)


def _course_or_404(request, slug) -> Course:
    course = Course.objects.prefetch_related("trainers").filter(slug=slug).first()
    if course is None or not permissions.can_list_course_certificates(request.user, course):
        raise Http404
    return course


@login_required
def course_certificates(request, slug):
    course = _course_or_404(request, slug)
    can_choose = permissions.can_choose_template(request.user, course)
    chosen = services.template_for_course(course.pk) if can_choose else None
    form = None
    if can_choose:
        form = TemplateChoiceForm(
            request.POST or None,
            initial={"template": chosen.pk if chosen and not chosen.is_default else None},
        )
        if request.method == "POST" and form.is_valid():
            services.course_set_certificate_template(
                course=course, template=form.cleaned_data["template"], actor=request.user
            )
            messages.success(request, _("The certificate template is saved."))
            return redirect("certificates:course", slug=course.slug)
    elif request.method == "POST":
        raise Http404
    page = Paginator(
        selectors.course_certificates_in_scope(user=request.user, course=course), 50
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "certificates/course_certificates.html",
        {
            "course": course,
            "page": page,
            "form": form,
            "template": chosen,
            "can_rerender": permissions.can_rerender_course(request.user),
        },
        status=400 if form is not None and form.is_bound and not form.is_valid() else 200,
    )


@login_required
@require_POST
def course_certificates_zip(request, slug):
    course = _course_or_404(request, slug)
    job = bulk.certificates_request_zip(course=course, requester=request.user)
    return redirect("jobs:detail", public_id=job.public_id)


@login_required
@require_POST
def course_certificates_rerender(request, slug):
    course = _course_or_404(request, slug)
    if not permissions.can_rerender_course(request.user):
        raise Http404
    job = bulk.certificates_request_rerender(course=course, requester=request.user)
    return redirect("jobs:detail", public_id=job.public_id)


@login_required
def template_preview(request, pk):
    if not permissions.can_preview_templates(request.user):
        raise Http404
    template = get_object_or_404(CertificateTemplate, pk=pk)
    language = request.GET.get("language") or translation.get_language()
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    content = services.certificate_template_preview(template=template, language=language)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="preview-{template.pk}.pdf"'
    return response


# -- public verification ---------------------------------------------------------------------


def _client_key(request) -> str:
    """The client's address, hashed. Behind a proxy, LMS_CLIENT_IP_HEADER names the header it
    sets (e.g. HTTP_X_FORWARDED_FOR); the last entry is the one that proxy appended."""
    address = request.META.get("REMOTE_ADDR", "")
    header = settings.LMS_CLIENT_IP_HEADER
    if header and request.META.get(header):
        address = request.META[header].split(",")[-1].strip()
    return hashlib.sha256(address.encode()).hexdigest()[:32]


def _rate_limited(request) -> bool:
    """At most LMS_VERIFY_RATE_LIMIT look-ups a minute from one address, counted in the shared
    cache so the limit holds across web processes."""
    limit = settings.LMS_VERIFY_RATE_LIMIT
    window = int(timezone.now().timestamp() // 60)
    key = f"verify-rate:{_client_key(request)}:{window}"
    if cache.add(key, 1, timeout=90):
        return False
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=90)
        return False
    return count > limit


def verify(request, code):
    if _rate_limited(request):
        response = render(request, "certificates/verify_rate_limited.html", status=429)
        response["Retry-After"] = "60"
        return response
    # The look-up runs for any code, well-formed or not, so timing says nothing about it.
    certificate = selectors.certificate_for_verification(code=services.normalise_code(code))
    state = certificate.verification_state if certificate is not None else "not_found"
    if state not in {"valid", "expired", "revoked"}:
        # A certificate still being prepared (or one that failed) is not yet proof of anything.
        certificate, state = None, "not_found"
    response = render(
        request,
        "certificates/verify.html",
        {"certificate": certificate, "state": state},
        status=200 if certificate is not None else 404,
    )
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
