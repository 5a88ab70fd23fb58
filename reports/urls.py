from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("completion/", views.completion_report, name="completion"),
    path("completion/export/<str:fmt>/", views.completion_export, name="export"),
    path("assign/", views.assign, name="assign"),
    path("people/<int:pk>/", views.person_detail, name="person"),
]
