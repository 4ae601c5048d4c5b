"""URLs of the peer project: django-helpdesk at the root, Django's login view."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("", include("helpdesk.urls", namespace="helpdesk")),
]
