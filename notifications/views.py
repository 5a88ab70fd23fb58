from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import permissions, selectors, services
from .calendar import build_calendar
from .emails import PRESENTED_FIELDS, present, site_url
from .forms import PreferencesForm
from .kinds import MANDATORY_KINDS, MANDATORY_REASON, Kind, optional_kinds
from .tokens import InvalidToken, read_token

PAGE_SIZE = 20


def _list_item(log, memo: dict) -> dict:
    item = present(log, absolute=False, memo=memo)
    # What ``|date:'c'`` and ``|date:"DATETIME_FORMAT"`` wrote, without the filter machinery.
    created = timezone.localtime(log.created_at)
    item["created_iso"] = created.isoformat()
    item["created_text"] = formats.date_format(created, "DATETIME_FORMAT")
    return item


@login_required
@require_GET
def notification_list(request):
    logs = selectors.notifications_for(user=request.user).only(*PRESENTED_FIELDS)
    page = selectors.notifications_page(
        logs=logs, number=request.GET.get("page"), per_page=PAGE_SIZE
    )
    memo = {}
    items = [_list_item(log, memo) for log in page.object_list]
    context = {"page": page, "items": items}
    if items and hasattr(page.object_list[0], "unread_total"):
        # The bell's count came with the page: the context processor's query is not needed.
        context["notifications_unread"] = page.object_list[0].unread_total
    return render(request, "notifications/list.html", context)


@login_required
@require_POST
def mark_read(request):
    """Mark one notification read (``id`` posted) or all of them."""
    raw = request.POST.get("id")
    if raw is None:
        services.notifications_mark_read(user=request.user)
    else:
        if not (raw.isascii() and raw.isdecimal()):
            raise Http404
        log = selectors.notifications_for(user=request.user).filter(pk=int(raw)).first()
        if log is None or not permissions.can_view_notification(request.user, log):
            raise Http404
        services.notifications_mark_read(user=request.user, ids=[log.pk])
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    if not permissions.can_manage_preferences(request.user):
        raise Http404
    off = selectors.opted_out_kinds(user=request.user)
    initial = {f"kind_{kind.value}": kind.value not in off for kind in optional_kinds()}
    initial["time_zone"] = request.user.time_zone
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.preferences_update(
            user=request.user,
            enabled_kinds=form.enabled_kinds(),
            time_zone=form.cleaned_data["time_zone"],
        )
        messages.success(request, _("Your notification settings were saved."))
        return redirect("notifications:preferences")
    feed = services.calendar_feed_for(user=request.user)
    calendar_url = site_url(reverse("notifications:calendar", args=[feed.token]), request)
    mandatory = [kind for kind in Kind if kind in MANDATORY_KINDS]
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "mandatory": mandatory,
            "mandatory_reason": MANDATORY_REASON,
            "calendar_url": calendar_url,
        },
    )


@login_required
@require_POST
def calendar_reset(request):
    services.calendar_feed_reset(user=request.user)
    messages.success(
        request, _("Your calendar has a new address. The old address no longer works.")
    )
    return redirect("notifications:preferences")


@require_GET
@never_cache
def calendar_feed(request, token):
    """The secret per-person calendar; the token is the only credential, as calendar apps
    cannot sign in."""
    user = selectors.calendar_owner(token=token)
    if user is None:
        raise Http404
    body = build_calendar(user=user, enrollments=selectors.calendar_enrollments(user=user))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="due-dates.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


def _invalid_token(request):
    return render(
        request,
        "notifications/unsubscribe_invalid.html",
        {"preferences_url": reverse("notifications:preferences")},
        status=400,
    )


# RFC 8058 one-click unsubscribe: mail clients POST "List-Unsubscribe=One-Click" to the address
# in the List-Unsubscribe header without any cookie or CSRF token, so this view cannot require
# one. The signed, expiring token in the address is what authorises the change, and the only
# change it can make is turning notifications off (never on), so a forged request gains nothing.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET shows what the link turns off and a button (link scanners that fetch the address
    change nothing); POST turns it off. A bad or expired token shows a clear page."""
    try:
        data = read_token(token)
    except InvalidToken:
        return _invalid_token(request)
    labels = [Kind(kind).label for kind in data.kinds]
    if request.method == "GET":
        return render(request, "notifications/unsubscribe.html", {"labels": labels, "token": token})
    try:
        services.unsubscribe(token=token)
    except InvalidToken:
        return _invalid_token(request)
    return render(
        request,
        "notifications/unsubscribe_done.html",
        {"labels": labels, "preferences_url": reverse("notifications:preferences")},
    )
