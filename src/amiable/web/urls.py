from django.urls import path

app_name = "web"
urlpatterns: list[path] = []  # type: ignore[valid-type]
