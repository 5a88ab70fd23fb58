from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("", views.my_certificates, name="mine"),
    path("<int:pk>/", views.certificate_detail, name="detail"),
    path("<int:pk>/pdf/", views.certificate_download, name="download"),
    path("<int:pk>/revoke/", views.certificate_revoke, name="revoke"),
    path("<int:pk>/reissue/", views.certificate_reissue, name="reissue"),
    path("courses/<slug:slug>/", views.course_certificates, name="course"),
    path("courses/<slug:slug>/zip/", views.course_certificates_zip, name="course_zip"),
    path(
        "courses/<slug:slug>/rerender/",
        views.course_certificates_rerender,
        name="course_rerender",
    ),
    path("templates/<int:pk>/preview/", views.template_preview, name="template_preview"),
]
