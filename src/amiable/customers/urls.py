from django.urls import path

app_name = "customers"
urlpatterns: list[path] = []  # type: ignore[valid-type]
