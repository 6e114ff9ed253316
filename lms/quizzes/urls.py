from django.urls import path

from . import views

app_name = "quizzes"

urlpatterns = [
    path("", views.my_quizzes, name="mine"),
    path("<int:pk>/", views.quiz_intro, name="intro"),
    path("<int:pk>/start/", views.attempt_start, name="start"),
    path("attempt/<int:pk>/", views.attempt_take, name="take"),
    path("attempt/<int:pk>/save/", views.attempt_save, name="save"),
    path("attempt/<int:pk>/answer/", views.attempt_answer, name="answer"),
    path("attempt/<int:pk>/finish/", views.attempt_finish, name="finish"),
    path("attempt/<int:pk>/result/", views.attempt_result, name="result"),
]
