import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from . import services
from .forms import ProfileForm
from .language import set_language_cookie, supported_language


@require_GET
@never_cache
def healthz(request):
    """For load balancers: answers without touching the database."""
    return HttpResponse("ok", content_type="text/plain")


@require_POST
def set_language(request):
    """Switch the interface language: kept in the language cookie, and for a signed-in person
    also as their preferred language, which then applies on every device and in emails."""
    response = django_set_language(request)
    language = supported_language(request.POST.get("language"))
    if request.user.is_authenticated and language is not None:
        services.user_set_preferred_language(user=request.user, language=language)
    return response


@login_required
def profile(request):
    initial = {
        "full_name": request.user.full_name,
        "preferred_language": request.user.preferred_language,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(
            user=request.user,
            full_name=form.cleaned_data["full_name"],
            preferred_language=form.cleaned_data["preferred_language"],
        )
        language = form.cleaned_data["preferred_language"]
        # The saved language applies from this response on, the message included.
        translation.activate(language)
        messages.success(request, _("Your profile was saved."))
        response = redirect("profile")
        set_language_cookie(response, language)
        return response
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@require_POST
def personal_data_download(request):
    """The signed-in person's data as one JSON file (asked for with a POST, so that no link
    or prefetch can start a download that the audit log records)."""
    data = services.personal_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
