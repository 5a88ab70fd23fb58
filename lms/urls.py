from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from accounts import views as account_views
from certificates import views as certificate_views

# The admin's own sign-in goes through allauth, so its rate limits and MFA apply there too.
admin.site.login = secure_admin_login(admin.site.login)
# Named after the site, in the reader's language.
admin.site.site_header = format_lazy("{} · {}", settings.LMS_SITE_NAME, _("Administration"))
admin.site.site_title = settings.LMS_SITE_NAME

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="courses:catalogue", permanent=False)),
    path("healthz", account_views.healthz, name="healthz"),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("profile/", account_views.profile, name="profile"),
    path("profile/data/", account_views.personal_data_download, name="personal_data_download"),
    path("admin/", admin.site.urls),
    path("courses/", include("quizzes.urls")),
    path("courses/", include("courses.urls")),
    path("certificates/", include("certificates.urls")),
    path("jobs/", include("jobs.urls")),
    path("reports/", include("reports.urls")),
    path("teach/", include("teaching.urls")),
    # Short, so the QR code printed on a certificate stays small.
    path("v/<str:code>/", certificate_views.verify, name="verify"),
    path("notifications/", include("notifications.urls")),
]
