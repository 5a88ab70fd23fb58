from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("<uuid:public_id>/", views.job_detail, name="detail"),
    path("<uuid:public_id>/status/", views.job_status, name="status"),
    path("<uuid:public_id>/download/", views.job_download, name="download"),
]
