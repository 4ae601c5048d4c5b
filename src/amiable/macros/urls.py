from django.urls import path

from amiable.macros import views

app_name = "macros"
urlpatterns = [
    path("", views.macro_list_view, name="list"),
    path("new/", views.macro_create_view, name="create"),
    path("<int:pk>/edit/", views.macro_update_view, name="update"),
    path("<int:pk>/delete/", views.macro_delete_view, name="delete"),
    path("cases/<int:case_pk>/picker/", views.macro_picker_view, name="picker"),
    path("cases/<int:case_pk>/<int:pk>/apply/", views.macro_apply_view, name="apply"),
]
