"""Staff pages of the feedback app (namespace ``feedback``)."""

from django.urls import path

from amiable.feedback import views

app_name = "feedback"
urlpatterns = [
    path("", views.feedback_results_view, name="results"),
]
