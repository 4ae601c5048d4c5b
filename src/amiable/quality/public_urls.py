"""Public resolution-confirmation pages, reached from the email (no login)."""

from django.urls import path

from amiable.quality.views import public

app_name = "quality_public"
urlpatterns = [
    path("<str:token>/", public.confirmation_view, name="confirm"),
    path("<str:token>/thanks/", public.confirmation_thanks_view, name="thanks"),
]
