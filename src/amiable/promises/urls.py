from django.urls import path

from amiable.promises import views

app_name = "promises"
urlpatterns = [
    path("", views.promise_list_view, name="list"),
    path("cases/<int:case_id>/make/", views.promise_make_view, name="make"),
    path("cases/<int:case_id>/suggest/", views.promise_suggest_view, name="suggest"),
    path("<int:pk>/renegotiate/", views.promise_renegotiate_view, name="renegotiate"),
    path("<int:pk>/keep/", views.promise_keep_view, name="keep"),
    path("<int:pk>/cancel/", views.promise_cancel_view, name="cancel"),
]
