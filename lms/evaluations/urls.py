from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("", views.pending, name="pending"),
    path("sessions/<int:pk>/", views.rate_session, name="rate_session"),
    path("classes/<int:pk>/", views.rate_class, name="rate_class"),
    path("mine/", views.teacher_results, name="teacher_results"),
]
