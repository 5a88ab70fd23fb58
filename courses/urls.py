from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("my/", views.my_learning, name="my_learning"),
    path("enrollments/<int:pk>/", views.enrollment_detail, name="enrollment"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("<slug:slug>/", views.course_detail, name="detail"),
    path("<slug:slug>/cover/", views.course_cover, name="cover"),
    path("<slug:slug>/enrol/", views.course_enrol, name="enrol"),
    path("<slug:slug>/leave/", views.course_leave, name="leave"),
    path("<slug:slug>/lessons/<int:lesson_id>/", views.lesson_detail, name="lesson"),
    path("<slug:slug>/lessons/<int:lesson_id>/done/", views.lesson_done, name="lesson_done"),
]
