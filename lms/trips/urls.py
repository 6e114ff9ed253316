from django.urls import path

from . import views

app_name = "trips"

urlpatterns = [
    path("", views.trip_list, name="list"),
    path("<int:pk>/", views.trip_detail, name="detail"),
    path("<int:pk>/do/<slug:action>/", views.trip_action, name="action"),
    path("<int:pk>/settle/", views.settle_confirm, name="settle"),
    path("<int:pk>/participants/", views.participants_add, name="participants_add"),
    path("<int:pk>/roll-call/", views.roll_call, name="roll_call"),
    path("<int:pk>/report/", views.report_write, name="report"),
    path("<int:pk>/reports/", views.reports_review, name="reports"),
    path("<int:pk>/statements/<int:participant_pk>/", views.statement, name="statement"),
    path("photos/<int:pk>/", views.report_photo, name="photo"),
]
