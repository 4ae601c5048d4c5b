"""Public survey pages, reached from the links in survey emails (no login)."""

from django.urls import path

from amiable.feedback import views

app_name = "feedback_public"
urlpatterns = [
    path("<str:token>/", views.survey_answer_view, name="answer"),
    path("<str:token>/thanks/", views.survey_thanks_view, name="thanks"),
]
